using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.DicomObjects;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.DicomObjects
{
    public class RtStructureSetTests
    {
        private const string PydicomDump = @"
import json, sys
import pydicom
d = pydicom.dcmread(sys.argv[1], force=True)
types = {o.ReferencedROINumber: o.get('RTROIInterpretedType') or None for o in d.get('RTROIObservationsSequence', [])}
contours = {rc.ReferencedROINumber: rc for rc in d.get('ROIContourSequence', [])}
out = []
for r in d.StructureSetROISequence:
    rc = contours.get(r.ROINumber)
    out.append({'number': int(r.ROINumber), 'name': r.ROIName, 'for': r.get('ReferencedFrameOfReferenceUID'),
                'type': types.get(r.ROINumber),
                'color': [int(v) for v in rc.ROIDisplayColor] if rc is not None and 'ROIDisplayColor' in rc else None,
                'contours': [{'type': c.ContourGeometricType, 'points': [float(v) for v in c.ContourData],
                              'images': [i.ReferencedSOPInstanceUID for i in c.get('ContourImageSequence', [])]}
                             for c in (rc.get('ContourSequence', []) if rc is not None else [])]})
print(json.dumps(out))
";

        public static string Annotations => Path.Combine(TestPaths.Shared, "dicom-annotations");

        internal static DicomDataset Read(string path) => DicomReader.ReadHeader(path).Dataset;

        [Theory]
        [InlineData("rtutils_rt.dcm")]
        [InlineData("pydicom_rtstruct.dcm")]
        public void Every_roi_and_contour_reads_as_pydicom_reads_it(string file)
        {
            var path = Path.Combine(Annotations, file);
            var result = PythonOracle.RunPython(PydicomDump, path);
            Assert.True(result.ExitCode == 0, result.StdErr);
            using var expected = JsonDocument.Parse(result.StdOut);
            var dataset = Read(path);
            Assert.True(RtStructureSet.Is(dataset));
            var set = RtStructureSet.Read(dataset, path);
            Assert.Equal(expected.RootElement.GetArrayLength(), set.Rois.Count);
            foreach (var (roi, e) in set.Rois.Zip(expected.RootElement.EnumerateArray()))
            {
                Assert.Equal(e.GetProperty("number").GetInt32(), roi.Number);
                Assert.Equal(e.GetProperty("name").GetString(), roi.Name);
                Assert.Equal(e.GetProperty("for").GetString(), roi.FrameOfReferenceUid);
                Assert.Equal(e.GetProperty("type").ValueKind == JsonValueKind.Null ? null : e.GetProperty("type").GetString(), roi.InterpretedType);
                Assert.Equal(e.GetProperty("color").EnumerateArray().Select(c => c.GetInt32()).ToArray(), roi.DisplayColor);
                var contours = e.GetProperty("contours").EnumerateArray().ToList();
                Assert.Equal(contours.Count, roi.Contours.Count);
                foreach (var (contour, c) in roi.Contours.Zip(contours))
                {
                    Assert.Equal(c.GetProperty("type").GetString()!.Replace("_", string.Empty), contour.GeometricType.ToString().ToUpperInvariant());
                    Assert.Equal(c.GetProperty("points").EnumerateArray().Select(p => p.GetDouble()).ToArray(), contour.Points);
                    Assert.Equal(c.GetProperty("images").EnumerateArray().Select(i => i.GetString()).ToArray(), contour.Images.Select(i => i.SopInstanceUid).ToArray());
                }
            }
        }

        [Fact]
        public void The_rtutils_hole_combines_even_odd_pixel_for_pixel_with_pycocotools()
        {
            string rt = Path.Combine(Annotations, "rtutils_rt.dcm"), ct = Path.Combine(Annotations, "rtutils_ct_1.dcm");
            var expected = Assert.Single(RtStructOracle.Masks(rt, ct));
            var image = Read(ct);
            var plane = ImagePlane.Create(
                image.GetDoubles(new DicomTag(0x0020, 0x0032)),
                image.GetDoubles(new DicomTag(0x0020, 0x0037)),
                image.GetDoubles(new DicomTag(0x0028, 0x0030)),
                512,
                512,
                null)!;
            var roi = Assert.Single(RtStructureSet.Read(Read(rt), rt).Rois);
            Assert.Equal(2, roi.Contours.Count);
            var combined = ContourCombiner.Combine(roi.Contours.Select(c => ToPixels(plane, c.Points)).ToList(), 512, 512);

            Assert.Null(combined.Polygons); // the inner square is a hole: no polygon list can carry it
            Assert.Equal(expected.Counts, combined.Mask!.ToCompressedString());
            Assert.True(expected.Area > 0 && expected.Area < PolygonArea(roi.Contours[0], plane));
        }

        [Fact]
        public void Disjoint_contours_stay_polygons()
        {
            var squares = new[] { new double[] { 1, 1, 5, 1, 5, 5, 1, 5 }, new double[] { 10, 10, 14, 10, 14, 14, 10, 14 } };
            var combined = ContourCombiner.Combine(squares, 20, 20);
            Assert.Same(squares, combined.Polygons);
            Assert.Null(combined.Mask);
        }

        [Fact]
        public void Overlapping_contours_that_do_not_nest_also_combine_even_odd()
        {
            var a = new double[] { 1, 1, 10, 1, 10, 10, 1, 10 };
            var b = new double[] { 5, 5, 15, 5, 15, 15, 5, 15 };
            var combined = ContourCombiner.Combine(new[] { a, b }, 20, 20);
            var expected = CocoTools.Engine.Masks.RleSetOperations.ExclusiveOr(new[] { CocoTools.Engine.Masks.PolygonRasterizer.FromPolygon(a, 20, 20), CocoTools.Engine.Masks.PolygonRasterizer.FromPolygon(b, 20, 20) });
            Assert.Equal(expected.Counts.ToArray(), combined.Mask!.Counts.ToArray());
        }

        [Theory]
        [InlineData("points", "Number of Contour Points says 5 but Contour Data holds 4 points")]
        [InlineData("triples", "not a whole number of (x, y, z) points")]
        [InlineData("roi", "Referenced ROI Number 9 names no item of Structure Set ROI Sequence")]
        [InlineData("type", "Contour Geometric Type 'CLOSED' is not one the standard defines")]
        [InlineData("nan", "Contour Data holds a value that is not a finite number")]
        [InlineData("color", "ROI Display Color is not three integers 0-255")]
        [InlineData("point", "a POINT contour holds 2 points, not 1")]
        [InlineData("frames", "names 2 frames")]
        public void Inconsistent_structure_sets_are_refused_naming_the_item(string defect, string message)
        {
            var contour = RtStructSamples.Contour("CLOSED_PLANAR", new double[] { 0, 0, 0, 10, 0, 0, 10, 10, 0, 0, 10, 0 }, "1.2.3.4");
            int referenced = 1;
            var color = new double[] { 255, 0, 0 };
            switch (defect)
            {
                case "points": contour.Numbers(0x3006, 0x0046, "IS", 5); break;
                case "triples": contour.Numbers(0x3006, 0x0050, "DS", 0, 0, 0, 10, 0, 0, 10, 10); break;
                case "roi": referenced = 9; break;
                case "type": contour.Text(0x3006, 0x0042, "CS", "CLOSED"); break;
                case "nan": contour.Text(0x3006, 0x0050, "DS", "0\\0\\0\\1\\x\\0\\1\\1\\0"); break;
                case "color": color = new double[] { 255, 0 }; break;
                case "point": contour = RtStructSamples.Contour("POINT", new double[] { 0, 0, 0, 1, 1, 0 }, null); break;
                case "frames": contour.Sequence(0x3006, 0x0016, new TinyDicom().Text(0x0008, 0x1155, "UI", "1.2.3.4").Numbers(0x0008, 0x1160, "IS", 1, 2)); break;
            }

            var set = RtStructSamples.StructureSet("1.2.3")
                .Sequence(0x3006, 0x0020, RtStructSamples.RoiDefinition(1, "Liver", "1.2.3"))
                .Sequence(0x3006, 0x0039, RtStructSamples.RoiContour(referenced, color, contour));
            using var temp = new TempDir();
            var path = set.Save(temp.File("rt.dcm"));
            var e = Assert.Throws<DicomObjectException>(() => RtStructureSet.Read(Read(path), path));
            Assert.Contains(message, e.Message);
            Assert.StartsWith(path + ": ROI Contour Sequence item 1", e.Message);
            Assert.Equal("DicomObjectBroken", e.ErrorId);
        }

        [Fact]
        public void Contour_data_longer_than_the_reader_keeps_is_refused_not_read_as_missing()
        {
            // Only Implicit VR can hold a DS value over 64 KiB: pydicom writes one of 1.2 MB.
            const string Writer = @"
import sys
from pydicom.dataset import Dataset, FileMetaDataset
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.481.3'
meta.MediaStorageSOPInstanceUID = '2.25.1'
meta.TransferSyntaxUID = '1.2.840.10008.1.2'
d = Dataset()
d.file_meta = meta
d.SOPClassUID = meta.MediaStorageSOPClassUID
d.SOPInstanceUID = '2.25.1'
roi = Dataset(); roi.ROINumber = 1; roi.ROIName = 'Body'
d.StructureSetROISequence = [roi]
c = Dataset(); c.ContourGeometricType = 'CLOSED_PLANAR'; c.ContourData = ['%.4f' % (100 + k % 1000) for k in range(3 * 60000)]
rc = Dataset(); rc.ReferencedROINumber = 1; rc.ContourSequence = [c]
d.ROIContourSequence = [rc]
d.is_little_endian = True
d.is_implicit_VR = True
d.save_as(sys.argv[1], write_like_original=False)
";
            using var temp = new TempDir();
            var path = temp.File("rt.dcm");
            var written = PythonOracle.RunPython(Writer, path);
            Assert.True(written.ExitCode == 0, written.StdErr);
            var e = Assert.Throws<DicomObjectException>(() => RtStructureSet.Read(Read(path), path));
            Assert.Contains("ROI Contour Sequence item 1, Contour Sequence item 1: Contour Data is ", e.Message);
            Assert.Contains("more than the header reader keeps of one value", e.Message);
        }

        [Fact]
        public void An_roi_without_a_name_or_contours_is_kept_with_a_made_up_name()
        {
            var set = RtStructSamples.StructureSet("1.2.3").Sequence(0x3006, 0x0020, RtStructSamples.RoiDefinition(7, "", "1.2.3"));
            using var temp = new TempDir();
            var path = set.Save(temp.File("rt.dcm"));
            var roi = Assert.Single(RtStructureSet.Read(Read(path), path).Rois);
            Assert.Equal("ROI 7", roi.Name);
            Assert.Empty(roi.Contours);
            Assert.Null(roi.DisplayColor);
        }

        private static double[] ToPixels(ImagePlane plane, double[] xyz) =>
            Enumerable.Range(0, xyz.Length / 3).SelectMany(k =>
            {
                var (x, y) = plane.ToCocoPoint(xyz[3 * k], xyz[(3 * k) + 1], xyz[(3 * k) + 2]);
                return new[] { x, y };
            }).ToArray();

        private static double PolygonArea(RtContour contour, ImagePlane plane) =>
            CocoTools.Engine.Masks.AnnotationGeometry.PolygonArea(new[] { ToPixels(plane, contour.Points) });
    }

    /// <summary>Builds RT Structure Sets and image headers for tests.</summary>
    internal static class RtStructSamples
    {
        public static TinyDicom StructureSet(string frameOfReference, string sopInstance = "2.25.1001") =>
            new TinyDicom()
                .Text(0x0008, 0x0016, "UI", RtStructureSet.SopClassUid)
                .Text(0x0008, 0x0018, "UI", sopInstance)
                .Text(0x0008, 0x0060, "CS", "RTSTRUCT")
                .Text(0x0010, 0x0010, "PN", "Doe^Jane")
                .Text(0x0010, 0x0020, "LO", "PATIENT-ID-42")
                .Text(0x0010, 0x0030, "DA", "19700101")
                .Sequence(0x3006, 0x0010, new TinyDicom().Text(0x0020, 0x0052, "UI", frameOfReference));

        public static TinyDicom RoiDefinition(int number, string name, string frameOfReference) =>
            new TinyDicom().Numbers(0x3006, 0x0022, "IS", number).Text(0x3006, 0x0024, "UI", frameOfReference).Text(0x3006, 0x0026, "LO", name);

        public static TinyDicom Observation(int number, string type) =>
            new TinyDicom().Numbers(0x3006, 0x0082, "IS", number).Numbers(0x3006, 0x0084, "IS", number).Text(0x3006, 0x00A4, "CS", type);

        public static TinyDicom RoiContour(int number, double[]? color, params TinyDicom[] contours)
        {
            var item = new TinyDicom().Numbers(0x3006, 0x0084, "IS", number).Sequence(0x3006, 0x0040, contours);
            return color == null ? item : item.Numbers(0x3006, 0x002A, "IS", color);
        }

        public static TinyDicom Contour(string type, double[] points, string? image, int? frame = null)
        {
            var item = new TinyDicom()
                .Text(0x3006, 0x0042, "CS", type)
                .Numbers(0x3006, 0x0046, "IS", points.Length / 3)
                .Numbers(0x3006, 0x0050, "DS", points);
            if (image != null)
            {
                var reference = new TinyDicom().Text(0x0008, 0x1150, "UI", "1.2.840.10008.5.1.4.1.1.2").Text(0x0008, 0x1155, "UI", image);
                if (frame is int f)
                {
                    reference.Numbers(0x0008, 0x1160, "IS", f);
                }

                item.Sequence(0x3006, 0x0016, reference);
            }

            return item;
        }

        /// <summary>A CT image header (no pixel data) with its plane.</summary>
        public static TinyDicom Image(string sopInstance, string frameOfReference, double[] position, double[] orientation, double[] spacing, int rows, int columns, double? sliceThickness = null)
        {
            var image = new TinyDicom()
                .Text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2")
                .Text(0x0008, 0x0018, "UI", sopInstance)
                .Text(0x0008, 0x0060, "CS", "CT")
                .Text(0x0020, 0x0052, "UI", frameOfReference)
                .Numbers(0x0020, 0x0032, "DS", position)
                .Numbers(0x0020, 0x0037, "DS", orientation)
                .Numbers(0x0028, 0x0030, "DS", spacing)
                .UShort(0x0028, 0x0010, (ushort)rows)
                .UShort(0x0028, 0x0011, (ushort)columns);
            return sliceThickness is double t ? image.Numbers(0x0018, 0x0050, "DS", t) : image;
        }
    }
}
