using System;
using System.IO;
using System.Linq;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Coco
{
    public class CocoJsonReaderTests
    {
        private static string AllKinds => Path.Combine(TestPaths.Fixtures, "coco", "all-kinds.json");

        private static CocoDataset Parse(string json, CocoReadOptions? options = null) =>
            CocoJsonReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), null, options);

        [Fact]
        public void Every_modelled_field_of_the_five_kinds_is_read()
        {
            var ds = CocoJsonReader.ReadFile(AllKinds);

            Assert.Equal(3, ds.Images.Count);
            Assert.Equal(6, ds.Annotations.Count);
            Assert.Single(ds.PanopticAnnotations);
            Assert.Equal(CocoAnnotationKind.Detection | CocoAnnotationKind.Keypoints | CocoAnnotationKind.Caption | CocoAnnotationKind.Stuff | CocoAnnotationKind.Panoptic, ds.Kinds);

            var polygons = (CocoPolygonSegmentation)ds.Annotations.Find(10)!.Segmentation!;
            Assert.Equal(new[] { 30.25, 30.5, 40.125, 30, 35, 45 }, polygons.Polygons[1]);
            var rle = (CocoRleSegmentation)ds.Annotations.Find(11)!.Segmentation!;
            Assert.Equal((16, 32), (rle.Height, rle.Width));
            Assert.Equal(new uint[] { 5, 3, 8, 4, 492 }, rle.Counts);
            Assert.Equal("52203", ((CocoRleSegmentation)ds.Annotations.Find(12)!.Segmentation!).CompressedCounts);
            var keypoints = ds.Annotations.Find(13)!;
            Assert.Equal(CocoAnnotationKind.Keypoints, keypoints.Kind);
            Assert.Equal(2, keypoints.NumKeypoints);
            Assert.Equal(110.5, keypoints.Keypoints![6]);
            var caption = ds.Annotations.Find(14)!;
            Assert.Equal(CocoAnnotationKind.Caption, caption.Kind);
            Assert.Null(caption.CategoryId);
            Assert.Equal("A chest radiograph with a \"quoted\" word and ünïcödé.", caption.Caption);
            Assert.Equal(0.875, ds.Annotations.Find(15)!.Score);

            var person = ds.Categories.FindByName("person")!;
            Assert.Equal(new[] { "nose", "left_eye", "right_eye" }, person.Keypoints);
            Assert.Equal(new[] { 1, 3 }, person.Skeleton![1]);
            Assert.Equal(new[] { 220, 20, 60 }, ds.Categories.Find(3)!.Color);
            Assert.Equal(0, ds.Categories.Find(3)!.IsThing);

            var panoptic = ds.PanopticAnnotations[0];
            Assert.Equal("one_panoptic.png", panoptic.FileName);
            Assert.Equal(4144959, panoptic.SegmentsInfo[0].Id);
            Assert.Equal(new CocoBox(1, 2, 3, 4), panoptic.SegmentsInfo[0].Bbox);
        }

        [Fact]
        public void Unmodelled_members_are_kept_verbatim_at_every_level()
        {
            var ds = CocoJsonReader.ReadFile(AllKinds);

            Assert.Equal("{\"a\": [1, 2.5, null]}", ds.Info.Members.GetRawJson("custom"));
            Assert.Equal(2024, ds.Info.Year);
            Assert.Equal("\"x\"", ds.Licenses[0].Extra.GetRawJson("note"));
            Assert.Equal("{\"Modality\": \"CT\", \"PixelSpacing\": [0.5, 0.5]}", ds.Images[0].Extra.GetRawJson("dicom"));
            Assert.Equal("{\"occluded\": false}", ds.Annotations.Find(10)!.Extra.GetRawJson("attributes"));
            Assert.Equal("1", ds.PanopticAnnotations[0].SegmentsInfo[0].Extra.GetRawJson("extra"));
            Assert.Equal("\"instances\"", ds.Extra.GetRawJson("type"));
        }

        [Fact]
        public void A_descriptive_member_of_an_unexpected_type_is_kept_verbatim_instead_of_failing()
        {
            var ds = CocoJsonReader.ReadFile(AllKinds);

            var image = ds.Images.Find(2)!;
            Assert.Null(image.License);
            Assert.Equal("\"CC-BY\"", image.Extra.GetRawJson("license"));
        }

        [Fact]
        public void Refilling_the_read_buffer_at_every_boundary_gives_the_same_dataset()
        {
            var expected = Serialize(CocoJsonReader.ReadFile(AllKinds));
            var bytes = File.ReadAllBytes(AllKinds);

            foreach (int size in Enumerable.Range(1, 40).Concat(new[] { 63, 64, 100, 257 }))
            {
                var options = new CocoReadOptions { BufferSize = size };
                var ds = CocoJsonReader.Read(new MemoryStream(bytes), AllKinds, options);
                Assert.Equal(expected, Serialize(ds));
            }
        }

        [Fact]
        public void A_byte_order_mark_is_accepted()
        {
            var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"images\":[{\"id\":1,\"width\":2,\"height\":3}]}")).ToArray();

            var ds = CocoJsonReader.Read(new MemoryStream(bytes), null);

            Assert.Equal(3, ds.Images[0].Height);
        }

        [Fact]
        public void Integral_doubles_are_accepted_as_ids()
        {
            var ds = Parse("{\"images\":[{\"id\":1.0,\"width\":2.0,\"height\":3}],\"categories\":[{\"id\":4,\"name\":\"x\"}],\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":4.0}]}");

            Assert.Equal(4, ds.Annotations[0].CategoryId);
        }

        [Fact]
        public void Annotations_before_images_resolve()
        {
            var ds = Parse("{\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":4}],\"categories\":[{\"id\":4,\"name\":\"x\"}],\"images\":[{\"id\":1}]}");

            Assert.Equal(1, ds.Annotations[0].ImageId);
        }

        public static TheoryData<string, string, string, int, int> BadInputs() => new()
        {
            // json, error id, pointer, line, column
            { "hello", "JsonSyntax", "", 1, 1 },
            { "{\"images\":[{\"id\":1,", "JsonTruncated", "/images/0", 1, 19 },
            { "{\"images\":[{\"id\":1,\"file_name\":\"ab", "JsonTruncated", "/images/0", 1, 35 },
            { "{\"info\":{\"x\":[1,2", "JsonTruncated", "/info", 1, 18 },
            { "{\n  \"images\": [\n    {\"id\": 1, \"width\": \"512\"}\n  ]\n}", "JsonType", "/images/0/width", 3, 24 },
            { "{\"images\":[{\"id\":1},{\"id\":1}]}", "DuplicateId", "/images/1/id", 1, 27 },
            { "{\"images\":[{\"id\":1}],\"categories\":[{\"id\":2,\"name\":\"a\"},{\"id\":2,\"name\":\"b\"}]}", "DuplicateId", "/categories/1/id", 1, 62 },
            { "{\"images\":[{\"id\":1}],\"annotations\":[{\"id\":3,\"image_id\":1},{\"id\":3,\"image_id\":1}]}", "DuplicateId", "/annotations/1/id", 1, 65 },
            { "{\"images\":[{\"id\":1}],\"annotations\":[{\"id\":3,\"image_id\":9}]}", "UnknownImage", "/annotations/0/image_id", 1, 56 },
            { "{\"images\":[{\"id\":1}],\"annotations\":[{\"id\":3,\"image_id\":1,\"category_id\":8}]}", "UnknownCategory", "/annotations/0/category_id", 1, 72 },
            { "{\"x\":" + new string('[', 5000) + new string(']', 5000) + "}", "JsonSyntax", "", 1, 69 },
            { "", "EmptyFile", "", 1, 1 },
            { "[{\"image_id\":1,\"category_id\":1,\"bbox\":[1,2,3,4],\"score\":0.5}]", "ResultsFileNotDataset", "", 1, 1 },
            { "{\"images\":[{\"id\":1}],\"annotations\":[{\"id\":3,\"image_id\":1,\"bbox\":[1,2,3]}]}", "JsonType", "/annotations/0/bbox", 1, 65 },
            { "{\"images\":[{\"id\":1}],\"annotations\":[{\"id\":3,\"image_id\":1,\"segmentation\":[[1,2,3,\"4\",5,6]]}]}", "JsonType", "/annotations/0/segmentation/0/3", 1, 81 },
            { "{\"images\":[]} {}", "JsonSyntax", "", 1, 15 },
            { "{\"images\":[{\"width\":3}]}", "MissingId", "/images/0", 1, 12 },
            { "{\"images\":{\"id\":1}}", "JsonType", "/images", 1, 11 },
            { "{\"images\":[{\"id\":\"a\"}],\"annotations\":[{\"id\":1,\"image_id\":1e400}]}", "JsonType", "/annotations/0/image_id", 1, 58 },
        };

        [Theory]
        [MemberData(nameof(BadInputs))]
        public void Bad_input_fails_with_the_file_line_column_and_pointer(string json, string errorId, string pointer, int line, int column)
        {
            using var dir = new TempDir();
            var path = dir.Write("bad.json", json);

            var e = Assert.Throws<CocoFormatException>(() => CocoJsonReader.ReadFile(path));

            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(pointer, e.JsonPointer);
            Assert.Equal(line, e.Line);
            Assert.Equal(column, e.Column);
            Assert.StartsWith($"{path}:{line}:{column}", e.Message);
        }

        [Fact]
        public void Several_reference_problems_are_counted_in_the_message()
        {
            var e = Assert.Throws<CocoFormatException>(() => Parse("{\"images\":[{\"id\":1}],\"annotations\":[{\"id\":3,\"image_id\":7},{\"id\":4,\"image_id\":8},{\"id\":5,\"image_id\":9}]}"));

            Assert.Contains("image_id 7 matches no image", e.Message);
            Assert.Contains("and 2 more problems", e.Message);
        }

        [Fact]
        public void A_utf16_file_gets_a_clear_error()
        {
            var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{}")).ToArray();

            var e = Assert.Throws<CocoToolsException>(() => CocoJsonReader.Read(new MemoryStream(bytes), null));

            Assert.Equal("JsonNotUtf8", e.ErrorId);
        }

        [Fact]
        public void A_missing_file_is_reported_as_not_found()
        {
            var e = Assert.Throws<CocoToolsException>(() => CocoJsonReader.ReadFile("/nonexistent/x.json"));

            Assert.Equal("FileNotFound", e.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, e.Kind);
        }

        [Fact]
        public void Hundreds_of_megabytes_of_whitespace_are_read_in_bounded_memory()
        {
            var stream = new GeneratedStream(Encoding.ASCII.GetBytes("{\"images\":"), (byte)' ', 300L << 20, Encoding.ASCII.GetBytes("[]}"));
            long before = GC.GetAllocatedBytesForCurrentThread();

            var ds = CocoJsonReader.Read(stream, null);

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Empty(ds.Images);
            Assert.True(allocated < 16L << 20, $"allocated {allocated >> 20} MiB");
        }

        private static string Serialize(CocoDataset ds)
        {
            using var stream = new MemoryStream();
            CocoJsonWriter.Write(ds, stream);
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>A read-only stream of a prefix, a long run of one byte, and a suffix, without holding it in memory.</summary>
        private sealed class GeneratedStream : Stream
        {
            private readonly byte[] _prefix;
            private readonly byte _fill;
            private readonly long _fillLength;
            private readonly byte[] _suffix;
            private long _position;

            public GeneratedStream(byte[] prefix, byte fill, long fillLength, byte[] suffix)
            {
                _prefix = prefix;
                _fill = fill;
                _fillLength = fillLength;
                _suffix = suffix;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => _prefix.Length + _fillLength + _suffix.Length;

            public override long Position { get => _position; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = 0;
                while (n < count && _position < Length)
                {
                    long p = _position;
                    buffer[offset + n] = p < _prefix.Length ? _prefix[p]
                        : p < _prefix.Length + _fillLength ? _fill
                        : _suffix[p - _prefix.Length - _fillLength];
                    n++;
                    _position++;
                }

                return n;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
