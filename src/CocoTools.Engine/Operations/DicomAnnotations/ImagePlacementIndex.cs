using System;
using System.Collections.Generic;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.DicomObjects;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>One dataset image as annotation objects see it: its SOP Instance UID and frame, and its plane.</summary>
    public sealed class PlacedImage
    {
        internal PlacedImage(CocoImage image, string? sopInstanceUid, int? frame, string? frameOfReferenceUid, ImagePlane? plane)
        {
            Image = image;
            SopInstanceUid = sopInstanceUid;
            Frame = frame;
            FrameOfReferenceUid = frameOfReferenceUid;
            Plane = plane;
        }

        /// <summary>The dataset's image.</summary>
        public CocoImage Image { get; }

        /// <summary>Its SOP Instance UID, from its <c>dicom</c> member.</summary>
        public string? SopInstanceUid { get; }

        /// <summary>Its 1-based frame of a multi-frame object; null for a single-frame object.</summary>
        public int? Frame { get; }

        /// <summary>Its Frame of Reference UID.</summary>
        public string? FrameOfReferenceUid { get; }

        /// <summary>Its plane in patient coordinates; null when its <c>dicom</c> member lacks position, orientation, spacing or size.</summary>
        public ImagePlane? Plane { get; }

        /// <summary>
        /// How far (mm, along the normal) a point may lie from the plane and still be on this image: half the slice
        /// spacing (Spacing Between Slices, else Slice Thickness, else the gap to the nearest parallel image of the same
        /// Frame of Reference); 0.01 mm for a lone image that says none of these.
        /// </summary>
        public double Tolerance { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => $"image {Image.Id} ({SopInstanceUid}{(Frame is int f ? " frame " + f : string.Empty)})";
    }

    /// <summary>
    /// Finds the dataset images annotation objects refer to: by SOP Instance UID and frame number, or by Frame of
    /// Reference UID and points in patient coordinates (the image whose plane holds them, nearest wins). Built from
    /// the images' <c>dicom</c> members, so a dataset read back from JSON works without the image files.
    /// </summary>
    public sealed class ImagePlacementIndex
    {
        private const double LoneImageTolerance = 0.01;
        private readonly Dictionary<string, List<PlacedImage>> _bySop = new Dictionary<string, List<PlacedImage>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<PlacedImage>> _byFrameOfReference = new Dictionary<string, List<PlacedImage>>(StringComparer.Ordinal);
        private readonly Dictionary<long, PlacedImage> _byImageId = new Dictionary<long, PlacedImage>();

        private ImagePlacementIndex(int imageCount)
        {
            ImageCount = imageCount;
        }

        /// <summary>How many dataset images the index was built from (to tell when it is out of date).</summary>
        public int ImageCount { get; }

        /// <summary>Indexes a dataset's images.</summary>
        public static ImagePlacementIndex Build(CocoDataset dataset)
        {
            var index = new ImagePlacementIndex(dataset.Images.Count);
            foreach (var image in dataset.Images)
            {
                var dicom = CocoImageDicom.Of(image);
                if (dicom == null)
                {
                    continue;
                }

                double? sliceSpacing = dicom.SpacingBetweenSlices ?? dicom.SliceThickness;
                var plane = ImagePlane.Create(dicom.ImagePositionPatient, dicom.ImageOrientationPatient, dicom.PixelSpacing, image.Height ?? 0, image.Width ?? 0, sliceSpacing);
                var placed = new PlacedImage(image, dicom.SopInstanceUid, dicom.Frame, dicom.FrameOfReferenceUid, plane);
                index._byImageId[image.Id] = placed;
                if (dicom.SopInstanceUid != null)
                {
                    Add(index._bySop, dicom.SopInstanceUid, placed);
                }

                if (dicom.FrameOfReferenceUid != null && plane != null)
                {
                    Add(index._byFrameOfReference, dicom.FrameOfReferenceUid, placed);
                }
            }

            foreach (var stack in index._byFrameOfReference.Values)
            {
                foreach (var placed in stack)
                {
                    placed.Tolerance = placed.Plane!.SliceSpacing is double s ? s / 2 : NearestGap(placed, stack) / 2;
                }
            }

            return index;
        }

        /// <summary>The indexed view of a dataset image; null when it has no <c>dicom</c> member.</summary>
        public PlacedImage? Of(CocoImage image) => _byImageId.TryGetValue(image.Id, out var placed) ? placed : null;

        /// <summary>True when some image has this SOP Instance UID (any frame).</summary>
        public bool ContainsSop(string sopInstanceUid) => _bySop.ContainsKey(sopInstanceUid);

        /// <summary>True when some image with a plane belongs to this Frame of Reference.</summary>
        public bool ContainsFrameOfReference(string? frameOfReferenceUid) => frameOfReferenceUid != null && _byFrameOfReference.ContainsKey(frameOfReferenceUid);

        /// <summary>
        /// The image of a SOP instance and frame (1-based). A single-frame image answers for frame null or 1; an image
        /// that is one frame of several answers for its frame only (null finds it only when the object has one frame here).
        /// </summary>
        public PlacedImage? FindBySop(string sopInstanceUid, int? frame)
        {
            if (!_bySop.TryGetValue(sopInstanceUid, out var images))
            {
                return null;
            }

            foreach (var placed in images)
            {
                if (placed.Frame == frame || (placed.Frame == null && frame == 1))
                {
                    return placed;
                }
            }

            return frame == null && images.Count == 1 ? images[0] : null;
        }

        /// <summary>
        /// The image of a Frame of Reference whose plane holds every point (x, y, z triples, mm): each within the
        /// image's <see cref="PlacedImage.Tolerance"/> along its normal; of several, the nearest (smallest largest distance)
        /// wins. Null when none holds them, or the Frame of Reference is unknown.
        /// </summary>
        public PlacedImage? FindByPoints(string? frameOfReferenceUid, ReadOnlySpan<double> xyz)
        {
            if (frameOfReferenceUid == null || xyz.Length < 3 || !_byFrameOfReference.TryGetValue(frameOfReferenceUid, out var stack))
            {
                return null;
            }

            PlacedImage? best = null;
            double bestDistance = double.PositiveInfinity;
            foreach (var placed in stack)
            {
                double worst = 0;
                for (int p = 0; p + 2 < xyz.Length && worst <= placed.Tolerance; p += 3)
                {
                    worst = Math.Max(worst, Math.Abs(placed.Plane!.DistanceFromPlane(xyz[p], xyz[p + 1], xyz[p + 2])));
                }

                if (worst <= placed.Tolerance && worst < bestDistance)
                {
                    best = placed;
                    bestDistance = worst;
                }
            }

            return best;
        }

        private static void Add(Dictionary<string, List<PlacedImage>> index, string key, PlacedImage placed)
        {
            if (!index.TryGetValue(key, out var list))
            {
                list = new List<PlacedImage>();
                index.Add(key, list);
            }

            list.Add(placed);
        }

        /// <summary>The distance along the normal to the nearest other parallel plane of the stack; a small default when there is none.</summary>
        private static double NearestGap(PlacedImage placed, List<PlacedImage> stack)
        {
            var plane = placed.Plane!;
            double gap = double.PositiveInfinity;
            foreach (var other in stack)
            {
                if (ReferenceEquals(other, placed) || !other.Plane!.IsParallelTo(plane))
                {
                    continue;
                }

                double d = Math.Abs(plane.DistanceFromPlane(other.Plane.Position[0], other.Plane.Position[1], other.Plane.Position[2]));
                if (d > 1e-6)
                {
                    gap = Math.Min(gap, d);
                }
            }

            return double.IsPositiveInfinity(gap) ? LoneImageTolerance * 2 : gap;
        }
    }
}
