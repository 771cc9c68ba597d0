using System.IO;
using System.Linq;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.DicomObjects;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.DicomObjects
{
    public class MeasurementReportTests
    {
        [Fact]
        public void The_highdicom_report_gives_its_planar_roi_group()
        {
            // Checked with pydicom: one Measurement Group, CIRCLE 58\52\58\41 selected from the CT image.
            var path = Path.Combine(RtStructureSetTests.Annotations, "highdicom_sr_document.dcm");
            var dataset = RtStructureSetTests.Read(path);
            Assert.True(MeasurementReport.Is(dataset));
            var report = MeasurementReport.Read(dataset, path);
            Assert.True(report.IsMeasurementReport);
            var group = Assert.Single(report.Groups);
            Assert.Equal("Spinal cord", group.Label);
            Assert.Equal("T-A7010", group.Finding!.Value);
            Assert.Equal("Planar ROI Measurements", group.TrackingIdentifier);
            Assert.Equal("1.2.826.0.1.3680043.8.498.95005499519195632686309166061552196996", group.TrackingUid);
            var measurement = Assert.Single(group.Measurements);
            Assert.Equal(("Area of defined region", 1.7, "cm2"), (measurement.Name, measurement.Value, measurement.Unit));
            Assert.Contains(group.Evaluations, e => e.Key == "Finding Site" && e.Value == "Cervico-thoracic spine");
            var region = Assert.Single(group.Regions);
            Assert.Equal(SrGraphicType.Circle, region.GraphicType);
            Assert.False(region.Is3D);
            Assert.Equal(new double[] { 58, 52, 58, 41 }, region.GraphicData);
            Assert.Equal("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", region.Image!.SopInstanceUid);
            Assert.Null(region.Image.Frame);
            Assert.Equal("content item 1.8.1", group.Location);
        }

        [Fact]
        public void A_comprehensive_sr_that_is_not_a_measurement_report_has_no_groups()
        {
            // pydicom's test-SR.dcm: a Comprehensive SR titled "Diagnosis" with a CIRCLE, but not TID 1500.
            var path = Path.Combine(TestPaths.Shared, "dicom-samples", "pydicom_test-SR.dcm");
            var dataset = RtStructureSetTests.Read(path);
            Assert.True(MeasurementReport.Is(dataset));
            var report = MeasurementReport.Read(dataset, path);
            Assert.False(report.IsMeasurementReport);
            Assert.Empty(report.Groups);
        }

        [Fact]
        public void Every_graphic_type_reads_with_its_image_frame_or_frame_of_reference()
        {
            using var temp = new TempDir();
            var path = SrSamples.EveryGraphicType().Save(temp.File("sr.dcm"));
            var report = MeasurementReport.Read(RtStructureSetTests.Read(path), path);
            Assert.True(report.IsMeasurementReport);
            Assert.Equal(
                new[] { "Nodule", "length 1", "closed outline", "Mass", "Ellipse finding", "Marker", "Calcifications", "Volume slice", "by reference" },
                report.Groups.Select(g => g.Label).ToArray());

            var nodule = report.Groups[0];
            Assert.Equal(new[] { ("Long axis", 12.5, "mm") }, nodule.Measurements.Select(m => (m.Name, m.Value, m.Unit ?? string.Empty)).ToArray());
            Assert.Equal(new[] { ("Margin", "Spiculated") }, nodule.Evaluations.Select(e => (e.Key, e.Value)).ToArray());
            Assert.Equal("2.25.77", nodule.TrackingUid);
            var polygon = Assert.Single(nodule.Regions); // found under the NUM it was inferred from
            Assert.Equal(SrGraphicType.Polygon, polygon.GraphicType);
            Assert.Equal("2.25.500", polygon.Image!.SopInstanceUid);

            var length = Assert.Single(report.Groups[1].Regions);
            Assert.Equal((SrGraphicType.Polyline, false, 2), (length.GraphicType, length.IsClosedPolyline, length.Image!.Frame ?? 0));
            Assert.True(Assert.Single(report.Groups[2].Regions).IsClosedPolyline);
            Assert.Equal(SrGraphicType.Circle, Assert.Single(report.Groups[3].Regions).GraphicType);
            Assert.Equal(SrGraphicType.Ellipse, Assert.Single(report.Groups[4].Regions).GraphicType);
            Assert.Equal(SrGraphicType.Point, Assert.Single(report.Groups[5].Regions).GraphicType);
            Assert.Equal(new double[] { 3, 4, 5, 6, 7, 8 }, Assert.Single(report.Groups[6].Regions).GraphicData);
            var volume = Assert.Single(report.Groups[7].Regions);
            Assert.Equal((true, "2.25.900", (ReferencedImage?)null), (volume.Is3D, volume.FrameOfReferenceUid, volume.Image));
            Assert.Equal(new double[] { 0, 0, 10, 20, 0, 10, 20, 20, 10 }, volume.GraphicData);
            Assert.Equal("2.25.501", Assert.Single(report.Groups[8].Regions).Image!.SopInstanceUid);
        }

        [Theory]
        [InlineData("odd", "content item 1.2.1.2: Graphic Data holds 5 numbers")]
        [InlineData("circle", "content item 1.2.1.2: a CIRCLE holds 3 point(s); it needs 2")]
        [InlineData("type", "content item 1.2.1.2: Graphic Type 'SQUARE' is not one a SCOORD may have")]
        [InlineData("reference", "content item 1.2.1.2.1: Referenced Content Item Identifier 1.9.9 names no content item")]
        [InlineData("num", "content item 1.2.1.3: the measurement 'Long axis' has no numeric value(s), not one")]
        public void Inconsistent_reports_are_refused_naming_the_content_item(string defect, string message)
        {
            var scoord = defect switch
            {
                "odd" => SrSamples.Scoord("POLYLINE", new float[] { 1, 2, 3, 4, 5 }, SrSamples.Image("2.25.500")),
                "circle" => SrSamples.Scoord("CIRCLE", new float[] { 1, 2, 3, 4, 5, 6 }, SrSamples.Image("2.25.500")),
                "type" => SrSamples.Scoord("SQUARE", new float[] { 1, 2, 3, 4 }, SrSamples.Image("2.25.500")),
                _ => SrSamples.Scoord("POINT", new float[] { 1, 2 }, defect == "reference" ? SrSamples.ByReference(1, 9, 9) : SrSamples.Image("2.25.500")),
            };
            var group = SrSamples.Group(SrSamples.TrackingId("x"), scoord);
            if (defect == "num")
            {
                group = SrSamples.Group(SrSamples.TrackingId("x"), scoord, SrSamples.Item("NUM", "CONTAINS", "G-A193", "SRT", "Long axis")
                    .Sequence(0x0040, 0xA300, new TinyDicom().Sequence(0x0040, 0x08EA, TinyDicom.Code("mm", "UCUM", "millimeter"))));
            }

            using var temp = new TempDir();
            var path = SrSamples.Report(group).Save(temp.File("sr.dcm"));
            var e = Assert.Throws<DicomObjectException>(() => MeasurementReport.Read(RtStructureSetTests.Read(path), path));
            Assert.StartsWith(path + ": " + message, e.Message);
        }
    }

    /// <summary>Builds TID 1500 measurement reports for tests.</summary>
    internal static class SrSamples
    {
        public static TinyDicom Item(string valueType, string relationship, string code, string scheme, string meaning) =>
            new TinyDicom()
                .Text(0x0040, 0xA040, "CS", valueType)
                .Text(0x0040, 0xA010, "CS", relationship)
                .Sequence(0x0040, 0xA043, TinyDicom.Code(code, scheme, meaning));

        public static TinyDicom Container(string code, string meaning, params TinyDicom[] children) =>
            Item("CONTAINER", "CONTAINS", code, "DCM", meaning).Text(0x0040, 0xA050, "CS", "SEPARATE").Sequence(0x0040, 0xA730, children);

        public static TinyDicom Group(params TinyDicom[] children) => Container("125007", "Measurement Group", children);

        public static TinyDicom TrackingId(string text) => Item("TEXT", "HAS OBS CONTEXT", "112039", "DCM", "Tracking Identifier").Text(0x0040, 0xA160, "UT", text);

        public static TinyDicom TrackingUid(string uid) => Item("UIDREF", "HAS OBS CONTEXT", "112040", "DCM", "Tracking Unique Identifier").Text(0x0040, 0xA124, "UI", uid);

        public static TinyDicom Finding(string meaning) =>
            Item("CODE", "CONTAINS", "121071", "DCM", "Finding").Sequence(0x0040, 0xA168, TinyDicom.Code("F" + meaning.Length, "SCT", meaning));

        public static TinyDicom Coded(string concept, string value) =>
            Item("CODE", "HAS CONCEPT MOD", "C" + concept.Length, "SCT", concept).Sequence(0x0040, 0xA168, TinyDicom.Code("V" + value.Length, "SCT", value));

        public static TinyDicom Num(string concept, double value, string unit, params TinyDicom[] children)
        {
            var num = Item("NUM", "CONTAINS", "N" + concept.Length, "SCT", concept)
                .Sequence(0x0040, 0xA300, new TinyDicom().Numbers(0x0040, 0xA30A, "DS", value).Sequence(0x0040, 0x08EA, TinyDicom.Code(unit, "UCUM", unit)));
            return children.Length == 0 ? num : num.Sequence(0x0040, 0xA730, children);
        }

        public static TinyDicom Image(string sopInstance, int? frame = null)
        {
            var reference = new TinyDicom().Text(0x0008, 0x1150, "UI", "1.2.840.10008.5.1.4.1.1.2").Text(0x0008, 0x1155, "UI", sopInstance);
            if (frame is int f)
            {
                reference.Numbers(0x0008, 0x1160, "IS", f);
            }

            return new TinyDicom().Text(0x0040, 0xA040, "CS", "IMAGE").Text(0x0040, 0xA010, "CS", "SELECTED FROM").Sequence(0x0008, 0x1199, reference);
        }

        public static TinyDicom ByReference(params uint[] path) =>
            new TinyDicom().Text(0x0040, 0xA010, "CS", "SELECTED FROM").ULong(0x0040, 0xDB73, path);

        public static TinyDicom Scoord(string type, float[] data, TinyDicom image) =>
            Item("SCOORD", "CONTAINS", "111030", "DCM", "Image Region").Text(0x0070, 0x0023, "CS", type).Float(0x0070, 0x0022, data).Sequence(0x0040, 0xA730, image);

        public static TinyDicom Scoord3D(string type, float[] data, string frameOfReference) =>
            Item("SCOORD3D", "CONTAINS", "111030", "DCM", "Image Region").Text(0x0070, 0x0023, "CS", type).Float(0x0070, 0x0022, data).Text(0x3006, 0x0024, "UI", frameOfReference);

        /// <summary>A Comprehensive 3D SR: root 126000, an Image Library (item 1.1) and Imaging Measurements (item 1.2) holding the groups.</summary>
        public static TinyDicom Report(params TinyDicom[] groups) =>
            new TinyDicom()
                .Text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.88.34")
                .Text(0x0008, 0x0018, "UI", "2.25.3003")
                .Text(0x0008, 0x0060, "CS", "SR")
                .Text(0x0010, 0x0010, "PN", "Doe^Jane")
                .Text(0x0010, 0x0020, "LO", "PATIENT-ID-42")
                .Text(0x0010, 0x0030, "DA", "19700101")
                .Text(0x0040, 0xA040, "CS", "CONTAINER")
                .Text(0x0040, 0xA050, "CS", "SEPARATE")
                .Sequence(0x0040, 0xA043, TinyDicom.Code("126000", "DCM", "Imaging Measurement Report"))
                .Sequence(0x0040, 0xA504, new TinyDicom().Text(0x0008, 0x0105, "CS", "DCMR").Text(0x0040, 0xDB00, "CS", "1500"))
                .Sequence(0x0040, 0xA730,
                    Container("111028", "Image Library", Container("126200", "Image Library Group", Image("2.25.501"))),
                    Container("126010", "Imaging Measurements", groups));

        public static TinyDicom EveryGraphicType() => Report(
            Group(TrackingId("lesion 1"), TrackingUid("2.25.77"), Finding("Nodule"), Coded("Margin", "Spiculated"),
                Num("Long axis", 12.5, "mm", Scoord("POLYGON", new float[] { 10, 10, 30, 10, 30, 25, 10, 10 }, Image("2.25.500")))),
            Group(TrackingId("length 1"), Scoord("POLYLINE", new float[] { 5, 5, 25, 15 }, Image("2.25.502", 2))),
            Group(TrackingId("closed outline"), Scoord("POLYLINE", new float[] { 10, 10, 30, 10, 20, 30, 10, 10 }, Image("2.25.500"))),
            Group(Finding("Mass"), Scoord("CIRCLE", new float[] { 40, 40, 40, 30 }, Image("2.25.500"))),
            Group(Finding("Ellipse finding"), Scoord("ELLIPSE", new float[] { 20, 40, 60, 40, 40, 30, 40, 50 }, Image("2.25.500"))),
            Group(Finding("Marker"), Scoord("POINT", new float[] { 12.5f, 7.25f }, Image("2.25.500"))),
            Group(Finding("Calcifications"), Scoord("MULTIPOINT", new float[] { 3, 4, 5, 6, 7, 8 }, Image("2.25.500"))),
            Group(TrackingId("Volume slice"), Scoord3D("POLYGON", new float[] { 0, 0, 10, 20, 0, 10, 20, 20, 10 }, "2.25.900")),
            Group(TrackingId("by reference"), Scoord("POINT", new float[] { 1, 1 }, ByReference(1, 1, 1, 1))));
    }
}
