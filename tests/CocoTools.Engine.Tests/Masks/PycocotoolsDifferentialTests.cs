using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Masks
{
    /// <summary>
    /// Random inputs run through the live pycocotools oracle (built from ../shared/oracles) and through our engine:
    /// what the shared cases do not cover — intersections, IoU with and without crowd regions, box IoU,
    /// over-long compressed strings.
    /// </summary>
    public class PycocotoolsDifferentialTests
    {
        private const string Oracle = @"
import json, sys
import numpy as np
import pycocotools.mask as m
cases = json.load(open(sys.argv[1]))
out = []
for c in cases:
    h, w = c['h'], c['w']
    a = m.merge(m.frPyObjects(c['a'], h, w))
    b = m.merge(m.frPyObjects(c['b'], h, w))
    union = m.merge([a, b])
    inter = m.merge([a, b], intersect=1)
    iou = m.iou([a, b], [b, a], [0, 1]).tolist()
    biou = m.iou(c['boxes_dt'], c['boxes_gt'], c['crowd']).tolist()
    s = m.toBbox([{'size': [h, w], 'counts': c['string']}]).tolist()
    out.append({'a': a['counts'].decode(), 'b': b['counts'].decode(), 'union': union['counts'].decode(),
                'inter': inter['counts'].decode(), 'iou': iou, 'biou': biou, 'string_bbox': s[0],
                'string_area': int(m.area([{'size': [h, w], 'counts': c['string']}])[0])})
json.dump(out, open(sys.argv[2], 'w'))
";

        [Fact]
        public void Random_polygons_merges_ious_and_odd_strings_match_the_live_oracle()
        {
            var random = new Random(20261125);
            var cases = new List<Dictionary<string, object>>();
            for (int i = 0; i < 300; i++)
            {
                int h = random.Next(1, 120), w = random.Next(1, 120);
                double[][] Polys(int n) => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 2 * random.Next(3, 12)).Select(k => Math.Round((random.NextDouble() * 1.4 - 0.2) * (k % 2 == 0 ? w : h), random.Next(0, 4))).ToArray()).ToArray();
                double[] Box() => new[] { Math.Round(random.NextDouble() * w, 2), Math.Round(random.NextDouble() * h, 2), Math.Round(random.NextDouble() * w / 2, 2), Math.Round(random.NextDouble() * h / 2, 2) };
                // Random characters, long continuation chains (shift counts past 32) included, ending on a character
                // without the continuation bit: text that ends inside a number makes pycocotools read past the end.
                string oddString = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(48, 112)).Append((char)random.Next(48, 80)).ToArray());
                cases.Add(new Dictionary<string, object>
                {
                    ["h"] = h, ["w"] = w, ["a"] = Polys(random.Next(1, 3)), ["b"] = Polys(random.Next(1, 3)),
                    ["boxes_dt"] = new[] { Box(), Box(), Box() }, ["boxes_gt"] = new[] { Box(), Box() }, ["crowd"] = new[] { 0, 1 },
                    ["string"] = oddString,
                });
            }

            using var dir = new TempDir();
            var input = dir.File("cases.json");
            var output = dir.File("answers.json");
            File.WriteAllText(input, JsonSerializer.Serialize(cases));
            var run = PythonOracle.RunPython(Oracle, input, output);
            Assert.True(run.ExitCode == 0, run.StdErr);
            var answers = JsonDocument.Parse(File.ReadAllBytes(output)).RootElement.EnumerateArray().ToArray();

            for (int i = 0; i < cases.Count; i++)
            {
                var c = cases[i];
                var expected = answers[i];
                int h = (int)c["h"], w = (int)c["w"];
                var a = PycocotoolsSemantics.MergePolygons((double[][])c["a"], h, w);
                var b = PycocotoolsSemantics.MergePolygons((double[][])c["b"], h, w);
                string at = $"case {i} ({h}x{w})";
                Assert.True(expected.GetProperty("a").GetString() == a.ToCompressedString(), at + " polygon a");
                Assert.True(expected.GetProperty("b").GetString() == b.ToCompressedString(), at + " polygon b");
                Assert.True(expected.GetProperty("union").GetString() == RleSetOperations.Merge(new[] { a, b }).ToCompressedString(), at + " union");
                Assert.True(expected.GetProperty("inter").GetString() == RleSetOperations.Merge(new[] { a, b }, intersect: true).ToCompressedString(), at + " intersection");

                var iou = RleSetOperations.Iou(new[] { a, b }, new[] { b, a }, new[] { false, true });
                AssertMatrix(expected.GetProperty("iou"), iou, at + " iou");
                var boxIou = RleSetOperations.BoxIou((double[][])c["boxes_dt"], (double[][])c["boxes_gt"], new[] { false, true });
                AssertMatrix(expected.GetProperty("biou"), boxIou, at + " box iou");

                var odd = Rle.FromCompressedString((string)c["string"], h, w);
                Assert.True(expected.GetProperty("string_bbox").EnumerateArray().Select(v => v.GetDouble()).SequenceEqual(odd.ToBbox()), at + " string bbox " + c["string"]);
                Assert.True(expected.GetProperty("string_area").GetUInt32() == odd.Area, at + " string area " + c["string"]);
            }
        }

        private static void AssertMatrix(JsonElement expected, double[,] actual, string what)
        {
            // pycocotools returns [detections x ground truth]; our matrix is o[g, d] like its C core.
            var rows = expected.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
            for (int d = 0; d < rows.Length; d++)
            {
                for (int g = 0; g < rows[d].Length; g++)
                {
                    Assert.True(rows[d][g] == actual[g, d], $"{what} [{d},{g}]: expected {rows[d][g].ToString("R", CultureInfo.InvariantCulture)}, got {actual[g, d].ToString("R", CultureInfo.InvariantCulture)}");
                }
            }
        }
    }
}
