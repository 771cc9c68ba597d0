using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Operations;
using Xunit;

namespace CocoTools.Engine.Tests.Operations
{
    public class ShardTests
    {
        private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
            name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

        [Theory]
        [InlineData("", 0xcbf29ce484222325UL)]
        [InlineData("a", 0xaf63dc4c8601ec8cUL)]
        [InlineData("foobar", 0x85944171f73967e8UL)]
        public void Fnv1a64_matches_the_published_test_vectors(string text, ulong expected) =>
            Assert.Equal(expected, ShardSpec.Fnv1a64(text));

        [Fact]
        public void Fnv1a64_hashes_the_utf8_bytes()
        {
            // "é" is C3 A9 in UTF-8: the hash of the two bytes, not of the UTF-16 unit 00E9.
            ulong expected = 14695981039346656037UL;
            foreach (byte b in new byte[] { 0xC3, 0xA9 })
            {
                expected = (expected ^ b) * 1099511628211UL;
            }

            Assert.Equal(expected, ShardSpec.Fnv1a64("\u00e9"));
        }

        [Theory]
        [InlineData("0/1", 0, 1)]
        [InlineData("3/50", 3, 50)]
        [InlineData("49/50", 49, 50)]
        public void Parses_i_of_n(string text, int index, int count)
        {
            Assert.True(ShardSpec.TryParse(text, out var shard));
            Assert.Equal((index, count, ShardSource.Parameter), (shard!.Index, shard.Count, shard.Source));
            Assert.Equal(text, shard.ToString());
        }

        [Theory]
        [InlineData("")]
        [InlineData("1/1")]
        [InlineData("50/50")]
        [InlineData("-1/2")]
        [InlineData("1/0")]
        [InlineData("0/0")]
        [InlineData(" 1/2")]
        [InlineData("1/2/3")]
        [InlineData("1")]
        [InlineData("a/b")]
        [InlineData("+1/2")]
        [InlineData("0/99999999999")]
        public void Refuses_what_is_not_a_shard(string text)
        {
            Assert.False(ShardSpec.TryParse(text, out _));
            var (shard, error, message) = ShardSpec.Resolve(text, Environment());
            Assert.Null(shard);
            Assert.Equal(ShardError.InvalidShard, error);
            Assert.Contains("i/n", message);
        }

