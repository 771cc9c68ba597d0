using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Tests.Dicom;
using CocoTools.Engine.Tests.Masks;
using CocoTools.Engine.Tests.Support;
using CocoTools.Engine.Validation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using CocoTools.Engine.Operations;

namespace CocoTools.Engine.Tests.Validation
{
    public class ValidatorTests
    {
        private static IReadOnlyList<CocoFinding> ValidateText(TempDir dir, string json, CocoValidationOptions? options = null, string name = "test.json") =>
            CocoValidator.ValidateFile(dir.Write(name, json), options ?? new CocoValidationOptions());

        [Fact]
        public void A_folder_given_as_the_file_is_the_engines_FileReadFailed_naming_it_not_a_raw_IO_exception()
        {
            using var dir = new TempDir();
            string folder = dir.File("sub.json");
            System.IO.Directory.CreateDirectory(folder);
            var e = Assert.Throws<CocoToolsException>(() => CocoValidator.ValidateFile(folder, new CocoValidationOptions()));
            Assert.Equal("FileReadFailed", e.ErrorId);
            Assert.Equal(FailureKind.ReadError, e.Kind);
            Assert.Equal(folder, e.SourcePath);
            Assert.StartsWith(folder + ": ", e.Message);
        }

        [Fact]
        public void A_missing_file_is_FileNotFound()
        {
            using var dir = new TempDir();
            var e = Assert.Throws<CocoToolsException>(() => CocoValidator.ValidateFile(dir.File("none.json"), new CocoValidationOptions()));
            Assert.Equal("FileNotFound", e.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, e.Kind);
        }

        [Fact]
        public void Seeded_defects_are_found_at_their_pointer_line_and_column()
        {
            using var dir = new TempDir();
            string json = string.Join("\n", new[]
            {
                "{",
                "  \"images\": [",
                "    {\"id\": 1, \"width\": 100, \"height\": 80, \"file_name\": \"a.png\"},",
                "    {\"id\": 2, \"width\": -5, \"height\": 80, \"file_name\": \"b.png\"}",
                "  ],",
                "  \"annotations\": [",
                "    {\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [10, 10, 20, 20], \"area\": 400, \"iscrowd\": 0},",
                "    {\"id\": 2, \"image_id\": 9, \"category_id\": 1, \"bbox\": [10, 10, 20, -3], \"area\": 60, \"iscrowd\": 0},",
                "    {\"id\": 3, \"image_id\": 1, \"category_id\": 1, \"segmentation\": [[1, 1, 2, 2]], \"bbox\": [1, 1, 1, 1], \"area\": 1, \"iscrowd\": 2}",
                "  ],",
                "  \"categories\": [{\"id\": 1, \"name\": \"a\"}]",
                "}",
            });
            var findings = ValidateText(dir, json);
            string Where(string rule) => findings.Where(f => f.RuleId == rule).Select(f => $"{f.Pointer} {f.Line}:{f.Column}").Single();

            Assert.Equal("/images/1/width 4:24", Where("COCO1904"));
            Assert.Equal("/annotations/1/image_id 8:27", Where("COCO1202"));
            Assert.Equal("/annotations/1/bbox/3 8:69", Where("COCO1401"));
            Assert.Equal("/annotations/2/segmentation/0 9:65", Where("COCO1302"));
            Assert.Equal("/annotations/2/iscrowd 9:124", Where("COCO1601"));
            Assert.Equal(5, findings.Count(f => f.Severity == FindingSeverity.Error));
        }

        [Fact]
        public void Columns_count_characters_not_bytes_and_minified_files_locate_too()
        {
            using var dir = new TempDir();
            var findings = ValidateText(dir, "{\"info\": {\"description\": \"ünïcödé\"}, \"images\": [{\"id\": 1, \"width\": \"4\", \"height\": 4, \"file_name\": \"a.png\"}], \"annotations\": [], \"categories\": []}");
            var f = findings.Single(x => x.RuleId == "COCO1101");
            Assert.Equal("/images/0/width", f.Pointer);
            // 68 characters; 72 bytes.
            Assert.Equal((1, 68), (f.Line!.Value, f.Column!.Value));
        }

        [Fact]
        public void A_defect_past_the_first_buffer_is_located()
        {
            using var dir = new TempDir();
            var sb = new StringBuilder("{\"images\": [{\"id\": 1, \"width\": 10, \"height\": 10, \"file_name\": \"a.png\"}], \"categories\": [{\"id\": 1, \"name\": \"a\"}], \"annotations\": [\n");
            for (int i = 0; i < 30000; i++)
            {
                sb.Append($"{{\"id\": {i + 1}, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 2, 2], \"area\": 4, \"iscrowd\": 0}},\n");
            }

            sb.Append("{\"id\": 30001, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 2, 2], \"area\": -4, \"iscrowd\": 0}\n]}");
            Assert.True(sb.Length > 2 << 20);
            var f = ValidateText(dir, sb.ToString()).Single();

            Assert.Equal(("COCO1501", "/annotations/30000/area"), (f.RuleId, f.Pointer));
            Assert.Equal((30002, 78), (f.Line!.Value, f.Column!.Value));
        }

