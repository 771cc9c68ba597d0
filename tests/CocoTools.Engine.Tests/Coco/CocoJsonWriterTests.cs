using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Coco
{
    public class CocoJsonWriterTests
    {
        private static string AllKinds => Path.Combine(TestPaths.Fixtures, "coco", "all-kinds.json");

        private static byte[] Write(CocoDataset ds, CocoWriteOptions? options = null)
        {
            using var stream = new MemoryStream();
            CocoJsonWriter.Write(ds, stream, options);
            return stream.ToArray();
        }

        [Fact]
        public void A_standard_file_round_trips_value_for_value()
        {
            var ds = CocoJsonReader.ReadFile(AllKinds);

            var written = Encoding.UTF8.GetString(Write(ds));

            JsonAssert.Equivalent(File.ReadAllText(AllKinds), written);
        }

        [Fact]
        public void The_same_dataset_gives_the_same_bytes()
        {
            var first = Write(CocoJsonReader.ReadFile(AllKinds));
            var second = Write(CocoJsonReader.Read(new MemoryStream(first), null));

            Assert.Equal(first, second);
            Assert.Equal(first, Write(CocoJsonReader.ReadFile(AllKinds)));
        }

        [Fact]
        public void Doubles_are_written_shortest_round_trip_and_integers_as_integers()
        {
            var ds = new CocoDataset();
            ds.Images.Add(new CocoImage { Id = 1, Width = 3, Height = 4 });
            ds.Annotations.Add(new CocoAnnotation { Id = 1, ImageId = 1, Bbox = new CocoBox(0.1 + 0.2, 1e-7, 512, 175.16666666666669), Area = 2.0 });

            var text = Encoding.UTF8.GetString(Write(ds, new CocoWriteOptions { Indented = false }));

            Assert.Contains("\"bbox\":[0.30000000000000004,1E-07,512,175.16666666666669]", text);
            Assert.Contains("\"area\":2", text);
            Assert.Contains("\"width\":3", text);
        }

        [Fact]
        public void Numbers_do_not_follow_the_current_culture()
        {
            var previous = Thread.CurrentThread.CurrentCulture;
            try
            {
                Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
                var ds = CocoJsonReader.ReadFile(AllKinds);

                var text = Encoding.UTF8.GetString(Write(ds, new CocoWriteOptions { Indented = false }));

                Assert.Contains("[30.25,30.5,40.125,30,35,45]", text);
                Assert.Contains("\"score\":0.875", text);
                Assert.Equal(1.5, 1.5.ToString(CultureInfo.CurrentCulture) == "1,5" ? 1.5 : 0);
            }
            finally
            {
                Thread.CurrentThread.CurrentCulture = previous;
            }
        }

        [Fact]
        public void Indented_output_keeps_each_number_array_on_one_line_with_the_compact_bytes()
        {
            var ds = CocoJsonReader.ReadFile(AllKinds);

            var compact = Encoding.UTF8.GetString(Write(ds, new CocoWriteOptions { Indented = false }));
            var indented = Encoding.UTF8.GetString(Write(ds));

            // Every number array of the compact file appears, byte for byte, after its member name on one indented line.
            var arrays = System.Text.RegularExpressions.Regex.Matches(compact, "\"(bbox|segmentation|keypoints|size|counts|skeleton|color)\":(\\[[-0-9.,E\\[\\]]*\\])");
            Assert.True(arrays.Count >= 12, $"only {arrays.Count} arrays found");
            foreach (System.Text.RegularExpressions.Match m in arrays)
            {
                Assert.Contains($"\"{m.Groups[1].Value}\": {m.Groups[2].Value}", indented);
            }

            Assert.Contains("\n      \"segmentation\": [[10,10,20,10,20,20,10,20],[30.25,30.5,40.125,30,35,45]],\n", indented);
            Assert.Contains("\n        \"size\": [16,32],\n        \"counts\": [5,3,8,4,492]\n", indented);
            Assert.Contains("\n  \"images\": [\n    {\n      \"id\": 1,\n", indented);
            JsonAssert.Equivalent(compact, indented);
        }

        [Fact]
        public void A_number_refused_inside_an_array_does_not_leak_into_the_next_write()
        {
            var bad = CocoJsonReader.ReadFile(AllKinds);
            bad.Annotations.Find(10)!.Bbox = new CocoBox(1, 2, double.PositiveInfinity, 4);
            Assert.Throws<CocoToolsException>(() => Write(bad));

            var good = CocoJsonReader.ReadFile(AllKinds);
            var text = Encoding.UTF8.GetString(Write(good));

            Assert.Contains("\"bbox\": [10,10,30.125,35],", text);
            Assert.Equal(Write(CocoJsonReader.ReadFile(AllKinds)), Write(good));
        }

        [Fact]
        public void A_failure_mid_write_leaves_the_previous_file_intact_and_no_temporary_file()
        {
            using var dir = new TempDir();
            var target = dir.Write("out.json", "previous content");
            var ds = CocoJsonReader.ReadFile(AllKinds);
            // A NaN is only discovered when the writer reaches the last annotation, after most bytes are written.
            ds.Annotations.Find(15)!.Score = double.NaN;

            var e = Assert.Throws<CocoToolsException>(() => CocoJsonWriter.WriteFile(ds, target));

            Assert.Equal("NonFiniteNumber", e.ErrorId);
            Assert.Contains("annotation 15: score", e.Message);
            Assert.Equal("previous content", File.ReadAllText(target));
            Assert.Equal(new[] { target }, Directory.GetFiles(dir.Path));
        }

        [Fact]
        public void NoClobber_refuses_an_existing_file_before_writing()
        {
            using var dir = new TempDir();
            var target = dir.Write("out.json", "keep");

            var e = Assert.Throws<CocoToolsException>(() => CocoJsonWriter.WriteFile(new CocoDataset(), target, noClobber: true));

            Assert.Equal("FileExists", e.ErrorId);
            Assert.Equal("keep", File.ReadAllText(target));
        }

        [Fact]
        public void A_new_file_and_its_missing_folders_are_created()
        {
            using var dir = new TempDir();
            var target = Path.Combine(dir.Path, "a", "b", "out.json");

            CocoJsonWriter.WriteFile(CocoJsonReader.ReadFile(AllKinds), target);

            Assert.Equal(6, CocoJsonReader.ReadFile(target).Annotations.Count);
        }

        [Fact]
        public void Pycocotools_loads_what_we_write_and_indexes_every_record()
        {
            using var dir = new TempDir();
            var repaired = dir.File("seed.json");
            CocoJsonWriter.WriteFile(CocoJsonReader.ReadFile(TestPaths.SeedSample), repaired);
            var standard = dir.File("all.json");
            var ds = CocoJsonReader.ReadFile(AllKinds);
            // pycocotools indexes one kind per file: no panoptic entries (no id) and no captions (no category_id) beside detections.
            ds.PanopticAnnotations.Clear();
            ds.Annotations.Remove(ds.Annotations.Find(14)!);
            CocoJsonWriter.WriteFile(ds, standard, new CocoWriteOptions { Indented = false });

            var result = PythonOracle.RunPython(
                "import sys\nfrom pycocotools.coco import COCO\nfor p in sys.argv[1:]:\n    c = COCO(p)\n    print(len(c.imgs), len(c.anns), len(c.cats), sorted(c.getAnnIds(imgIds=[1])))",
                repaired,
                standard);

            Assert.True(result.ExitCode == 0, result.StdErr);
            var lines = result.StdOut.Trim().Split('\n').Where(l => !l.StartsWith("loading") && !l.StartsWith("Done") && !l.StartsWith("creating") && !l.StartsWith("index")).ToArray();
            Assert.Equal(new[] { "1 3 3 [1, 2, 3]", "3 5 3 [10, 13, 15]" }, lines);
        }
    }
}
