using System;
using System.Collections.Generic;
using System.Linq;
using CocoTools.Engine.Coco;

namespace CocoTools.Engine.Operations
{
    /// <summary>The edits people make before training: removing annotations, renaming and merging categories.</summary>
    public static class DatasetEdits
    {
        /// <summary>Removes annotations from a dataset; returns how many were removed.</summary>
        public static int RemoveAnnotations(CocoDataset dataset, IEnumerable<CocoAnnotation> annotations)
        {
            var ids = new HashSet<long>(annotations.Select(a => a.Id));
            return dataset.Annotations.RemoveWhere(a => ids.Contains(a.Id));
        }

        /// <summary>Removes an annotation from the dataset it belongs to; false when it belongs to none.</summary>
        public static bool RemoveFromItsDataset(CocoAnnotation annotation) =>
            annotation.Owner is CocoAnnotationCollection collection && collection.Remove(annotation);

        /// <summary>
        /// Renames a category. When another category already has the new name, the two are merged only with
        /// <paramref name="merge"/>: the renamed category's annotations move to the other, and it is removed.
        /// Returns the category that carries the new name.
        /// </summary>
        public static CocoCategory RenameCategory(CocoDataset dataset, string name, string newName, bool merge)
        {
            var category = dataset.Categories.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
                ?? throw new CocoToolsException("UnknownCategory", FailureKind.ObjectNotFound, $"There is no category '{name}'; the categories are {string.Join(", ", dataset.Categories.Select(c => c.Name))}.");
            var target = dataset.Categories.FirstOrDefault(c => !ReferenceEquals(c, category) && string.Equals(c.Name, newName, StringComparison.Ordinal));
            if (target == null)
            {
                category.Name = newName;
                return category;
            }

            if (!merge)
            {
                throw new CocoToolsException("CategoryExists", FailureKind.ResourceExists, $"Category '{newName}' (id {target.Id}) already exists; use -Merge to move the annotations of '{name}' into it.");
            }

            foreach (var a in dataset.Annotations.Where(a => a.CategoryId == category.Id).ToList())
            {
                a.CategoryId = target.Id;
            }

            foreach (var segment in dataset.PanopticAnnotations.SelectMany(p => p.SegmentsInfo).Where(s => s.CategoryId == category.Id))
            {
                segment.CategoryId = target.Id;
            }

            dataset.Categories.Remove(category);
            return target;
        }
    }
}