        [Theory]
        [InlineData("{\"images\": [}", "COCO1001", "invalid JSON")]
        [InlineData("{\"images\": [{\"id\": 1, \"width\": 4", "COCO1001", "truncated")]
        [InlineData("{\"images\": [], \"annotations\": [{\"area\": NaN}]}", "COCO1103", "NaN")]
        [InlineData("{\"images\": [], \"annotations\": [{\"area\": -Infinity}]}", "COCO1103", "NaN")]
        [InlineData("", "COCO1002", "empty")]
        public void Broken_json_is_one_located_finding(string json, string rule, string message)
        {
            using var dir = new TempDir();
            var f = ValidateText(dir, json).Single();
            Assert.Equal(rule, f.RuleId);
            Assert.Contains(message, f.Message);
            if (json.Length > 0)
            {
                Assert.Equal(1, f.Line);
            }
        }

        [Fact]
        public void Utf16_is_a_finding_not_a_crash()
        {
            using var dir = new TempDir();
            string path = dir.File("utf16.json");
            File.WriteAllText(path, "{\"images\": []}", Encoding.Unicode);
            var f = CocoValidator.ValidateFile(path, new CocoValidationOptions()).Single();
            Assert.Equal("COCO1001", f.RuleId);
            Assert.Contains("UTF-16", f.Message);
        }

        [Fact]
        public void Findings_of_one_rule_are_capped_with_a_count()
        {
            using var dir = new TempDir();
            var images = string.Join(", ", Enumerable.Range(0, 26).Select(i => $"{{\"id\": 1, \"width\": 4, \"height\": 4, \"file_name\": \"{i}.png\"}}"));
            var findings = ValidateText(dir, $"{{\"images\": [{images}], \"annotations\": [], \"categories\": []}}", new CocoValidationOptions { MaxFindingsPerRule = 20 });

            Assert.Equal(20, findings.Count(f => f.RuleId == "COCO1201"));
            var summary = findings.Single(f => f.RuleId == "COCO9001");
            Assert.Equal(5, summary.Omitted);
            Assert.Contains("25 in all", summary.Message);
        }

        [Fact]
        public void Rule_selection_and_minimum_severity_filter_findings()
        {
            using var dir = new TempDir();
            string json = "{\"images\": [{\"id\": 1, \"width\": 4, \"height\": 4, \"file_name\": \"a.png\"}], \"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 0, \"bbox\": [1, 1, 9, 2], \"iscrowd\": 0}], \"categories\": [{\"id\": 0, \"name\": \"a\"}]}";

            Assert.Equal(new[] { "COCO1402", "COCO1501", "COCO1901" }, ValidateText(dir, json).Select(f => f.RuleId).OrderBy(r => r));
            Assert.Equal(new[] { "COCO1501" }, ValidateText(dir, json, new CocoValidationOptions { MinimumSeverity = FindingSeverity.Error }).Select(f => f.RuleId));
            Assert.Equal(new[] { "COCO1901" }, ValidateText(dir, json, new CocoValidationOptions { Rules = new[] { "CategoryIdZero" } }).Select(f => f.RuleId));
            Assert.Equal(new[] { "COCO1402", "COCO1901" }, ValidateText(dir, json, new CocoValidationOptions { ExcludeRules = new[] { "coco1501" } }).Select(f => f.RuleId).OrderBy(r => r));
        }

        [Fact]
        public void Image_root_checks_that_files_exist_and_have_their_size()
        {
            using var dir = new TempDir();
            Directory.CreateDirectory(dir.File("img"));
            using (var png = new Image<L8>(40, 30))
            {
                png.SaveAsPng(dir.File("img/right.png"));
                png.SaveAsPng(dir.File("img/wrong.png"));
            }

            File.Copy(DicomSamples.PathOf("pydicom_CT_small.dcm"), dir.File("img/ct.dcm"));
            string json = "{\"images\": [" +
                "{\"id\": 1, \"width\": 40, \"height\": 30, \"file_name\": \"right.png\"}," +
                "{\"id\": 2, \"width\": 30, \"height\": 40, \"file_name\": \"wrong.png\"}," +
                "{\"id\": 3, \"width\": 128, \"height\": 128, \"file_name\": \"ct.dcm\"}," +
                "{\"id\": 4, \"width\": 5, \"height\": 5, \"file_name\": \"gone.png\"}], \"annotations\": [], \"categories\": []}";
            var findings = ValidateText(dir, json, new CocoValidationOptions { ImageRoot = dir.File("img"), ExcludeRules = new[] { "COCO1905" } });

            Assert.Equal(new[] { "COCO2302 /images/1", "COCO2301 /images/3/file_name" }, findings.Select(f => $"{f.RuleId} {f.Pointer}"));
            Assert.Contains("wrong.png is 40 x 30, not 30 x 40", findings[0].Message);
        }

