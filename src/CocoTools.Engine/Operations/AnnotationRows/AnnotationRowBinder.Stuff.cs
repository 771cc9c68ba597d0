using System.Collections.Generic;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    // Stuff segmentation: annotations of categories with isthing 0 merged per image and category at the end.
    public sealed partial class AnnotationRowBinder
    {
        /// <summary>
        /// Finishes: stuff annotations (categories with isthing 0) touched by this import become one RLE annotation per
        /// image and category, as COCO stuff segmentation has them. Returns the errors of groups that could not merge.
        /// </summary>
        public IReadOnlyList<CocoToolsException> Complete()
        {
            var errors = new List<CocoToolsException>();
            if (_touchedStuff.Count == 0)
            {
                return errors;
            }

            var groups = _dataset.Annotations
                .Where(a => a.CategoryId is long c && _touchedStuff.Contains(c) && (a.Segmentation != null || a.Bbox != null))
                .GroupBy(a => (a.ImageId, a.CategoryId!.Value))
                .Where(g => g.Count() > 1 || g.First().Segmentation is not CocoRleSegmentation)
                .ToList();
            foreach (var group in groups)
            {
                var parts = group.ToList();
                var image = _dataset.Images.Find(group.Key.ImageId);
                try
                {
                    var rles = parts.Select(p => AnnotationGeometry.ToRle(p, image, boxWhenNoSegmentation: true)!).ToList();
                    var union = RleSetOperations.Merge(rles);
                    var keep = parts[0];
                    keep.Segmentation = new CocoRleSegmentation(union.Height, union.Width, union.ToCompressedString());
                    keep.Area = union.Area;
                    var b = union.ToBbox();
                    keep.Bbox = new CocoBox(b[0], b[1], b[2], b[3]);
                    keep.IsCrowd = 0;
                    foreach (var merged in parts.Skip(1))
                    {
                        _dataset.Annotations.Remove(merged);
                        Added--;
                    }
                }
                catch (CocoToolsException e)
                {
                    errors.Add(new CocoToolsException(e.ErrorId, e.Kind, $"stuff category {group.Key.Value} on image {group.Key.ImageId} cannot be merged into one RLE: {e.Message}", e) { Target = group.Key.ImageId });
                }
            }

            return errors;
        }
    }
}
