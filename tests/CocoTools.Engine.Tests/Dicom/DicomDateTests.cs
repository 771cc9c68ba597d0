using CocoTools.Engine.Dicom;
using Xunit;

namespace CocoTools.Engine.Tests.Dicom
{
    public class DicomDateTests
    {
        [Theory]
        [InlineData("20040826", "2004-08-26")]
        [InlineData("2004.08.26", "2004-08-26")]
        [InlineData("20041341", null)]
        [InlineData("", null)]
        public void Dates_become_iso_8601(string da, string? expected) => Assert.Equal(expected, DicomHeader.FormatDate(da));

        [Theory]
        [InlineData("185059", "18:50:59")]
        [InlineData("185059.123456", "18:50:59")]
        [InlineData("1850", "18:50:00")]
        [InlineData("18:50:59", "18:50:59")]
        [InlineData("256000", null)]
        [InlineData("18505", null)]
        public void Times_become_iso_8601(string tm, string? expected) => Assert.Equal(expected, DicomHeader.FormatTime(tm));

        [Theory]
        [InlineData("20040826185059.123+0200", "2004-08-26T18:50:59+02:00")]
        [InlineData("20040826185059", "2004-08-26T18:50:59")]
        [InlineData("20040826", "2004-08-26")]
        [InlineData("2004", null)]
        public void Date_times_keep_their_offset(string dt, string? expected) => Assert.Equal(expected, DicomHeader.FormatDateTime(dt));

        [Fact]
        public void The_capture_date_comes_from_acquisition_then_content_series_study()
        {
            var header = DicomReader.ReadHeader(DicomSamples.PathOf("pydicom_CT_small.dcm"));

            // pydicom: AcquisitionDate 19970430, AcquisitionTime 112936 (the study date, 20040119, comes last).
            Assert.Equal("1997-04-30T11:29:36", header.DateCaptured);
        }
    }
}