        [Fact]
        public void Panoptic_root_checks_pngs_against_segments_info()
        {
            using var dir = new TempDir();
            Directory.CreateDirectory(dir.File("pan"));
            using (var png = new Image<Rgb24>(4, 4))
            {
                png[0, 0] = new Rgb24(5, 0, 0);
                png[1, 1] = new Rgb24(0, 1, 0);
                png.SaveAsPng(dir.File("pan/a.png"));
                png.SaveAsPng(dir.File("pan/b.png"));
            }

            string json = "{\"images\": [{\"id\": 1, \"width\": 4, \"height\": 4, \"file_name\": \"a.jpg\"}, {\"id\": 2, \"width\": 4, \"height\": 4, \"file_name\": \"b.jpg\"}, {\"id\": 3, \"width\": 4, \"height\": 4, \"file_name\": \"c.jpg\"}], \"annotations\": [" +
                "{\"image_id\": 1, \"file_name\": \"a.png\", \"segments_info\": [{\"id\": 5, \"category_id\": 1}, {\"id\": 256, \"category_id\": 1}]}," +
                "{\"image_id\": 2, \"file_name\": \"b.png\", \"segments_info\": [{\"id\": 5, \"category_id\": 1}, {\"id\": 7, \"category_id\": 1}]}," +
                "{\"image_id\": 3, \"file_name\": \"c.png\", \"segments_info\": []}], \"categories\": [{\"id\": 1, \"name\": \"a\", \"isthing\": 1}]}";
            var findings = ValidateText(dir, json, new CocoValidationOptions { PanopticRoot = dir.File("pan") });

            Assert.Equal(new[] { "/annotations/1/file_name", "/annotations/2/file_name" }, findings.Where(f => f.RuleId == "COCO2002").Select(f => f.Pointer));
            Assert.Contains("segments 7 are not in the PNG; the PNG has segment ids 256 that segments_info does not list", findings.First(f => f.RuleId == "COCO2002").Message);
            Assert.Contains("c.png does not exist", findings.Last(f => f.RuleId == "COCO2002").Message);
        }

        [Fact]
        public void A_panoptic_png_bomb_is_a_finding_from_its_header_not_a_decode()
        {
            using var dir = new TempDir();
            Directory.CreateDirectory(dir.File("pan"));
            File.Copy(Path.Combine(TestPaths.Fixtures, "fuzz-crashes", "raster", "png-bomb-100000x100000.png"), dir.File("pan/a.png"));
            string json = "{\"images\": [{\"id\": 1, \"width\": 4, \"height\": 4, \"file_name\": \"a.jpg\"}], \"annotations\": [" +
                "{\"image_id\": 1, \"file_name\": \"a.png\", \"segments_info\": []}], \"categories\": [{\"id\": 1, \"name\": \"a\", \"isthing\": 1}]}";
            long before = GC.GetAllocatedBytesForCurrentThread();

            var findings = ValidateText(dir, json, new CocoValidationOptions { PanopticRoot = dir.File("pan") });

            Assert.Contains("100000x100000", Assert.Single(findings, f => f.RuleId == "COCO2002").Message);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
        }

        [Fact]
        public void Results_files_are_checked_against_the_ground_truth()
        {
            using var dir = new TempDir();
            string truth = dir.Write("gt.json", "{\"images\": [{\"id\": 1, \"width\": 4, \"height\": 4, \"file_name\": \"a.png\"}], \"annotations\": [], \"categories\": [{\"id\": 3, \"name\": \"a\"}]}");
            string results = "[{\"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 1, 2, 2], \"score\": 0.5}, {\"image_id\": 2, \"category_id\": 4, \"bbox\": [1, 1, 2, 2], \"score\": \"high\"}]";
            var findings = ValidateText(dir, results, new CocoValidationOptions { GroundTruth = truth, Kind = CocoFileKind.Results }, "results.json");

            Assert.Equal(new[] { "COCO2201 /1/image_id", "COCO2201 /1/category_id", "COCO2202 /1/score" }, findings.Select(f => $"{f.RuleId} {f.Pointer}"));
            Assert.Empty(ValidateText(dir, results.Replace("\"high\"", "0.25").Replace("\"image_id\": 2, \"category_id\": 4", "\"image_id\": 1, \"category_id\": 3"), new CocoValidationOptions { GroundTruth = truth }, "results.json"));
        }

