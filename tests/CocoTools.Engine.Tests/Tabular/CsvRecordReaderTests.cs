using System.Collections.Generic;
using System.IO;
using System.Text;
using CocoTools.Engine.Tabular;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Tabular
{
    public class CsvRecordReaderTests
    {
        private static List<(string[] Fields, int Line)> ReadAll(string text, char delimiter = ',')
        {
            var records = new List<(string[], int)>();
            using var reader = new CsvRecordReader(new StringReader(text), delimiter);
            string[]? record;
            while ((record = reader.Read()) != null)
            {
                records.Add((record, reader.RecordLine));
            }

            return records;
        }

        [Fact]
        public void Quotes_doubled_quotes_delimiters_and_line_breaks_inside_fields()
        {
            var records = ReadAll("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\n1,,3\n");

            Assert.Equal(3, records.Count);
            Assert.Equal(new[] { "x, y", "say \"hi\"", "two\nlines" }, records[1].Fields);
            Assert.Equal(2, records[1].Line);
            Assert.Equal(new[] { "1", string.Empty, "3" }, records[2].Fields);
            Assert.Equal(5, records[2].Line);
        }

        [Fact]
        public void Last_record_without_line_end_and_other_delimiters()
        {
            var records = ReadAll("a;b\n1;2", ';');
            Assert.Equal(new[] { "1", "2" }, records[1].Fields);
        }

        [Fact]
        public void An_unclosed_quote_names_its_line()
        {
            var e = Assert.Throws<CocoToolsException>(() => ReadAll("a,b\n1,2\n3,\"open\n4,5\n"));
            Assert.Equal("CsvUnterminatedQuote", e.ErrorId);
            Assert.Contains("line 3", e.Message);
        }

        [Fact]
        public void Byte_order_mark_is_not_part_of_the_first_column()
        {
            using var dir = new TempDir();
            string path = dir.File("bom.csv");
            File.WriteAllText(path, "image_id,label\n1,x\n", new UTF8Encoding(true));

            using var reader = CsvRecordReader.Open(path);
            Assert.Equal("image_id", reader.Read()![0]);
        }

        [Fact]
        public void Fields_longer_than_the_read_buffer()
        {
            string big = new string('7', 200_000);
            var records = ReadAll("a,b\n\"" + big + "\"," + big + "\n");
            Assert.Equal(big, records[1].Fields[0]);
            Assert.Equal(big, records[1].Fields[1]);
        }
    }
}
