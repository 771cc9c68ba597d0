using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.IO;

namespace CocoTools.Engine.Operations
{
    /// <summary>What must stay together in one split.</summary>
    public enum SplitGrouping
    {
        /// <summary>All images of a patient (by the keyed PatientHash computed at scan time; no identifier is exported).</summary>
        Patient,
        /// <summary>All images of a study (Study Instance UID).</summary>
        Study,
        /// <summary>All images of a series (Series Instance UID).</summary>
        Series,
        /// <summary>All frames of one image (SOP instance), or one raster file.</summary>
        Image,
    }

    /// <summary>How <see cref="DatasetSplitter"/> splits.</summary>
    public sealed class DatasetSplitOptions
    {
        /// <summary>The share of images per split; normalized to sum 1.</summary>
        public IReadOnlyList<double> Ratios { get; set; } = new[] { 0.8, 0.1, 0.1 };

        /// <summary>The splits' names (default train, val, test; split1, split2 ... beyond three).</summary>
        public IReadOnlyList<string>? Names { get; set; }

        /// <summary>What stays together.</summary>
        public SplitGrouping GroupBy { get; set; } = SplitGrouping.Study;

        /// <summary>The seed of the deterministic shuffle.</summary>
        public int Seed { get; set; }

        /// <summary>Balance each group's main category across the splits.</summary>
        public bool Stratify { get; set; }
    }

    /// <summary>
    /// Splits a dataset into datasets that share no group (patient, study, series or image): groups are ordered
    /// by a keyed hash of (seed, group key), so the split is the same on every machine and run, then given, largest
    /// first, to the split furthest below its share. Each split's image count ends within about one group's size
    /// of its share. Images whose group key is unknown (a raster image has no study) form groups of their own at the
    /// next finer level, down to the image itself.
    /// </summary>
    public static class DatasetSplitter
    {
        /// <summary>Splits; returns one dataset per ratio, named.</summary>
        public static IReadOnlyList<CocoDataset> Split(CocoDataset dataset, DatasetSplitOptions options)
        {
            var ratios = options.Ratios;
            if (ratios.Count < 2 || ratios.Any(r => !(r >= 0)) || ratios.Sum() <= 0)
            {
                throw new CocoToolsException("InvalidRatio", FailureKind.InvalidArgument, "Give at least two non-negative ratios with a positive sum, for example 0.8, 0.1, 0.1.");
            }

            var names = options.Names ?? (ratios.Count == 3 ? new[] { "train", "val", "test" } : ratios.Count == 2 ? new[] { "train", "test" } : Enumerable.Range(1, ratios.Count).Select(i => $"split{i}").ToArray());
            if (names.Count != ratios.Count)
            {
                throw new CocoToolsException("NameCountMismatch", FailureKind.InvalidArgument, $"{names.Count} names for {ratios.Count} ratios; give one name per ratio.");
            }

            double total = ratios.Sum();
            var shares = ratios.Select(r => r / total).ToArray();
            var annotationsByImage = dataset.Annotations.GroupBy(a => a.ImageId).ToDictionary(g => g.Key, g => g.ToList());

            // Groups, in a deterministic shuffled order.
            var groups = new Dictionary<string, List<CocoImage>>(StringComparer.Ordinal);
            foreach (var image in dataset.Images)
            {
                string key = GroupKey(image, options.GroupBy);
                if (!groups.TryGetValue(key, out var members))
                {
                    members = new List<CocoImage>();
                    groups.Add(key, members);
                }

                members.Add(image);
            }

            var ordered = groups.Select(g => (Key: g.Key, Images: g.Value, Order: ShuffleKey(options.Seed, g.Key), Stratum: options.Stratify ? MainCategory(g.Value, annotationsByImage) : 0L))
                .OrderBy(g => g.Stratum).ThenByDescending(g => g.Images.Count).ThenBy(g => g.Order).ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToList();

            var assigned = new List<CocoImage>[shares.Length];
            for (int i = 0; i < assigned.Length; i++)
            {
                assigned[i] = new List<CocoImage>();
            }

            // Within each stratum (one stratum without -Stratify), the next group goes to the split furthest below
            // its share of that stratum; ties go to the earlier split.
            foreach (var stratum in ordered.GroupBy(g => g.Stratum))
            {
                int stratumImages = stratum.Sum(g => g.Images.Count);
                var counts = new int[shares.Length];
                foreach (var group in stratum)
                {
                    int best = 0;
                    double bestDeficit = double.NegativeInfinity;
                    for (int i = 0; i < shares.Length; i++)
                    {
                        if (shares[i] == 0)
                        {
                            continue;
                        }

                        double deficit = (shares[i] * stratumImages) - counts[i];
                        if (deficit > bestDeficit)
                        {
                            best = i;
                            bestDeficit = deficit;
                        }
                    }

                    counts[best] += group.Images.Count;
                    assigned[best].AddRange(group.Images);
                }
            }

            var result = new List<CocoDataset>(shares.Length);
            for (int i = 0; i < shares.Length; i++)
            {
                result.Add(Subset(dataset, assigned[i], annotationsByImage, names[i]));
            }

            return result;
        }

