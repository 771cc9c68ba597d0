using System;
using System.Collections.Generic;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations;
using Xunit;

namespace CocoTools.Engine.Tests.Operations
{
    public class OperationsTests
    {
        /// <summary>An image as Add-CocoImage makes it: a dicom object with the UIDs and the patient hash.</summary>
        private static CocoImage DicomImage(string file, string patient, string study, string series, string sop, string modality = "CT", int? frame = null, int size = 512)
        {
            var image = new CocoImage { FileName = file, Width = size, Height = size };
            image.Extra.SetRawJson("dicom", $"{{\"StudyInstanceUID\": \"{study}\", \"SeriesInstanceUID\": \"{series}\", \"SOPInstanceUID\": \"{sop}\", \"Modality\": \"{modality}\", \"PatientHash\": \"{patient}\"{(frame is int f ? $", \"frame\": {f}" : string.Empty)}}}");
            return image;
        }

        /// <summary>Patients with studies with series with images, sizes drawn from a seeded generator, a few annotations each.</summary>
        private static CocoDataset Corpus(int seed, int patients)
        {
            var random = new Random(seed);
            var dataset = new CocoDataset();
            dataset.Categories.AddNew(new CocoCategory { Name = "nodule" });
            dataset.Categories.AddNew(new CocoCategory { Name = "mass" });
            dataset.Categories.AddNew(new CocoCategory { Name = "rare" });
            for (int p = 0; p < patients; p++)
            {
                for (int s = 0, studies = random.Next(1, 4); s < studies; s++)
                {
                    for (int r = 0, series = random.Next(1, 3); r < series; r++)
                    {
                        for (int i = 0, images = random.Next(1, 6); i < images; i++)
                        {
                            var image = dataset.Images.AddNew(DicomImage($"p{p}/s{s}/r{r}/{i}.dcm", $"hash{p}", $"1.2.{p}.{s}", $"1.2.{p}.{s}.{r}", $"1.2.{p}.{s}.{r}.{i}"));
                            for (int a = 0, count = random.Next(0, 3); a < count; a++)
                            {
                                long category = random.NextDouble() < 0.05 ? 3 : random.Next(1, 3);
                                dataset.Annotations.AddNew(new CocoAnnotation { ImageId = image.Id, CategoryId = category, Bbox = new CocoBox(1, 1, 10 * (a + 1), 10), Area = 100 * (a + 1), IsCrowd = 0 });
                            }
                        }
                    }
                }
            }

            return dataset;
        }

        [Theory]
        [InlineData(SplitGrouping.Patient)]
        [InlineData(SplitGrouping.Study)]
        [InlineData(SplitGrouping.Series)]
        [InlineData(SplitGrouping.Image)]
        public void No_group_leaks_and_ratios_hold_within_one_group(SplitGrouping grouping)
        {
            for (int seed = 0; seed < 25; seed++)
            {
                var dataset = Corpus(seed, 40);
                var options = new DatasetSplitOptions { Ratios = new[] { 0.7, 0.2, 0.1 }, GroupBy = grouping, Seed = seed };
                var splits = DatasetSplitter.Split(dataset, options);

                Assert.Equal(new[] { "train", "val", "test" }, splits.Select(s => s.Name));
                Assert.Equal(dataset.Images.Count, splits.Sum(s => s.Images.Count));
                Assert.Equal(dataset.Annotations.Count, splits.Sum(s => s.Annotations.Count));

                var groupOf = dataset.Images.ToDictionary(i => i.Id, i => DatasetSplitter.GroupKey(i, grouping));
                var splitOfGroup = new Dictionary<string, string>();
                foreach (var split in splits)
                {
                    foreach (var image in split.Images)
                    {
                        string group = groupOf[image.Id];
                        Assert.Equal(split.Name, splitOfGroup.TryGetValue(group, out var seen) ? seen : splitOfGroup[group] = split.Name!);
                    }

                    Assert.All(split.Annotations, a => Assert.NotNull(split.Images.Find(a.ImageId)));
                }

                int largest = groupOf.Values.GroupBy(g => g).Max(g => g.Count());
                for (int i = 0; i < splits.Count; i++)
                {
                    double target = options.Ratios[i] * dataset.Images.Count;
                    Assert.True(Math.Abs(splits[i].Images.Count - target) <= largest, $"seed {seed}, {grouping}: {splits[i].Name} has {splits[i].Images.Count} images for a share of {target:F1}, largest group {largest}");
                }
            }
        }

        [Fact]
        public void The_split_is_deterministic_and_the_seed_changes_it()
        {
            var dataset = Corpus(3, 60);
            string Signature(int seed) => string.Join("|", DatasetSplitter.Split(dataset, new DatasetSplitOptions { Seed = seed }).Select(s => string.Join(",", s.Images.Select(i => i.Id))));

            Assert.Equal(Signature(1), Signature(1));
            Assert.NotEqual(Signature(1), Signature(2));
        }

        [Fact]
        public void Stratify_spreads_a_rare_category_over_the_splits()
        {
            var dataset = Corpus(11, 200);
            var splits = DatasetSplitter.Split(dataset, new DatasetSplitOptions { Ratios = new[] { 0.5, 0.5 }, GroupBy = SplitGrouping.Image, Stratify = true, Seed = 5 });
            int ImagesWithRare(CocoDataset d) => d.Annotations.Where(a => a.CategoryId == 3).Select(a => a.ImageId).Distinct().Count();
            int total = ImagesWithRare(dataset);

            Assert.True(total >= 10);
            Assert.All(splits, s => Assert.InRange(ImagesWithRare(s), (total / 2) - 3, (total / 2) + 3));
        }

        [Fact]
        public void Images_without_the_grouping_key_fall_back_to_finer_groups()
        {
            var dataset = new CocoDataset();
            dataset.Images.AddNew(new CocoImage { FileName = "a.png", Width = 4, Height = 4 });
            dataset.Images.AddNew(DicomImage("b.dcm", "p", "1.1", "1.1.1", "1.1.1.1", frame: 1));
            dataset.Images.AddNew(DicomImage("b.dcm", "p", "1.1", "1.1.1", "1.1.1.1", frame: 2));

            Assert.Equal("file:a.png", DatasetSplitter.GroupKey(dataset.Images[0], SplitGrouping.Patient));
            Assert.Equal("sop:1.1.1.1", DatasetSplitter.GroupKey(dataset.Images[1], SplitGrouping.Image));
            Assert.Equal(DatasetSplitter.GroupKey(dataset.Images[1], SplitGrouping.Image), DatasetSplitter.GroupKey(dataset.Images[2], SplitGrouping.Image));
        }

        [Theory]
        [InlineData(new[] { 1.0 }, null, "InvalidRatio")]
        [InlineData(new[] { 0.5, -0.5 }, null, "InvalidRatio")]
        [InlineData(new[] { 0.5, 0.5 }, new[] { "a", "b", "c" }, "NameCountMismatch")]
        public void Bad_ratios_and_names_are_refused(double[] ratios, string[]? names, string errorId)
        {
            var e = Assert.Throws<CocoToolsException>(() => DatasetSplitter.Split(new CocoDataset(), new DatasetSplitOptions { Ratios = ratios, Names = names }));
            Assert.Equal(errorId, e.ErrorId);
        }

        [Fact]
        public void Merge_renumbers_unifies_categories_by_name_and_keeps_an_image_once()
        {
            var a = new CocoDataset { SourcePath = "a.json" };
            a.Categories.Add(new CocoCategory { Id = 5, Name = "nodule", Supercategory = "lesion" });
            a.Images.AddNew(DicomImage("x/1.dcm", "p", "1.1", "1.1.1", "1.1.1.1"));
            a.Images.AddNew(new CocoImage { FileName = "plain.png", Width = 10, Height = 10 });
            a.Annotations.AddNew(new CocoAnnotation { ImageId = 1, CategoryId = 5, Bbox = new CocoBox(1, 1, 2, 2), Area = 4 });

            var b = new CocoDataset { SourcePath = "b.json" };
            b.Categories.Add(new CocoCategory { Id = 1, Name = "Nodule", Supercategory = "finding" });
            b.Categories.Add(new CocoCategory { Id = 5, Name = "mass" });
            var same = DicomImage("y/renamed.dcm", "p", "1.1", "1.1.1", "1.1.1.1"); // the same SOP instance as a's image 1
            same.Id = 7;
            b.Images.Add(same);
            b.Images.Add(new CocoImage { Id = 8, FileName = "plain.png", Width = 12, Height = 10 }); // same file_name, other size
            b.Images.Add(new CocoImage { Id = 9, FileName = "other.png", Width = 10, Height = 10 });
            b.Annotations.AddNew(new CocoAnnotation { ImageId = 7, CategoryId = 1, Bbox = new CocoBox(2, 2, 2, 2), Area = 4 });
            b.Annotations.AddNew(new CocoAnnotation { ImageId = 9, CategoryId = 5, Bbox = new CocoBox(2, 2, 2, 2), Area = 4 });

            var (merged, report) = DatasetMerger.Merge(new[] { a, b }, new Dictionary<string, string> { ["Nodule"] = "nodule" });

            Assert.Equal(new[] { "5: nodule", "6: mass" }, merged.Categories.Select(c => c.ToString()));
            Assert.Equal(new long[] { 1, 2, 3 }, merged.Images.Select(i => i.Id));
            Assert.Equal(new[] { "x/1.dcm", "plain.png", "other.png" }, merged.Images.Select(i => i.FileName));
            Assert.Equal(new[] { (1L, 5L), (1L, 5L), (3L, 6L) }, merged.Annotations.Select(x => (x.ImageId, x.CategoryId!.Value)));
            Assert.Equal(new long[] { 1, 2, 3 }, merged.Annotations.Select(x => x.Id));
            Assert.Equal(2, report.DuplicateImages);
            Assert.Equal(1, report.UnifiedCategories);
            Assert.Equal(2, report.Conflicts.Count);
            Assert.Contains(report.Conflicts, c => c.StartsWith("b.json: category 'nodule' differs", StringComparison.Ordinal));
            Assert.Contains(report.Conflicts, c => c.Contains("12x10 instead of 10x10"));
            Assert.Equal(1, a.Annotations[0].ImageId); // the inputs are untouched
        }

        [Fact]
        public void Merge_warns_when_patients_were_hashed_with_different_secrets()
        {
            var a = new CocoDataset();
            a.UsePatientSalt("one");
            var b = new CocoDataset();
            b.UsePatientSalt("two");
            var c = new CocoDataset();
            c.UsePatientSalt("one");

            Assert.Single(DatasetMerger.Merge(new[] { a, b }).Report.Conflicts);
            Assert.Empty(DatasetMerger.Merge(new[] { a, c }).Report.Conflicts);
        }

        [Fact]
        public void Queries_filter_by_every_field()
        {
            var dataset = Corpus(1, 5);
            dataset.Images.AddNew(new CocoImage { FileName = "extra/plain.png", Width = 4, Height = 4 });
            dataset.Images[0].Extra.SetRawJson("dicom", "{\"Modality\": \"MR\", \"StudyInstanceUID\": \"9.9\"}");

            Assert.Equal(new long[] { 2, 3 }, DatasetQuery.Images(dataset, new ImageFilter { Id = new long[] { 3, 2, 999 } }).Select(i => i.Id));
            Assert.Equal(new[] { "extra/plain.png" }, DatasetQuery.Images(dataset, new ImageFilter { FileName = new[] { "EXTRA/*.png" } }).Select(i => i.FileName));
            Assert.Equal(new long[] { 1 }, DatasetQuery.Images(dataset, new ImageFilter { Modality = new[] { "mr" } }).Select(i => i.Id));
            Assert.Equal(new long[] { 1 }, DatasetQuery.Images(dataset, new ImageFilter { StudyInstanceUid = new[] { "9.9" } }).Select(i => i.Id));

            var annotated = dataset.Annotations.Select(a => a.ImageId).ToHashSet();
            Assert.Equal(dataset.Images.Where(i => annotated.Contains(i.Id)).Select(i => i.Id), DatasetQuery.Images(dataset, new ImageFilter { HasAnnotation = true }).Select(i => i.Id));
            Assert.Equal(dataset.Images.Where(i => !annotated.Contains(i.Id)).Select(i => i.Id), DatasetQuery.Images(dataset, new ImageFilter { HasAnnotation = false }).Select(i => i.Id));

            var withMass = dataset.Annotations.Where(a => a.CategoryId == 2).Select(a => a.ImageId).Distinct().OrderBy(i => i);
            Assert.Equal(withMass, DatasetQuery.Images(dataset, new ImageFilter { Category = new[] { "m*" } }).Select(i => i.Id));
            Assert.Equal(dataset.Annotations.Where(a => a.CategoryId == 2 && a.ImageId <= 5).Select(a => a.Id),
                DatasetQuery.Annotations(dataset, new AnnotationFilter { Category = new[] { "mass" }, ImageId = new long[] { 1, 2, 3, 4, 5 } }).Select(a => a.Id));
            Assert.Equal(new[] { "nodule", "rare" }, DatasetQuery.Categories(dataset, new[] { "*e" }, null).Select(c => c.Name));
        }

        [Fact]
        public void Statistics_count_categories_modalities_studies_sizes_and_keypoints()
        {
            var dataset = new CocoDataset();
            dataset.Categories.AddNew(new CocoCategory { Name = "a" });
            dataset.Categories.AddNew(new CocoCategory { Name = "b" });
            dataset.Images.AddNew(DicomImage("1.dcm", "p", "s1", "r", "1", "CT"));
            dataset.Images.AddNew(DicomImage("2.dcm", "p", "s1", "r", "2", "CT"));
            dataset.Images.AddNew(new CocoImage { FileName = "3.png", Width = 4, Height = 4 });
            dataset.Annotations.AddNew(new CocoAnnotation { ImageId = 1, CategoryId = 1, Area = 100 });
            dataset.Annotations.AddNew(new CocoAnnotation { ImageId = 1, CategoryId = 1, Area = 5000 });
            dataset.Annotations.AddNew(new CocoAnnotation { ImageId = 2, CategoryId = 1, Area = 10000, Keypoints = new double[] { 1, 1, 2, 0, 0, 0, 3, 3, 1 } });

            var s = CocoStatistics.Of(dataset);

            Assert.Equal(new[] { "a: 3", "b: 0" }, s.PerCategory.Select(c => c.ToString()));
            Assert.Equal(2, s.PerCategory[0].Images);
            Assert.Equal(new[] { "CT: 2", "(none): 1" }, s.PerModality.Select(c => c.ToString()));
            Assert.Equal(new[] { "s1: 2" }, s.PerStudy.Select(c => c.ToString()));
            Assert.Equal(new[] { 1, 1, 1 }, s.SizeBuckets.Select(c => c.Count));
            Assert.Equal(1, s.ImagesWithoutAnnotations);
            Assert.Equal((0, 1.0, 2), s.AnnotationsPerImage);
            Assert.Equal(new[] { 1, 1, 1 }, s.KeypointVisibility.Select(c => c.Count));
            Assert.All(s.ToText(80).Split('\n'), line => Assert.True(line.TrimEnd().Length <= 80, line));
        }

        [Fact]
        public void Renaming_onto_an_existing_name_needs_merge_and_moves_the_annotations()
        {
            var dataset = new CocoDataset();
            dataset.Categories.AddNew(new CocoCategory { Name = "nodule" });
            dataset.Categories.AddNew(new CocoCategory { Name = "Nodule" });
            dataset.Images.AddNew(new CocoImage { FileName = "a.png", Width = 4, Height = 4 });
            dataset.Annotations.AddNew(new CocoAnnotation { ImageId = 1, CategoryId = 2 });

            Assert.Equal("CategoryExists", Assert.Throws<CocoToolsException>(() => DatasetEdits.RenameCategory(dataset, "Nodule", "nodule", merge: false)).ErrorId);
            Assert.Equal("UnknownCategory", Assert.Throws<CocoToolsException>(() => DatasetEdits.RenameCategory(dataset, "nope", "x", merge: false)).ErrorId);

            var kept = DatasetEdits.RenameCategory(dataset, "Nodule", "nodule", merge: true);
            Assert.Equal(1, kept.Id);
            Assert.Equal(1, dataset.Annotations[0].CategoryId);
            Assert.Single(dataset.Categories);
            Assert.Equal("lump", DatasetEdits.RenameCategory(dataset, "nodule", "lump", merge: false).Name);
            Assert.NotNull(dataset.Categories.FindByName("lump"));
        }

        [Fact]
        public void Removing_annotations_works_from_the_annotation_alone()
        {
            var dataset = Corpus(2, 3);
            var first = dataset.Annotations[0];
            int before = dataset.Annotations.Count;

            Assert.True(DatasetEdits.RemoveFromItsDataset(first));
            Assert.False(DatasetEdits.RemoveFromItsDataset(first));
            Assert.Equal(before - 1, dataset.Annotations.Count);
            Assert.Equal(2, DatasetEdits.RemoveAnnotations(dataset, dataset.Annotations.Take(2).ToList()));
        }
    }
}
