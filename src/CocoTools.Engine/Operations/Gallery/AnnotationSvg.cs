using System.Collections.Generic;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Operations.Gallery
{
    /// <summary>
    /// One annotation as an SVG group in image pixel coordinates: its mask (polygons rasterized as pycocotools does,
    /// RLE as stored) as a path of whole pixels, so the fill covers exactly the pixels Export-CocoMask paints; its
    /// polygons as outlines; its box when it has no segmentation; its keypoints and skeleton.
    /// </summary>
    internal static class AnnotationSvg
    {
        /// <summary>Appends the group; false (nothing appended) for an annotation with nothing to draw (a caption).</summary>
        public static bool Append(StringBuilder svg, CocoAnnotation a, CocoImage image, CocoCategory? category, string colour, System.Action<CocoToolsException>? onError)
        {
            bool box = a.Segmentation == null && a.Bbox is CocoBox b0 && b0.IsFinite;
            bool keypoints = a.Keypoints != null && a.Keypoints.Length >= 3;
            if (a.Segmentation == null && !box && !keypoints)
            {
                return false;
            }

            svg.Append("<g class=\"ann c").Append(Id(a.CategoryId)).Append("\" data-ann=\"").Append(Html.Number(a.Id))
               .Append("\" data-cat=\"").Append(Id(a.CategoryId)).Append("\" fill=\"").Append(colour).Append("\" stroke=\"").Append(colour).Append("\">");
            if (a.Segmentation != null)
            {
                AppendMask(svg, a, image, onError);
                if (a.Segmentation is CocoPolygonSegmentation polygons)
                {
                    foreach (var polygon in polygons.Polygons)
                    {
                        AppendPolygon(svg, polygon);
                    }
                }
            }
            else if (box)
            {
                var b = a.Bbox!.Value;
                svg.Append("<rect class=\"box\" x=\"").Append(Html.Number(b.X)).Append("\" y=\"").Append(Html.Number(b.Y))
                   .Append("\" width=\"").Append(Html.Number(b.Width)).Append("\" height=\"").Append(Html.Number(b.Height)).Append("\"/>");
            }

            if (keypoints)
            {
                AppendKeypoints(svg, a.Keypoints!, category?.Skeleton, image);
            }

            svg.Append("</g>");
            return true;
        }

        private static string Id(long? categoryId) => categoryId is long c ? Html.Number(c) : "none";

        private static void AppendMask(StringBuilder svg, CocoAnnotation a, CocoImage image, System.Action<CocoToolsException>? onError)
        {
            Rle? rle;
            try
            {
                rle = AnnotationGeometry.ToRle(a, image);
            }
            catch (CocoToolsException e)
            {
                onError?.Invoke(e);
                return;
            }

            if (rle == null)
            {
                return;
            }

            // One unit square per pixel of each vertical run: crisp edges fill those pixels and no others at 1:1.
            svg.Append("<path class=\"mask\" d=\"");
            rle.ForEachForegroundRun((x, y, length) =>
                svg.Append('M').Append(Html.Number(x)).Append(' ').Append(Html.Number(y)).Append("h1v").Append(Html.Number(length)).Append("h-1z"));
            svg.Append("\"/>");
        }

        private static void AppendPolygon(StringBuilder svg, double[] polygon)
        {
            if (polygon.Length < 6)
            {
                return;
            }

            svg.Append("<polygon class=\"outline\" points=\"");
            for (int i = 0; i + 1 < polygon.Length; i += 2)
            {
                if (i > 0)
                {
                    svg.Append(' ');
                }

                svg.Append(Html.Number(polygon[i])).Append(',').Append(Html.Number(polygon[i + 1]));
            }

            svg.Append("\"/>");
        }

        private static void AppendKeypoints(StringBuilder svg, double[] k, IReadOnlyList<int[]>? skeleton, CocoImage image)
        {
            int count = k.Length / 3;
            if (skeleton != null)
            {
                foreach (var edge in skeleton)
                {
                    // Skeleton indices are 1-based; a bone is drawn when both its ends are labelled.
                    if (edge.Length == 2 && edge[0] >= 1 && edge[1] >= 1 && edge[0] <= count && edge[1] <= count
                        && k[(edge[0] - 1) * 3 + 2] > 0 && k[(edge[1] - 1) * 3 + 2] > 0)
                    {
                        int p = (edge[0] - 1) * 3, q = (edge[1] - 1) * 3;
                        svg.Append("<line class=\"bone\" x1=\"").Append(Html.Number(k[p])).Append("\" y1=\"").Append(Html.Number(k[p + 1]))
                           .Append("\" x2=\"").Append(Html.Number(k[q])).Append("\" y2=\"").Append(Html.Number(k[q + 1])).Append("\"/>");
                    }
                }
            }

            double radius = System.Math.Max(1.5, System.Math.Max(image.Width ?? 0, image.Height ?? 0) / 150.0);
            for (int i = 0; i < count; i++)
            {
                if (k[i * 3 + 2] > 0)
                {
                    svg.Append("<circle class=\"kp\" cx=\"").Append(Html.Number(k[i * 3])).Append("\" cy=\"").Append(Html.Number(k[i * 3 + 1]))
                       .Append("\" r=\"").Append(Html.Number(radius)).Append("\"/>");
                }
            }
        }
    }
}
