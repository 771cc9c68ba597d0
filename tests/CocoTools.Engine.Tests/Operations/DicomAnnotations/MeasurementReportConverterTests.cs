using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Operations.DicomAnnotations;
using CocoTools.Engine.Tests.DicomObjects;
using CocoTools.Engine.Tests.Support;
using Xunit;
using static CocoTools.Engine.Tests.Operations.DicomAnnotations.DicomObjectFixtures;

namespace CocoTools.Engine.Tests.Operations.DicomAnnotations
{
    public class MeasurementReportConverterTests
    {
        [Fact]
        public void The_highdicom_circle_becomes_a_polygon_of_its_exact_box_with_the_groups_measurements()
        {
            var ds = DatasetOf(Shared("highdicom_ct_image.dcm"));

            var outcome = new DicomAnnotationImporter(ds).Import(Shared("highdicom_sr_document.dcm"));

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            var annotation = Assert.Single(ds.Annotations);
            Assert.Equal("Spinal cord", Assert.Single(ds.Categories).Name);
            var polygon = Assert.Single(Assert.IsType<CocoPolygonSegmentation>(annotation.Segmentation).Polygons);
            Assert.InRange(Math.Abs(annotation.Area!.Value - (Math.PI * 121)) / (Math.PI * 121), 0, 0.005);
            var box = annotation.Bbox!.Value;
            Assert.All(new[] { box.X - 47, box.Y - 41, box.Width - 22, box.Height - 22 }, d => Assert.InRange(Math.Abs(d), 0, 0.01));
            Assert.Equal(annotation.Area, AnnotationGeometry.PolygonArea(new[] { polygon }));

            using var attributes = JsonDocument.Parse(annotation.Extra.GetRawJson("attributes")!);
            var a = attributes.RootElement;
            var measurement = Assert.Single(a.GetProperty("measurements").EnumerateArray());
            Assert.Equal(("Area of defined region", 1.7, "cm2"), (measurement.GetProperty("name").GetString(), measurement.GetProperty("value").GetDouble(), measurement.GetProperty("unit").GetString()));
            Assert.Equal("Cervico-thoracic spine", a.GetProperty("Finding Site").GetString());
            Assert.Equal("Planar ROI Measurements", a.GetProperty("TrackingID").GetString());
            Assert.Equal("1.2.826.0.1.3680043.8.498.95005499519195632686309166061552196996", a.GetProperty("TrackingUID").GetString());
            Assert.Equal("CIRCLE", a.GetProperty("GraphicType").GetString());
            string json = Json(ds);
            Assert.DoesNotContain("CompressedSamples", json);
            Assert.DoesNotContain("1CT1", json);
            Assert.DoesNotContain("Foo", json); // the person observer's name
        }

        [Fact]
        public void The_highdicom_report_without_its_image_reports_the_missing_image()
        {
            var ds = DatasetOf(Shared("pydicom_CT2_17106.dcm"));

            var outcome = new DicomAnnotationImporter(ds).Import(Shared("highdicom_sr_document.dcm"));

            Assert.Empty(ds.Annotations);
            var missing = Assert.Single(outcome.NotPlaced);
            Assert.Equal((DicomAnnotationErrorKind.ImageMissing, "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"), (missing.Reason, missing.ReferencedSopInstanceUid));
            Assert.Contains("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", outcome.NotPlacedMessage);
        }

        [Fact]
        public void A_structured_report_that_is_not_a_measurement_report_is_passed_over()
        {
            var ds = DatasetOf(Shared("highdicom_ct_image.dcm"));
            var importer = new DicomAnnotationImporter(ds);
            var outcome = importer.Import(Path.Combine(TestPaths.Shared, "dicom-samples", "pydicom_test-SR.dcm"));

            Assert.Equal(DicomImportStatus.NotAnnotationObject, outcome.Status);
            Assert.Equal("a Structured Report that carries no TID 1500 measurement report", outcome.PassedOverReason);
            Assert.Empty(ds.Annotations);
            Assert.Equal(1, importer.Summary.PassedOver);
        }

