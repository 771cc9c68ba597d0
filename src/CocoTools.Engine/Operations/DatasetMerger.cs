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

    /// <summary>The order of a merge's images and annotations.</summary>
    public enum MergeOrder
    {
        /// <summary>As the inputs come: the first input's images, then the second's ...</summary>
        Input,

        /// <summary>
        /// Canonical: images by file_name (ordinal), then frame, then input order; annotations by their image's place,
        /// then input order; ids 1..N in that order. Merging the shards of a run this way gives the unsharded run.
        /// </summary>
        FileName,
    }

    /// <summary>
    /// Merges datasets into a new one. Categories are unified by name (after an optional rename map) and keep the
    /// first input's id when it is free; images are identified by SOP Instance UID and frame (DICOM) or file_name and
    /// kept once; image and annotation ids are renumbered from 1; references follow. Inputs are added one at a time
    /// and may be dropped after (only the merge itself is kept), so merging files holds one input at a time.
    /// </summary>
    public sealed class DatasetMerger
    {
        private readonly CocoDataset _merged = new CocoDataset();
        private readonly MergeReport _report = new MergeReport();
        private readonly Dictionary<string, CocoCategory> _categoriesByName = new Dictionary<string, CocoCategory>(StringComparer.Ordinal);
        private readonly Dictionary<ImageIdentity, CocoImage> _imagesByKey = new Dictionary<ImageIdentity, CocoImage>();
        private readonly Dictionary<string, CocoLicense> _licensesByKey = new Dictionary<string, CocoLicense>(StringComparer.Ordinal);
        private readonly IDictionary<string, string>? _categoryMap;
        private readonly MergeOrder _order;
        private byte[]? _hashKey;
        private int _inputs;

        /// <summary>A merge with an optional category rename map and an order.</summary>
        public DatasetMerger(IDictionary<string, string>? categoryMap = null, MergeOrder order = MergeOrder.Input)
        {
            _categoryMap = categoryMap;
            _order = order;
        }

        /// <summary>Merges the inputs, in order.</summary>
        public static (CocoDataset Merged, MergeReport Report) Merge(IEnumerable<CocoDataset> inputs, IDictionary<string, string>? categoryMap = null, MergeOrder order = MergeOrder.Input)
        {
            var merger = new DatasetMerger(categoryMap, order);
            foreach (var input in inputs)
            {
                merger.Add(input);
            }

            return merger.Finish();
        }

        /// <summary>Adds one input to the merge (copies what it needs; the input is left unchanged).</summary>
        public void Add(CocoDataset input)
        {
            var ids = AddHead(input);
            var imageIds = MergeImages(_merged, input, ids.Licenses, _imagesByKey, _report, ids.Label);
            foreach (var a in input.Annotations)
            {
                var copy = a.Clone();
                copy.Id = 0;
                Renumber(copy, imageIds.TryGetValue(a.ImageId, out long image) ? image : a.ImageId, ids.Categories);
                _merged.Annotations.AddNew(copy);
            }

            foreach (var p in input.PanopticAnnotations)
            {
                var copy = p.Clone();
                copy.ImageId = imageIds.TryGetValue(p.ImageId, out long image) ? image : p.ImageId;
                foreach (var s in copy.SegmentsInfo)
                {
                    s.CategoryId = categoryIds(s.CategoryId);
                }

                _merged.PanopticAnnotations.Add(copy);
            }

            long categoryIds(long c) => ids.Categories.TryGetValue(c, out long merged) ? merged : c;
        }

        /// <summary>
        /// Adds one input's info, patient-hash key, licenses and categories (everything but its images and annotations)
        /// and returns how its license and category ids map into the merge: the streaming merge adds each partial's
        /// head this way and renumbers the records itself with <see cref="Renumber(CocoImage, long, Dictionary{long, long})"/>
        /// and <see cref="Renumber(CocoAnnotation, long, Dictionary{long, long})"/>.
        /// </summary>
        internal InputIds AddHead(CocoDataset input)
        {
            var merged = _merged;
            string label = input.SourcePath ?? $"dataset {_inputs + 1}";
            if (_inputs++ == 0)
            {
                merged.Info = input.Info.Clone();
            }

            if (input.PatientHashKey != null)
            {
                if (_hashKey != null && !_hashKey.SequenceEqual(input.PatientHashKey))
                {
                    _report.Conflicts.Add($"{label}: its PatientHash was keyed with another secret than the first dataset's, so the same patient has two hashes; build the datasets with one -PatientSalt to split by patient.");
                }

                _hashKey ??= input.PatientHashKey;
            }

            var licenseIds = MergeLicenses(merged, input, _licensesByKey);
            var categoryIds = MergeCategories(merged, input, _categoryMap, _categoriesByName, _report, label);
            return new InputIds(label, licenseIds, categoryIds);
        }

        /// <summary>The merge so far without its records: info, licenses and categories (for the streaming merge's head and tail).</summary>
        internal CocoDataset Head => _merged;

        /// <summary>The report so far.</summary>
        internal MergeReport Report => _report;

        /// <summary>
        /// The canonical order of <see cref="MergeOrder.FileName"/>: file_name (ordinal), then frame. Ties keep merge
        /// order (input, then place in the input), so a sort by it must be stable.
        /// </summary>
        internal static int CompareCanonical(CocoImage a, CocoImage b) => CompareCanonical(a.FileName, a.Frame, b.FileName, b.Frame);

        /// <summary>The canonical order on an image's file_name and frame, for callers that keep them apart from the image.</summary>
        internal static int CompareCanonical(string? aFileName, int? aFrame, string? bFileName, int? bFrame)
        {
            int c = string.CompareOrdinal(aFileName ?? string.Empty, bFileName ?? string.Empty);
            return c != 0 ? c : (aFrame ?? 0).CompareTo(bFrame ?? 0);
        }

        /// <summary>An input's image as the merge writes it: its new id, its license mapped into the merge.</summary>
        internal static void Renumber(CocoImage image, long id, Dictionary<long, long> licenseIds)
        {
            image.Id = id;
            if (image.License is long license)
            {
                image.License = licenseIds.TryGetValue(license, out long l) ? l : license;
            }
        }

        /// <summary>An input's annotation as the merge refers it: to its image's merged id and its category mapped into the merge.</summary>
        internal static void Renumber(CocoAnnotation annotation, long imageId, Dictionary<long, long> categoryIds)
        {
            annotation.ImageId = imageId;
            if (annotation.CategoryId is long c)
            {
                annotation.CategoryId = categoryIds.TryGetValue(c, out long category) ? category : c;
            }
        }

        /// <summary>The merge (put in its order) and its report; call once, after the last <see cref="Add"/>.</summary>
        public (CocoDataset Merged, MergeReport Report) Finish()
        {
            if (_hashKey != null)
            {
                _merged.SetPatientHashKey(_hashKey);
            }

            if (_order == MergeOrder.FileName)
            {
                PutInFileNameOrder(_merged);
            }

            return (_merged, _report);
        }

        /// <summary>Sorts images by (file_name, frame, merge order) and annotations by (image place, merge order); ids 1..N.</summary>
        private static void PutInFileNameOrder(CocoDataset merged)
        {
            // The merge numbered its images 1..N as it added them, so an old id is a position.
            var images = merged.Images.OrderBy(i => i, Comparer<CocoImage>.Create(CompareCanonical)).ToList();
            var newIds = new long[images.Count];
            for (int i = 0; i < images.Count; i++)
            {
                newIds[images[i].Id - 1] = i + 1;
            }

            // Records that name no image of the merge keep their reference and go last.
            long Place(long old) => old >= 1 && old <= newIds.Length ? newIds[old - 1] : long.MaxValue;
            long NewId(long old) => old >= 1 && old <= newIds.Length ? newIds[old - 1] : old;
            merged.Images.Renumber(images);
            var annotations = merged.Annotations.Select((a, position) => (Annotation: a, Position: position))
                .OrderBy(x => Place(x.Annotation.ImageId))
                .ThenBy(x => x.Position)
                .Select(x => x.Annotation)
                .ToList();
            foreach (var a in annotations)
            {
                a.ImageId = NewId(a.ImageId);
            }

            merged.Annotations.Renumber(annotations);
            var panoptic = merged.PanopticAnnotations.OrderBy(p => Place(p.ImageId)).ToList();
            foreach (var p in panoptic)
            {
                p.ImageId = NewId(p.ImageId);
            }

            merged.PanopticAnnotations.Clear();
            merged.PanopticAnnotations.AddRange(panoptic);
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
                    Renumber(existing, 0, licenseIds);

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

        /// <summary>How one input's license and category ids map into the merge, and the name it is reported by.</summary>
        internal sealed class InputIds
        {
            public InputIds(string label, Dictionary<long, long> licenses, Dictionary<long, long> categories)
            {
                Label = label;
                Licenses = licenses;
                Categories = categories;
            }

            public string Label { get; }

            public Dictionary<long, long> Licenses { get; }

            public Dictionary<long, long> Categories { get; }
        }

        private static bool SameNames(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
            (a == null && b == null) || (a != null && b != null && a.SequenceEqual(b, StringComparer.Ordinal));
    }
}
