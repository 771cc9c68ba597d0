using System.Collections.Generic;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// How pycocotools' Python layer turns a segmentation into RLEs (<c>mask.frPyObjects</c>), including its
    /// dispatch quirks: a list of polygons is taken as boxes when the first one has exactly 4 numbers, refused
    /// when it has fewer, and each polygon keeps <c>int(len/2)</c> vertices.
    /// </summary>
    public static class PycocotoolsSemantics
    {
        /// <summary>One RLE per polygon (or per box), as <c>frPyObjects(polygons, h, w)</c>.</summary>
        public static IReadOnlyList<Rle> FromPolygonList(IReadOnlyList<double[]> polygons, int height, int width)
        {
            if (polygons.Count == 0)
            {
                throw Unsupported("an empty list of polygons");
            }

            int first = polygons[0].Length;
            var result = new Rle[polygons.Count];
            if (first == 4)
            {
                for (int i = 0; i < polygons.Count; i++)
                {
                    var b = polygons[i];
                    if (b.Length != 4)
                    {
                        throw Unsupported("boxes of different lengths");
                    }

                    result[i] = PolygonRasterizer.FromBox(b[0], b[1], b[2], b[3], height, width);
                }
            }
            else if (first > 4)
            {
                for (int i = 0; i < polygons.Count; i++)
                {
                    result[i] = PolygonRasterizer.FromPolygon(polygons[i], height, width);
                }
            }
            else
            {
                throw Unsupported($"a first polygon of {first} numbers");
            }

            return result;
        }

        /// <summary><c>merge(frPyObjects(polygons, h, w))</c>: the annotation's mask.</summary>
        public static Rle MergePolygons(IReadOnlyList<double[]> polygons, int height, int width)
        {
            var parts = FromPolygonList(polygons, height, width);

            // merge of one RLE is that RLE; the fresh part needs no defensive copy.
            return parts.Count == 1 ? parts[0] : RleSetOperations.Merge(parts);
        }

        private static CocoToolsException Unsupported(string what) =>
            new CocoToolsException("UnsupportedSegmentation", FailureKind.InvalidData, $"input type is not supported ({what}), as pycocotools says: a polygon needs at least 6 numbers.");
    }
}
