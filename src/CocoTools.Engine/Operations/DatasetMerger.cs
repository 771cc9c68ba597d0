using System;
using System.Collections.Generic;
using System.Linq;
using CocoTools.Engine.Coco;

namespace CocoTools.Engine.Operations
{
    /// <summary>What a merge did, and what did not fit.</summary>
    public sealed class MergeReport
    {
        /// <summary>Images found in more than one input (same SOP instance and frame, else same file_name): kept once.</summary>
        public int DuplicateImages { get; internal set; }

        /// <summary>Categories of later inputs that joined a category of the same name.</summary>
        public int UnifiedCategories { get; internal set; }

        /// <summary>What did not agree (an image with two sizes, a category with two supercategories ...): the first input wins.</summary>
        public List<string> Conflicts { get; } = new List<string>();
    }

    /// <summary>
    /// Merges datasets into a new one. Categories are unified by name (after an optional rename map) and keep the
    /// first input's id when it is free; images are identified by SOP Instance UID and frame (DICOM) or file_name and
    /// kept once; image and annotation ids are renumbered from 1; references follow. Linear in the inputs.
    /// </summary>
    public static class DatasetMerger
    {
        /// <summary>Merges the inputs, in order.</summary>
        public static (CocoDataset Merged, MergeReport Report) Merge(IReadOnlyList<CocoDataset> inputs, IDictionary<string, string>? categoryMap = null)
        {
            var merged = new CocoDataset();
            var report = new MergeReport();
            if (inputs.Count > 0)
            {
                merged.Info = inputs[0].Info.Clone();
            }

            var categoriesByName = new Dictionary<string, CocoCategory>(StringComparer.Ordinal);
            var imagesByKey = new Dictionary<ImageIdentity, CocoImage>();
            var licensesByKey = new Dictionary<string, CocoLicense>(StringComparer.Ordinal);
            byte[]? hashKey = null;
            for (int n = 0; n < inputs.Count; n++)
            {
                var input = inputs[n];
                string label = input.SourcePath ?? $"dataset {n + 1}";
                if (input.PatientHashKey != null)
                {
                    if (hashKey != null && !hashKey.SequenceEqual(input.PatientHashKey))
                    {
                        report.Conflicts.Add($"{label}: its PatientHash was keyed with another secret than the first dataset's, so the same patient has two hashes; build the datasets with one -PatientSalt to split by patient.");
                    }

                    hashKey ??= input.PatientHashKey;
                }

                var licenseIds = MergeLicenses(merged, input, licensesByKey);
                var categoryIds = MergeCategories(merged, input, categoryMap, categoriesByName, report, label);
                var imageIds = MergeImages(merged, input, licenseIds, imagesByKey, report, label);
                foreach (var a in input.Annotations)
                {
                    var copy = a.Clone();
                    copy.Id = 0;
                    copy.ImageId = imageIds.TryGetValue(a.ImageId, out long image) ? image : a.ImageId;
                    if (a.CategoryId is long c)
                    {
                        copy.CategoryId = categoryIds.TryGetValue(c, out long category) ? category : c;
                    }

                    merged.Annotations.AddNew(copy);
                }

                foreach (var p in input.PanopticAnnotations)
                {
                    var copy = p.Clone();
                    copy.ImageId = imageIds.TryGetValue(p.ImageId, out long image) ? image : p.ImageId;
                    foreach (var s in copy.SegmentsInfo)
                    {
                        s.CategoryId = categoryIds.TryGetValue(s.CategoryId, out long c) ? c : s.CategoryId;
                    }

                    merged.PanopticAnnotations.Add(copy);
                }
            }

            if (hashKey != null)
            {
                merged.SetPatientHashKey(hashKey);
            }

            return (merged, report);
        }

        private static Dictionary<long, long> MergeLicenses(CocoDataset merged, CocoDataset input, Dictionary<string, CocoLicense> byKey)
        {
            var ids = new Dictionary<long, long>();
            foreach (var license in input.Licenses)
            {
                string key = $"{license.Name}\u0001{license.Url}";
                if (!byKey.TryGetValue(key, out var existing))
                {
                    existing = AddKeepingId(merged.Licenses, license.Clone());
                    byKey.Add(key, existing);
                }

                ids[license.Id] = existing.Id;
            }

            return ids;
        }

        private static Dictionary<long, long> MergeCategories(CocoDataset merged, CocoDataset input, IDictionary<string, string>? map, Dictionary<string, CocoCategory> byName, MergeReport report, string label)
        {
            var ids = new Dictionary<long, long>();
            foreach (var category in input.Categories)
            {
                string name = map != null && map.TryGetValue(category.Name, out var renamed) ? renamed : category.Name;
                if (byName.TryGetValue(name, out var existing))
                {
                    report.UnifiedCategories++;
                    if (!string.Equals(existing.Supercategory ?? string.Empty, category.Supercategory ?? string.Empty, StringComparison.Ordinal)
                        || !SameNames(existing.Keypoints, category.Keypoints) || existing.IsThing != category.IsThing)
                    {
                        report.Conflicts.Add($"{label}: category '{name}' differs from the one merged first (supercategory, keypoints or isthing); the first is kept.");
                    }
                }
                else
                {
                    var copy = category.Clone();
                    copy.Name = name;
                    existing = AddKeepingId(merged.Categories, copy);
                    byName.Add(name, existing);
                }

                ids[category.Id] = existing.Id;
            }

            return ids;
        }

        private static Dictionary<long, long> MergeImages(CocoDataset merged, CocoDataset input, Dictionary<long, long> licenseIds, Dictionary<ImageIdentity, CocoImage> byKey, MergeReport report, string label)
        {
            var ids = new Dictionary<long, long>();
            foreach (var image in input.Images)
            {
                var key = ImageIdentity.Of(image);
                if (byKey.TryGetValue(key, out var existing))
                {
                    report.DuplicateImages++;
                    if (existing.Width != image.Width || existing.Height != image.Height)
                    {
                        report.Conflicts.Add($"{label}: image {image.Id} ({image.FileName}) is image {existing.Id} of the merge but {image.Width}x{image.Height} instead of {existing.Width}x{existing.Height}; the first size is kept.");
                    }
                }
                else
                {
                    existing = image.Clone();
                    existing.Id = 0;
                    if (image.License is long license)
                    {
                        existing.License = licenseIds.TryGetValue(license, out long l) ? l : license;
                    }

                    merged.Images.AddNew(existing);
                    byKey.Add(key, existing);
                }

                ids[image.Id] = existing.Id;
            }

            return ids;
        }

        /// <summary>Adds a record under its own id when that id is free in the merge, else under the next free one.</summary>
        private static T AddKeepingId<T>(CocoEntityCollection<T> collection, T item)
            where T : CocoEntity
        {
            if (!collection.Contains(item.Id))
            {
                return collection.Add(item);
            }

            item.Id = 0;
            return collection.AddNew(item);
        }

        private static bool SameNames(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
            (a == null && b == null) || (a != null && b != null && a.SequenceEqual(b, StringComparer.Ordinal));
    }
}
