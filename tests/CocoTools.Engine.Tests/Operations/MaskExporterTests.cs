using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using CocoTools.Engine.Operations;
using CocoTools.Engine.Tests.Masks;

namespace CocoTools.Engine.Tests.Operations
{
    public class MaskExporterTests
    {
        private static CocoAnnotation Polygon(long id, long imageId, long category, params double[][] polygons) =>
            new CocoAnnotation { Id = id, ImageId = imageId, CategoryId = category, Segmentation = new CocoPolygonSegmentation(polygons), IsCrowd = 0 };

        private static double[] Rect(double x0, double y0, double x1, double y1) => new[] { x0, y0, x1, y0, x1, y1, x0, y1 };

        private static CocoDataset Scene(int categoryOffset = 0)
        {
            var ds = new CocoDataset();
            ds.Categories.Add(new CocoCategory { Id = 1 + categoryOffset, Name = "organ", IsThing = 0 });
            ds.Categories.Add(new CocoCategory { Id = 2 + categoryOffset, Name = "lesion", IsThing = 1 });
            ds.Images.Add(new CocoImage { Id = 1, Width = 40, Height = 30, FileName = "scans/a.dcm" });
            ds.Annotations.Add(Polygon(1, 1, 2 + categoryOffset, Rect(10, 10, 14, 14)));        // small lesion
            ds.Annotations.Add(Polygon(2, 1, 1 + categoryOffset, Rect(0, 0, 30, 25)));          // large organ around it
            ds.Annotations.Add(Polygon(3, 1, 1 + categoryOffset, Rect(32, 2, 38, 8)));          // second part of the organ
            ds.Annotations.Add(Polygon(4, 1, 2 + categoryOffset, Rect(20, 20, 36, 28)));        // lesion overlapping the organ's edge
            return ds;
        }

        private static T[] Pixels<T>(string path)
            where T : unmanaged, IPixel<T>
        {
            using var image = Image.Load<T>(path);
            var pixels = new T[image.Width * image.Height];
            image.CopyPixelDataTo(pixels);
            return pixels;
        }

        private static CocoMaskFile Export(CocoDataset ds, MaskKind kind, string dir, List<CocoToolsException>? errors = null, ICollection<long>? categories = null)
        {
            var exporter = new MaskExporter(ds, new MaskExportOptions { Kind = kind, CategoryIds = categories });
            var image = ds.Images[0];
            return exporter.ExportImage(image, Path.Combine(dir, exporter.FileNameFor(image)), e => errors?.Add(e));
        }

        public static IEnumerable<object[]> PaintableCases() => MaskCases.Ids().Where(id =>
        {
            var e = MaskCases.Get((string)id[0]).GetProperty("expected");
            return e.TryGetProperty("mask_sha256", out var sha) && sha.ValueKind == JsonValueKind.String && !e.TryGetProperty("error", out _);
        });

        [Theory]
        [MemberData(nameof(PaintableCases))]
        public void Binary_png_pixels_equal_pycocotools_decode(string id)
        {
            var c = MaskCases.Get(id);
            int h = c.GetProperty("h").GetInt32(), w = c.GetProperty("w").GetInt32();
            var ds = new CocoDataset();
            ds.Images.Add(new CocoImage { Id = 1, Width = w, Height = h, FileName = id + ".png" });
            var a = new CocoAnnotation { Id = 1, ImageId = 1, CategoryId = 1 };
            if (c.TryGetProperty("polygons", out _))
            {
                a.Segmentation = new CocoPolygonSegmentation(MaskCases.Polygons(c));
            }
            else if (c.TryGetProperty("rle_counts", out var counts))
            {
                a.Segmentation = new CocoRleSegmentation(h, w, counts.EnumerateArray().Select(v => v.GetUInt32()).ToArray());
            }
            else
            {
                a.Segmentation = new CocoRleSegmentation(h, w, c.GetProperty("rle_string").GetString()!);
            }

            ds.Annotations.Add(a);
            using var dir = new TempDir();
            var errors = new List<CocoToolsException>();

            var file = Export(ds, MaskKind.Binary, dir.Path, errors);

            // COCO polygons need at least 6 numbers in x, y pairs. pycocotools truncates an odd count and draws a
            // 4-number polygon after the first as a line; CocoTools refuses such an annotation by name instead.
            if (a.Segmentation is CocoPolygonSegmentation p && p.Polygons.Any(poly => poly.Length < 6 || poly.Length % 2 != 0))
            {
                var error = Assert.Single(errors);
                Assert.Contains(error.ErrorId, new[] { "PolygonTooShort", "PolygonOddCount" });
                Assert.Equal(1L, error.Target);
                return;
            }

            Assert.Empty(errors);
            var pixels = Pixels<L8>(file.Path);
            Assert.All(pixels, p => Assert.True(p.PackedValue == 0 || p.PackedValue == 255));
            var bits = pixels.Select(p => (byte)(p.PackedValue == 255 ? 1 : 0)).ToArray();
            Assert.Equal(c.GetProperty("expected").GetProperty("mask_sha256").GetString(), MaskCases.Sha256(bits));
        }

