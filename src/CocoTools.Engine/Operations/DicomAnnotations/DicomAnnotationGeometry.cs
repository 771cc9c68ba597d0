using System;
using CocoTools.Engine.Coco;
using CocoTools.Engine.DicomObjects;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>Patient points onto image planes, and the COCO geometry members of masks, points and polylines.</summary>
    internal static class DicomAnnotationGeometry
    {
        /// <summary>Patient points x1, y1, z1, ... as COCO pixel coordinates x1, y1, ... on a plane.</summary>
        public static double[] ToPixels(ImagePlane plane, ReadOnlySpan<double> xyz)
        {
            var result = new double[xyz.Length / 3 * 2];
            for (int k = 0, o = 0; o < result.Length; k += 3, o += 2)
            {
                (result[o], result[o + 1]) = plane.ToCocoPoint(xyz[k], xyz[k + 1], xyz[k + 2]);
            }

            return result;
        }

        /// <summary>The largest distance (mm) of the points x1, y1, z1, ... from the plane.</summary>
        public static double MaxDistanceFromPlane(ImagePlane plane, ReadOnlySpan<double> xyz)
        {
            double max = 0;
            for (int k = 0; k + 2 < xyz.Length; k += 3)
            {
                max = Math.Max(max, Math.Abs(plane.DistanceFromPlane(xyz[k], xyz[k + 1], xyz[k + 2])));
            }

            return max;
        }

        /// <summary>
        /// Why a referenced image was not found: the dataset has the object but several of its frames and the reference
        /// names none (NotPlaceable: which frame would be a guess), else the image is not there (ImageMissing).
        /// </summary>
        public static DicomAnnotationErrorKind WhyNotFound(ImagePlacementIndex placement, ReferencedImage reference) =>
            reference.Frame == null && placement.ContainsSop(reference.SopInstanceUid) ? DicomAnnotationErrorKind.NotPlaceable : DicomAnnotationErrorKind.ImageMissing;

        /// <summary>
        /// Why points of a Frame of Reference were not placed: the dataset has no image of that Frame of Reference at
        /// all (ImageMissing: the object's images are not there), or none of its images holds them (NotPlaceable).
        /// </summary>
        public static DicomAnnotationErrorKind WhyNotHeld(ImagePlacementIndex placement, string? frameOfReferenceUid) =>
            placement.ContainsFrameOfReference(frameOfReferenceUid) ? DicomAnnotationErrorKind.NotPlaceable : DicomAnnotationErrorKind.ImageMissing;

        /// <summary>A mask as compressed RLE, its pixel count as area and pycocotools' toBbox as box; iscrowd 0.</summary>
        public static void SetMask(CocoAnnotation annotation, Rle mask)
        {
            annotation.Segmentation = new CocoRleSegmentation(mask.Height, mask.Width, mask.ToCompressedString());
            annotation.Area = mask.Area;
            var box = mask.ToBbox();
            annotation.Bbox = new CocoBox(box[0], box[1], box[2], box[3]);
            annotation.IsCrowd = 0;
        }

        /// <summary>Points x1, y1, ... as keypoints (x, y, 2) with the box of the pixels they lie in.</summary>
        public static void SetKeypoints(CocoAnnotation annotation, ReadOnlySpan<double> xy)
        {
            var keypoints = new double[xy.Length / 2 * 3];
            for (int k = 0, o = 0; o < keypoints.Length; k += 2, o += 3)
            {
                keypoints[o] = xy[k];
                keypoints[o + 1] = xy[k + 1];
                keypoints[o + 2] = 2;
            }

            annotation.Keypoints = keypoints;
            annotation.NumKeypoints = keypoints.Length / 3;
            annotation.Bbox = PointsBox(xy);
            annotation.Area = annotation.Bbox.Value.Area;
            annotation.IsCrowd = 0;
        }

        /// <summary>An open line x1, y1, ... as a box (no segmentation: a line covers no area); the line goes to attributes.</summary>
        public static void SetPolyline(CocoAnnotation annotation, ReadOnlySpan<double> xy)
        {
            annotation.Bbox = PointsBox(xy);
            annotation.Area = annotation.Bbox.Value.Area;
            annotation.IsCrowd = 0;
        }

        /// <summary>
        /// The box of the points' extremes; a side of zero length (one point, a horizontal or vertical line) becomes the
        /// one pixel the points lie in, so that the box keeps a positive size as COCO requires.
        /// </summary>
        public static CocoBox PointsBox(ReadOnlySpan<double> xy)
        {
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            for (int k = 0; k + 1 < xy.Length; k += 2)
            {
                minX = Math.Min(minX, xy[k]);
                maxX = Math.Max(maxX, xy[k]);
                minY = Math.Min(minY, xy[k + 1]);
                maxY = Math.Max(maxY, xy[k + 1]);
            }

            if (maxX == minX)
            {
                minX = Math.Floor(minX);
                maxX = minX + 1;
            }

            if (maxY == minY)
            {
                minY = Math.Floor(minY);
                maxY = minY + 1;
            }

            return CocoBox.FromCorners(minX, minY, maxX, maxY);
        }
    }
}