        [Fact]
        public void The_parameter_wins_over_the_environment()
        {
            var (shard, error, _) = ShardSpec.Resolve("1/4", Environment(("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "2"), ("JOB_COMPLETION_INDEX", "0")));
            Assert.Equal(ShardError.None, error);
            Assert.Equal((1, 4, ShardSource.Parameter), (shard!.Index, shard.Count, shard.Source));
        }

        [Fact]
        public void No_parameter_and_no_engine_means_no_shard() =>
            Assert.Equal((null, ShardError.None, null), ShardSpec.Resolve(null, Environment(("COCOTOOLS_SHARD_COUNT", "5"))));

        [Theory]
        [InlineData("0", "0", "49", "1", "50", 0, 50)] // --array=0-49
        [InlineData("7", "0", "49", "1", "50", 7, 50)]
        [InlineData("1", "1", "100", "1", "100", 0, 100)] // --array=1-100: task 1 is shard 0
        [InlineData("100", "1", "100", "1", "100", 99, 100)]
        [InlineData("6", "0", "98", "2", "50", 3, 50)] // --array=0-98:2
        [InlineData("3", "3", "3", null, "1", 0, 1)] // --array=3
        [InlineData("4", "0", "9", null, null, 4, 10)] // no COUNT: from MIN and MAX
        public void Takes_the_shard_of_a_Slurm_array_task(string id, string min, string max, string? step, string? count, int index, int shards)
        {
            var variables = new List<(string, string)> { ("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_MIN", min), ("SLURM_ARRAY_TASK_MAX", max) };
            if (step != null)
            {
                variables.Add(("SLURM_ARRAY_TASK_STEP", step));
            }

            if (count != null)
            {
                variables.Add(("SLURM_ARRAY_TASK_COUNT", count));
            }

            var (shard, error, _) = ShardSpec.Resolve(null, Environment(variables.ToArray()));
            Assert.Equal(ShardError.None, error);
            Assert.Equal((index, shards, ShardSource.Slurm), (shard!.Index, shard.Count, shard.Source));
            Assert.Contains("SLURM_ARRAY_TASK_ID=" + id, shard.Origin);
        }

        [Theory]
        [InlineData("5", "1", "9", "1", "3")] // --array=1,5,9: a list, not a range
        [InlineData("2", "0", "9", "3", "4")] // 0-9:3 has tasks 0,3,6,9; 2 is not one of them
        [InlineData("x", "0", "9", "1", "10")]
        [InlineData("0", "1", "9", "1", "9")] // below MIN
        public void Refuses_a_Slurm_array_that_is_not_a_range(string id, string min, string max, string step, string count)
        {
            var (shard, error, message) = ShardSpec.Resolve(null, Environment(("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_MIN", min), ("SLURM_ARRAY_TASK_MAX", max), ("SLURM_ARRAY_TASK_STEP", step), ("SLURM_ARRAY_TASK_COUNT", count)));
            Assert.Null(shard);
            Assert.Equal(ShardError.InvalidSlurmArray, error);
            Assert.Contains("-Shard", message);
        }

        [Fact]
        public void Takes_the_shard_of_a_Kubernetes_indexed_job_with_its_count()
        {
            var (shard, error, _) = ShardSpec.Resolve(null, Environment(("JOB_COMPLETION_INDEX", "12"), (ShardSpec.CountVariable, "50")));
            Assert.Equal(ShardError.None, error);
            Assert.Equal((12, 50, ShardSource.Kubernetes), (shard!.Index, shard.Count, shard.Source));

            foreach (var count in new[] { null, "12", "0", "many" })
            {
                var variables = count == null ? new[] { ("JOB_COMPLETION_INDEX", "12") } : new[] { ("JOB_COMPLETION_INDEX", "12"), (ShardSpec.CountVariable, count) };
                var (none, refused, message) = ShardSpec.Resolve(null, Environment(variables));
                Assert.Null(none);
                Assert.Equal(ShardError.InvalidKubernetesShard, refused);
                Assert.Contains(ShardSpec.CountVariable, message);
            }
        }

        [Fact]
        public void A_study_is_its_UID_else_the_folder_relative_to_the_base()
        {
            string root = Path.Combine(Path.GetTempPath(), "archive");
            Assert.Equal("1.2.3", ShardSpec.GroupKey(Path.Combine(root, "a", "x.dcm"), " 1.2.3 ", root));
            Assert.Equal("a/b", ShardSpec.GroupKey(Path.Combine(root, "a", "b", "x.dcm"), null, root));
            Assert.Equal("a/b", ShardSpec.GroupKey(Path.Combine(root, "a", "b", "y.png"), "  ", root));
            Assert.Equal(string.Empty, ShardSpec.GroupKey(Path.Combine(root, "z.dcm"), null, root));

            // The same archive mounted elsewhere on another machine falls into the same shards.
            string other = Path.Combine(Path.GetTempPath(), "mnt", "share");
            for (int n = 2; n < 20; n++)
            {
                var here = ShardOfEveryShard(Path.Combine(root, "a", "b", "x.dcm"), root, n);
                var there = ShardOfEveryShard(Path.Combine(other, "a", "b", "x.dcm"), other, n);
                Assert.Equal(here, there);
            }
        }

        [Fact]
        public void Every_file_is_kept_by_exactly_one_shard_and_a_study_never_spans_two()
        {
            string root = Path.GetTempPath();
            var files = Enumerable.Range(0, 2000).Select(i => (Path: Path.Combine(root, $"f{i % 37}", $"{i}.dcm"), Study: i % 3 == 0 ? null : $"1.2.840.{i % 211}")).ToList();
            foreach (int n in new[] { 1, 2, 3, 7, 50 })
            {
                var shardOfStudy = new Dictionary<string, int>();
                foreach (var (path, study) in files)
                {
                    var keeping = Enumerable.Range(0, n).Where(i => Shard(i, n).Keeps(path, study, root)).ToList();
                    Assert.Single(keeping);
                    string key = ShardSpec.GroupKey(path, study, root);
                    Assert.Equal(keeping[0], shardOfStudy.TryGetValue(key, out int seen) ? seen : shardOfStudy[key] = keeping[0]);
                }

                // The 248 groups spread evenly enough: with a few shards, each holds within 40% of its share of groups.
                if (n <= 7)
                {
                    var groups = shardOfStudy.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
                    Assert.All(Enumerable.Range(0, n), i => Assert.InRange(groups.TryGetValue(i, out int c) ? c : 0, 0.6 * 248 / n, 1.4 * 248 / n));
                }
            }
        }

        [Fact]
        public void Merging_shards_in_file_name_order_gives_the_unsharded_dataset_byte_for_byte()
        {
            var whole = new CocoDataset();
            whole.Categories.AddNew(new CocoCategory { Name = "nodule" });
            whole.Categories.AddNew(new CocoCategory { Name = "mass", Supercategory = "lesion" });
            var random = new Random(7);
            var names = Enumerable.Range(0, 300).Select(i => $"p{random.Next(40)}/s{random.Next(3)}/{i}.dcm").ToList();
            foreach (var name in names.OrderBy(n => n, StringComparer.Ordinal))
            {
                string study = name.Substring(0, name.LastIndexOf('/'));
                int frames = random.Next(4) == 0 ? 3 : 1;
                for (int f = 1; f <= frames; f++)
                {
                    var image = new CocoImage { FileName = name, Width = 64, Height = 64 };
                    image.Extra.SetRawJson("dicom", $"{{\"StudyInstanceUID\": \"1.2.{study.Replace('/', '.').Replace("p", string.Empty).Replace("s", string.Empty)}\", \"SOPInstanceUID\": \"1.3.{names.IndexOf(name)}\"{(frames > 1 ? $", \"frame\": {f}" : string.Empty)}}}");
                    whole.Images.AddNew(image);
                    for (int a = random.Next(3); a > 0; a--)
                    {
                        whole.Annotations.AddNew(new CocoAnnotation { ImageId = image.Id, CategoryId = random.Next(1, 3), Bbox = new CocoBox(a, 2, 3, 4), Area = 12, IsCrowd = 0 });
                    }
                }
            }

            byte[] expected = Json(whole);
            foreach (int n in new[] { 1, 2, 5 })
            {
                // Each shard as Add-CocoImage writes it: its images in input order, ids from 1; then written and read back.
                var partials = Enumerable.Range(0, n).Select(i => Read(Json(Subset(whole, image => ShardSpec.ShardOf(CocoImageDicom.Of(image)!.StudyInstanceUid!, n) == i)))).ToList();
                Assert.Equal(whole.Images.Count, partials.Sum(p => p.Images.Count));
                var (merged, report) = DatasetMerger.Merge(partials.AsEnumerable().Reverse(), order: MergeOrder.FileName);
                Assert.Empty(report.Conflicts);
                Assert.Equal(expected, Json(merged));
            }

            // Input order (the default) is the order of the inputs, so reversed shards differ: the order is what makes them equal.
            var two = Enumerable.Range(0, 2).Select(i => Subset(whole, image => ShardSpec.ShardOf(CocoImageDicom.Of(image)!.StudyInstanceUid!, 2) == i)).Reverse();
            Assert.NotEqual(expected, Json(DatasetMerger.Merge(two).Merged));
        }

