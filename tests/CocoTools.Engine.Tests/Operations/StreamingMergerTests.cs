using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Operations;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Operations
{
    public class StreamingMergerTests
    {
        /// <summary>
        /// Shards of one run as Add-CocoImage writes them: images in file_name order (frames of one file in a row, and
        /// two files of one name in different shards), annotations grouped by image, categories and licenses numbered
        /// differently per shard, some annotations without area or bbox.
        /// </summary>
        private static List<CocoDataset> Shards(int count, int images, int seed = 7)
        {
            var random = new Random(seed);
            var shards = Enumerable.Range(0, count).Select(_ => new CocoDataset()).ToList();
            string[] names = { "nodule", "mass", "effusion" };
            for (int s = 0; s < count; s++)
            {
                shards[s].Info.Members.Set("description", "shard run");
                shards[s].Licenses.Add(new CocoLicense { Id = 3 + s, Name = "CC-BY " + (s % 2), Url = "https://example.org/" + (s % 2) });
                foreach (var name in s % 2 == 0 ? names : names.Reverse())
                {
                    shards[s].Categories.AddNew(new CocoCategory { Name = name, Supercategory = "finding" });
                }
            }

            var files = Enumerable.Range(0, images).Select(i => $"study{random.Next(0, images / 3)}/img{random.Next(0, 1000):D4}.dcm").OrderBy(f => f, StringComparer.Ordinal).ToList();
            for (int i = 0; i < files.Count; i++)
            {
                var shard = shards[random.Next(count)];
                int frames = random.Next(0, 6) == 0 ? 3 : 1;
                for (int f = 1; f <= frames; f++)
                {
                    var image = new CocoImage { FileName = files[i], Width = 64 + (i % 5), Height = 64 };
                    string frame = frames > 1 ? $", \"frame\": {f}" : string.Empty;
                    image.Extra.SetRawJson("dicom", $"{{\"SOPInstanceUID\": \"1.2.{i}\"{frame}}}");
                    image.License = shard.Licenses.First().Id;
                    shard.Images.AddNew(image);
                    for (int a = random.Next(0, 4); a > 0; a--)
                    {
                        double x = random.Next(0, 40), y = random.Next(0, 40);
                        var annotation = new CocoAnnotation
                        {
                            ImageId = image.Id,
                            CategoryId = shard.Categories.ElementAt(random.Next(0, 3)).Id,
                            Segmentation = new CocoPolygonSegmentation(new List<double[]> { new[] { x, y, x + 9.5, y, x + 9.5, y + 7.25, x, y + 7.25 } }),
                            IsCrowd = 0,
                        };
                        if (random.Next(0, 3) > 0)
                        {
                            annotation.Area = 68.875;
                            annotation.Bbox = new CocoBox(x, y, 9.5, 7.25);
                        }

                        shard.Annotations.AddNew(annotation);
                    }
                }
            }

            return shards;
        }

        private static List<string> WriteAll(TempDir dir, IEnumerable<CocoDataset> shards)
        {
            var paths = new List<string>();
            foreach (var shard in shards)
            {
                var path = dir.File($"part-{paths.Count}.json");
                CocoJsonWriter.WriteFile(shard, path);
                paths.Add(path);
            }

            return paths;
        }

        /// <summary>Today's Merge-CocoDataset -Path ... -OrderBy FileName | Export-CocoJson.</summary>
        private static byte[] InMemory(IEnumerable<string> paths, CocoWriteOptions options)
        {
            var (merged, _) = DatasetMerger.Merge(paths.Select(p => CocoJsonReader.ReadFile(p)), order: MergeOrder.FileName);
            using var stream = new MemoryStream();
            CocoJsonWriter.Write(merged, stream, options);
            return stream.ToArray();
        }

        /// <summary>Merges partials that cannot stream: the merge says which and why, and writes the in-memory merge's bytes.</summary>
        private static FileMergeResult MergeInMemory(TempDir dir, IEnumerable<CocoDataset> shards, string reason)
        {
            var paths = WriteAll(dir, shards);
            string output = dir.File("merged.json");

            var result = StreamingMerger.MergeFiles(paths, output);

            Assert.False(result.Streamed);
            Assert.Contains(reason, result.InMemoryReason);
            Assert.Equal(InMemory(paths, new CocoWriteOptions()), File.ReadAllBytes(output));
            return result;
        }

        [Theory]
        [InlineData(1, true)]
        [InlineData(2, false)]
        [InlineData(3, true)]
        [InlineData(5, false)]
        public void Streams_shards_to_the_bytes_of_the_in_memory_merge(int count, bool indented)
        {
            using var dir = new TempDir();
            var paths = WriteAll(dir, Shards(count, 300));
            var options = new CocoWriteOptions { Indented = indented };
            string output = dir.File("merged.json");

            var result = StreamingMerger.MergeFiles(paths.AsEnumerable().Reverse().ToList(), output, options: options);

            Assert.True(result.Streamed, result.InMemoryReason);
            Assert.Equal(InMemory(paths.AsEnumerable().Reverse(), options), File.ReadAllBytes(output));
            Assert.True(result.Annotations > 300);
        }

        [Fact]
        public void Merges_images_found_in_two_partials_in_memory_with_the_same_result()
        {
            using var dir = new TempDir();
            var shards = Shards(3, 120);
            var twice = shards[0].Images.Last().Clone();
            twice.Id = 0;
            twice.License = shards[2].Licenses.First().Id;
            shards[2].Images.AddNew(twice);
            var reordered = shards[2].Images.OrderBy(i => i, Comparer<CocoImage>.Create(DatasetMerger.CompareCanonical)).ToList();
            shards[2].Images.Renumber(reordered);
            var result = MergeInMemory(dir, shards, "part-2.json");
            Assert.Equal(1, result.Report.DuplicateImages);
        }

        [Fact]
        public void Merges_a_partial_out_of_file_name_order_in_memory_with_the_same_result()
        {
            using var dir = new TempDir();
            var shards = Shards(2, 120);
            shards[1].Images.Renumber(shards[1].Images.Reverse().ToList());
            MergeInMemory(dir, shards, "part-1.json: its images are not in file_name order");
        }

        [Fact]
        public void Merges_a_partial_whose_annotations_are_not_grouped_by_image_in_memory_with_the_same_result()
        {
            using var dir = new TempDir();
            var shards = Shards(2, 120);
            var shuffled = shards[0].Annotations.OrderByDescending(a => a.ImageId).ToList();
            shards[0].Annotations.RemoveWhere(_ => true);
            foreach (var a in shuffled)
            {
                shards[0].Annotations.Add(a);
            }

            MergeInMemory(dir, shards, "part-0.json: its annotations are not grouped");
        }

        [Fact]
        public void A_broken_partial_is_named_and_no_output_is_left()
        {
            using var dir = new TempDir();
            var paths = WriteAll(dir, Shards(3, 60));
            var bytes = File.ReadAllBytes(paths[1]);
            File.WriteAllBytes(paths[1], bytes.Take(bytes.Length / 2).ToArray());
            string output = dir.File("merged.json");

            var e = Assert.Throws<CocoFormatException>(() => StreamingMerger.MergeFiles(paths, output));

            Assert.Equal("JsonTruncated", e.ErrorId);
            Assert.Contains("part-1.json", e.Message);
            Assert.Equal(paths.OrderBy(p => p), Directory.GetFiles(dir.Path).OrderBy(p => p));
        }

        [Fact]
        public void Holds_a_few_records_per_partial_however_many_there_are()
        {
            using var dir = new TempDir();
            var paths = WriteAll(dir, Shards(4, 6000));
            string output = dir.File("merged.json");

            var result = StreamingMerger.MergeFiles(paths, output);

            Assert.True(result.Streamed, result.InMemoryReason);
            int bound = paths.Count * (StreamingMerger.ReadAhead + 1);
            Assert.InRange(result.PeakRecordsHeld, 1, bound);
            Assert.True(result.Images + result.Annotations > 10 * bound, $"{result.Images + result.Annotations} records are too few to show the bound");
            Assert.Equal(InMemory(paths, new CocoWriteOptions()), File.ReadAllBytes(output));
        }
    }
}
