using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations.DicomAnnotations;
using CocoTools.Engine.Tests.DicomObjects;
using CocoTools.Engine.Tests.Support;
using Xunit;
using static CocoTools.Engine.Tests.Operations.DicomAnnotations.DicomObjectFixtures;

namespace CocoTools.Engine.Tests.Operations.DicomAnnotations
{
    public class RtStructureSetConverterTests
    {
        private const string ObliqueFrame = "2.25.900";

        [Fact]
        public void The_rtutils_hole_is_an_even_odd_RLE_equal_to_pycocotools_and_the_foreign_frame_of_reference_warns_once()
        {
            string rt = Shared("rtutils_rt.dcm"), ct = Shared("rtutils_ct_1.dcm");
            var ds = DatasetOf(ct);
            var importer = new DicomAnnotationImporter(ds);

            var outcome = importer.Import(rt);

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            var annotation = Assert.Single(ds.Annotations);
            Assert.IsType<CocoRleSegmentation>(annotation.Segmentation);
            var expected = Assert.Single(RtStructOracle.Masks(rt, ct));
            Assert.Equal(Decode(expected), Decode(annotation, ds.Images[0]));
            Assert.Equal(expected.Area, annotation.Area);
            Assert.Equal(expected.Counts, LoadedByPycocotools(ds)[annotation.Id]);

            // The structure set's Frame of Reference is not its CT's; the image Contour Image Sequence names wins, once.
            var note = Assert.Single(outcome.Notes);
            Assert.Contains("1.2.840.113619.2.405.3.84541899.902.1605198123.912.6060.1", note);
            Assert.Contains("placed on the named images", note);
            var category = Assert.Single(ds.Categories);
            Assert.Equal("ROI-1", category.Name);
            Assert.Equal(new[] { 162, 136, 95 }, category.Color);
            Assert.Equal(1, outcome.Counts["ROI masks with holes or overlaps kept as RLE"]);
            Assert.Contains("\"ROINumber\":1", annotation.Extra.GetRawJson("attributes"));
            Assert.DoesNotContain("PHANTOM_EXAMPLE", Json(ds));
        }

        [Fact]
        public void The_pydicom_structure_set_whose_images_are_absent_is_reported_not_guessed()
        {
            // Its contours name no image and its Frame of Reference has none here: its images are missing.
            var ds = DatasetOf(Shared("pydicom_CT2_17106.dcm"));
            var outcome = new DicomAnnotationImporter(ds).Import(Shared("pydicom_rtstruct.dcm"));

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            Assert.Empty(ds.Annotations);
            Assert.Equal(5, outcome.NotPlaced.Count);
            Assert.All(outcome.NotPlaced, n => Assert.Equal(DicomAnnotationErrorKind.ImageMissing, n.Reason));
            Assert.Contains("5 item(s) not placed", outcome.NotPlacedMessage);
            Assert.Contains("ROI 1 contour 1", outcome.NotPlacedMessage);
        }

        [Fact]
        public void The_pydicom_structure_set_lands_on_images_of_its_frame_of_reference_planes_nearest_first()
        {
            // Axial images of its Frame of Reference at the contours' z (-200, -190, -180) and the isocentre's (0), 10 mm apart.
            using var temp = new TempDir();
            const string frame = "1.2.826.0.1.3680043.8.498.2010020400001.2";
            var paths = new[] { -200.0, -190, -180, 0 }.Select((z, k) => RtStructSamples.Image("2.25.70" + k, frame, new[] { -250.0, -250, z }, new[] { 1.0, 0, 0, 0, 1, 0 }, new[] { 2.0, 2 }, 256, 256, 10).Save(temp.File($"ct{k}.dcm"))).ToArray();
            var ds = DatasetOf(paths);
            string rt = Shared("pydicom_rtstruct.dcm");

            var outcome = new DicomAnnotationImporter(ds).Import(rt);

            Assert.Empty(outcome.NotPlaced);
            var oracle = RtStructOracle.Masks(rt, paths);
            Assert.Equal(3, oracle.Count);
            var outlines = ds.Annotations.Where(a => a.Segmentation != null).ToList();
            Assert.Equal(3, outlines.Count);
            foreach (var expected in oracle)
            {
                var image = ImageOf(ds, expected.Image);
                var annotation = Assert.Single(outlines, a => a.ImageId == image.Id);
                Assert.IsType<CocoPolygonSegmentation>(annotation.Segmentation);
                Assert.Equal(Decode(expected), Decode(annotation, image));
            }

            // The two isocentres are POINT contours: keypoints at the centre of the 0 mm image, in the ISOCENTER categories.
            var points = ds.Annotations.Where(a => a.Keypoints != null).ToList();
            Assert.Equal(2, points.Count);
            Assert.All(points, p => Assert.Equal(new[] { 125.5, 125.5, 2 }, p.Keypoints));
            Assert.All(points, p => Assert.Equal(ImageOf(ds, "2.25.703").Id, p.ImageId));
            var isocentre = ds.Categories.Single(c => c.Name == "Isocenter 1");
            Assert.Equal(new[] { "point" }, isocentre.Keypoints);
            Assert.Contains("ISOCENTER", isocentre.Extra.GetRawJson("dicom"));
            Assert.DoesNotContain("Phantom30sep", Json(ds));
            Assert.DoesNotContain("19691231", Json(ds));
        }