        [Fact]
        public void Every_graphic_type_becomes_the_COCO_geometry_the_issue_maps_it_to()
        {
            using var temp = new TempDir();
            var ds = DatasetOf(SyntheticImages(temp));
            var sr = SrSamples.EveryGraphicType().Save(temp.File("sr.dcm"));

            var outcome = new DicomAnnotationImporter(ds).Import(sr);

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            Assert.Empty(outcome.NotPlaced);
            long single = ImageOf(ds, "2.25.500").Id;
            CocoAnnotation Of(string category) => ds.Annotations.Single(a => ds.Categories.Find(a.CategoryId!.Value)!.Name == category && a.Keypoints == null);

            // POLYGON and closed POLYLINE: the polygon as drawn.
            Assert.Equal(new double[] { 10, 10, 30, 10, 30, 25, 10, 10 }, Polygon(Of("Nodule")));
            Assert.Equal(single, Of("Nodule").ImageId);
            Assert.Equal(new double[] { 10, 10, 30, 10, 20, 30, 10, 10 }, Polygon(Of("closed outline")));

            // Open POLYLINE (a length): a box and the line in attributes, on frame 2 of the multi-frame image.
            var length = Of("length 1");
            Assert.Null(length.Segmentation);
            Assert.Equal(new CocoBox(5, 5, 20, 10), length.Bbox);
            Assert.Equal(ds.Images.Single(i => CocoImageDicom.Of(i)?.SopInstanceUid == "2.25.502" && CocoImageDicom.Of(i)?.Frame == 2).Id, length.ImageId);
            Assert.Equal(new double[] { 5, 5, 25, 15 }, Attributes(length).GetProperty("polyline").EnumerateArray().Select(v => v.GetDouble()).ToArray());
            Assert.Equal(1, outcome.Counts["open polylines kept as boxes"]);

            // CIRCLE and ELLIPSE: polygons whose area and box are those of the exact shapes.
            AssertShape(Of("Mass"), Math.PI * 100, new CocoBox(30, 30, 20, 20));
            AssertShape(Of("Ellipse finding"), Math.PI * 20 * 10, new CocoBox(20, 30, 40, 20));

            // POINT and each point of a MULTIPOINT: keypoints [x, y, 2] in a category with the keypoint "point".
            var marker = ds.Annotations.Single(a => a.Keypoints != null && ds.Categories.Find(a.CategoryId!.Value)!.Name == "Marker");
            Assert.Equal(new[] { 12.5, 7.25, 2 }, marker.Keypoints);
            Assert.Equal(new[] { "point" }, ds.Categories.FindByName("Marker")!.Keypoints);
            var calcifications = ds.Annotations.Where(a => a.Keypoints != null && ds.Categories.Find(a.CategoryId!.Value)!.Name == "Calcifications").ToList();
            Assert.Equal(new[] { 3.0, 4, 2, 5, 6, 2, 7, 8, 2 }, calcifications.SelectMany(a => a.Keypoints!).ToArray());

            // SCOORD3D: on the image whose plane holds its points, in pixel coordinates (pixel centres at +0.5).
            var volume = Of("Volume slice");
            Assert.Equal(ImageOf(ds, "2.25.503").Id, volume.ImageId);
            Assert.Equal(new[] { 0.5, 0.5, 20.5, 0.5, 20.5, 20.5 }, Polygon(volume));

            // The image an IMAGE item elsewhere in the tree names, by reference.
            Assert.Equal(ImageOf(ds, "2.25.501").Id, ds.Annotations.Single(a => ds.Categories.Find(a.CategoryId!.Value)!.Name == "by reference").ImageId);

            var nodule = Attributes(Of("Nodule"));
            Assert.Equal("Spiculated", nodule.GetProperty("Margin").GetString());
            Assert.Equal(12.5, nodule.GetProperty("measurements")[0].GetProperty("value").GetDouble());
            Assert.Equal("mm", nodule.GetProperty("measurements")[0].GetProperty("unit").GetString());
            Assert.Equal("2.25.77", nodule.GetProperty("TrackingUID").GetString());
            Assert.DoesNotContain("Doe^Jane", Json(ds));
            Assert.DoesNotContain("PATIENT-ID-42", Json(ds));
        }

        [Fact]
        public void Regions_no_image_holds_of_absent_images_or_frames_of_reference_or_no_frame_of_several_are_not_placed_and_the_rest_is_added()
        {
            using var temp = new TempDir();
            var ds = DatasetOf(SyntheticImages(temp));
            var sr = SrSamples.Report(
                SrSamples.Group(SrSamples.Finding("Off every plane"), SrSamples.Scoord3D("POLYGON", new float[] { 0, 0, 40, 20, 0, 40, 20, 20, 40 }, "2.25.900")),
                SrSamples.Group(SrSamples.Finding("Other frame"), SrSamples.Scoord3D("POINT", new float[] { 0, 0, 10 }, "2.25.999")),
                SrSamples.Group(SrSamples.Finding("Volume"), SrSamples.Scoord3D("ELLIPSOID", new float[] { 0, 0, 10, 20, 0, 10, 10, -5, 10, 10, 5, 10, 10, 0, 5, 10, 0, 15 }, "2.25.900")),
                SrSamples.Group(SrSamples.Finding("Elsewhere"), SrSamples.Scoord("POINT", new float[] { 1, 1 }, SrSamples.Image("2.25.404"))),
                SrSamples.Group(SrSamples.Finding("Here"), SrSamples.Scoord("POINT", new float[] { 1, 1 }, SrSamples.Image("2.25.500"))),
                SrSamples.Group(SrSamples.Finding("Which frame"), SrSamples.Scoord("POINT", new float[] { 1, 1 }, SrSamples.Image("2.25.502"))),
                SrSamples.Group(SrSamples.Finding("Measured only"), SrSamples.Num("Volume", 3, "ml"))).Save(temp.File("sr.dcm"));

            var outcome = new DicomAnnotationImporter(ds).Import(sr);

            Assert.Equal("Here", ds.Categories.Find(Assert.Single(ds.Annotations).CategoryId!.Value)!.Name);
            Assert.Equal(
                new[] { (DicomAnnotationErrorKind.NotPlaceable, (string?)null), (DicomAnnotationErrorKind.ImageMissing, null), (DicomAnnotationErrorKind.NotPlaceable, null), (DicomAnnotationErrorKind.ImageMissing, "2.25.404"), (DicomAnnotationErrorKind.NotPlaceable, "2.25.502") },
                outcome.NotPlaced.Select(n => (n.Reason, n.ReferencedSopInstanceUid)).ToArray());
            Assert.StartsWith("measurement group 1, content item 1.2.1.2", outcome.NotPlaced[0].Item);
            Assert.Equal(1, outcome.Counts["measurement groups without an image region"]);
        }

