using System;
using System.IO;
using System.Linq;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Operations.AnnotationRows;
using CocoTools.Engine.Tabular;
using CocoTools.Engine.Tests.Support;
using CocoTools.Engine.Validation;
using Xunit;

namespace CocoTools.Engine.Tests.Masks
{
    /// <summary>
    /// One set of RLE rules (RleRules, RleReader) for the JSON reader, Test-CocoFile and Add-CocoAnnotation. They
    /// disagreed: the reader took size [0, 0] that the validator refused, and the binder decoded a malformed
    /// compressed string (as C would) that the validator refused. An RLE covers a COCO image, whose width and height
    /// are positive, so a size of 0 is refused everywhere; a malformed string is refused everywhere. The reader checks
    /// the shape only (size, runs) and leaves the sum of the runs to Test-CocoFile's RleCounts finding, so a file
    /// with that mistake stays readable and can be repaired.
    /// </summary>
    public class RleRulesTests
    {
        private static string Compressed16 => new Rle(4, 4, new uint[] { 16 }).ToCompressedString();

        public static TheoryData<string, RleProblem> Cases => new TheoryData<string, RleProblem>
        {
            { "{\"size\": [4, 4], \"counts\": [16]}", RleProblem.None },
            { "{\"size\": [4, 4], \"counts\": [3, 5, 8]}", RleProblem.None },
            { "{\"size\": [4, 4], \"counts\": \"" + Compressed16 + "\"}", RleProblem.None },
            { "{\"size\": [0, 0], \"counts\": []}", RleProblem.Size },
            { "{\"size\": [0, 4], \"counts\": [0]}", RleProblem.Size },
            { "{\"size\": [4, -4], \"counts\": [16]}", RleProblem.Size },
            { "{\"size\": [4, 4], \"counts\": [-1, 17]}", RleProblem.RunLength },
            { "{\"size\": [4, 4], \"counts\": \"~~\"}", RleProblem.CompressedString },
            { "{\"size\": [4, 4], \"counts\": [15]}", RleProblem.RunsTotal },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Reader_validator_and_binder_judge_an_rle_alike(string rle, RleProblem problem)
        {
            string json = "{\"images\": [{\"id\": 1, \"width\": 4, \"height\": 4, \"file_name\": \"a.png\"}], " +
                "\"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"iscrowd\": 1, \"segmentation\": " + rle + "}], " +
                "\"categories\": [{\"id\": 1, \"name\": \"c\"}]}";

            // The JSON reader: the shape (size and runs).
            bool shapeOk = problem == RleProblem.None || problem == RleProblem.RunsTotal || problem == RleProblem.CompressedString;
            var read = Record.Exception(() => CocoJsonReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), null));
            Assert.True(shapeOk == (read == null), $"reader: {read?.Message ?? "accepted"}");

            // Test-CocoFile: everything.
            using var dir = new TempDir();
            var findings = CocoValidator.ValidateFile(dir.Write("t.json", json), new CocoValidationOptions())
                .Where(f => f.Pointer.StartsWith("/annotations/0/segmentation", StringComparison.Ordinal) && f.Severity == FindingSeverity.Error)
                .ToList();
            Assert.True((problem == RleProblem.None) == (findings.Count == 0), "validator: " + string.Join("; ", findings.Select(f => f.Message)));

            // Add-CocoAnnotation: everything (a refused cell is an InvalidRle row error). The image has no size, so the
            // RLE's own size is all there is to check.
            var dataset = new CocoDataset();
            dataset.Images.AddNew(new CocoImage { FileName = "a.png" });
            var binder = new AnnotationRowBinder(dataset, new AnnotationImportOptions { DefaultCategory = "c" });
            var bound = Record.Exception(() => binder.Add(new[] { "image_id", "rle" }, new object?[] { "1", rle }, new RowLocation("m.csv", 1, 2)));
            if (problem == RleProblem.None)
            {
                Assert.Null(bound);
            }
            else
            {
                Assert.Equal("InvalidRle", Assert.IsType<CocoToolsException>(bound).ErrorId);
            }
        }
    }
}