        [Fact]
        public void Oblique_planes_hold_their_contours_holes_points_and_open_lines_pixel_for_pixel()
        {
            using var temp = new TempDir();
            var (images, planes) = ObliqueImages(temp);
            var rt = RtStructSamples.StructureSet(ObliqueFrame)
                .Sequence(0x3006, 0x0020,
                    RtStructSamples.RoiDefinition(1, "Oblique organ", ObliqueFrame),
                    RtStructSamples.RoiDefinition(2, "Marker", ObliqueFrame),
                    RtStructSamples.RoiDefinition(3, "Line", ObliqueFrame),
                    RtStructSamples.RoiDefinition(4, "Elsewhere", ObliqueFrame))
                .Sequence(0x3006, 0x0080, RtStructSamples.Observation(1, "ORGAN"), RtStructSamples.Observation(2, "MARKER"))
                .Sequence(0x3006, 0x0039,
                    RtStructSamples.RoiContour(1, new double[] { 0, 255, 0 },
                        RtStructSamples.Contour("CLOSED_PLANAR", planes[0](new[] { 5.23, 4.17, 30.71, 8.33, 41.94, 30.26, 20.42, 36.63, 3.38, 22.81 }), null),
                        RtStructSamples.Contour("CLOSED_PLANAR", planes[1](new[] { 4.03, 4.04, 44.02, 4.01, 44.06, 34.03, 4.07, 34.04 }), null),
                        RtStructSamples.Contour("CLOSED_PLANAR", planes[1](new[] { 14.52, 12.53, 30.56, 12.51, 30.54, 24.57, 14.53, 24.52 }), null)),
                    RtStructSamples.RoiContour(2, null, RtStructSamples.Contour("POINT", planes[0](new[] { 12.0, 7.0 }), "2.25.800")),
                    RtStructSamples.RoiContour(3, null, RtStructSamples.Contour("OPEN_PLANAR", planes[1](new[] { 2.0, 30.0, 20.0, 30.0, 40.0, 30.0 }), null)),
                    RtStructSamples.RoiContour(4, null, RtStructSamples.Contour("CLOSED_PLANAR", Shift(planes[0](new[] { 1.0, 1, 9, 1, 9, 9 }), 9), null)))
                .Save(temp.File("rt.dcm"));
            var ds = DatasetOf(images);

            var outcome = new DicomAnnotationImporter(ds).Import(rt);

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            var oracle = RtStructOracle.Masks(rt, images);
            Assert.Equal(2, oracle.Count);
            var loaded = LoadedByPycocotools(ds);
            foreach (var expected in oracle)
            {
                var image = ImageOf(ds, expected.Image);
                var annotation = Assert.Single(ds.Annotations, a => a.ImageId == image.Id && a.Segmentation != null);
                Assert.Equal(Decode(expected), Decode(annotation, image));
                Assert.Equal(expected.Counts, loaded[annotation.Id]);
            }

            Assert.IsType<CocoPolygonSegmentation>(ds.Annotations.Single(a => a.ImageId == ImageOf(ds, "2.25.800").Id && a.Segmentation != null).Segmentation);
            Assert.IsType<CocoRleSegmentation>(ds.Annotations.Single(a => a.ImageId == ImageOf(ds, "2.25.801").Id && a.Segmentation != null).Segmentation);

            var marker = Assert.Single(ds.Annotations, a => a.Keypoints != null);
            Assert.Equal(12.5, marker.Keypoints![0], 9);
            Assert.Equal(7.5, marker.Keypoints[1], 9);
            Assert.Equal(new CocoBox(12, 7, 1, 1), marker.Bbox);

            var line = Assert.Single(ds.Annotations, a => a.Keypoints == null && a.Segmentation == null);
            using var attributes = JsonDocument.Parse(line.Extra.GetRawJson("attributes")!);
            var polyline = attributes.RootElement.GetProperty("polyline").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(new[] { 2.5, 30.5, 20.5, 30.5, 40.5, 30.5 }, polyline.Select(v => Math.Round(v, 9)).ToArray());
            Assert.Equal(new CocoBox(2.5, 30, 38, 1), new CocoBox(Math.Round(line.Bbox!.Value.X, 9), Math.Round(line.Bbox.Value.Y, 9), Math.Round(line.Bbox.Value.Width, 9), line.Bbox.Value.Height));
            Assert.Equal(1, outcome.Counts["open contours kept as polylines"]);

            var elsewhere = Assert.Single(outcome.NotPlaced);
            Assert.Equal(("ROI 4 contour 1", DicomAnnotationErrorKind.NotPlaceable), (elsewhere.Item, elsewhere.Reason));
            Assert.Empty(outcome.Notes);
        }