        [Fact]
        public void A_finding_drawn_as_an_outline_and_as_a_point_is_one_category_that_names_its_keypoint()
        {
            using var temp = new TempDir();
            var ds = DatasetOf(SyntheticImages(temp));
            var sr = SrSamples.Report(
                SrSamples.Group(SrSamples.Finding("Nodule"), SrSamples.Scoord("POLYLINE", new float[] { 1, 1, 9, 1, 9, 9, 1, 1 }, SrSamples.Image("2.25.500"))),
                SrSamples.Group(SrSamples.Finding("Nodule"), SrSamples.Scoord("POINT", new float[] { 4, 4 }, SrSamples.Image("2.25.500")))).Save(temp.File("sr.dcm"));

            new DicomAnnotationImporter(ds).Import(sr);

            var nodule = Assert.Single(ds.Categories);
            Assert.Equal(new[] { "point" }, nodule.Keypoints);
            Assert.Equal(2, ds.Annotations.Count);
        }

        [Fact]
        public void Truncated_and_inconsistent_reports_add_nothing()
        {
            using var temp = new TempDir();
            var ds = DatasetOf(Shared("highdicom_ct_image.dcm"));
            var bytes = File.ReadAllBytes(Shared("highdicom_sr_document.dcm"));
            var cut = temp.File("cut.dcm");
            File.WriteAllBytes(cut, bytes.Take(bytes.Length * 2 / 3).ToArray());
            var degenerate = SrSamples.Report(
                SrSamples.Group(SrSamples.Finding("Fine"), SrSamples.Scoord("POINT", new float[] { 1, 1 }, SrSamples.Image("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"))),
                SrSamples.Group(SrSamples.Finding("Flat"), SrSamples.Scoord("ELLIPSE", new float[] { 20, 40, 60, 40, 40, 40, 40, 40 }, SrSamples.Image("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322")))).Save(temp.File("flat.dcm"));
            var importer = new DicomAnnotationImporter(ds);

            var truncated = importer.Import(cut);
            var flat = importer.Import(degenerate);

            Assert.Equal((DicomImportStatus.Failed, DicomAnnotationErrorKind.Truncated), (truncated.Status, truncated.ErrorKind));
            Assert.Equal((DicomImportStatus.Failed, DicomAnnotationErrorKind.Broken), (flat.Status, flat.ErrorKind));
            Assert.StartsWith(degenerate + ": content item 1.2.2.2: the ELLIPSE is degenerate", flat.Error!.Message);
            Assert.Empty(ds.Annotations);
            Assert.Empty(ds.Categories);
        }

        /// <summary>Images 2.25.500 and .501 (64x64), 2.25.502 (3 frames), 2.25.503 (axial at z = 10 mm in Frame of Reference 2.25.900).</summary>
        private static string[] SyntheticImages(TempDir temp)
        {
            double[] axial = { 1, 0, 0, 0, 1, 0 }, unit = { 1, 1 };
            return new[]
            {
                RtStructSamples.Image("2.25.500", "2.25.901", new[] { 0.0, 0, 0 }, axial, unit, 64, 64).Save(temp.File("500.dcm")),
                RtStructSamples.Image("2.25.501", "2.25.901", new[] { 0.0, 0, 0 }, axial, unit, 64, 64).Save(temp.File("501.dcm")),
                RtStructSamples.Image("2.25.502", "2.25.902", new[] { 0.0, 0, 0 }, axial, unit, 64, 64).Numbers(0x0028, 0x0008, "IS", 3).Save(temp.File("502.dcm")),
                RtStructSamples.Image("2.25.503", "2.25.900", new[] { 0.0, 0, 10 }, axial, unit, 64, 64, 2).Save(temp.File("503.dcm")),
            };
        }

        private static double[] Polygon(CocoAnnotation annotation) =>
            Assert.Single(Assert.IsType<CocoPolygonSegmentation>(annotation.Segmentation).Polygons);

        private static JsonElement Attributes(CocoAnnotation annotation) => JsonDocument.Parse(annotation.Extra.GetRawJson("attributes")!).RootElement;

        private static void AssertShape(CocoAnnotation annotation, double area, CocoBox box)
        {
            Assert.InRange(Math.Abs(annotation.Area!.Value - area) / area, 0, 0.005);
            var b = annotation.Bbox!.Value;
            Assert.All(new[] { b.X - box.X, b.Y - box.Y, b.Width - box.Width, b.Height - box.Height }, d => Assert.InRange(Math.Abs(d), 0, 0.01));
        }
    }
}