        [Fact]
        public void File_name_order_sorts_images_ordinally_then_by_frame_and_annotations_by_their_image()
        {
            var input = new CocoDataset();
            foreach (var (name, frame) in new[] { ("b.dcm", 2), ("a10.dcm", 0), ("B.dcm", 0), ("b.dcm", 1), ("a2.dcm", 0) })
            {
                var image = new CocoImage { FileName = name, Width = 8, Height = 8 };
                if (frame > 0)
                {
                    image.Extra.SetRawJson("dicom", $"{{\"SOPInstanceUID\": \"1.2\", \"frame\": {frame}}}");
                }

                input.Images.AddNew(image);
            }

            // Annotations on images 1 (b.dcm #2), 5 (a2.dcm), 1 again and 3 (B.dcm), and one naming no image.
            foreach (long imageId in new long[] { 1, 5, 1, 3, 99 })
            {
                input.Annotations.AddNew(new CocoAnnotation { ImageId = imageId, Bbox = new CocoBox(imageId, 0, 1, 1) });
            }

            var (merged, _) = DatasetMerger.Merge(new[] { input }, order: MergeOrder.FileName);
            Assert.Equal(new[] { "B.dcm", "a10.dcm", "a2.dcm", "b.dcm", "b.dcm" }, merged.Images.Select(i => i.FileName));
            Assert.Equal(new int?[] { null, null, null, 1, 2 }, merged.Images.Select(i => i.Frame));
            Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, merged.Images.Select(i => i.Id));
            Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, merged.Annotations.Select(a => a.Id));
            Assert.Equal(new long[] { 1, 3, 5, 5, 99 }, merged.Annotations.Select(a => a.ImageId));
            Assert.Equal(new double[] { 3, 5, 1, 1, 99 }, merged.Annotations.Select(a => a.Bbox!.Value.X));
        }

        private static ShardSpec Shard(int index, int count)
        {
            Assert.True(ShardSpec.TryParse($"{index}/{count}", out var shard));
            return shard!;
        }

        private static int ShardOfEveryShard(string path, string root, int n) => Enumerable.Range(0, n).Single(i => Shard(i, n).Keeps(path, null, root));

        private static CocoDataset Subset(CocoDataset whole, Func<CocoImage, bool> keep)
        {
            var part = new CocoDataset();
            foreach (var category in whole.Categories)
            {
                part.Categories.Add(category.Clone());
            }

            var ids = new Dictionary<long, long>();
            foreach (var image in whole.Images.Where(keep))
            {
                var copy = image.Clone();
                copy.Id = 0;
                ids[image.Id] = part.Images.AddNew(copy).Id;
            }

            foreach (var annotation in whole.Annotations.Where(a => ids.ContainsKey(a.ImageId)))
            {
                var copy = annotation.Clone();
                copy.Id = 0;
                copy.ImageId = ids[annotation.ImageId];
                part.Annotations.AddNew(copy);
            }

            return part;
        }

        private static byte[] Json(CocoDataset dataset)
        {
            using var stream = new MemoryStream();
            CocoJsonWriter.Write(dataset, stream);
            return stream.ToArray();
        }

        [Fact]
        public void A_search_result_is_kept_by_the_shard_that_keeps_the_files_of_its_study()
        {
            for (int n = 0; n < 200; n++)
            {
                string study = "1.2.826.0.1.3680043.8.498." + n;
                for (int count = 1; count <= 7; count++)
                {
                    var kept = Enumerable.Range(0, count).Where(i => { ShardSpec.TryParse($"{i}/{count}", out var s); return s!.KeepsStudy(" " + study); }).ToList();
                    Assert.Single(kept);
                    ShardSpec.TryParse($"{kept[0]}/{count}", out var shard);
                    Assert.True(shard!.Keeps("/data/x/file.dcm", study, "/data"));
                }
            }
        }

        private static CocoDataset Read(byte[] json) => CocoJsonReader.Read(new MemoryStream(json), null);
    }
}
