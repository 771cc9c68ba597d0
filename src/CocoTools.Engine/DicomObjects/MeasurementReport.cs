using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>
    /// A Structured Report carrying a TID 1500 Measurement Report (Comprehensive, Enhanced, Comprehensive 3D or
    /// Extensible SR), read by walking its content tree: every Measurement Group (125007) under Imaging Measurements
    /// (126010) with its finding, tracking identifiers, numeric measurements, coded evaluations and spatial regions.
    /// A region's image comes from its IMAGE child (SELECTED FROM) or the IMAGE item its by-reference relationship
    /// names. Broken items refuse the object whole (<see cref="DicomObjectException"/>, naming the content item).
    /// Free text other than the tracking identifier, and person names, are never read.
    /// </summary>
    public sealed class MeasurementReport
    {
        /// <summary>The SR SOP classes that can carry spatial coordinates.</summary>
        public static readonly IReadOnlyCollection<string> SopClassUids = new[]
        {
            "1.2.840.10008.5.1.4.1.1.88.22", // Enhanced SR
            "1.2.840.10008.5.1.4.1.1.88.33", // Comprehensive SR
            "1.2.840.10008.5.1.4.1.1.88.34", // Comprehensive 3D SR
            "1.2.840.10008.5.1.4.1.1.88.35", // Extensible SR
        };

        private const int MaxDepth = 64;

        private static readonly DicomTag ReferencedFrameOfReferenceUid = new DicomTag(0x3006, 0x0024);
        private static readonly DicomTag MeasurementUnitsCodeSequence = new DicomTag(0x0040, 0x08EA);
        private static readonly DicomTag ValueType = new DicomTag(0x0040, 0xA040);
        private static readonly DicomTag ConceptNameCodeSequence = new DicomTag(0x0040, 0xA043);
        private static readonly DicomTag Uid = new DicomTag(0x0040, 0xA124);
        private static readonly DicomTag TextValue = new DicomTag(0x0040, 0xA160);
        private static readonly DicomTag FloatingPointValue = new DicomTag(0x0040, 0xA161);
        private static readonly DicomTag ConceptCodeSequence = new DicomTag(0x0040, 0xA168);
        private static readonly DicomTag MeasuredValueSequence = new DicomTag(0x0040, 0xA300);
        private static readonly DicomTag NumericValue = new DicomTag(0x0040, 0xA30A);
        private static readonly DicomTag ContentTemplateSequence = new DicomTag(0x0040, 0xA504);
        private static readonly DicomTag ContentSequence = new DicomTag(0x0040, 0xA730);
        private static readonly DicomTag TemplateIdentifier = new DicomTag(0x0040, 0xDB00);
        private static readonly DicomTag ReferencedContentItemIdentifier = new DicomTag(0x0040, 0xDB73);
        private static readonly DicomTag GraphicData = new DicomTag(0x0070, 0x0022);
        private static readonly DicomTag GraphicType = new DicomTag(0x0070, 0x0023);

        private readonly DicomDataset _root;
        private readonly string? _sourcePath;

        private MeasurementReport(DicomDataset root, string? sourcePath)
        {
            _root = root;
            _sourcePath = sourcePath;
        }

        /// <summary>The report's SOP Instance UID.</summary>
        public string? SopInstanceUid { get; private set; }

        /// <summary>True when the document is a TID 1500 Imaging Measurement Report (root concept 126000, or template 1500).</summary>
        public bool IsMeasurementReport { get; private set; }

        /// <summary>The measurement groups in document order (none when the document is not a measurement report).</summary>
        public IReadOnlyList<SrMeasurementGroup> Groups { get; private set; } = Array.Empty<SrMeasurementGroup>();

        /// <summary>True when the data set's SOP Class is one of <see cref="SopClassUids"/>.</summary>
        public static bool Is(DicomDataset dataset) => ObjectItems.Text(dataset, ObjectItems.SopClassUid) is string uid && SopClassUids.Contains(uid);

        /// <summary>Reads the report; <paramref name="sourcePath"/> names the file in errors.</summary>
        public static MeasurementReport Read(DicomDataset dataset, string? sourcePath)
        {
            var report = new MeasurementReport(dataset, sourcePath) { SopInstanceUid = ObjectItems.Text(dataset, ObjectItems.SopInstanceUid) };
            var title = ObjectItems.Code(dataset, ConceptNameCodeSequence);
            bool template1500 = ObjectItems.Items(dataset, ContentTemplateSequence).Any(t => ObjectItems.Text(t, TemplateIdentifier) == "1500");
            report.IsMeasurementReport = template1500 || (title != null && title.Is("DCM", "126000"));
            if (!report.IsMeasurementReport)
            {
                return report;
            }

            var groups = new List<SrMeasurementGroup>();
            var children = ObjectItems.Items(dataset, ContentSequence);
            for (int k = 0; k < children.Count; k++)
            {
                if (report.Concept(children[k])?.Is("DCM", "126010") == true && ObjectItems.Text(children[k], ValueType) == "CONTAINER")
                {
                    report.CollectGroups(children[k], "1." + (k + 1).ToString(CultureInfo.InvariantCulture), groups, 1);
                }
            }

            report.Groups = groups;
            return report;
        }

        private void CollectGroups(DicomDataset container, string path, List<SrMeasurementGroup> groups, int depth)
        {
            var children = ObjectItems.Items(container, ContentSequence);
            for (int k = 0; k < children.Count; k++)
            {
                string childPath = path + "." + (k + 1).ToString(CultureInfo.InvariantCulture);
                if (ObjectItems.Text(children[k], ValueType) != "CONTAINER")
                {
                    continue;
                }

                if (Concept(children[k])?.Is("DCM", "125007") == true)
                {
                    groups.Add(ReadGroup(children[k], childPath, depth + 1));
                }
                else if (depth < MaxDepth)
                {
                    CollectGroups(children[k], childPath, groups, depth + 1);
                }
            }
        }

        private SrMeasurementGroup ReadGroup(DicomDataset group, string path, int depth)
        {
            CodedConcept? finding = null;
            string? trackingIdentifier = null, trackingUid = null;
            var measurements = new List<SrMeasurement>();
            var evaluations = new List<KeyValuePair<string, string>>();
            var regions = new List<SrRegion>();
            var children = ObjectItems.Items(group, ContentSequence);
            for (int k = 0; k < children.Count; k++)
            {
                var item = children[k];
                string itemPath = path + "." + (k + 1).ToString(CultureInfo.InvariantCulture);
                var concept = Concept(item);
                switch (ObjectItems.Text(item, ValueType))
                {
                    case "TEXT" when concept?.Is("DCM", "112039") == true:
                        trackingIdentifier ??= ObjectItems.Text(item, TextValue);
                        break;
                    case "UIDREF" when concept?.Is("DCM", "112040") == true:
                        trackingUid ??= ObjectItems.Text(item, Uid);
                        break;
                    case "CODE" when concept != null:
                        var value = ObjectItems.Code(item, ConceptCodeSequence)
                            ?? throw Invalid(itemPath, $"the CODE item '{concept.Meaning}' has no Concept Code Sequence.");
                        if (concept.Is("DCM", "121071"))
                        {
                            finding ??= value;
                        }
                        else
                        {
                            evaluations.Add(new KeyValuePair<string, string>(concept.Meaning, value.Meaning));
                        }

                        break;
                    case "NUM" when concept != null:
                        if (ReadMeasurement(item, concept, itemPath) is SrMeasurement measurement)
                        {
                            measurements.Add(measurement);
                        }

                        break;
                }

                CollectRegions(item, itemPath, regions, depth + 1);
            }

            return new SrMeasurementGroup("content item " + path, finding, trackingIdentifier, trackingUid, measurements, evaluations, regions);
        }

        private SrMeasurement? ReadMeasurement(DicomDataset item, CodedConcept concept, string path)
        {
            // A NUM without a Measured Value Sequence item has no value (a Numeric Value Qualifier says why): nothing to keep.
            var measured = ObjectItems.Items(item, MeasuredValueSequence);
            if (measured.Count == 0)
            {
                return null;
            }

            string location = "content item " + path;
            var value = ObjectItems.Numbers(measured[0], FloatingPointValue, _sourcePath, location, "Floating Point Value")
                ?? ObjectItems.Numbers(measured[0], NumericValue, _sourcePath, location, "Numeric Value");
            if (value == null || value.Length != 1)
            {
                throw Invalid(path, $"the measurement '{concept.Meaning}' has {(value == null ? "no" : value.Length.ToString(CultureInfo.InvariantCulture))} numeric value(s), not one.");
            }

            var unit = ObjectItems.Code(measured[0], MeasurementUnitsCodeSequence);
            return new SrMeasurement(concept.Meaning, value[0], unit?.Value ?? unit?.Meaning);
        }

        /// <summary>Every SCOORD / SCOORD3D in and under an item (nested measurement groups excepted).</summary>
        private void CollectRegions(DicomDataset item, string path, List<SrRegion> regions, int depth)
        {
            if (depth > MaxDepth)
            {
                throw Invalid(path, $"the content tree is nested more than {MaxDepth} deep.");
            }

            string? valueType = ObjectItems.Text(item, ValueType);
            if (valueType == "SCOORD" || valueType == "SCOORD3D")
            {
                regions.Add(ReadRegion(item, path, valueType == "SCOORD3D"));
                return;
            }

            if (valueType == "CONTAINER" && Concept(item)?.Is("DCM", "125007") == true)
            {
                return;
            }

            var children = ObjectItems.Items(item, ContentSequence);
            for (int k = 0; k < children.Count; k++)
            {
                CollectRegions(children[k], path + "." + (k + 1).ToString(CultureInfo.InvariantCulture), regions, depth + 1);
            }
        }

        private SrRegion ReadRegion(DicomDataset item, string path, bool is3D)
        {
            string location = "content item " + path;
            string? typeText = ObjectItems.Text(item, GraphicType);
            SrGraphicType type = typeText switch
            {
                "POINT" => SrGraphicType.Point,
                "MULTIPOINT" => SrGraphicType.Multipoint,
                "POLYLINE" => SrGraphicType.Polyline,
                "POLYGON" => SrGraphicType.Polygon,
                "CIRCLE" when !is3D => SrGraphicType.Circle,
                "ELLIPSE" => SrGraphicType.Ellipse,
                "ELLIPSOID" when is3D => SrGraphicType.Ellipsoid,
                null => throw Invalid(path, "Graphic Type is missing."),
                _ => throw Invalid(path, $"Graphic Type '{typeText}' is not one a {(is3D ? "SCOORD3D" : "SCOORD")} may have."),
            };

            var data = ObjectItems.Numbers(item, GraphicData, _sourcePath, location, "Graphic Data")
                ?? throw Invalid(path, "Graphic Data is missing or empty.");
            int d = is3D ? 3 : 2;
            if (data.Length % d != 0)
            {
                throw Invalid(path, $"Graphic Data holds {data.Length} numbers, not a whole number of {(is3D ? "(x, y, z)" : "(column, row)")} points.");
            }

            int points = data.Length / d;
            int? exactly = type switch
            {
                SrGraphicType.Point => 1,
                SrGraphicType.Circle => 2,
                SrGraphicType.Ellipse => 4,
                SrGraphicType.Ellipsoid => 6,
                _ => null,
            };
            int atLeast = type == SrGraphicType.Polygon ? 3 : type == SrGraphicType.Polyline ? 2 : 1;
            if (exactly is int n ? points != n : points < atLeast)
            {
                throw Invalid(path, $"a {typeText} holds {points} point(s); it needs {(exactly is int e ? e.ToString(CultureInfo.InvariantCulture) : "at least " + atLeast.ToString(CultureInfo.InvariantCulture))}.");
            }

            if (is3D)
            {
                return new SrRegion(location, true, type, data, null, ObjectItems.Text(item, ReferencedFrameOfReferenceUid));
            }

            return new SrRegion(location, false, type, data, RegionImage(item, path), null);
        }

        /// <summary>The image a SCOORD is drawn on: an IMAGE child, or the IMAGE item a by-reference child names.</summary>
        private ReferencedImage? RegionImage(DicomDataset scoord, string path)
        {
            var children = ObjectItems.Items(scoord, ContentSequence);
            for (int k = 0; k < children.Count; k++)
            {
                var child = children[k];
                string childPath = path + "." + (k + 1).ToString(CultureInfo.InvariantCulture);
                var target = child;
                if (child[ReferencedContentItemIdentifier] != null)
                {
                    target = Resolve(child, childPath);
                }

                if (ObjectItems.Text(target, ValueType) == "IMAGE")
                {
                    var sop = ObjectItems.Items(target, ObjectItems.ReferencedSopSequence);
                    var image = sop.Count > 0 ? ObjectItems.Image(sop[0], _sourcePath, "content item " + childPath) : null;
                    return image ?? throw Invalid(childPath, "the IMAGE item names no Referenced SOP Instance UID.");
                }
            }

            return null;
        }

        /// <summary>The content item a by-reference relationship names (Referenced Content Item Identifier: 1-based indices from the root).</summary>
        private DicomDataset Resolve(DicomDataset reference, string path)
        {
            var ids = ObjectItems.Numbers(reference, ReferencedContentItemIdentifier, _sourcePath, "content item " + path, "Referenced Content Item Identifier");
            if (ids == null || ids.Length == 0 || ids[0] != 1)
            {
                throw Invalid(path, "Referenced Content Item Identifier does not start at the root (1).");
            }

            var current = _root;
            for (int k = 1; k < ids.Length; k++)
            {
                var items = ObjectItems.Items(current, ContentSequence);
                double id = ids[k];
                if (id < 1 || id > items.Count || Math.Floor(id) != id)
                {
                    throw Invalid(path, $"Referenced Content Item Identifier {string.Join(".", ids.Select(v => v.ToString(CultureInfo.InvariantCulture)))} names no content item.");
                }

                current = items[(int)id - 1];
            }

            return current;
        }

        private CodedConcept? Concept(DicomDataset item) => ObjectItems.Code(item, ConceptNameCodeSequence);

        private DicomObjectException Invalid(string path, string problem) => ObjectItems.Broken(_sourcePath, "content item " + path, problem);
    }
}
