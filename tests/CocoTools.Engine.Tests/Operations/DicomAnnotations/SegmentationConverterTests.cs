using System.Collections.Generic;
using System.IO;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations.DicomAnnotations;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Operations.DicomAnnotations
{
    public class SegmentationConverterTests
    {
        private const string For = "1.2.826.0.1.3680043.8.498.7";

        private static readonly string[] Ct2 = { "pydicom_CT2_17106.dcm", "pydicom_CT2_17136.dcm", "pydicom_CT2_17166.dcm", "pydicom_CT2_17196.dcm" };

        public static IEnumerable<object[]> SharedSegs() => new[]
        {
            new object[] { "highdicom_seg_image_ct_binary.dcm", Ct2, 3 },
            new object[] { "highdicom_seg_image_ct_binary_fractional.dcm", Ct2, 3 },
            new object[] { "dcmqi_liver_seg.dcm", new[] { "dcmqi_ct-3slice_01.dcm", "dcmqi_ct-3slice_02.dcm", "dcmqi_ct-3slice_03.dcm" }, 3 },
            new object[] { "dcmqi_23x38x3_seg.dcm", new[] { "dcmqi_23x38x3_IMG0001.dcm", "dcmqi_23x38x3_IMG0002.dcm", "dcmqi_23x38x3_IMG0003.dcm" }, -1 },
        };

        [Theory]
        [MemberData(nameof(SharedSegs))]
        public void Each_shared_SEG_gives_the_masks_pydicom_and_numpy_read_from_it_as_pycocotools_decodes_them(string seg, string[] images, int expectedAnnotations)
        {
            using var dir = new TempDir();
            var ds = SegFixtures.SharedDataset(images);

            var outcome = SegFixtures.Import(ds, Path.Combine(SegFixtures.Shared, seg));

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            Assert.Empty(outcome.NotPlaced);
            Assert.NotEmpty(outcome.Added);
            if (expectedAnnotations >= 0)
            {
                Assert.Equal(expectedAnnotations, outcome.Added.Count);
            }

            Assert.All(outcome.Added, a => Assert.Equal(0, a.IsCrowd));
            Assert.All(outcome.Added, a => Assert.True(((CocoRleSegmentation)a.Segmentation!).IsCompressed));
            var verdict = SegFixtures.Check(ds, Path.Combine(SegFixtures.Shared, seg), dir.Path);
            Assert.Empty(verdict.Problems);
            Assert.Equal(outcome.Added.Count, verdict.Compared);
            Assert.Equal(0, verdict.Unplaced);
        }

        [Fact]
        public void The_23x38x3_SEG_proves_frames_follow_each_other_bit_for_bit()
        {
            // 38 x 23 = 874 bits a frame: frame 2 starts at bit 874, in the middle of byte 109.
            var ds = SegFixtures.SharedDataset("dcmqi_23x38x3_IMG0001.dcm", "dcmqi_23x38x3_IMG0002.dcm", "dcmqi_23x38x3_IMG0003.dcm");

            var outcome = SegFixtures.Import(ds, Path.Combine(SegFixtures.Shared, "dcmqi_23x38x3_seg.dcm"));

            var frames = outcome.Added.SelectMany(a => FramesOf(a)).ToList();
            Assert.Contains(2, frames);
            Assert.Contains(3, frames);
            Assert.All(outcome.Added, a => Assert.Equal(new[] { 38, 23 }, new[] { ((CocoRleSegmentation)a.Segmentation!).Height, ((CocoRleSegmentation)a.Segmentation!).Width }));
        }

        [Theory]
        [InlineData("BINARY", 1, "rle")]       // each frame's bits packed from a byte, then RLE (pydicom 3, highdicom)
        [InlineData("BINARY", 1, "rle_bytes")] // one byte a pixel, then RLE (older writers)
        [InlineData("BINARY", 1, "deflated")]
        [InlineData("LABELMAP", 8, "rle")]
        [InlineData("LABELMAP", 16, "deflated")]
        public void A_compressed_SEG_gives_the_annotations_of_the_same_SEG_uncompressed(string type, int bits, string syntax)
        {
            // 23 x 37 = 851 pixels a frame: native 1-bit frames start inside bytes, encapsulated ones on a byte.
            using var dir = new TempDir();
            int rows = 23, cols = 37;
            bool labelmap = type == "LABELMAP";
            var frames = new[]
            {
                new { segment = 1, source = "1.9.1", z = 0.0, ellipses = new { seed = 1, count = 3, labels = labelmap ? new[] { 1, 2 } : new[] { 1 } } },
                new { segment = 2, source = "1.9.1", z = 0.0, ellipses = new { seed = 2, count = 3, labels = labelmap ? new[] { 2, 3 } : new[] { 1 } } },
                new { segment = 1, source = "1.9.2", z = 2.0, ellipses = new { seed = 3, count = 3, labels = labelmap ? new[] { 1, 3 } : new[] { 1 } } },
            }.Take(labelmap ? 2 : 3).Select((f, i) => labelmap ? f with { source = "1.9." + (i + 1), z = 2.0 * i } : f).ToArray();
            object Spec(string file, string transferSyntax) => new
            {
                @out = "__OUT__",
                frame_of_reference = For,
                images = new[] { Image("a.dcm", "1.9.1", rows, cols, 0), Image("b.dcm", "1.9.2", rows, cols, 2) },
                seg = new { file, sop = "1.9.9", type, bits, rows, cols, segments = new[] { Segment(1, "kidney"), Segment(2, "cyst"), Segment(3, "stone") }, frames, transfer_syntax = transferSyntax },
            };
            SegFixtures.Make(dir.Path, Spec("native.dcm", "native"));
            SegFixtures.Make(dir.Path, Spec("packed.dcm", syntax));
            var native = SegFixtures.DatasetOf(new[] { dir.File("a.dcm"), dir.File("b.dcm") });
            var packed = SegFixtures.DatasetOf(new[] { dir.File("a.dcm"), dir.File("b.dcm") });

            var fromNative = SegFixtures.Import(native, dir.File("native.dcm"));
            var fromPacked = SegFixtures.Import(packed, dir.File("packed.dcm"));

            Assert.Equal(DicomImportStatus.Converted, fromPacked.Status);
            Assert.True(fromNative.Added.Count >= 3, "the synthetic SEG should give annotations");
            string Key(CocoAnnotation a) => $"{a.ImageId} {a.CategoryId} {a.Area} {((CocoRleSegmentation)a.Segmentation!).CompressedCounts}";
            Assert.Equal(fromNative.Added.Select(Key), fromPacked.Added.Select(Key));
            var verdict = SegFixtures.Check(native, dir.File("native.dcm"), dir.Path);
            Assert.Empty(verdict.Problems);

            // The frames as samples (Export-CocoImage -AnnotationObjects Image) decode alike too.
            var nativeHeader = Engine.Pixels.FrameDecoder.ReadWithPixels(dir.File("native.dcm"));
            var packedHeader = Engine.Pixels.FrameDecoder.ReadWithPixels(dir.File("packed.dcm"));
            var layout = Engine.Pixels.PixelLayout.Of(nativeHeader);
            for (int f = 0; f < layout.Frames; f++)
            {
                uint[] a = new uint[rows * cols], b = new uint[rows * cols];
                Engine.Pixels.FrameDecoder.Decode(nativeHeader, layout, f, a);
                Engine.Pixels.FrameDecoder.Decode(packedHeader, Engine.Pixels.PixelLayout.Of(packedHeader), f, b);
                Assert.Equal(a, b);
            }

            // Frame by frame from the file (a deflated data set inflated as a stream), backwards: each read goes back.
            using var reader = new Engine.Pixels.FrameReader(Engine.Dicom.DicomReader.ReadHeader(dir.File("packed.dcm")));
            Assert.Equal(syntax == "deflated", reader.Streams);
            for (int f = layout.Frames - 1; f >= 0; f--)
            {
                uint[] a = new uint[rows * cols], b = new uint[rows * cols];
                Engine.Pixels.FrameDecoder.Decode(nativeHeader, layout, f, a);
                reader.Read(f, b);
                Assert.Equal(a, b);
            }
        }

        private static IEnumerable<int> FramesOf(CocoAnnotation a)
        {
            var attributes = System.Text.Json.JsonDocument.Parse(a.Extra.GetRawJson("attributes")!).RootElement.GetProperty("SegmentationFrameNumber");
            return attributes.ValueKind == System.Text.Json.JsonValueKind.Array ? attributes.EnumerateArray().Select(e => e.GetInt32()).ToArray() : new[] { attributes.GetInt32() };
        }

        [Fact]
        public void Categories_come_from_the_segments_with_their_codes_algorithm_and_colour_and_attributes_name_the_source()
        {
            var ds = SegFixtures.SharedDataset("dcmqi_ct-3slice_01.dcm", "dcmqi_ct-3slice_02.dcm", "dcmqi_ct-3slice_03.dcm");

            var outcome = SegFixtures.Import(ds, Path.Combine(SegFixtures.Shared, "dcmqi_liver_seg.dcm"));

            var category = Assert.Single(ds.Categories);
            Assert.Equal("Liver", category.Name);
            Assert.Equal("Tissue", category.Supercategory);
            Assert.NotNull(category.Color);
            Assert.Equal(3, category.Color!.Length);
            string dicom = category.Extra.GetRawJson("dicom")!;
            Assert.Contains("\"CodeMeaning\":\"Liver\"", dicom.Replace(" ", string.Empty));
            Assert.Contains("SegmentAlgorithmType", dicom);
            var attributes = outcome.Added[0].Extra.GetRawJson("attributes")!;
            Assert.Contains("\"SegmentNumber\":1", attributes.Replace(" ", string.Empty));
            Assert.Contains(outcome.SopInstanceUid!, attributes);

            // The same label from a second SEG is the same category.
            var again = SegFixtures.Import(ds, Path.Combine(SegFixtures.Shared, "dcmqi_liver_seg.dcm"));
            Assert.Empty(again.CategoriesAdded);
            Assert.Single(ds.Categories);
        }

        [Fact]
        public void A_SEG_whose_source_image_is_not_in_the_dataset_reports_it_and_adds_nothing_guessed()
        {
            var ds = SegFixtures.SharedDataset(Ct2);

            var outcome = SegFixtures.Import(ds, Path.Combine(SegFixtures.Shared, "highdicom_seg_image_cr_binary.dcm"));

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            Assert.Empty(ds.Annotations);
            var item = Assert.Single(outcome.NotPlaced);
            Assert.Equal(DicomAnnotationErrorKind.ImageMissing, item.Reason);
            Assert.NotNull(item.ReferencedSopInstanceUid);
            Assert.Contains(item.ReferencedSopInstanceUid!, outcome.NotPlacedMessage);
            Assert.Contains("1 item(s) not placed", outcome.NotPlacedMessage);
        }

        // ---- synthetic SEGs written by pydicom ----

        private static object Image(string file, string sop, int rows, int cols, params double[] z) => new { file, sop, rows, cols, z };

        private static int[] Rect(int rows, int cols, int x0, int y0, int x1, int y1, int value = 1)
        {
            var p = new int[rows * cols];
            for (int y = y0; y < y1; y++)
            {
                for (int x = x0; x < x1; x++)
                {
                    p[(y * cols) + x] = value;
                }
            }

            return p;
        }

        private static int[] Plus(int[] a, int[] b) => a.Zip(b, (x, y) => y != 0 ? y : x).ToArray();

        private static object Segment(int number, string label) => new { number, label, lab = new[] { 40000, 50000, 30000 }, tracking_id = "lesion " + number, tracking_uid = "1.2.826.0.1.3680043.8.498.9." + number };

        [Fact]
        public void Shuffled_frames_of_overlapping_segments_go_to_the_frames_of_a_multi_frame_source()
        {
            using var dir = new TempDir();
            int rows = 10, cols = 7;
            var frames = new[]
            {
                new { segment = 1, source = "1.9.1", source_frame = 1, z = 0.0, pixels = Rect(rows, cols, 1, 1, 5, 6) },
                new { segment = 2, source = "1.9.1", source_frame = 1, z = 0.0, pixels = Rect(rows, cols, 3, 2, 7, 9) }, // overlaps segment 1
                new { segment = 1, source = "1.9.1", source_frame = 3, z = 4.0, pixels = Rect(rows, cols, 0, 0, 2, 10) },
                new { segment = 2, source = "1.9.1", source_frame = 2, z = 2.0, pixels = Rect(rows, cols, 6, 9, 7, 10) },
                new { segment = 1, source = "1.9.1", source_frame = 2, z = 2.0, pixels = new int[rows * cols] }, // empty: no annotation
            };
            SegFixtures.Make(dir.Path, new
            {
                @out = "__OUT__",
                frame_of_reference = For,
                images = new[] { Image("mf.dcm", "1.9.1", rows, cols, 0, 2, 4) },
                seg = new { file = "seg.dcm", sop = "1.9.2", type = "BINARY", bits = 1, rows, cols, segments = new[] { Segment(1, "kidney"), Segment(2, "cyst") }, frames, order = new[] { 3, 0, 4, 2, 1 } },
            });
            var ds = SegFixtures.DatasetOf(new[] { dir.File("mf.dcm") });

            var outcome = SegFixtures.Import(ds, dir.File("seg.dcm"));

            Assert.Equal(4, outcome.Added.Count);
            Assert.Equal(new[] { "kidney", "cyst" }, ds.Categories.Select(c => c.Name));
            var verdict = SegFixtures.Check(ds, dir.File("seg.dcm"), dir.Path);
            Assert.Empty(verdict.Problems);
            Assert.Equal(4, verdict.Compared);
            Assert.Contains("lesion 2", outcome.Added.Select(a => a.Extra.GetRawJson("attributes")).First(a => a!.Contains("\"SegmentNumber\": 2") || a!.Contains("\"SegmentNumber\":2")));
        }

        [Fact]
        public void A_16_bit_LABELMAP_makes_one_annotation_per_value_present_and_segment_0_is_background()
        {
            using var dir = new TempDir();
            int rows = 6, cols = 9;
            var frame1 = Plus(Rect(rows, cols, 0, 0, 4, 3, 1), Rect(rows, cols, 5, 2, 9, 6, 300));
            var frame2 = Rect(rows, cols, 2, 1, 3, 5, 2);
            SegFixtures.Make(dir.Path, new
            {
                @out = "__OUT__",
                frame_of_reference = For,
                images = new[] { Image("a.dcm", "1.8.1", rows, cols, 0), Image("b.dcm", "1.8.2", rows, cols, 2) },
                seg = new
                {
                    file = "lm.dcm", sop = "1.8.9", type = "LABELMAP", bits = 16, rows, cols, label_map_class = true,
                    segments = new[] { Segment(0, "Background"), Segment(1, "liver"), Segment(2, "spleen"), Segment(300, "vessel") },
                    frames = new[] { new { segment = 0, source = "1.8.1", z = 0.0, pixels = frame1 }, new { segment = 0, source = "1.8.2", z = 2.0, pixels = frame2 } },
                },
            });
            var ds = SegFixtures.DatasetOf(new[] { dir.File("a.dcm"), dir.File("b.dcm") });

            var outcome = SegFixtures.Import(ds, dir.File("lm.dcm"));

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            Assert.Equal(3, outcome.Added.Count);
            Assert.DoesNotContain(ds.Categories, c => c.Name == "Background");
            Assert.Equal(new[] { "liver", "spleen", "vessel" }, outcome.Added.Select(a => ds.Categories.Find(a.CategoryId!.Value)!.Name));
            var verdict = SegFixtures.Check(ds, dir.File("lm.dcm"), dir.Path);
            Assert.Empty(verdict.Problems);
            Assert.Equal(3, verdict.Compared);
        }

        [Theory]
        [InlineData(0.5, 3)]   // 100 of 200 is in: >= 0.5 x 200
        [InlineData(0.505, 2)] // 101 and 150 only
        [InlineData(0.75, 1)]  // 150 only
        public void A_FRACTIONAL_pixel_is_in_when_its_value_reaches_the_threshold_times_the_maximum(double threshold, int expectedPixels)
        {
            using var dir = new TempDir();
            int rows = 2, cols = 4;
            SegFixtures.Make(dir.Path, new
            {
                @out = "__OUT__",
                frame_of_reference = For,
                images = new[] { Image("a.dcm", "1.7.1", rows, cols, 0) },
                seg = new
                {
                    file = "f.dcm", sop = "1.7.9", type = "FRACTIONAL", bits = 8, max_fractional = 200, rows, cols,
                    segments = new[] { Segment(1, "tumour") },
                    frames = new[] { new { segment = 1, source = "1.7.1", z = 0.0, pixels = new[] { 0, 99, 100, 101, 150, 1, 0, 0 } } },
                },
            });
            var ds = SegFixtures.DatasetOf(new[] { dir.File("a.dcm") });

            var outcome = SegFixtures.Import(ds, dir.File("f.dcm"), new DicomAnnotationOptions { FractionalThreshold = threshold });

            Assert.Equal(expectedPixels, Assert.Single(outcome.Added).Area);
            var verdict = SegFixtures.Check(ds, dir.File("f.dcm"), dir.Path, threshold);
            Assert.Empty(verdict.Problems);
        }

        [Fact]
        public void Frames_without_a_derivation_are_placed_by_their_plane_position_in_the_same_frame_of_reference()
        {
            using var dir = new TempDir();
            int rows = 4, cols = 4;
            SegFixtures.Make(dir.Path, new
            {
                @out = "__OUT__",
                frame_of_reference = For,
                images = new[] { Image("a.dcm", "1.6.1", rows, cols, 0), Image("b.dcm", "1.6.2", rows, cols, 2), Image("c.dcm", "1.6.3", rows, cols, 4) },
                seg = new
                {
                    file = "p.dcm", sop = "1.6.9", type = "BINARY", bits = 1, rows, cols, no_derivation = true,
                    segments = new[] { Segment(1, "node") },
                    frames = new[]
                    {
                        new { segment = 1, source = "x", z = 2.4, pixels = Rect(rows, cols, 1, 1, 3, 3) },  // within 1 mm of b
                        new { segment = 1, source = "x", z = 9.0, pixels = Rect(rows, cols, 0, 0, 1, 1) },  // no image there
                    },
                },
            });
            var ds = SegFixtures.DatasetOf(new[] { dir.File("a.dcm"), dir.File("b.dcm"), dir.File("c.dcm") });

            var outcome = SegFixtures.Import(ds, dir.File("p.dcm"));

            var added = Assert.Single(outcome.Added);
            Assert.Equal(ds.Images.Single(i => i.FileName == "b.dcm").Id, added.ImageId);
            var missed = Assert.Single(outcome.NotPlaced);
            Assert.Equal(("frame 2", DicomAnnotationErrorKind.NotPlaceable), (missed.Item, missed.Reason));
        }

        [Fact]
        public void A_frame_whose_size_differs_from_its_image_spoils_the_object_and_nothing_of_it_is_added()
        {
            using var dir = new TempDir();
            SegFixtures.Make(dir.Path, new
            {
                @out = "__OUT__",
                frame_of_reference = For,
                images = new[] { Image("a.dcm", "1.5.1", 4, 4, 0), Image("b.dcm", "1.5.2", 5, 4, 2) },
                seg = new
                {
                    file = "s.dcm", sop = "1.5.9", type = "BINARY", bits = 1, rows = 4, cols = 4,
                    segments = new[] { Segment(1, "node") },
                    frames = new[] { new { segment = 1, source = "1.5.1", z = 0.0, pixels = Rect(4, 4, 0, 0, 2, 2) }, new { segment = 1, source = "1.5.2", z = 2.0, pixels = Rect(4, 4, 0, 0, 2, 2) } },
                },
            });
            var ds = SegFixtures.DatasetOf(new[] { dir.File("a.dcm"), dir.File("b.dcm") });

            var outcome = SegFixtures.Import(ds, dir.File("s.dcm"));

            Assert.Equal(DicomImportStatus.Failed, outcome.Status);
            Assert.Equal(DicomAnnotationErrorKind.FrameSizeMismatch, outcome.ErrorKind);
            Assert.Contains("frame 2", outcome.Error!.Message);
            Assert.Contains("s.dcm", outcome.Error.Message);
            Assert.Empty(ds.Annotations);
            Assert.Empty(ds.Categories);
        }

        [Fact]
        public void A_truncated_SEG_is_reported_and_adds_nothing()
        {
            using var dir = new TempDir();
            SegFixtures.Make(dir.Path, new
            {
                @out = "__OUT__",
                frame_of_reference = For,
                images = new[] { Image("a.dcm", "1.4.1", 16, 16, 0), Image("b.dcm", "1.4.2", 16, 16, 2) },
                seg = new
                {
                    file = "t.dcm", sop = "1.4.9", type = "BINARY", bits = 1, rows = 16, cols = 16, truncate_pixels = 20,
                    segments = new[] { Segment(1, "node") },
                    frames = new[] { new { segment = 1, source = "1.4.1", z = 0.0, pixels = Rect(16, 16, 0, 0, 9, 9) }, new { segment = 1, source = "1.4.2", z = 2.0, pixels = Rect(16, 16, 0, 0, 9, 9) } },
                },
            });
            var ds = SegFixtures.DatasetOf(new[] { dir.File("a.dcm"), dir.File("b.dcm") });

            var outcome = SegFixtures.Import(ds, dir.File("t.dcm"));

            Assert.Equal(DicomImportStatus.Failed, outcome.Status);
            Assert.Equal(DicomAnnotationErrorKind.Truncated, outcome.ErrorKind);
            Assert.Empty(ds.Annotations);
        }

        [Fact]
        public void A_frame_naming_a_segment_the_object_does_not_describe_is_an_inconsistent_object()
        {
            using var dir = new TempDir();
            SegFixtures.Make(dir.Path, new
            {
                @out = "__OUT__",
                frame_of_reference = For,
                images = new[] { Image("a.dcm", "1.3.1", 4, 4, 0) },
                seg = new
                {
                    file = "i.dcm", sop = "1.3.9", type = "BINARY", bits = 1, rows = 4, cols = 4,
                    segments = new[] { Segment(1, "node") },
                    frames = new[] { new { segment = 1, source = "1.3.1", z = 0.0, pixels = Rect(4, 4, 0, 0, 2, 2) }, new { segment = 7, source = "1.3.1", z = 0.0, pixels = Rect(4, 4, 0, 0, 2, 2) } },
                },
            });
            var ds = SegFixtures.DatasetOf(new[] { dir.File("a.dcm") });

            var outcome = SegFixtures.Import(ds, dir.File("i.dcm"));

            Assert.Equal(DicomAnnotationErrorKind.Broken, outcome.ErrorKind);
            Assert.Contains("frame 2", outcome.Error!.Message);
            Assert.Contains("segment 7", outcome.Error.Message);
            Assert.Empty(ds.Annotations);
        }

        [Theory]
        [MemberData(nameof(SharedSegs))]
        public void Polygons_traced_from_each_shared_SEG_cover_its_masks_with_IoU_of_at_least_0_98(string seg, string[] images, int expectedAnnotations)
        {
            using var dir = new TempDir();
            var ds = SegFixtures.SharedDataset(images);

            var outcome = SegFixtures.Import(ds, Path.Combine(SegFixtures.Shared, seg), new DicomAnnotationOptions { SegmentationFormat = DicomSegmentationFormat.Polygon });

            Assert.NotEqual(0, expectedAnnotations);
            Assert.Contains(outcome.Added, a => a.Segmentation is CocoPolygonSegmentation);
            var verdict = SegFixtures.Check(ds, Path.Combine(SegFixtures.Shared, seg), dir.Path, polygons: true);
            Assert.Empty(verdict.Problems);
            Assert.Equal(outcome.Added.Count, verdict.Compared);
        }

        [Fact]
        public void A_mask_with_a_hole_stays_RLE_under_polygon_format_and_is_counted()
        {
            using var dir = new TempDir();
            int rows = 7, cols = 7;
            var ring = Rect(rows, cols, 1, 1, 6, 6).Zip(Rect(rows, cols, 3, 3, 4, 4), (o, i) => i != 0 ? 0 : o).ToArray();
            SegFixtures.Make(dir.Path, new
            {
                @out = "__OUT__",
                frame_of_reference = For,
                images = new[] { Image("a.dcm", "1.2.1", rows, cols, 0) },
                seg = new
                {
                    file = "h.dcm", sop = "1.2.9", type = "BINARY", bits = 1, rows, cols,
                    segments = new[] { Segment(1, "ring") },
                    frames = new[] { new { segment = 1, source = "1.2.1", z = 0.0, pixels = ring } },
                },
            });
            var ds = SegFixtures.DatasetOf(new[] { dir.File("a.dcm") });

            var outcome = SegFixtures.Import(ds, dir.File("h.dcm"), new DicomAnnotationOptions { SegmentationFormat = DicomSegmentationFormat.Polygon });

            Assert.IsType<CocoRleSegmentation>(Assert.Single(outcome.Added).Segmentation);
            Assert.Equal(1, outcome.Counts["masks kept as RLE (holes)"]);
            Assert.Equal(24, outcome.Added[0].Area);
        }
    }
}