        [Fact]
        public void Semantic_pixels_are_category_ids_and_the_smaller_object_owns_overlaps()
        {
            using var dir = new TempDir();
            var file = Export(Scene(), MaskKind.Semantic, dir.Path);

            var pixels = Pixels<L8>(file.Path);
            byte At(int x, int y) => pixels[(y * 40) + x].PackedValue;
            Assert.Equal(2, At(12, 12));    // lesion inside the organ: the smaller one wins
            Assert.Equal(1, At(5, 5));      // organ
            Assert.Equal(2, At(25, 22));    // lesion over the organ's edge: things over stuff
            Assert.Equal(0, At(39, 29));    // background
            Assert.Equal("a.png", Path.GetFileName(file.Path));
        }

        [Fact]
        public void Semantic_masks_are_16_bit_when_a_category_id_passes_255()
        {
            using var dir = new TempDir();
            var file = Export(Scene(categoryOffset: 299), MaskKind.Semantic, dir.Path);

            var pixels = Pixels<L16>(file.Path);
            Assert.Equal(301, pixels[(12 * 40) + 12].PackedValue);
            Assert.Equal(300, pixels[(5 * 40) + 5].PackedValue);
        }

        [Fact]
        public void Instance_pixels_index_annotations_and_the_sidecar_maps_them_back()
        {
            using var dir = new TempDir();
            var file = Export(Scene(), MaskKind.Instance, dir.Path);

            var pixels = Pixels<L16>(file.Path);
            Assert.Equal(1, pixels[(12 * 40) + 12].PackedValue);
            Assert.Equal(2, pixels[(5 * 40) + 5].PackedValue);
            Assert.Equal(3, pixels[(5 * 40) + 34].PackedValue);
            Assert.Equal(4, pixels[(22 * 40) + 25].PackedValue);
            using var sidecar = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(file.Path, ".json")));
            var instances = sidecar.RootElement.GetProperty("instances").EnumerateArray().ToArray();
            Assert.Equal(new long[] { 1, 2, 3, 4 }, instances.Select(i => i.GetProperty("annotation_id").GetInt64()));
            Assert.Equal("lesion", instances[3].GetProperty("category").GetString());
        }

        [Fact]
        public void Panoptic_segments_own_disjoint_pixels_and_report_exactly_the_pixels_painted()
        {
            using var dir = new TempDir();
            var file = Export(Scene(), MaskKind.Panoptic, dir.Path);

            var pixels = Pixels<Rgb24>(file.Path);
            var counts = pixels.Select(p => p.R | (p.G << 8) | (p.B << 16)).Where(id => id != 0).GroupBy(id => id).ToDictionary(g => g.Key, g => g.LongCount());
            // Two lesions (things) and one merged organ segment (stuff: one per category).
            Assert.Equal(3, file.Segments.Count);
            Assert.Equal(counts.Keys.OrderBy(k => k), file.Segments.Select(s => (int)s.Id).OrderBy(k => k));
            foreach (var s in file.Segments)
            {
                Assert.Equal(counts[(int)s.Id], s.Area);
            }

            var organ = Assert.Single(file.Segments, s => s.CategoryId == 1);
            Assert.Equal(0, organ.Bbox!.Value.X);
            Assert.Equal(38, organ.Bbox!.Value.Right);
        }

        [Fact]
        public void The_panoptic_json_lists_images_segments_and_categories_with_isthing()
        {
            using var dir = new TempDir();
            var ds = Scene();
            var exporter = new MaskExporter(ds, new MaskExportOptions { Kind = MaskKind.Panoptic });
            var file = exporter.ExportImage(ds.Images[0], Path.Combine(dir.Path, exporter.FileNameFor(ds.Images[0])), _ => { });
            var json = Path.Combine(dir.Path, "panoptic.json");

            exporter.WritePanopticJson(json, new[] { file });

            using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
            var annotation = Assert.Single(doc.RootElement.GetProperty("annotations").EnumerateArray());
            Assert.Equal("a.png", annotation.GetProperty("file_name").GetString());
            Assert.Equal(3, annotation.GetProperty("segments_info").GetArrayLength());
            Assert.Equal(new[] { 0, 1 }, doc.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("isthing").GetInt32()));
        }

        [Fact]
        public void A_category_filter_paints_only_those_categories()
        {
            using var dir = new TempDir();
            var file = Export(Scene(), MaskKind.Binary, dir.Path, categories: new long[] { 2 });

            var pixels = Pixels<L8>(file.Path);
            Assert.Equal(255, pixels[(12 * 40) + 12].PackedValue);
            Assert.Equal(0, pixels[(5 * 40) + 5].PackedValue);
            Assert.Equal(2, file.AnnotationCount);
        }

        [Fact]
        public void Bad_annotations_are_refused_by_name_and_the_rest_is_painted()
        {
            var ds = Scene();
            ds.Annotations.Add(Polygon(10, 1, 2, new[] { 1.0, 2, 3, 4 }));
            ds.Annotations.Add(Polygon(11, 1, 2, new[] { 1.0, 2, 3, 4, 5, 6, 7 }));
            ds.Annotations.Add(Polygon(12, 1, 2, new[] { 1.0, 2, double.NaN, 4, 5, 6 }));
            ds.Annotations.Add(new CocoAnnotation { Id = 13, ImageId = 1, CategoryId = 2, Segmentation = new CocoRleSegmentation(10, 10, new uint[] { 100 }) });
            ds.Annotations.Add(new CocoAnnotation { Id = 14, ImageId = 1, CategoryId = 2, Segmentation = new CocoRleSegmentation(30, 40, new uint[] { 5, 10 }) });
            ds.Annotations.Add(Polygon(15, 1, 2));
            var errors = new List<CocoToolsException>();
            using var dir = new TempDir();

            var file = Export(ds, MaskKind.Semantic, dir.Path, errors);

            Assert.Equal(new[] { "PolygonTooShort", "PolygonOddCount", "NonFiniteCoordinate", "RleSizeMismatch", "RleCountsMismatch", "EmptySegmentation" }, errors.Select(e => e.ErrorId));
            Assert.Equal(new object[] { 10L, 11L, 12L, 13L, 14L, 15L }, errors.Select(e => e.Target));
            Assert.All(errors, e => Assert.StartsWith($"annotation {e.Target}:", e.Message));
            Assert.Equal(4, file.AnnotationCount);
            Assert.Equal(6, file.FailedCount);
            Assert.Equal(2, Pixels<L8>(file.Path)[(12 * 40) + 12].PackedValue);
        }

        [Fact]
        public void An_image_without_a_size_fails_and_leaves_no_file()
        {
            var ds = Scene();
            ds.Images[0].Width = null;
            using var dir = new TempDir();

            var e = Assert.Throws<CocoToolsException>(() => Export(ds, MaskKind.Binary, dir.Path));

            Assert.Equal("ImageSizeMissing", e.ErrorId);
            Assert.Empty(Directory.GetFiles(dir.Path));
        }

        [Fact]
        public void Box_only_annotations_paint_their_box_as_pycocotools_frBbox()
        {
            var ds = new CocoDataset();
            ds.Images.Add(new CocoImage { Id = 1, Width = 20, Height = 10, FileName = "b.png" });
            ds.Annotations.Add(new CocoAnnotation { Id = 1, ImageId = 1, CategoryId = 1, Bbox = new CocoBox(2.5, 3, 4, 5) });
            using var dir = new TempDir();

            var file = Export(ds, MaskKind.Binary, dir.Path);

            var expected = new byte[200];
            PolygonRasterizer.FromBox(2.5, 3, 4, 5, 10, 20).TryDecodeRowMajor(expected);
            Assert.Equal(expected, Pixels<L8>(file.Path).Select(p => (byte)(p.PackedValue / 255)).ToArray());
        }

        [Fact]
        public void A_4000_by_4000_image_exports_in_memory_bounded_by_the_image_not_the_annotations()
        {
            var ds = new CocoDataset();
            ds.Images.Add(new CocoImage { Id = 1, Width = 4000, Height = 4000, FileName = "big.png" });
            var random = new Random(3);
            for (int i = 1; i <= 400; i++)
            {
                double x = random.Next(0, 3800), y = random.Next(0, 3800);
                ds.Annotations.Add(Polygon(i, 1, 1, new[] { x, y, x + 190, y + 10, x + 100, y + 199 }));
            }

            using var dir = new TempDir();
            var exporter = new MaskExporter(ds, new MaskExportOptions { Kind = MaskKind.Instance });
            string path = Path.Combine(dir.Path, exporter.FileNameFor(ds.Images[0]));
            long before = GC.GetAllocatedBytesForCurrentThread();

            var file = exporter.ExportImage(ds.Images[0], path, e => throw e);

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(400, file.AnnotationCount);
            // One 16-bit image buffer is 32 MB; decoding each annotation to a full mask would be 400 x 16 MB.
            Assert.True(allocated < 96L << 20, $"allocated {allocated >> 20} MiB");
        }

        [Theory]
        [InlineData("a/b/scan.dcm", null, "scan.png")]
        [InlineData("../../etc/passwd", null, "passwd.png")]
        [InlineData("C:\\data\\CON.jpg", null, "_CON.png")]
        [InlineData("weird name (1)?.png", null, "weird_name__1__.png")]
        [InlineData("multi.dcm", 7, "multi_frame0007.png")]
        [InlineData("", null, "image9.png")]
        [InlineData("..", null, "image9.png")]
        public void Mask_file_names_are_safe_stems(string fileName, int? frame, string expected)
        {
            Assert.Equal(expected, new CocoTools.Engine.IO.OutputFileNamer(".png").NameFor(fileName, 9, frame));
        }

        [Fact]
        public void Colliding_stems_get_the_image_id()
        {
            var namer = new CocoTools.Engine.IO.OutputFileNamer(".png");

            Assert.Equal("scan.png", namer.NameFor("a/scan.dcm", 1, null));
            Assert.Equal("scan_id2.png", namer.NameFor("b/scan.dcm", 2, null));
            Assert.Equal("SCAN_id3.png", namer.NameFor("c/SCAN.dcm", 3, null));
        }
    
        [Theory]
        [InlineData(MaskKind.Semantic)]
        [InlineData(MaskKind.Instance)]
        [InlineData(MaskKind.Panoptic)]
        public void ParallelExportWritesTheSameBytesAndReportsErrorsInImageOrder(MaskKind kind)
        {
            // 30 images of different sizes and overlaps, one without a size (an image error) and one annotation of a
            // category not in the dataset (an annotation error): 1 and 4 workers must write the same files and report
            // the same errors in the same order.
            var ds = Scene();
            for (int n = 2; n <= 30; n++)
            {
                ds.Images.Add(new CocoImage { Id = n, Width = n == 17 ? null : 20 + (n * 7 % 50), Height = 15 + (n * 11 % 40), FileName = $"scans/s{n}.dcm" });
                for (int k = 0; k < n % 5 + 1; k++)
                {
                    ds.Annotations.Add(Polygon(ds.Annotations.NextId, n, n == 9 && k == 0 ? 99 : 1 + (k % 2), Rect(k, k * 2, 10 + (k * 3), 12 + k)));
                }
            }

            (List<string> Lines, Dictionary<string, byte[]> Files) Run(int throttle)
            {
                using var dir = new TempDir();
                var exporter = new MaskExporter(ds, new MaskExportOptions { Kind = kind });
                var lines = new List<string>();
                var batch = new ParallelBatch<CocoImage, (CocoMaskFile? File, List<CocoToolsException> Errors)>(throttle, image =>
                {
                    var errors = new List<CocoToolsException>();
                    return (exporter.ExportImage(image, Path.Combine(dir.Path, $"m{image.Id}.png"), errors.Add), errors);
                }, (image, outcome, error) =>
                {
                    lines.AddRange((outcome.Errors ?? new List<CocoToolsException>()).Select(e => $"{image.Id}: {e.ErrorId} {e.Target}"));
                    lines.Add(error != null ? $"{image.Id}: {error.ErrorId}" : $"{image.Id}: {outcome.File!.AnnotationCount} painted");
                });
                foreach (var image in ds.Images)
                {
                    batch.Add(image);
                }

                batch.Flush();
                return (lines, Directory.GetFiles(dir.Path).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes));
            }

            var one = Run(1);
            var four = Run(4);
            Assert.Equal(one.Lines, four.Lines);
            Assert.Contains(one.Lines, l => l.StartsWith("17: ImageSizeMissing", StringComparison.Ordinal));
            Assert.Equal(kind == MaskKind.Instance ? 29 * 2 : 29, one.Files.Count);
            Assert.Equal(one.Files.Keys.OrderBy(k => k, StringComparer.Ordinal), four.Files.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (name, bytes) in one.Files)
            {
                Assert.True(bytes.AsSpan().SequenceEqual(four.Files[name]), $"{name} differs between 1 and 4 workers");
            }
        }
}
}
