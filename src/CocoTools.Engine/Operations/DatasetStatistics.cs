using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CocoTools.Engine.Coco;

namespace CocoTools.Engine.Operations
{
    /// <summary>A count under a name (a category, a modality, a study, a size bucket).</summary>
    public sealed class CocoCount
    {
        internal CocoCount(string name, int count, int images = 0)
        {
            Name = name;
            Count = count;
            Images = images;
        }

        /// <summary>What is counted.</summary>
        public string Name { get; }

        /// <summary>How many (annotations, or images for modalities and studies).</summary>
        public int Count { get; }

        /// <summary>For categories: how many images have at least one.</summary>
        public int Images { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Name}: {Count}";
    }

    /// <summary>
    /// What a dataset holds: counts per category, modality and study; annotation sizes in COCO's small / medium /
    /// large buckets (area below 32², below 96², above, as COCOeval sorts them); images without annotations;
    /// keypoint visibility. Computed in one pass over the annotations and one over the images.
    /// </summary>
    public sealed class CocoStatistics
    {
        /// <summary>COCOeval's bucket bounds: area below 32 x 32 is small, below 96 x 96 medium.</summary>
        public const double SmallArea = 32 * 32, MediumArea = 96 * 96;

        private CocoStatistics()
        {
        }

        /// <summary>The dataset described.</summary>
        public string Dataset { get; private set; } = string.Empty;

        /// <summary>Images.</summary>
        public int Images { get; private set; }

        /// <summary>Annotations (panoptic ones included).</summary>
        public int Annotations { get; private set; }

        /// <summary>Images with no annotation.</summary>
        public int ImagesWithoutAnnotations { get; private set; }

        /// <summary>Annotations per category, most first (categories without any are listed with 0).</summary>
        public IReadOnlyList<CocoCount> PerCategory { get; private set; } = Array.Empty<CocoCount>();

        /// <summary>Images per DICOM modality ("(none)" for raster images).</summary>
        public IReadOnlyList<CocoCount> PerModality { get; private set; } = Array.Empty<CocoCount>();

        /// <summary>Images per study, most first.</summary>
        public IReadOnlyList<CocoCount> PerStudy { get; private set; } = Array.Empty<CocoCount>();

        /// <summary>Annotations with an area, by COCOeval's size bucket: small, medium, large.</summary>
        public IReadOnlyList<CocoCount> SizeBuckets { get; private set; } = Array.Empty<CocoCount>();

        /// <summary>Annotations per image: the fewest, the median and the most.</summary>
        public (int Min, double Median, int Max) AnnotationsPerImage { get; private set; }

        /// <summary>Keypoints by visibility: not labelled (0), labelled but hidden (1), visible (2).</summary>
        public IReadOnlyList<CocoCount> KeypointVisibility { get; private set; } = Array.Empty<CocoCount>();

