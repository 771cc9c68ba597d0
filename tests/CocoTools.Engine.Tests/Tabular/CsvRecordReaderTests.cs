using System;
using System.Collections.Generic;
using System.Globalization;
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

        /// <summary>
        /// RFC 4180 as the reader reads it, one character at a time, written independently of it: blank lines skipped,
        /// CR, LF or CR LF end a record, a quote opens a field only as its first character, text after a closing
        /// quote is kept. Returns the records with their lines, or the line of an unclosed quote.
        /// </summary>
        private static (List<(string[] Fields, int Line)> Records, int UnclosedQuoteLine) ReferenceRead(string text, char delimiter)
        {
            var records = new List<(string[], int)>();
            int pos = 0, line = 1, n = text.Length;
            while (pos < n)
            {
                if (text[pos] == '\r' || text[pos] == '\n')
                {
                    pos += text[pos] == '\r' && pos + 1 < n && text[pos + 1] == '\n' ? 2 : 1;
                    line++;
                    continue;
                }

                int start = line;
                var fields = new List<string>();
                while (true)
                {
                    var field = new StringBuilder();
                    if (pos < n && text[pos] == '"')
                    {
                        pos++;
                        while (true)
                        {
                            if (pos >= n)
                            {
                                return (records, start);
                            }

                            char c = text[pos++];
                            if (c == '"')
                            {
                                if (pos < n && text[pos] == '"')
                                {
                                    field.Append('"');
                                    pos++;
                                    continue;
                                }

                                break;
                            }

                            line += c == '\n' ? 1 : 0;
                            field.Append(c);
                        }
                    }

                    while (pos < n && text[pos] != delimiter && text[pos] != '\r' && text[pos] != '\n')
                    {
                        field.Append(text[pos++]);
                    }

                    fields.Add(field.ToString());
                    if (pos < n && text[pos] == delimiter)
                    {
                        pos++;
                        continue;
                    }

                    if (pos < n)
                    {
                        pos += text[pos] == '\r' && pos + 1 < n && text[pos + 1] == '\n' ? 2 : 1;
                        line++;
                    }

                    break;
                }

                records.Add((fields.ToArray(), start));
            }

            return (records, 0);
        }

        [Theory]
        [InlineData(1, ',')]
        [InlineData(2, ';')]
        [InlineData(3, ',')]
        [InlineData(4, '\t')]
        public void Random_text_reads_as_the_character_by_character_reference_does(int seed, char delimiter)
        {
            // About 300,000 characters, several read buffers: quotes, doubled quotes, CR, LF, CR LF, blank lines,
            // empty fields and long plain runs, so records of both kinds straddle the buffer ends.
            var random = new Random(seed);
            string alphabet = "ab1.- " + delimiter;
            var text = new StringBuilder();
            while (text.Length < 300_000)
            {
                int pick = random.Next(1000);
                if (pick < 10)
                {
                    text.Append('"');
                }
                else if (pick < 50)
                {
                    text.Append(random.Next(3) switch { 0 => "\r", 1 => "\n", _ => "\r\n" });
                }
                else if (pick < 52)
                {
                    text.Append(new string('x', random.Next(30_000)));
                }
                else
                {
                    text.Append(alphabet[random.Next(alphabet.Length)]);
                }
            }

            // An even number of quotes, so that most seeds read to the end; seed 3 keeps an unclosed one.
            string csv = text.ToString();
            if (seed != 3 && csv.Split('"').Length % 2 == 0)
            {
                csv += "\"";
            }

            var (expected, unclosed) = ReferenceRead(csv, delimiter);
            var seen = new List<(string[] Fields, int Line)>();
            using (var reader = new CsvRecordReader(new StringReader(csv), delimiter))
            {
                var e = Record.Exception(() =>
                {
                    string[]? record;
                    while ((record = reader.Read()) != null)
                    {
                        seen.Add((record, reader.RecordLine));
                    }
                });
                Assert.Equal(unclosed != 0, e != null);
                if (e != null)
                {
                    Assert.Contains($"line {unclosed} ", e.Message);
                }
            }

            Assert.True(expected.Count > 100);
            Assert.Equal(expected.Count, seen.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Line, seen[i].Line);
                Assert.Equal(expected[i].Fields, seen[i].Fields);
            }
        }

        [Theory]
        [InlineData("\r\n")]
        [InlineData("\r")]
        [InlineData("\n")]
        public void A_line_end_at_the_end_of_the_read_buffer_ends_one_record(string lineEnd)
        {
            // The reader fills 65,536 characters at a time: the line end starts on the last one.
            string first = "a,b\n1," + new string('x', 65_536 - 6 - 1);
            var records = ReadAll(first + lineEnd + "2,3" + lineEnd + "4,5\n");

            Assert.Equal(65_535, first.Length);
            Assert.Equal(4, records.Count);
            Assert.Equal(new[] { "1", new string('x', 65_529) }, records[1].Fields);
            Assert.Equal(new[] { (1, "a"), (2, "1"), (3, "2"), (4, "4") }, records.ConvertAll(r => (r.Line, r.Fields[0])));
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

        /// <summary>
        /// A list of <paramref name="count"/> records of every shape the reader meets: quoted fields with delimiters,
        /// doubled quotes and line breaks, blank lines, empty fields, numbers in many spellings and non-numbers.
        /// </summary>
        private static string VariedList(int count, int seed)
        {
            var random = new Random(seed);
            string[] numbers = { "12", "-0.5", " 7.25 ", "1e3", "3.14159265358979", "1,5", "abc", string.Empty, "NaN", "0x10", "12345678901234567890123" };
            var text = new StringBuilder("name,value,note\n");
            for (int i = 0; i < count; i++)
            {
                string name = random.Next(4) == 0 ? $"\"img {i}, \"\"q\"\"\nsecond line\"" : $"img{random.Next(50)}";
                string value = numbers[random.Next(numbers.Length)];
                value = value.Contains(",") ? "\"" + value + "\"" : value;
                text.Append(name).Append(',').Append(value).Append(',').Append(random.Next(3) == 0 ? string.Empty : "n" + i).Append(random.Next(10) == 0 ? "\r\n\n" : "\n");
            }

            return text.ToString();
        }

        /// <summary>Every record after the header (fields, line, the value column as a number) as the reader hands them out.</summary>
        private static List<string> Records(CsvRecordReader reader)
        {
            var seen = new List<string>();
            while (reader.ReadRecord())
            {
                var record = reader.Current;
                var fields = new string[record.Count];
                for (int i = 0; i < fields.Length; i++)
                {
                    fields[i] = record.GetString(i);
                }

                string number = record.Count > 1 && record.TryGetNumber(1, out double value) ? value.ToString("R", CultureInfo.InvariantCulture) : "-";
                seen.Add($"{reader.RecordLine}|{string.Join("|", fields)}|{number}");
            }

            return seen;
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Read_ahead_gives_the_same_records_lines_and_numbers(bool onSecondThread)
        {
            // 5,000 records: several batches of the read-ahead thread, and a read buffer that ends mid-record.
            string text = VariedList(5000, 11);
            using var plain = new CsvRecordReader(new StringReader(text));
            plain.Read();
            var expected = Records(plain);
            using var ahead = new CsvRecordReader(new StringReader(text));
            ahead.Read();
            ahead.StartReadAhead(new[] { 1 }, null, onSecondThread);
            var seen = Records(ahead);

            Assert.Equal(5000, expected.Count);
            Assert.Equal(expected, seen);
            Assert.Contains(expected, r => r.EndsWith("|7.25", StringComparison.Ordinal));
            Assert.Contains(expected, r => r.EndsWith("|1000", StringComparison.Ordinal));
            Assert.Contains(expected, r => r.Contains("|1,5|") && r.EndsWith("|-", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_read_error_ahead_comes_after_the_records_before_it(bool onSecondThread)
        {
            // The unclosed quote is on line 3,002, well past the first batches the second thread fills.
            var text = new StringBuilder("a,b\n");
            for (int i = 0; i < 3000; i++)
            {
                text.Append(i).Append(",x\n");
            }

            text.Append("3000,\"open\n3001,y\n");
            using var reader = new CsvRecordReader(new StringReader(text.ToString()));
            reader.Read();
            reader.StartReadAhead(new[] { 0 }, null, onSecondThread);
            int read = 0;
            var e = Assert.Throws<CocoToolsException>(() =>
            {
                while (reader.ReadRecord())
                {
                    Assert.True(reader.Current.TryGetNumber(0, out double value));
                    Assert.Equal(read, value);
                    read++;
                }
            });

            Assert.Equal(3000, read);
            Assert.Equal("CsvUnterminatedQuote", e.ErrorId);
            Assert.Contains("line 3002", e.Message);
            Assert.False(reader.ReadRecord());
        }

        [Fact]
        public async System.Threading.Tasks.Task Disposing_part_way_stops_the_read_ahead_thread()
        {
            using var dir = new TempDir();
            string path = dir.File("long.csv");
            File.WriteAllText(path, VariedList(50_000, 3));
            var reader = CsvRecordReader.Open(path);
            reader.Read();
            reader.StartReadAhead(new[] { 1 }, null, onSecondThread: true);
            for (int i = 0; i < 10; i++)
            {
                Assert.True(reader.ReadRecord());
            }

            // The second thread is blocked on a full queue: Dispose must wake it and join it (a hang fails the test).
            var disposing = System.Threading.Tasks.Task.Run(reader.Dispose);
            Assert.Same(disposing, await System.Threading.Tasks.Task.WhenAny(disposing, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(60))));
            Assert.Throws<ObjectDisposedException>(() => reader.ReadRecord());
        }
    }
}