        [Fact]
        public void A_dataset_in_memory_is_checked_with_the_same_rules()
        {
            var dataset = new CocoDataset();
            dataset.Images.AddNew(new CocoImage { FileName = "a.png", Width = 10, Height = 10 });
            dataset.Categories.Add(new CocoCategory { Id = 0, Name = "background?" });
            dataset.Annotations.AddNew(new CocoAnnotation { ImageId = 1, CategoryId = 0, Bbox = new CocoBox(8, 8, 5, 5), IsCrowd = 0 });

            var findings = CocoValidator.ValidateDataset(dataset, new CocoValidationOptions());
            Assert.Equal(new[] { "COCO1402 /annotations/0/bbox", "COCO1901 /categories/0/id" }, findings.Select(f => $"{f.RuleId} {f.Pointer}").OrderBy(s => s));
            Assert.All(findings, f => Assert.Null(f.File));
        }

        [Fact]
        public void The_viewer_export_gets_one_finding_per_defect_and_its_repair_passes()
        {
            var findings = CocoValidator.ValidateFile(TestPaths.SeedSample, new CocoValidationOptions { MaxFindingsPerRule = 1000 });
            Assert.Equal(23, findings.Count(f => f.RuleId == "COCO1204"));
            Assert.Equal(6, findings.Count(f => f.RuleId == "COCO1301"));
            Assert.All(findings.Where(f => f.RuleId == "COCO1204" || f.RuleId == "COCO1301"), f => Assert.Contains("Import-CocoJson repairs this", f.Hint));

            var repaired = CocoValidator.ValidateDataset(CocoJsonReader.ReadFile(TestPaths.SeedSample), new CocoValidationOptions());
            Assert.DoesNotContain(repaired, f => f.Severity == FindingSeverity.Error);
        }

        /// <summary>
        /// Honesty both ways over the 200 mask cases: the polygons CocoTools accepts (Add-CocoAnnotation refuses
        /// fewer than 6 numbers or an odd count) export, as polygons and as RLE, with no Error finding; the ones it
        /// refuses are exactly the ones the validator flags.
        /// </summary>
        [Fact]
        public void Mask_cases_export_without_errors_and_refused_polygons_are_flagged()
        {
            int exported = 0, flagged = 0;
            foreach (var id in MaskCases.Ids().Select(x => (string)x[0]))
            {
                var c = MaskCases.Get(id);
                if (!c.TryGetProperty("polygons", out _))
                {
                    continue; // An RLE-only case: nothing to annotate with.
                }

                var polygons = MaskCases.Polygons(c);
                bool accepted = true;
                try
                {
                    CocoTools.Engine.Operations.AnnotationGeometry.ValidatePolygons(polygons, 1);
                }
                catch (CocoToolsException)
                {
                    accepted = false;
                }

                foreach (var format in new[] { CocoSegmentationFormat.Keep, CocoSegmentationFormat.Rle })
                {
                    var dataset = new CocoDataset();
                    dataset.Categories.AddNew(new CocoCategory { Name = "case" });
                    dataset.Images.AddNew(new CocoImage { FileName = id + ".png", Width = c.GetProperty("w").GetInt32(), Height = c.GetProperty("h").GetInt32() });
                    dataset.Annotations.AddNew(new CocoAnnotation { ImageId = 1, CategoryId = 1, Segmentation = new CocoPolygonSegmentation(polygons), IsCrowd = 0 });
                    using var stream = new MemoryStream();
                    CocoJsonWriter.Write(dataset, stream, new CocoWriteOptions { SegmentationFormat = format });
                    stream.Position = 0;
                    var errors = CocoValidator.Validate(stream, id, new CocoValidationOptions()).Where(f => f.Severity == FindingSeverity.Error).ToList();
                    if (accepted)
                    {
                        exported++;
                        Assert.True(errors.Count == 0, $"{id} ({format}): {string.Join("; ", errors)}");
                    }
                    else
                    {
                        flagged++;
                        Assert.True(errors.Any(e => e.RuleId == "COCO1302" || e.RuleId == "COCO1303"), $"{id} ({format}) has a refused polygon the validator missed");
                    }
                }
            }

            Assert.True(exported >= 300 && flagged > 0, $"{exported} exported, {flagged} flagged");
        }
    }
}
