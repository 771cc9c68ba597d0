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
    /// Structured Reports carrying a TID 1500 Measurement Report: each region (SCOORD, SCOORD3D) of each Measurement
    /// Group becomes an annotation of the category named by the group's Finding, else its Tracking Identifier, on the
    /// image the SCOORD names (SCOORD3D: the image whose plane holds all its points). POLYGON and closed POLYLINE are
    /// polygons, CIRCLE and ELLIPSE polygons of the exact shape's box, POINT and each point of a MULTIPOINT a keypoint, an
    /// open POLYLINE (a length) a box with <c>attributes.polyline</c>. The group's numeric measurements go to
    /// <c>attributes.measurements</c>, its coded evaluations to attributes by concept, its tracking identifiers kept.
    /// </summary>
    public sealed class MeasurementReportConverter : IDicomAnnotationConverter
    {
        /// <summary>The category of a group that has neither a finding nor a tracking identifier.</summary>
        public const string UnnamedGroupCategory = "Measurement Group";

        /// <inheritdoc />
        public string ObjectKind => "SR";

        /// <inheritdoc />
        public bool CanConvert(string sopClassUid) => MeasurementReport.SopClassUids.Contains(sopClassUid);

        /// <inheritdoc />
        public DicomConversion Convert(DicomHeader header, DicomAnnotationContext context)
        {
            string path = header.SourcePath ?? "<stream>";
            var report = DicomAnnotationException.Reading(path, () => MeasurementReport.Read(header.Dataset, path));

            if (!report.IsMeasurementReport)
            {
                return DicomConversion.PassOver("a Structured Report that carries no TID 1500 measurement report");
            }

            var conversion = new DicomConversion();
            var categories = new Dictionary<string, DicomCategorySpec>(StringComparer.Ordinal);
            for (int g = 0; g < report.Groups.Count; g++)
            {
                var group = report.Groups[g];
                string item = "measurement group " + (g + 1).ToString(CultureInfo.InvariantCulture);
                if (group.Regions.Count == 0)
                {
                    conversion.Count("measurement groups without an image region");
                    continue;
                }

                string name = group.Label ?? UnnamedGroupCategory;
                foreach (var region in group.Regions)
                {
                    var placed = Place(region, item, context, conversion);
                    if (placed == null)
                    {
                        continue;
                    }

                    var (image, pixels) = placed.Value;
                    foreach (var annotation in Annotations(region, pixels, image, path))
                    {
                        var attributes = Attributes(group, report.SopInstanceUid, region);
                        if (annotation.Keypoints == null && annotation.Segmentation == null)
                        {
                            attributes["polyline"] = pixels;
                            conversion.Count("open polylines kept as boxes");
                        }

                        annotation.Extra.Set("attributes", attributes);
                        bool point = annotation.Keypoints != null;
                        string key = (point ? "k:" : "s:") + name;
                        if (!categories.TryGetValue(key, out var category))
                        {
                            category = new DicomCategorySpec(name) { Keypoints = point ? new[] { "point" } : null };
                            categories.Add(key, category);
                        }

                        conversion.Annotations.Add(new DicomNewAnnotation(annotation, category));
                    }
                }
            }

            return conversion;
        }

        /// <summary>The image of a region and its points in COCO pixel coordinates; null (and recorded) when not placed.</summary>
        private static (PlacedImage Image, double[] Pixels)? Place(SrRegion region, string item, DicomAnnotationContext context, DicomConversion conversion)
        {
            if (region.Is3D)
            {
                // An ellipsoid is a volume: no one image holds it.
                var image = region.GraphicType == SrGraphicType.Ellipsoid ? null : context.Placement.FindByPoints(region.FrameOfReferenceUid, region.GraphicData);
                if (image == null)
                {
                    var why = region.GraphicType == SrGraphicType.Ellipsoid ? DicomAnnotationErrorKind.NotPlaceable : DicomAnnotationGeometry.WhyNotHeld(context.Placement, region.FrameOfReferenceUid);
                    conversion.NotPlaced.Add(new DicomNotPlaced(item + ", " + region.Location, why, null));
                    return null;
                }

                return (image, DicomAnnotationGeometry.ToPixels(image.Plane!, region.GraphicData));
            }

            if (region.Image == null)
            {
                conversion.NotPlaced.Add(new DicomNotPlaced(item + ", " + region.Location, DicomAnnotationErrorKind.NotPlaceable, null));
                return null;
            }

            var named = context.Placement.FindBySop(region.Image.SopInstanceUid, region.Image.Frame);
            if (named == null)
            {
                conversion.NotPlaced.Add(new DicomNotPlaced(item + ", " + region.Location, DicomAnnotationGeometry.WhyNotFound(context.Placement, region.Image), region.Image.SopInstanceUid));
                return null;
            }

            return (named, region.GraphicData);
        }

        private static IEnumerable<CocoAnnotation> Annotations(SrRegion region, double[] xy, PlacedImage image, string path)
        {
            switch (region.GraphicType)
            {
                case SrGraphicType.Point:
                case SrGraphicType.Multipoint:
                    for (int k = 0; k + 1 < xy.Length; k += 2)
                    {
                        var point = new CocoAnnotation { ImageId = image.Image.Id };
                        DicomAnnotationGeometry.SetKeypoints(point, xy.AsSpan(k, 2));
                        yield return point;
                    }

                    yield break;
                case SrGraphicType.Polyline when !region.IsClosedPolyline:
                    var line = new CocoAnnotation { ImageId = image.Image.Id };
                    DicomAnnotationGeometry.SetPolyline(line, xy);
                    yield return line;
                    yield break;
                case SrGraphicType.Circle:
                case SrGraphicType.Ellipse:
                    var shape = region.GraphicType == SrGraphicType.Circle
                        ? RegionShapes.Circle(xy[0], xy[1], xy[2], xy[3])
                        : RegionShapes.EllipseFromAxes(xy[0], xy[1], xy[2], xy[3], xy[4], xy[5], xy[6], xy[7]);
                    if (shape == null)
                    {
                        throw new DicomAnnotationException(DicomAnnotationErrorKind.Broken, path, region.Location,
                            $"the {region.GraphicType.ToString().ToUpperInvariant()} is degenerate (an axis of zero length, or axes that do not share a centre).");
                    }

                    yield return Polygon(shape, image);
                    yield break;
                default:
                    yield return Polygon(xy, image);
                    yield break;
            }
        }

        private static CocoAnnotation Polygon(double[] xy, PlacedImage image)
        {
            var polygons = new[] { xy };
            return new CocoAnnotation
            {
                ImageId = image.Image.Id,
                Segmentation = new CocoPolygonSegmentation(polygons),
                Area = AnnotationGeometry.PolygonArea(polygons),
                Bbox = AnnotationGeometry.PolygonBox(polygons),
                IsCrowd = 0,
            };
        }

        private static SortedDictionary<string, object?> Attributes(SrMeasurementGroup group, string? sopInstanceUid, SrRegion region)
        {
            var attributes = new SortedDictionary<string, object?>(StringComparer.Ordinal);

            // Coded evaluations by concept meaning first, so that the fixed names below win a clash (a concept named
            // "Finding" is the finding itself).
            foreach (var evaluation in group.Evaluations.GroupBy(e => e.Key, StringComparer.Ordinal))
            {
                var values = evaluation.Select(e => e.Value).ToArray();
                attributes[evaluation.Key] = values.Length == 1 ? values[0] : values;
            }

            if (group.Measurements.Count > 0)
            {
                attributes["measurements"] = group.Measurements.Select(m => new SortedDictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["name"] = m.Name,
                    ["value"] = m.Value,
                    ["unit"] = m.Unit,
                }).ToArray();
            }

            if (group.Finding != null)
            {
                attributes["Finding"] = group.Finding.Meaning;
            }

            if (group.TrackingIdentifier != null)
            {
                attributes["TrackingID"] = group.TrackingIdentifier;
            }

            if (group.TrackingUid != null)
            {
                attributes["TrackingUID"] = group.TrackingUid;
            }

            if (sopInstanceUid != null)
            {
                attributes["MeasurementReportSOPInstanceUID"] = sopInstanceUid;
            }

            attributes["GraphicType"] = region.GraphicType.ToString().ToUpperInvariant();
            return attributes;
        }
    }
}