        [Fact]
        public void A_contour_off_the_plane_of_the_image_it_names_refuses_the_object_whole()
        {
            using var temp = new TempDir();
            var (images, planes) = ObliqueImages(temp);
            var triangle = planes[0](new[] { 1.0, 1, 9, 1, 9, 9 });
            var rt = OneRoi(ObliqueFrame, Closed(triangle, "2.25.800"), Closed(Shift(triangle, 2), "2.25.800")).Save(temp.File("rt.dcm"));
            var ds = DatasetOf(images);

            var outcome = new DicomAnnotationImporter(ds).Import(rt);

            Assert.Equal(DicomImportStatus.Failed, outcome.Status);
            Assert.Equal(DicomAnnotationErrorKind.OffPlane, outcome.ErrorKind);
            Assert.StartsWith(rt + ": ROI Contour Sequence item 1, Contour Sequence item 2: the contour lies up to 2 mm off the plane of the image it names (2.25.800)", outcome.Error!.Message);
            Assert.Empty(ds.Annotations);
            Assert.Empty(ds.Categories);
        }

        [Fact]
        public void A_named_image_that_is_absent_is_reported_and_the_rest_is_added()
        {
            using var temp = new TempDir();
            var (images, planes) = ObliqueImages(temp);
            var triangle = planes[0](new[] { 1.0, 1, 9, 1, 9, 9 });
            var rt = OneRoi(ObliqueFrame, Closed(triangle, "2.25.800"), Closed(triangle, "2.25.404"), Closed(triangle, "2.25.405")).Save(temp.File("rt.dcm"));
            var ds = DatasetOf(images);

            var outcome = new DicomAnnotationImporter(ds).Import(rt);

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            Assert.Single(ds.Annotations);
            Assert.Equal(new[] { "2.25.404", "2.25.405" }, outcome.NotPlaced.Select(n => n.ReferencedSopInstanceUid).ToArray());
            Assert.All(outcome.NotPlaced, n => Assert.Equal(DicomAnnotationErrorKind.ImageMissing, n.Reason));
            Assert.Contains("2.25.404, 2.25.405", outcome.NotPlacedMessage);
        }

        [Fact]
        public void Truncated_and_inconsistent_structure_sets_add_nothing()
        {
            using var temp = new TempDir();
            var ds = DatasetOf(Shared("rtutils_ct_1.dcm"));
            var bytes = File.ReadAllBytes(Shared("rtutils_rt.dcm"));
            var cut = temp.File("cut.dcm");
            File.WriteAllBytes(cut, bytes.Take(bytes.Length - 200).ToArray());
            var broken = OneRoi("1.2.3", Closed(new double[] { 0, 0, 60, 10, 0, 60, 10, 10, 60 }, "2.16.840.1.114362.1.11940992.23790159890.563423471.893.87"), Closed(new double[] { 0, 0, 60, 10, 0, 60, 10, 10 }, null)).Save(temp.File("broken.dcm"));
            var importer = new DicomAnnotationImporter(ds);

            var truncated = importer.Import(cut);
            var inconsistent = importer.Import(broken);

            Assert.Equal((DicomImportStatus.Failed, DicomAnnotationErrorKind.Truncated), (truncated.Status, truncated.ErrorKind));
            Assert.Equal((DicomImportStatus.Failed, DicomAnnotationErrorKind.Broken), (inconsistent.Status, inconsistent.ErrorKind));
            Assert.Equal("DicomAnnotationBroken", inconsistent.Error!.ErrorId);
            Assert.StartsWith(broken + ": ROI Contour Sequence item 1, Contour Sequence item 2: Contour Data holds 8 numbers", inconsistent.Error.Message);
            Assert.Empty(ds.Annotations);
            Assert.Empty(ds.Categories);
        }

