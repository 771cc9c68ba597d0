using System.Text;
using CocoTools.Engine.DicomWeb;
using Xunit;

namespace CocoTools.Engine.Tests.DicomWeb
{
    public class MultipartReaderTests
    {
        private const string Type = "multipart/related; type=\"application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.70\"; boundary=\"b-1\"";

        private static byte[] Body(string text) => Encoding.GetEncoding("iso-8859-1").GetBytes(text);

        [Fact]
        public void Splits_parts_keeping_bytes_that_look_like_line_ends_and_boundaries()
        {
            var parts = MultipartReader.Read(Body("preamble\r\n--b-1\r\nContent-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n\r\n\r\n--b-\xff\r\n--b-1\r\nContent-Type: application/octet-stream\r\n\r\nAB\r\n--b-1--\r\n"), Type, "u");
            Assert.Equal(2, parts.Count);
            Assert.Equal(Body("\r\n--b-\xff"), parts[0].Body);
            Assert.Equal("1.2.840.10008.1.2.1", MultipartReader.TransferSyntax(parts[0].ContentType));
            Assert.Equal(Body("AB"), parts[1].Body);
            Assert.Null(MultipartReader.TransferSyntax(parts[1].ContentType));
        }

        [Fact]
        public void Finds_the_transfer_syntax_inside_a_quoted_type_parameter()
        {
            Assert.Equal("1.2.840.10008.1.2.4.70", MultipartReader.TransferSyntax(Type));
            Assert.Equal("b-1", MultipartReader.Parameter(Type, "boundary"));
        }

        [Theory]
        [InlineData("--b-1\r\nContent-Type: x\r\n\r\nAB", "no closing boundary")]
        [InlineData("--b-1\r\nContent-Type: x", "truncated in the headers")]
        [InlineData("nothing here", "no part")]
        public void Refuses_a_truncated_body(string body, string why)
        {
            var e = Assert.Throws<DicomWebException>(() => MultipartReader.Read(Body(body), Type, "http://x/frames/1"));
            Assert.Equal(DicomWebFailure.BadAnswer, e.Failure);
            Assert.Contains(why, e.Message);
        }

        [Fact]
        public void Refuses_an_answer_without_a_boundary()
        {
            var e = Assert.Throws<DicomWebException>(() => MultipartReader.Read(Body("<html/>"), "text/html", "http://x/frames/1"));
            Assert.Contains("text/html", e.Message);
        }
    }
}
