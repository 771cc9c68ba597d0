using System.Collections.Generic;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>
    /// How the closed contours of one ROI (or region) on one image become one COCO segmentation: a polygon list when
    /// no pixel lies in two of them (pycocotools' union of the polygons is then exactly their even-odd combination),
    /// else the even-odd (exclusive or) combination as RLE, so that a contour inside another cuts a hole, as rt-utils
    /// and plastimatch draw them. Every contour is rasterized by the pycocotools-exact <see cref="PolygonRasterizer"/>.
    /// </summary>
    public static class ContourCombiner
    {
        /// <summary>Combines polygons (COCO pixel coordinates x1, y1, x2, ...) on an image of the given size.</summary>
        public static ContourCombination Combine(IReadOnlyList<double[]> polygons, int height, int width)
        {
            if (polygons.Count == 1)
            {
                return new ContourCombination(polygons, null);
            }

            var masks = new List<Rle>(polygons.Count);
            long separateArea = 0;
            foreach (var polygon in polygons)
            {
                var mask = PolygonRasterizer.FromPolygon(polygon, height, width);
                separateArea += mask.Area;
                masks.Add(mask);
            }

            if (RleSetOperations.Merge(masks).Area == separateArea)
            {
                return new ContourCombination(polygons, null);
            }

            return new ContourCombination(null, RleSetOperations.ExclusiveOr(masks));
        }
    }

    /// <summary>The outcome of <see cref="ContourCombiner.Combine"/>: either polygons or a mask.</summary>
    public sealed class ContourCombination
    {
        internal ContourCombination(IReadOnlyList<double[]>? polygons, Rle? mask)
        {
            Polygons = polygons;
            Mask = mask;
        }

        /// <summary>The polygons, when no pixel lies in two of them; else null.</summary>
        public IReadOnlyList<double[]>? Polygons { get; }

        /// <summary>The even-odd mask, when contours overlap or nest; else null.</summary>
        public Rle? Mask { get; }
    }
}