        [Fact]
        public void Contours_with_absurd_coordinates_are_refused_naming_the_roi_and_image()
        {
            using var temp = new TempDir();
            const string ct = "2.16.840.1.114362.1.11940992.23790159890.563423471.893.87";
            var rt = OneRoi("1.2.3", Closed(new double[] { 0, 0, 60, 10, 0, 60, 10, 10, 60 }, ct), Closed(new double[] { 0, 0, 60, 1e9, 0, 60, 1e9, 1e9, 60 }, ct)).Save(temp.File("huge.dcm"));
            var ds = DatasetOf(Shared("rtutils_ct_1.dcm"));

            var outcome = new DicomAnnotationImporter(ds).Import(rt);

            Assert.Equal((DicomImportStatus.Failed, DicomAnnotationErrorKind.Broken), (outcome.Status, outcome.ErrorKind));
            Assert.StartsWith(rt + ": ROI 1 on image 1 (" + ct + "): The polygon's coordinates are too large", outcome.Error!.Message);
            Assert.Empty(ds.Annotations);
        }

        /// <summary>A structure set of one ROI, "Organ", with these contours.</summary>
        private static TinyDicom OneRoi(string frameOfReference, params TinyDicom[] contours) =>
            RtStructSamples.StructureSet(frameOfReference)
                .Sequence(0x3006, 0x0020, RtStructSamples.RoiDefinition(1, "Organ", frameOfReference))
                .Sequence(0x3006, 0x0039, RtStructSamples.RoiContour(1, null, contours));

        private static TinyDicom Closed(double[] points, string? image) => RtStructSamples.Contour("CLOSED_PLANAR", points, image);

        /// <summary>The dataset written as COCO JSON and loaded by pycocotools: annotation id to <c>annToMask</c>'s counts.</summary>
        private static System.Collections.Generic.IReadOnlyDictionary<long, string> LoadedByPycocotools(CocoDataset ds)
        {
            using var temp = new TempDir();
            var path = temp.Write("coco.json", Json(ds));
            return RtStructOracle.LoadedMasks(path);
        }

        /// <summary>
        /// Two parallel oblique images 2.5 mm apart (row direction x, column direction tilted 30 degrees about x,
        /// rows 0.8 mm and columns 0.6 mm apart), and for each a map from pixel indices (i, j) to patient points.
        /// </summary>
        private static (string[] Paths, Func<double[], double[]>[] Planes) ObliqueImages(TempDir temp)
        {
            double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);
            double[] row = { 1, 0, 0 }, column = { 0, c, s }, normal = { 0, -s, c };
            double[] first = { -10, -5, 3 };
            double[] second = { first[0] + (2.5 * normal[0]), first[1] + (2.5 * normal[1]), first[2] + (2.5 * normal[2]) };
            var paths = new[] { first, second }.Select((ipp, k) =>
                RtStructSamples.Image("2.25.80" + k, ObliqueFrame, ipp, new[] { row[0], row[1], row[2], column[0], column[1], column[2] }, new[] { 0.8, 0.6 }, 40, 50, 2.5).Save(temp.File($"oblique{k}.dcm"))).ToArray();
            Func<double[], double[]> Map(double[] ipp) => ij => Enumerable.Range(0, ij.Length / 2).SelectMany(k => Enumerable.Range(0, 3).Select(a =>
                ipp[a] + (ij[2 * k] * 0.6 * row[a]) + (ij[(2 * k) + 1] * 0.8 * column[a]))).ToArray();
            return (paths, new[] { Map(first), Map(second) });
        }

        /// <summary>Moves patient points along the images' normal by <paramref name="mm"/>.</summary>
        private static double[] Shift(double[] xyz, double mm)
        {
            double c = Math.Cos(Math.PI / 6), s = Math.Sin(Math.PI / 6);
            return xyz.Select((v, i) => v + (mm * (i % 3 == 1 ? -s : i % 3 == 2 ? c : 0))).ToArray();
        }
    }
}