        /// <summary>
        /// The file name each split gets in an output folder: its name made safe and unique by the one output namer
        /// (a name such as <c>../../x</c>, an absolute path or a NUL never leaves the folder), plus <c>.json</c>.
        /// </summary>
        public static IReadOnlyList<string> FileNames(IReadOnlyList<CocoDataset> splits)
        {
            var namer = new OutputFileNamer(".json");
            return splits.Select((s, i) => namer.NameForText(s.Name, "split" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        }

        /// <summary>
        /// Writes the splits into <paramref name="directory"/> as one set, all-or-nothing (<see cref="AtomicFileSet"/>):
        /// a failure or a kill leaves the previous set of files, never some new files beside old ones. Returns the paths
        /// written, in the order of <paramref name="splits"/>.
        /// </summary>
        public static IReadOnlyList<string> WriteFiles(IReadOnlyList<CocoDataset> splits, string directory, bool noClobber)
        {
            var names = FileNames(splits);
            using var set = new AtomicFileSet(directory, "split");
            for (int i = 0; i < splits.Count; i++)
            {
                var split = splits[i];
                set.Add(names[i], stream => CocoJsonWriter.Write(split, stream));
            }

            return set.Commit(noClobber);
        }

        /// <summary>The group an image belongs to, at the level asked or, when unknown, the next finer one.</summary>
        public static string GroupKey(CocoImage image, SplitGrouping groupBy)
        {
            var dicom = image.ExtraOrNull == null ? null : CocoImageDicom.Of(image);
            if (groupBy <= SplitGrouping.Patient && dicom?.PatientHash is string patient)
            {
                return "patient:" + patient;
            }

            if (groupBy <= SplitGrouping.Study && dicom?.StudyInstanceUid is string study)
            {
                return "study:" + study;
            }

            if (groupBy <= SplitGrouping.Series && dicom?.SeriesInstanceUid is string series)
            {
                return "series:" + series;
            }

            return dicom?.SopInstanceUid is string sop ? "sop:" + sop : "file:" + (image.FileName ?? image.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>A dataset of the given images with their annotations and all categories, licenses and info; ids kept.</summary>
        internal static CocoDataset Subset(CocoDataset source, IEnumerable<CocoImage> images, Dictionary<long, List<CocoAnnotation>> annotationsByImage, string name)
        {
            var subset = new CocoDataset { Name = name, Info = source.Info.Clone() };
            subset.SetPatientHashKey(source.PatientHashKey);
            foreach (var license in source.Licenses)
            {
                subset.Licenses.Add(license.Clone());
            }

            foreach (var category in source.Categories)
            {
                subset.Categories.Add(category.Clone());
            }

            var ids = new HashSet<long>();
            foreach (var image in images.OrderBy(i => i.Id))
            {
                subset.Images.Add(image.Clone());
                ids.Add(image.Id);
                if (annotationsByImage.TryGetValue(image.Id, out var annotations))
                {
                    foreach (var a in annotations)
                    {
                        subset.Annotations.Add(a.Clone());
                    }
                }
            }

            foreach (var p in source.PanopticAnnotations.Where(p => ids.Contains(p.ImageId)))
            {
                subset.PanopticAnnotations.Add(p.Clone());
            }

            return subset;
        }

        /// <summary>A group's most annotated category (the smallest id on ties), or -1 without annotations.</summary>
        private static long MainCategory(List<CocoImage> images, Dictionary<long, List<CocoAnnotation>> annotationsByImage) =>
            images.SelectMany(i => annotationsByImage.TryGetValue(i.Id, out var a) ? a : Enumerable.Empty<CocoAnnotation>())
                .Where(a => a.CategoryId != null)
                .GroupBy(a => a.CategoryId!.Value)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .Select(g => g.Key).DefaultIfEmpty(-1).First();

        /// <summary>A stable 64-bit key from the seed and the group: the same on every platform and run.</summary>
        private static ulong ShuffleKey(int seed, string key)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(seed.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\u0001" + key));
            return BitConverter.ToUInt64(hash, 0);
        }
    }
}
