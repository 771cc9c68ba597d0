using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace CocoTools.Engine.Coco
{
    /// <summary>Builds datasets, categories and licences from plain user data (names, hashtables).</summary>
    public static class CocoDatasetFactory
    {
        private static readonly string[] CategoryKeys = { "id", "name", "supercategory", "keypoints", "skeleton", "isthing", "color" };

        /// <summary>
        /// A category from a name or a dictionary with keys id, name, supercategory, keypoints, skeleton, isthing,
        /// color (any case). Other keys are kept as extra members. Without an id, the next free id is used.
        /// </summary>
        public static CocoCategory CreateCategory(object spec, CocoCategoryCollection existing)
        {
            var category = new CocoCategory();
            if (spec is IDictionary d)
            {
                category.Name = LooseValue.TryGet(d, "name", out var name) && LooseValue.ToText(name) is string n && n.Length > 0
                    ? n
                    : throw new CocoToolsException("CategoryNameMissing", FailureKind.InvalidArgument, "A category needs a name (key 'name').");
                category.Id = LooseValue.TryGet(d, "id", out var id) ? LooseValue.ToInt64(id, "category id") : existing.NextId;
                if (LooseValue.TryGet(d, "supercategory", out var super))
                {
                    category.Supercategory = LooseValue.ToText(super);
                }

                if (LooseValue.TryGet(d, "keypoints", out var keypoints))
                {
                    category.Keypoints = LooseValue.ToList(keypoints).Select(k => LooseValue.ToText(k) ?? string.Empty).ToArray();
                }

                if (LooseValue.TryGet(d, "skeleton", out var skeleton))
                {
                    category.Skeleton = ParseSkeleton(skeleton);
                }

                if (LooseValue.TryGet(d, "isthing", out var isThing))
                {
                    category.IsThing = LooseValue.ToInt32(isThing, "isthing");
                }

                if (LooseValue.TryGet(d, "color", out var color))
                {
                    category.Color = LooseValue.ToList(color).Select(c => LooseValue.ToInt32(c, "color")).ToArray();
                }

                foreach (DictionaryEntry e in d)
                {
                    string key = LooseValue.ToText(e.Key) ?? string.Empty;
                    if (!CategoryKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                    {
                        category.Extra.Set(key, e.Value);
                    }
                }
            }
            else
            {
                category.Name = LooseValue.ToText(spec) is string n && n.Length > 0
                    ? n
                    : throw new CocoToolsException("CategoryNameMissing", FailureKind.InvalidArgument, "A category name cannot be empty.");
                category.Id = existing.NextId;
            }

            if (existing.Contains(category.Id))
            {
                throw new CocoToolsException("DuplicateId", FailureKind.ResourceExists, $"Category id {category.Id} ('{category.Name}') is already used.") { Target = category.Name };
            }

            return category;
        }

        /// <summary>Skeleton edges from "1-2" text, [1,2] pairs or a flat list of pairs.</summary>
        public static int[][] ParseSkeleton(object? value)
        {
            var items = LooseValue.ToList(value);
            var edges = new List<int[]>();
            if (items.Count > 0 && items.All(i => i is not string && i is not IDictionary && i is IEnumerable))
            {
                foreach (var item in items)
                {
                    var pair = LooseValue.ToList(item);
                    if (pair.Count != 2)
                    {
                        throw new CocoToolsException("InvalidSkeleton", FailureKind.InvalidArgument, "Each skeleton edge needs two keypoint numbers.");
                    }

                    edges.Add(new[] { LooseValue.ToInt32(pair[0], "skeleton"), LooseValue.ToInt32(pair[1], "skeleton") });
                }

                return edges.ToArray();
            }

            var flat = new List<int>();
            foreach (var item in items)
            {
                if (item is string s && s.IndexOf('-') > 0)
                {
                    var parts = s.Split('-');
                    flat.Add(LooseValue.ToInt32(parts[0], "skeleton"));
                    flat.Add(LooseValue.ToInt32(parts[1], "skeleton"));
                }
                else
                {
                    flat.Add(LooseValue.ToInt32(item, "skeleton"));
                }
            }

            if (flat.Count % 2 != 0)
            {
                throw new CocoToolsException("InvalidSkeleton", FailureKind.InvalidArgument, "A skeleton needs pairs of keypoint numbers.");
            }

            for (int i = 0; i < flat.Count; i += 2)
            {
                edges.Add(new[] { flat[i], flat[i + 1] });
            }

            return edges.ToArray();
        }

        /// <summary>A licence from a dictionary with keys id, name, url.</summary>
        public static CocoLicense CreateLicense(IDictionary spec, CocoLicenseCollection existing)
        {
            var license = new CocoLicense
            {
                Id = LooseValue.TryGet(spec, "id", out var id) ? LooseValue.ToInt64(id, "license id") : existing.NextId,
                Name = LooseValue.TryGet(spec, "name", out var name) ? LooseValue.ToText(name) : null,
                Url = LooseValue.TryGet(spec, "url", out var url) ? LooseValue.ToText(url) : null,
            };
            foreach (DictionaryEntry e in spec)
            {
                string key = LooseValue.ToText(e.Key) ?? string.Empty;
                if (!new[] { "id", "name", "url" }.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    license.Extra.Set(key, e.Value);
                }
            }

            return license;
        }
    }
}
