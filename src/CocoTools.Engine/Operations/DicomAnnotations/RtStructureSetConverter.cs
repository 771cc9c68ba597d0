using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.DicomObjects;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>
    /// RT Structure Set Storage (1.2.840.10008.5.1.4.1.1.481.3): a category per ROI Name (RT ROI Interpreted Type and
    /// ROI Display Color kept on it); per ROI per image one annotation of its closed contours (a polygon list when no
    /// pixel lies in two of them, else their even-odd combination as RLE, so inner contours are holes); POINT contours
    /// as keypoint annotations; open contours as a box with <c>attributes.polyline</c>. A contour's image is the one its
    /// Contour Image Sequence names, else the image of the ROI's Frame of Reference whose plane holds it.
    /// </summary>
    public sealed class RtStructureSetConverter : IDicomAnnotationConverter
    {
        /// <inheritdoc />
        public string ObjectKind => "RTSTRUCT";

        /// <inheritdoc />
        public bool CanConvert(string sopClassUid) => sopClassUid == RtStructureSet.SopClassUid;

        /// <inheritdoc />
        public DicomConversion Convert(DicomHeader header, DicomAnnotationContext context)
        {
            string path = header.SourcePath ?? "<stream>";
            var set = DicomAnnotationException.Reading(path, () => RtStructureSet.Read(header.Dataset, path));

            var conversion = new DicomConversion();
            string? setFrameOfReference = set.FrameOfReferenceUids.Count > 0 ? set.FrameOfReferenceUids[0] : null;
            string? mismatchNote = null;
            foreach (var roi in set.Rois)
            {
                if (roi.Contours.Count == 0)
                {
                    continue;
                }

                string? frameOfReference = roi.FrameOfReferenceUid ?? setFrameOfReference;
                var category = CategoryOf(roi);
                var byImage = new Dictionary<PlacedImage, List<(RtContour Contour, double[] Pixels)>>();
                var order = new List<PlacedImage>();
                for (int k = 0; k < roi.Contours.Count; k++)
                {
                    var contour = roi.Contours[k];
                    string item = $"ROI {roi.Number.ToString(CultureInfo.InvariantCulture)} contour {(k + 1).ToString(CultureInfo.InvariantCulture)}";
                    var image = Place(contour, frameOfReference, item, path, context, conversion);
                    if (image == null)
                    {
                        continue;
                    }

                    if (contour.Images.Count > 0 && image.FrameOfReferenceUid != null && frameOfReference != null && image.FrameOfReferenceUid != frameOfReference)
                    {
                        mismatchNote ??= $"Contour Image Sequence names images whose Frame of Reference ({image.FrameOfReferenceUid}) differs from the structure set's ({frameOfReference}); the contours are placed on the named images.";
                    }

                    if (!byImage.TryGetValue(image, out var list))
                    {
                        list = new List<(RtContour, double[])>();
                        byImage.Add(image, list);
                        order.Add(image);
                    }

                    list.Add((contour, DicomAnnotationGeometry.ToPixels(image.Plane!, contour.Points)));
                }

                foreach (var image in order)
                {
                    try
                    {
                        AddAnnotations(roi, category, image, byImage[image], set.SopInstanceUid, conversion);
                    }
                    catch (CocoToolsException e) when (e.Kind == FailureKind.LimitsExceeded)
                    {
                        // Absurd coordinates: the rasterizer refuses them rather than exhaust memory.
                        throw new DicomAnnotationException(DicomAnnotationErrorKind.Broken, path, $"ROI {roi.Number.ToString(CultureInfo.InvariantCulture)} on {image}", e.Message, e);
                    }
                }
            }

            if (mismatchNote != null)
            {
                conversion.Notes.Add(mismatchNote);
            }

            return conversion;
        }

        private static DicomCategorySpec CategoryOf(RtRoi roi)
        {
            var category = new DicomCategorySpec(roi.Name) { Color = roi.DisplayColor };
            if (roi.Contours.Any(c => c.GeometricType == RtContourGeometricType.Point))
            {
                category.Keypoints = new[] { "point" };
            }

            if (roi.InterpretedType != null)
            {
                category.Members["dicom"] = new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["RTROIInterpretedType"] = roi.InterpretedType };
            }

            return category;
        }

        /// <summary>
        /// The image a contour lies on: the one Contour Image Sequence names (the first the dataset has), checked to hold
        /// the contour; else the image of the Frame of Reference whose plane holds it. Null (and recorded) when none.
        /// </summary>
        private static PlacedImage? Place(RtContour contour, string? frameOfReference, string item, string path, DicomAnnotationContext context, DicomConversion conversion)
        {
            if (contour.Images.Count == 0)
            {
                var found = context.Placement.FindByPoints(frameOfReference, contour.Points);
                if (found == null)
                {
                    conversion.NotPlaced.Add(new DicomNotPlaced(item, DicomAnnotationGeometry.WhyNotHeld(context.Placement, frameOfReference), null));
                }

                return found;
            }

            PlacedImage? image = null;
            foreach (var reference in contour.Images)
            {
                image = context.Placement.FindBySop(reference.SopInstanceUid, reference.Frame);
                if (image != null)
                {
                    break;
                }
            }

            if (image == null)
            {
                conversion.NotPlaced.Add(new DicomNotPlaced(item, DicomAnnotationGeometry.WhyNotFound(context.Placement, contour.Images[0]), contour.Images[0].SopInstanceUid));
                return null;
            }

            if (image.Plane == null)
            {
                conversion.NotPlaced.Add(new DicomNotPlaced(item, DicomAnnotationErrorKind.NotPlaceable, image.SopInstanceUid));
                return null;
            }

            // An OPEN_NONPLANAR contour leaves the plane by definition; every other kind must lie on its image.
            if (contour.GeometricType != RtContourGeometricType.OpenNonplanar)
            {
                double distance = DicomAnnotationGeometry.MaxDistanceFromPlane(image.Plane, contour.Points);
                if (distance > image.Tolerance)
                {
                    throw new DicomAnnotationException(DicomAnnotationErrorKind.OffPlane, path, contour.Location,
                        $"the contour lies up to {Mm(distance)} mm off the plane of the image it names ({image.SopInstanceUid}), more than half the slice spacing ({Mm(image.Tolerance)} mm).");
                }
            }

            return image;
        }

        private static void AddAnnotations(RtRoi roi, DicomCategorySpec category, PlacedImage image, List<(RtContour Contour, double[] Pixels)> contours, string? sopInstanceUid, DicomConversion conversion)
        {
            int height = image.Plane!.Rows, width = image.Plane.Columns;
            var closed = contours.Where(c => c.Contour.IsClosed).Select(c => c.Pixels).ToList();
            if (closed.Count > 0)
            {
                var combined = ContourCombiner.Combine(closed, height, width);
                var annotation = new CocoAnnotation { ImageId = image.Image.Id, IsCrowd = 0 };
                if (combined.Polygons != null)
                {
                    annotation.Segmentation = new CocoPolygonSegmentation(combined.Polygons);
                    annotation.Area = AnnotationGeometry.PolygonArea(combined.Polygons);
                    annotation.Bbox = AnnotationGeometry.PolygonBox(combined.Polygons);
                }
                else if (combined.Mask!.Area > 0)
                {
                    DicomAnnotationGeometry.SetMask(annotation, combined.Mask);
                    conversion.Count("ROI masks with holes or overlaps kept as RLE");
                }
                else
                {
                    conversion.Count("ROI contour sets empty after even-odd combination");
                    annotation = null;
                }

                if (annotation != null)
                {
                    annotation.Extra.Set("attributes", Attributes(roi, sopInstanceUid, closed.Count, null));
                    conversion.Annotations.Add(new DicomNewAnnotation(annotation, category));
                }
            }

            foreach (var (contour, pixels) in contours.Where(c => !c.Contour.IsClosed))
            {
                var annotation = new CocoAnnotation { ImageId = image.Image.Id };
                if (contour.GeometricType == RtContourGeometricType.Point)
                {
                    DicomAnnotationGeometry.SetKeypoints(annotation, pixels);
                    annotation.Extra.Set("attributes", Attributes(roi, sopInstanceUid, 1, null));
                }
                else
                {
                    DicomAnnotationGeometry.SetPolyline(annotation, pixels);
                    annotation.Extra.Set("attributes", Attributes(roi, sopInstanceUid, 1, pixels));
                    conversion.Count("open contours kept as polylines");
                }

                conversion.Annotations.Add(new DicomNewAnnotation(annotation, category));
            }
        }

        private static SortedDictionary<string, object?> Attributes(RtRoi roi, string? sopInstanceUid, int contours, double[]? polyline)
        {
            var attributes = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["ROINumber"] = roi.Number,
                ["NumberOfContours"] = contours,
            };
            if (sopInstanceUid != null)
            {
                attributes["StructureSetSOPInstanceUID"] = sopInstanceUid;
            }

            if (polyline != null)
            {
                attributes["polyline"] = polyline;
            }

            return attributes;
        }

        private static string Mm(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
