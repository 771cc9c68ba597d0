using System;
using System.Text;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.DicomWeb;
using Xunit;

namespace CocoTools.Engine.Tests.DicomWeb
{
    public class DicomJsonReaderTests
    {
        private static DicomJsonObject ReadOne(string json) => DicomJsonReader.ReadArray(Encoding.UTF8.GetBytes(json), "http://x/metadata")[0];

        [Fact]
        public void Reads_person_names_numbers_as_written_binary_values_tags_and_sequences()
        {
            var o = ReadOne(@"[{
                ""00100010"": {""vr"": ""PN"", ""Value"": [{""Alphabetic"": ""Yamada^Tarou"", ""Ideographic"": ""山田^太郎""}, {""Alphabetic"": ""Doe^J""}]},
                ""00280030"": {""vr"": ""DS"", ""Value"": [0.661468, 1e-05]},
                ""00200013"": {""vr"": ""IS"", ""Value"": [7]},
                ""00280010"": {""vr"": ""US"", ""Value"": [512]},
                ""00281052"": {""vr"": ""DS"", ""Value"": [""-1024""]},
                ""00209165"": {""vr"": ""AT"", ""Value"": [""00209056""]},
                ""00080060"": {""vr"": ""CS"", ""Value"": [""CT""]},
                ""00080008"": {""vr"": ""CS"", ""Value"": [""ORIGINAL"", ""PRIMARY""]},
                ""00181030"": {""vr"": ""LO""},
                ""52009229"": {""vr"": ""SQ"", ""Value"": [{""00289110"": {""vr"": ""SQ"", ""Value"": [{""00280030"": {""vr"": ""DS"", ""Value"": [0.5, 0.5]}}]}}]},
                ""7FE00010"": {""vr"": ""OW"", ""BulkDataURI"": ""http://x/bulk/7fe00010""}
            }]");
            var d = o.Dataset;
            Assert.Equal("Yamada^Tarou=山田^太郎\\Doe^J", d.GetString(new DicomTag(0x0010, 0x0010)));
            Assert.Equal(new[] { 0.661468, 1e-05 }, d.GetDoubles(new DicomTag(0x0028, 0x0030)));
            Assert.Equal(7, d.GetInt(new DicomTag(0x0020, 0x0013)));
            Assert.Equal(512, d.GetInt(new DicomTag(0x0028, 0x0010)));
            Assert.Equal(-1024.0, d.GetDouble(new DicomTag(0x0028, 0x1052)));
            Assert.Equal("CT", d.GetString(new DicomTag(0x0008, 0x0060)));
            Assert.Equal(new[] { "ORIGINAL", "PRIMARY" }, d.GetStrings(new DicomTag(0x0008, 0x0008)));
            Assert.Equal(string.Empty, d.GetString(new DicomTag(0x0018, 0x1030)));
            var item = d[new DicomTag(0x5200, 0x9229)]!.Items![0][new DicomTag(0x0028, 0x9110)]!.Items![0];
            Assert.Equal(new[] { 0.5, 0.5 }, item.GetDoubles(new DicomTag(0x0028, 0x0030)));
            Assert.Equal("http://x/bulk/7fe00010", o.BulkData[0x7FE00010]);
            Assert.False(o.HasOtherBulkData);
        }

        [Fact]
        public void Notes_bulk_data_other_than_pixels_also_inside_sequences()
        {
            var top = ReadOne(@"[{""00281201"": {""vr"": ""OW"", ""BulkDataURI"": ""b""}}]");
            var nested = ReadOne(@"[{""00283010"": {""vr"": ""SQ"", ""Value"": [{""00283006"": {""vr"": ""US"", ""BulkDataURI"": ""b""}}]}}]");
            Assert.True(top.HasOtherBulkData);
            Assert.True(nested.HasOtherBulkData);
        }

        [Theory]
        [InlineData("<html><body>login</body></html>", "not valid JSON")]
        [InlineData("{}", "not a JSON array")]
        [InlineData("[1]", "not a data set")]
        [InlineData("[{\"0008\": {}}]", "not an attribute")]
        [InlineData("[{\"00280010\": {\"vr\": \"US\", \"Value\": [70000]}}]", "out of range")]
        [InlineData("[{\"00280010\": {\"vr\": \"US\", \"Value\": [\"x\"]}}]", "not a number")]
        public void Refuses_what_is_not_the_DICOM_JSON_model_naming_the_url(string json, string why)
        {
            var e = Assert.Throws<DicomWebException>(() => DicomJsonReader.ReadArray(Encoding.UTF8.GetBytes(json), "http://x/metadata"));
            Assert.Equal(DicomWebFailure.BadAnswer, e.Failure);
            Assert.Equal("DicomWebBadAnswer", e.ErrorId);
            Assert.Contains(why, e.Message);
            Assert.StartsWith("http://x/metadata: ", e.Message);
        }

        [Fact]
        public void A_string_that_is_not_UTF8_is_a_bad_answer_not_a_runtime_exception()
        {
            // Found by the dicomweb-metadata fuzz target: System.Text.Json threw InvalidOperationException on GetString.
            var json = Encoding.UTF8.GetBytes("[{\"00100010\": {\"vr\": \"LO\", \"Value\": [\"ab\"]}}]");
            json[Array.IndexOf(json, (byte)'a')] = 0xC3;

            var e = Assert.Throws<DicomWebException>(() => DicomJsonReader.ReadArray(json, "http://x/metadata"));

            Assert.Equal(DicomWebFailure.BadAnswer, e.Failure);
            Assert.Contains("not UTF-8", e.Message);
        }
    }
}
