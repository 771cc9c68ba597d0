using System;
using System.Collections.Generic;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Operations
{
    /// <summary>
    /// COCO's geometry rules for one annotation, as the official files and detectron2 follow them: polygon
    /// area is the shoelace area summed over the polygons (unclipped), RLE area the pixel count; a polygon
    /// bbox spans the vertices, an RLE bbox is pycocotools' <c>toBbox</c>. Malformed geometry is refused with
    /// an error that names the annotation.
    /// </summary>
    public static class AnnotationGeometry
    {
        /// <summary>The shoelace area of each polygon, summed in order.</summary>
        public static double PolygonArea(IReadOnlyList<double[]> polygons)
        {
            double total = 0;
            foreach (var p in polygons)
            {
                int n = p.Length / 2;
                double twice = 0;
                for (int i = 0; i < n; i++)
                {
                    int next = (i + 1) % n;
                    twice += (p[2 * i] * p[(2 * next) + 1]) - (p[2 * next] * p[(2 * i) + 1]);
                }

                total += Math.Abs(twice) / 2.0;
            }

            return total;
        }

        /// <summary>The box spanning all vertices, or null when there are none.</summary>
        public static CocoBox? PolygonBox(IReadOnlyList<double[]> polygons)
        {
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            foreach (var polygon in polygons)
            {
                for (int i = 0; i + 1 < polygon.Length; i += 2)
                {
                    minX = Math.Min(minX, polygon[i]);
                    maxX = Math.Max(maxX, polygon[i]);
                    minY = Math.Min(minY, polygon[i + 1]);
                    maxY = Math.Max(maxY, polygon[i + 1]);
                }
            }

            return double.IsPositiveInfinity(minX) ? null : new CocoBox(minX, minY, maxX - minX, maxY - minY);
        }

        /// <summary>Refuses what COCO does not allow (see <see cref="PolygonsProblem"/>), naming the annotation.</summary>
        public static void ValidatePolygons(IReadOnlyList<double[]> polygons, long annotationId)
        {
            if (PolygonsProblem(polygons, out string errorId) is string problem)
            {
                throw Error(errorId, annotationId, problem);
            }
        }

        /// <summary>
        /// What COCO does not allow in polygons, or null: no polygon (EmptySegmentation), fewer than 6 numbers
        /// (PolygonTooShort), an odd count (PolygonOddCount), NaN or infinity (NonFiniteCoordinate). The problem names
        /// no subject; the caller says whose polygons they are.
        /// </summary>
        public static string? PolygonsProblem(IReadOnlyList<double[]> polygons, out string errorId)
        {
            errorId = string.Empty;
            if (polygons.Count == 0)
            {
                errorId = "EmptySegmentation";
                return "the segmentation has no polygon.";
            }

            for (int i = 0; i < polygons.Count; i++)
            {
                var p = polygons[i];
                if (p.Length < 6)
                {
                    errorId = "PolygonTooShort";
                    return $"polygon {i} has {p.Length} numbers; a polygon needs at least 6 (three points).";
                }

                if (p.Length % 2 != 0)
                {
                    errorId = "PolygonOddCount";
                    return $"polygon {i} has an odd count of numbers ({p.Length}); they must be x, y pairs.";
                }

                for (int k = 0; k < p.Length; k++)
                {
                    if (!NumberText.IsFinite(p[k]))
                    {
                        errorId = "NonFiniteCoordinate";
                        return $"polygon {i} has {NumberText.Format(p[k])} at position {k}.";
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// The annotation's mask on its image: polygons as <c>merge(frPyObjects(polygons, h, w))</c>, RLE as stored
        /// (checked against the image), and with <paramref name="boxWhenNoSegmentation"/> a box-only annotation
        /// as its box (<c>frBbox</c>). Null for annotations without geometry (captions, keypoints alone).
        /// </summary>
        public static Rle? ToRle(CocoAnnotation annotation, CocoImage? image, bool boxWhenNoSegmentation = false)
        {
            var (h, w) = SizeOf(annotation, image);
            switch (annotation.Segmentation)
            {
                case CocoPolygonSegmentation polygons:
                    ValidatePolygons(polygons.Polygons, annotation.Id);
                    return PycocotoolsSemantics.MergePolygons(polygons.Polygons, h, w);
                case CocoRleSegmentation stored:
                    return CheckedRle(stored, annotation.Id, h, w);
                default:
                    if (boxWhenNoSegmentation && annotation.Bbox is CocoBox box)
                    {
                        if (!box.IsFinite)
                        {
                            throw Error("NonFiniteCoordinate", annotation.Id, $"the bbox {box} is not finite.");
                        }

                        return PolygonRasterizer.FromBox(box.X, box.Y, box.Width, box.Height, h, w);
                    }

                    return null;
            }
        }

        /// <summary>
        /// The annotation's mask as compressed counts (ASCII bytes; the size is its image's), what pycocotools'
        /// <c>annToRLE</c> gives. A single polygon is compressed straight from the rasterizer's pooled runs, with the
        /// result as its only allocation. Same checks and errors as <see cref="ToRle(CocoAnnotation, CocoImage, bool)"/>.
        /// </summary>
        public static byte[]? ToCompressedRle(CocoAnnotation annotation, CocoImage? image)
        {
            if (annotation.Segmentation is CocoPolygonSegmentation polygons && polygons.Polygons.Count == 1)
            {
                var (h, w) = SizeOf(annotation, image);
                ValidatePolygons(polygons.Polygons, annotation.Id);
                return PolygonRasterizer.CompressedFromPolygon(polygons.Polygons[0], h, w);
            }

            return ToRle(annotation, image)?.ToCompressedBytes();
        }

        /// <summary>The area COCO expects for the annotation's geometry, or null when there is none (or it is malformed).</summary>
        public static double? ComputeArea(CocoAnnotation annotation)
        {
            try
            {
                switch (annotation.Segmentation)
                {
                    case CocoPolygonSegmentation polygons:
                        ValidatePolygons(polygons.Polygons, annotation.Id);
                        return PolygonArea(polygons.Polygons);
                    case CocoRleSegmentation rle:
                        return ToRle(rle).Area;
                    default:
                        return annotation.Bbox is CocoBox box && box.IsFinite ? box.Width * box.Height : null;
                }
            }
            catch (CocoToolsException)
            {
                return null;
            }
        }

        /// <summary>The bbox COCO expects for the annotation's segmentation, or null when there is none (or it is malformed).</summary>
        public static CocoBox? ComputeBbox(CocoAnnotation annotation)
        {
            try
            {
                switch (annotation.Segmentation)
                {
                    case CocoPolygonSegmentation polygons:
                        ValidatePolygons(polygons.Polygons, annotation.Id);
                        return PolygonBox(polygons.Polygons);
                    case CocoRleSegmentation rle:
                        var b = ToRle(rle).ToBbox();
                        return new CocoBox(b[0], b[1], b[2], b[3]);
                    default:
                        return null;
                }
            }
            catch (CocoToolsException)
            {
                return null;
            }
        }

        /// <summary>The stored RLE as an <see cref="Rle"/> (compressed strings parsed), unchecked.</summary>
        public static Rle ToRle(CocoRleSegmentation stored) =>
            stored.CompressedCounts != null
                ? Rle.FromCompressedString(stored.CompressedCounts, stored.Height, stored.Width)
                : new Rle(stored.Height, stored.Width, stored.Counts!);

        /// <summary>The mask's height and width from its image; an error when the image has none.</summary>
        private static (int H, int W) SizeOf(CocoAnnotation annotation, CocoImage? image)
        {
            if (image == null)
            {
                throw Error("ImageNotFound", annotation.Id, $"its image {annotation.ImageId} is not in the dataset.", FailureKind.ObjectNotFound);
            }

            if (image.Height is not int h || image.Width is not int w || h <= 0 || w <= 0)
            {
                throw Error("ImageSizeMissing", annotation.Id, $"its image {image.Id} has no positive width and height, so the mask has no size.");
            }

            return (h, w);
        }

        private static Rle CheckedRle(CocoRleSegmentation stored, long annotationId, int h, int w)
        {
            if (stored.Height != h || stored.Width != w)
            {
                throw Error("RleSizeMismatch", annotationId, $"the RLE size is {stored.Height}x{stored.Width} (h x w) but its image is {h}x{w}.");
            }

            var rle = ToRle(stored);
            long total = rle.PixelTotal;
            if (total != (long)h * w)
            {
                throw Error("RleCountsMismatch", annotationId, $"the RLE counts add up to {total}, not h*w = {(long)h * w}.");
            }

            return rle;
        }

        private static CocoToolsException Error(string errorId, long annotationId, string problem, FailureKind kind = FailureKind.InvalidData) =>
            new CocoToolsException(errorId, kind, $"annotation {annotationId}: {problem}") { Target = annotationId };
    }

    /// <summary>Registers <see cref="AnnotationGeometry"/> as the geometry of the Coco/ reader and writer (see <see cref="IAnnotationGeometry"/>).</summary>
    internal sealed class AnnotationGeometryProvider : IAnnotationGeometry
    {
        // CA2255 (net8.0) warns libraries off module initializers; this one only sets the Coco/ layer's geometry hook,
        // which must be in place before any reader runs, whichever public entry point is called first.
#pragma warning disable CA2255
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Register() => CocoGeometry.Current = new AnnotationGeometryProvider();
#pragma warning restore CA2255

        public CocoBox? PolygonBox(IReadOnlyList<double[]> polygons) => AnnotationGeometry.PolygonBox(polygons);

        public double? ComputeArea(CocoAnnotation annotation) => AnnotationGeometry.ComputeArea(annotation);

        public CocoBox? ComputeBbox(CocoAnnotation annotation) => AnnotationGeometry.ComputeBbox(annotation);

        public byte[]? ToCompressedRle(CocoAnnotation annotation, CocoImage? image) => AnnotationGeometry.ToCompressedRle(annotation, image);
    }
}
