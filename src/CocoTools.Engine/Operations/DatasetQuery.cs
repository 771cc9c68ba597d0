using System;
using System.Collections.Generic;
using System.Linq;
using CocoTools.Engine.Coco;

namespace CocoTools.Engine.Operations
{
    /// <summary>Filters for images; every filter given must hold (within one filter, any value may match).</summary>
    public sealed class ImageFilter
    {
        /// <summary>Image ids.</summary>
        public IReadOnlyCollection<long>? Id { get; set; }

        /// <summary>file_name patterns (wildcards * and ?, case-insensitive).</summary>
        public IReadOnlyCollection<string>? FileName { get; set; }

        /// <summary>Images with at least one annotation of one of these categories (names).</summary>
        public IReadOnlyCollection<string>? Category { get; set; }

        /// <summary>DICOM modalities (CT, MR ...).</summary>
        public IReadOnlyCollection<string>? Modality { get; set; }

        /// <summary>DICOM Study Instance UIDs.</summary>
        public IReadOnlyCollection<string>? StudyInstanceUid { get; set; }

        /// <summary>True: only images with annotations; false: only images without.</summary>
        public bool? HasAnnotation { get; set; }
    }

    /// <summary>Filters for annotations.</summary>
    public sealed class AnnotationFilter
    {
        /// <summary>Annotation ids.</summary>
        public IReadOnlyCollection<long>? Id { get; set; }

        /// <summary>Image ids.</summary>
        public IReadOnlyCollection<long>? ImageId { get; set; }

        /// <summary>Category names (wildcards).</summary>
        public IReadOnlyCollection<string>? Category { get; set; }

        /// <summary>Kinds of annotation.</summary>
        public CocoAnnotationKind? Kind { get; set; }
    }

    /// <summary>
    /// Queries over a dataset. Each runs in one pass over the records it returns from, with hash sets for the
    /// values asked for, so a filter over 120,000 annotations costs one pass, not one per value.
    /// </summary>
    public static class DatasetQuery
    {
        /// <summary>The images that pass every filter given, in dataset order.</summary>
        public static IEnumerable<CocoImage> Images(CocoDataset dataset, ImageFilter filter)
        {
            var ids = filter.Id == null ? null : new HashSet<long>(filter.Id);
            var names = filter.FileName?.Select(p => new WildcardMatcher(p)).ToList();
            var modalities = filter.Modality == null ? null : new HashSet<string>(filter.Modality, StringComparer.OrdinalIgnoreCase);
            var studies = filter.StudyInstanceUid == null ? null : new HashSet<string>(filter.StudyInstanceUid, StringComparer.Ordinal);
            HashSet<long>? withCategory = null;
            if (filter.Category != null)
            {
                var categories = CategoryIds(dataset, filter.Category);
                withCategory = new HashSet<long>(dataset.Annotations.Where(a => a.CategoryId is long c && categories.Contains(c)).Select(a => a.ImageId));
            }

            HashSet<long>? annotated = filter.HasAnnotation == null ? null : new HashSet<long>(dataset.Annotations.Select(a => a.ImageId).Concat(dataset.PanopticAnnotations.Select(p => p.ImageId)));
            foreach (var image in dataset.Images)
            {
                if ((ids != null && !ids.Contains(image.Id))
                    || (names != null && !names.Any(n => n.IsMatch(image.FileName ?? string.Empty)))
                    || (withCategory != null && !withCategory.Contains(image.Id))
                    || (annotated != null && annotated.Contains(image.Id) != filter.HasAnnotation))
                {
                    continue;
                }

                if (modalities != null || studies != null)
                {
                    var dicom = CocoImageDicom.Of(image);
                    if ((modalities != null && (dicom?.Modality == null || !modalities.Contains(dicom.Modality)))
                        || (studies != null && (dicom?.StudyInstanceUid == null || !studies.Contains(dicom.StudyInstanceUid))))
                    {
                        continue;
                    }
                }

                yield return image;
            }
        }

        /// <summary>The annotations that pass every filter given, in dataset order.</summary>
        public static IEnumerable<CocoAnnotation> Annotations(CocoDataset dataset, AnnotationFilter filter)
        {
            var ids = filter.Id == null ? null : new HashSet<long>(filter.Id);
            var images = filter.ImageId == null ? null : new HashSet<long>(filter.ImageId);
            var categories = filter.Category == null ? null : CategoryIds(dataset, filter.Category);
            foreach (var a in dataset.Annotations)
            {
                if ((ids == null || ids.Contains(a.Id))
                    && (images == null || images.Contains(a.ImageId))
                    && (categories == null || (a.CategoryId is long c && categories.Contains(c)))
                    && (filter.Kind == null || (a.Kind & filter.Kind.Value) != 0))
                {
                    yield return a;
                }
            }
        }

        /// <summary>The categories whose name matches one of the patterns (wildcards), or whose id is given, in dataset order.</summary>
        public static IEnumerable<CocoCategory> Categories(CocoDataset dataset, IReadOnlyCollection<string>? names, IReadOnlyCollection<long>? ids)
        {
            var matchers = names?.Select(p => new WildcardMatcher(p)).ToList();
            var idSet = ids == null ? null : new HashSet<long>(ids);
            return dataset.Categories.Where(c => (matchers == null || matchers.Any(m => m.IsMatch(c.Name))) && (idSet == null || idSet.Contains(c.Id)));
        }

        /// <summary>The ids of the categories named (wildcards allowed).</summary>
        public static HashSet<long> CategoryIds(CocoDataset dataset, IReadOnlyCollection<string> names) =>
            new HashSet<long>(Categories(dataset, names, null).Select(c => c.Id));
    }

    /// <summary>PowerShell-style wildcards (* ? and [abc]) without PowerShell: case-insensitive, whole string.</summary>
    public sealed class WildcardMatcher
    {
        private readonly System.Text.RegularExpressions.Regex _regex;

        /// <summary>Compiles a pattern.</summary>
        public WildcardMatcher(string pattern)
        {
            var sb = new System.Text.StringBuilder("^");
            foreach (char c in pattern)
            {
                sb.Append(c switch
                {
                    '*' => ".*",
                    '?' => ".",
                    '[' => "[",
                    ']' => "]",
                    _ => System.Text.RegularExpressions.Regex.Escape(c.ToString()),
                });
            }

            _regex = new System.Text.RegularExpressions.Regex(sb.Append('$').ToString(), System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Singleline);
        }

        /// <summary>True when the whole text matches.</summary>
        public bool IsMatch(string text) => _regex.IsMatch(text);
    }
}
