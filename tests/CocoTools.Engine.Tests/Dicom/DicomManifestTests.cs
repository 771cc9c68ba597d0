using System.Linq;
using CocoTools.Engine.Dicom;
using Xunit;

namespace CocoTools.Engine.Tests.Dicom
{
    /// <summary>Our header read against dcmtk's, file by file (MANIFEST.tsv was made with dcmdump).</summary>
    public class DicomManifestTests
    {
        [Theory]
        [MemberData(nameof(DicomSamples.ReadableByDcmtk), MemberType = typeof(DicomSamples))]
        public void Header_attributes_equal_dcmtk(string file)
        {
            var expected = DicomSamples.Row(file);

            var header = DicomReader.ReadHeader(DicomSamples.PathOf(file));

            string syntax = expected["transfer_syntax_uid"];
            Assert.Equal(syntax.Split(' ')[0], header.TransferSyntax.Uid);
            Assert.Equal(syntax.Contains("(detected"), header.TransferSyntaxDetected);
            Assert.Equal(expected["rows"], header.Rows?.ToString() ?? string.Empty);
            Assert.Equal(expected["columns"], header.Columns?.ToString() ?? string.Empty);
            // dcmtk counts one frame wherever there is pixel data and no Number of Frames.
            Assert.Equal(expected["frames"], header.NumberOfFramesText ?? (header.PixelData != null ? "1" : string.Empty));
            Assert.Equal(expected["bits_allocated"], header.BitsAllocated?.ToString() ?? string.Empty);
            Assert.Equal(expected["bits_stored"], header.BitsStored?.ToString() ?? string.Empty);
            Assert.Equal(expected["photometric_interpretation"], header.PhotometricInterpretation ?? string.Empty);
            Assert.Equal(expected["samples_per_pixel"], header.SamplesPerPixel?.ToString() ?? string.Empty);
            Assert.Equal(expected["planar_configuration"], header.PlanarConfiguration?.ToString() ?? string.Empty);
            Assert.Equal(expected["pixel_representation"], header.PixelRepresentation?.ToString() ?? string.Empty);
        }

        [Theory]
        [InlineData("pydicom_rtplan_truncated.dcm", "DicomTruncated")]
        [InlineData("pydicom_no_meta.dcm", "NotDicom")]
        [InlineData("pydicom_SC_rgb_jpeg.dcm", "DicomTruncated")]
        [InlineData("fodicom_GH179B.dcm", "DicomTruncated")]
        [InlineData("fodicom_GH364.dcm", "DicomCorrupt")]
        public void Files_dcmtk_rejects_end_in_a_dicom_exception_that_says_why(string file, string errorId)
        {
            Assert.NotEqual("0", DicomSamples.Row(file)["dcmdump_exit"]);

            var e = Assert.Throws<DicomException>(() => DicomReader.ReadHeader(DicomSamples.PathOf(file)));

            Assert.Equal(errorId, e.ErrorId);
            Assert.StartsWith(DicomSamples.PathOf(file) + ": ", e.Message);
        }

        [Fact]
        public void A_file_truncated_inside_its_pixel_data_reads_with_a_warning_as_dcmtk_reads_its_header()
        {
            var header = DicomReader.ReadHeader(DicomSamples.PathOf("pydicom_MR_truncated.dcm"));

            Assert.Equal((64, 64), (header.Rows, header.Columns));
            Assert.True(header.PixelData!.Truncated);
            Assert.Contains(header.Warnings, w => w.Contains("Pixel Data declares 8192 bytes"));
        }
    }
}
