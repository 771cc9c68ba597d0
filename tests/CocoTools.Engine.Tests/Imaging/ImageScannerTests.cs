using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.Imaging;
using CocoTools.Engine.Tests.Dicom;
using CocoTools.Engine.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CocoTools.Engine.Tests.Imaging
{
    public class ImageScannerTests
    {
        private static JsonElement DicomOf(CocoImage image) => JsonDocument.Parse(image.Extra.GetRawJson("dicom")!).RootElement;

        [Theory]
        [InlineData("png", "PNG")]
        [InlineData("jpg", "JPEG")]
        [InlineData("bmp", "BMP")]
        [InlineData("gif", "GIF")]
        [InlineData("tiff", "TIFF")]
        [InlineData("webp", "Webp")]
        public void Raster_images_are_identified_by_their_header(string extension, string format)
        {
            using var dir = new TempDir();
            string path = dir.File("picture." + extension);
            using (var image = new Image<Rgb24>(37, 21))
            {
                image.Save(path);
            }

            // The name says nothing: the header does.
            string renamed = dir.File("no-extension");
            File.Move(path, renamed);
            var scanned = ImageScanner.Scan(renamed);

            Assert.Null(scanned.Dicom);
            Assert.Equal(format, scanned.RasterFormat);
            Assert.Equal((37, 21), (scanned.Width, scanned.Height));
        }

        [Fact]
        public void Dicom_is_detected_by_content_whatever_the_extension()
        {
            using var dir = new TempDir();
            string path = dir.File("scan.png");
            File.Copy(DicomSamples.PathOf("pydicom_CT_small.dcm"), path);

            var scanned = ImageScanner.Scan(path);

            Assert.NotNull(scanned.Dicom);
            Assert.Equal((128, 128), (scanned.Width, scanned.Height));
        }

        [Theory]
        [InlineData("hello, not an image\n", "UnsupportedImage")]
        [InlineData("", "UnsupportedImage")]
        public void Other_files_are_refused_with_a_stable_error_id(string content, string errorId)
        {
            using var dir = new TempDir();

            var e = Assert.Throws<CocoToolsException>(() => ImageScanner.Scan(dir.Write("notes.txt", content)));

            Assert.Equal(errorId, e.ErrorId);
        }

        [Fact]
        public void A_truncated_png_is_refused_as_corrupt_or_unsupported()
        {
            using var dir = new TempDir();
            string path = dir.File("cut.png");
            using (var image = new Image<Rgb24>(10, 10))
            {
                image.Save(path);
            }

            File.WriteAllBytes(path, File.ReadAllBytes(path).Take(20).ToArray());

            var e = Assert.Throws<CocoToolsException>(() => ImageScanner.Scan(path));

            Assert.Contains(e.ErrorId, new[] { "ImageCorrupt", "UnsupportedImage" });
        }

        [Fact]
        public void A_multi_frame_object_gives_one_image_per_frame_or_the_first_only()
        {
            var scanned = ImageScanner.Scan(DicomSamples.PathOf("fodicom_mr_brucker.dcm"));

            var all = ImageScanner.ToImages(scanned, new ImageScanOptions { BasePath = DicomSamples.Folder });
            var first = ImageScanner.ToImages(scanned, new ImageScanOptions { BasePath = DicomSamples.Folder, Frames = FrameSelection.First });

            Assert.Equal(new[] { 1, 2, 3, 4 }, all.Select(i => DicomOf(i).GetProperty("frame").GetInt32()));
            Assert.All(all, i => Assert.Equal(4, DicomOf(i).GetProperty("NumberOfFrames").GetInt32()));
            Assert.Equal(1, DicomOf(Assert.Single(first)).GetProperty("frame").GetInt32());
            Assert.All(all, i => Assert.Equal("fodicom_mr_brucker.dcm", i.FileName));
        }

        [Fact]
        public void The_dicom_object_holds_identifiers_and_pixel_attributes_and_nothing_about_the_patient()
        {
            var scanned = ImageScanner.Scan(DicomSamples.PathOf("pydicom_CT_small.dcm"));

            var image = Assert.Single(ImageScanner.ToImages(scanned, new ImageScanOptions { BasePath = DicomSamples.Folder }));

            // CT_small has no window (dcmdump shows no (0028,1050)); MR_small below has one.
            var keys = DicomOf(image).EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(new[] { "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID", "Modality", "FrameOfReferenceUID", "ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing", "SliceThickness", "SpacingBetweenSlices", "BitsStored", "PhotometricInterpretation", "TransferSyntaxUID" }, keys);
            string json = image.Extra.GetRawJson("dicom")!;
            Assert.DoesNotContain("CompressedSamples", json);
            Assert.Equal(scanned.Dicom!.DateCaptured, image.DateCaptured);
            Assert.Equal("CT", DicomOf(image).GetProperty("Modality").GetString());
        }

        [Fact]
        public void The_window_is_exported_where_the_file_has_one()
        {
            var image = ImageScanner.ToImages(ImageScanner.Scan(DicomSamples.PathOf("pydicom_MR_small.dcm")), new ImageScanOptions())[0];

            Assert.Equal(600, DicomOf(image).GetProperty("WindowCenter").GetDouble());
            Assert.Equal(1600, DicomOf(image).GetProperty("WindowWidth").GetDouble());
        }

        [Fact]
        public void The_dicom_object_keeps_the_geometry_annotation_objects_are_placed_by()
        {
            // dcmdump: IPP -158.135803\-179.035797\-75.699997, IOP 1\0\0\0\1\0, spacing 0.661468, thickness and spacing 5.
            var image = ImageScanner.ToImages(ImageScanner.Scan(DicomSamples.PathOf("pydicom_CT_small.dcm")), new ImageScanOptions())[0];
            var d = DicomOf(image);

            Assert.Equal("1.3.6.1.4.1.5962.1.4.1.1.20040119072730.12322", d.GetProperty("FrameOfReferenceUID").GetString());
            Assert.Equal(new[] { -158.135803, -179.035797, -75.699997 }, d.GetProperty("ImagePositionPatient").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(new double[] { 1, 0, 0, 0, 1, 0 }, d.GetProperty("ImageOrientationPatient").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(new[] { 0.661468, 0.661468 }, d.GetProperty("PixelSpacing").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(5, d.GetProperty("SliceThickness").GetDouble());
            Assert.Equal(5, d.GetProperty("SpacingBetweenSlices").GetDouble());
            var typed = CocoImageDicom.Of(image)!;
            Assert.Equal(new[] { -158.135803, -179.035797, -75.699997 }, typed.ImagePositionPatient);
            Assert.Equal(5, typed.SpacingBetweenSlices);
        }

        [Fact]
        public void Each_frame_of_an_enhanced_object_gets_its_own_plane_position_as_pydicom_reads_it()
        {
            string path = DicomSamples.PathOf("fodicom_mr_brucker.dcm");
            var oracle = PythonOracle.Run("/usr/bin/python3", new[]
            {
                "-c",
                "import sys, pydicom\n" +
                "d = pydicom.dcmread(sys.argv[1])\n" +
                "s = d.SharedFunctionalGroupsSequence[0]\n" +
                "for f in d.PerFrameFunctionalGroupsSequence:\n" +
                "    print(' '.join(repr(float(v)) for v in f.PlanePositionSequence[0].ImagePositionPatient), '|', ' '.join(repr(float(v)) for v in s.PlaneOrientationSequence[0].ImageOrientationPatient), '|', ' '.join(repr(float(v)) for v in s.PixelMeasuresSequence[0].PixelSpacing))\n",
                path,
            }, null, TimeSpan.FromMinutes(2));
            Assert.True(oracle.ExitCode == 0, oracle.StdErr);
            var expected = oracle.StdOut.Trim().Split('\n').Select(l => l.Split('|').Select(p => p.Trim().Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray()).ToArray();

            var images = ImageScanner.ToImages(ImageScanner.Scan(path), new ImageScanOptions());

            Assert.Equal(expected.Length, images.Count);
            for (int i = 0; i < images.Count; i++)
            {
                var typed = CocoImageDicom.Of(images[i])!;
                Assert.Equal(expected[i][0], typed.ImagePositionPatient);
                Assert.Equal(expected[i][1], typed.ImageOrientationPatient);
                Assert.Equal(expected[i][2], typed.PixelSpacing);
                Assert.Equal(i + 1, typed.Frame);
            }

            Assert.Equal(4, images.Select(i => CocoImageDicom.Of(i)!.ImagePositionPatient![2]).Distinct().Count());
        }

        [Fact]
        public void Named_tags_are_included_by_keyword_or_tag()
        {
            var scanned = ImageScanner.Scan(DicomSamples.PathOf("pydicom_CT_small.dcm"));
            DicomKeywords.TryResolve("PatientName", out var name);
            DicomKeywords.TryResolve("(0018,0050)", out var thickness);

            var image = ImageScanner.ToImages(scanned, new ImageScanOptions { BasePath = DicomSamples.Folder, IncludeTags = new[] { name, thickness } })[0];

            Assert.Equal("CompressedSamples^CT1", DicomOf(image).GetProperty("PatientName").GetString());
            Assert.Equal(5, DicomOf(image).GetProperty("SliceThickness").GetDouble());
        }

        [Fact]
        public void The_patient_hash_groups_by_patient_under_one_secret_and_reveals_nothing()
        {
            var a = ImageScanner.PatientHash(new byte[] { 1, 2, 3 }, "12345", null);

            Assert.Equal(a, ImageScanner.PatientHash(new byte[] { 1, 2, 3 }, " 12345 ", null));
            Assert.NotEqual(a, ImageScanner.PatientHash(new byte[] { 9 }, "12345", null));
            Assert.NotEqual(a, ImageScanner.PatientHash(new byte[] { 1, 2, 3 }, "12345", "HOSPITAL-B"));
            Assert.Equal(32, a.Length);
            Assert.DoesNotContain("12345", a);
        }

        [Fact]
        public void Coco_url_is_the_dicomweb_root_and_the_file_name()
        {
            var scanned = ImageScanner.Scan(DicomSamples.PathOf("pydicom_CT_small.dcm"));

            var image = ImageScanner.ToImages(scanned, new ImageScanOptions { BasePath = TestPaths.Shared, DicomWebRoot = "dicomweb://localhost:8000/radiology/" })[0];

            Assert.Equal("dicomweb://localhost:8000/radiology/dicom-samples/pydicom_CT_small.dcm", image.CocoUrl);
        }

        [Theory]
        [InlineData("/data/study", "/data/study/a/b.dcm", "a/b.dcm")]
        [InlineData("/data/study/", "/data/study/b.dcm", "b.dcm")]
        [InlineData("/data/study", "/data/other/b.dcm", "../other/b.dcm")]
        [InlineData("/data/study", "/elsewhere/b.dcm", "../../elsewhere/b.dcm")]
        public void File_names_are_relative_to_the_base_path_with_forward_slashes(string basePath, string path, string expected)
        {
            Assert.Equal(expected, ImageScanner.RelativePath(basePath, path));
        }
    }
}