        /// <summary>Computes the statistics of a dataset.</summary>
        public static CocoStatistics Of(CocoDataset dataset)
        {
            var perCategory = new Dictionary<long, (int Annotations, HashSet<long> Images)>();
            var perImage = new Dictionary<long, int>();
            int small = 0, medium = 0, large = 0;
            var visibility = new int[3];
            foreach (var a in dataset.Annotations)
            {
                perImage[a.ImageId] = perImage.TryGetValue(a.ImageId, out int n) ? n + 1 : 1;
                if (a.CategoryId is long c)
                {
                    if (!perCategory.TryGetValue(c, out var entry))
                    {
                        entry = (0, new HashSet<long>());
                    }

                    entry.Images.Add(a.ImageId);
                    perCategory[c] = (entry.Annotations + 1, entry.Images);
                }

                if (a.Area is double area)
                {
                    if (area < SmallArea)
                    {
                        small++;
                    }
                    else if (area < MediumArea)
                    {
                        medium++;
                    }
                    else
                    {
                        large++;
                    }
                }

                if (a.Keypoints is double[] k)
                {
                    for (int i = 2; i < k.Length; i += 3)
                    {
                        int v = (int)k[i];
                        if (v >= 0 && v <= 2)
                        {
                            visibility[v]++;
                        }
                    }
                }
            }

            foreach (var p in dataset.PanopticAnnotations)
            {
                perImage[p.ImageId] = perImage.TryGetValue(p.ImageId, out int n) ? n + 1 : 1;
            }

            var modalities = new Dictionary<string, int>(StringComparer.Ordinal);
            var studies = new Dictionary<string, int>(StringComparer.Ordinal);
            var counts = new List<int>(dataset.Images.Count);
            int without = 0;
            foreach (var image in dataset.Images)
            {
                var dicom = image.ExtraOrNull == null ? null : CocoImageDicom.Of(image);
                string modality = dicom?.Modality ?? "(none)";
                modalities[modality] = modalities.TryGetValue(modality, out int m) ? m + 1 : 1;
                if (dicom?.StudyInstanceUid is string study)
                {
                    studies[study] = studies.TryGetValue(study, out int s) ? s + 1 : 1;
                }

                int count = perImage.TryGetValue(image.Id, out int annotations) ? annotations : 0;
                without += count == 0 ? 1 : 0;
                counts.Add(count);
            }

            counts.Sort();
            return new CocoStatistics
            {
                Dataset = dataset.ToString(),
                Images = dataset.Images.Count,
                Annotations = dataset.Annotations.Count + dataset.PanopticAnnotations.Count,
                ImagesWithoutAnnotations = without,
                PerCategory = dataset.Categories
                    .Select(c => perCategory.TryGetValue(c.Id, out var e) ? new CocoCount(c.Name, e.Annotations, e.Images.Count) : new CocoCount(c.Name, 0))
                    .OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal).ToList(),
                PerModality = modalities.Select(p => new CocoCount(p.Key, p.Value)).OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal).ToList(),
                PerStudy = studies.Select(p => new CocoCount(p.Key, p.Value)).OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal).ToList(),
                SizeBuckets = new[] { new CocoCount("small", small), new CocoCount("medium", medium), new CocoCount("large", large) },
                AnnotationsPerImage = counts.Count == 0 ? (0, 0, 0) : (counts[0], counts.Count % 2 == 1 ? counts[counts.Count / 2] : (counts[(counts.Count / 2) - 1] + counts[counts.Count / 2]) / 2.0, counts[counts.Count - 1]),
                KeypointVisibility = visibility.Any(v => v > 0)
                    ? new[] { new CocoCount("0 not labelled", visibility[0]), new CocoCount("1 hidden", visibility[1]), new CocoCount("2 visible", visibility[2]) }
                    : Array.Empty<CocoCount>(),
            };
        }

        /// <summary>A compact text report with bar histograms, at most <paramref name="width"/> columns wide.</summary>
        public string ToText(int width = 100, int maxRows = 15)
        {
            var sb = new StringBuilder();
            sb.AppendLine(Dataset);
            sb.AppendLine($"{ImagesWithoutAnnotations} image(s) without annotations; annotations per image {AnnotationsPerImage.Min} to {AnnotationsPerImage.Max}, median {AnnotationsPerImage.Median}");
            Histogram(sb, "Annotations per category (images)", PerCategory, width, maxRows, withImages: true);
            Histogram(sb, "Sizes (COCOeval: small < 32², medium < 96², large)", SizeBuckets, width, maxRows, withImages: false);
            Histogram(sb, "Images per modality", PerModality, width, maxRows, withImages: false);
            if (PerStudy.Count > 0)
            {
                Histogram(sb, $"Images per study ({PerStudy.Count} studies)", PerStudy, width, maxRows, withImages: false);
            }

            if (KeypointVisibility.Count > 0)
            {
                Histogram(sb, "Keypoints by visibility", KeypointVisibility, width, maxRows, withImages: false);
            }

            return sb.ToString().TrimEnd();
        }

        /// <inheritdoc />
        public override string ToString() => ToText();

        private static void Histogram(StringBuilder sb, string title, IReadOnlyList<CocoCount> rows, int width, int maxRows, bool withImages)
        {
            sb.AppendLine().AppendLine(title);
            if (rows.Count == 0)
            {
                sb.AppendLine("  (none)");
                return;
            }

            var shown = rows.Take(maxRows).ToList();
            int nameWidth = Math.Min(30, shown.Max(r => r.Name.Length));
            int numberWidth = shown.Max(r => (withImages ? $"{r.Count} ({r.Images})" : r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Length);
            int barWidth = Math.Max(5, width - nameWidth - numberWidth - 6);
            int max = Math.Max(1, rows.Max(r => r.Count));
            foreach (var r in shown)
            {
                string name = r.Name.Length > nameWidth ? r.Name.Substring(0, nameWidth - 1) + "…" : r.Name.PadRight(nameWidth);
                string number = (withImages ? $"{r.Count} ({r.Images})" : r.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).PadLeft(numberWidth);
                int bar = (int)Math.Round((double)r.Count * barWidth / max);
                sb.AppendLine($"  {name} {number} {new string('#', bar)}");
            }

            if (rows.Count > shown.Count)
            {
                sb.AppendLine($"  ... {rows.Count - shown.Count} more");
            }
        }
    }
}
