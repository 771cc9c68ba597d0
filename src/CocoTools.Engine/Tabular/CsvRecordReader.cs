using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CocoTools.Engine.Tabular
{
    /// <summary>
    /// Streams the records of a CSV file (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes,
    /// CRLF or LF), one at a time, with the line each record starts on. Holds one record in memory, never the file;
    /// the fields of <see cref="Current"/> are read in place (no string per field unless asked for).
    /// </summary>
    public sealed class CsvRecordReader : IDisposable
    {
        private readonly TextReader _reader;
        private readonly Stream? _stream;
        private readonly char _delimiter;
        private readonly char[] _buffer = new char[1 << 16];
        private readonly CsvRecord _record = new CsvRecord();
        private int _position;
        private int _length;
        private int _line = 1;

        /// <summary>Reads from a text reader (the caller has set its encoding).</summary>
        public CsvRecordReader(TextReader reader, char delimiter = ',')
        {
            _reader = reader;
            _delimiter = delimiter;
        }

        private CsvRecordReader(FileStream stream, char delimiter)
            : this(new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), delimiter)
        {
            _stream = stream;
        }

        /// <summary>Opens a file (UTF-8 unless a byte order mark says otherwise).</summary>
        public static CsvRecordReader Open(string path, char delimiter = ',') =>
            new CsvRecordReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan), delimiter);

        /// <summary>The line the last record read starts on (1-based).</summary>
        public int RecordLine { get; private set; }

        /// <summary>The record last read by <see cref="ReadRecord"/>; its content changes with the next read.</summary>
        public CsvRecord Current => _record;

        /// <summary>How far through the file reading is (0 to 1), when reading a file; else 0.</summary>
        public double Fraction => _stream != null && _stream.Length > 0 ? Math.Min(1.0, (double)_stream.Position / _stream.Length) : 0;

        /// <summary>The next record's fields as strings, or null at the end. Blank lines are skipped.</summary>
        public string[]? Read()
        {
            if (!ReadRecord())
            {
                return null;
            }

            var fields = new string[_record.Count];
            for (int i = 0; i < fields.Length; i++)
            {
                fields[i] = _record[i].ToString();
            }

            return fields;
        }

        /// <summary>Reads the next record into <see cref="Current"/>; false at the end. Blank lines are skipped.</summary>
        public bool ReadRecord()
        {
            while (true)
            {
                if (!Fill())
                {
                    return false;
                }

                // Skip blank lines between records.
                char first = _buffer[_position];
                if (first == '\r' || first == '\n')
                {
                    ConsumeLineEnd();
                    continue;
                }

                break;
            }

            RecordLine = _line;
            _record.Clear();
            while (!ReadField())
            {
            }

            return true;
        }

        /// <inheritdoc />
        public void Dispose() => _reader.Dispose();

        /// <summary>Reads one field into the record; true when it ended the record (line end or end of file).</summary>
        private bool ReadField()
        {
            _record.BeginField();
            if (Fill() && _buffer[_position] == '"')
            {
                _position++;
                while (true)
                {
                    if (!Fill())
                    {
                        throw new CocoToolsException("CsvUnterminatedQuote", FailureKind.InvalidData, $"the quoted field that starts on line {RecordLine} is never closed.");
                    }

                    char c = _buffer[_position++];
                    if (c == '"')
                    {
                        if (Fill() && _buffer[_position] == '"')
                        {
                            _position++;
                            _record.Append('"');
                            continue;
                        }

                        break;
                    }

                    if (c == '\n')
                    {
                        _line++;
                    }

                    _record.Append(c);
                }
            }

            while (Fill())
            {
                // The unquoted run up to the next delimiter or line end is copied in one go.
                int start = _position;
                int end = _position;
                char c = '\0';
                while (end < _length)
                {
                    c = _buffer[end];
                    if (c == _delimiter || c == '\r' || c == '\n')
                    {
                        break;
                    }

                    end++;
                }

                // Text after a closing quote is kept, as most readers do.
                _record.Append(_buffer, start, end - start);
                _position = end;
                if (end == _length)
                {
                    continue;
                }

                if (c == _delimiter)
                {
                    _position++;
                    _record.EndField();
                    return false;
                }

                ConsumeLineEnd();
                _record.EndField();
                return true;
            }

            _record.EndField();
            return true;
        }

        private void ConsumeLineEnd()
        {
            if (_buffer[_position] == '\r')
            {
                _position++;
                if (Fill() && _buffer[_position] == '\n')
                {
                    _position++;
                }
            }
            else
            {
                _position++;
            }

            _line++;
        }

        private bool Fill()
        {
            if (_position < _length)
            {
                return true;
            }

            _length = _reader.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            return _length > 0;
        }
    }

    /// <summary>
    /// The fields of one CSV record, unescaped, in one reused buffer. Short values that repeat (labels, image names,
    /// reader ids) come back as one shared string each, so a million rows naming twenty thousand images make twenty
    /// thousand strings, not a million.
    /// </summary>
    public sealed class CsvRecord
    {

        private char[] _chars = new char[1024];
        private int _used;
        private int[] _starts = new int[16];
        private int[] _lengths = new int[16];
        private int _fieldStart;
        private readonly TextKeyedCache<string> _pool = new TextKeyedCache<string>();
        private readonly string?[] _last = new string?[64];

        /// <summary>The number of fields.</summary>
        public int Count { get; private set; }

        /// <summary>A field's characters, valid until the next record is read.</summary>
        public ReadOnlySpan<char> this[int index] => new ReadOnlySpan<char>(_chars, _starts[index], _lengths[index]);

        /// <summary>A field's text; short repeated values are shared, not allocated again.</summary>
        public string GetString(int index) => Shared(index, this[index]);

        /// <summary>A field's text without leading and trailing white space, shared like <see cref="GetString"/>.</summary>
        public string GetTrimmedString(int index) => Shared(index, this[index].Trim());

        /// <summary>The shared string for a field's text: the column's previous value when it repeats (lists are often grouped by image), else from the pool.</summary>
        private string Shared(int index, ReadOnlySpan<char> span)
        {
            if (index < _last.Length && _last[index] is string last && span.SequenceEqual(last.AsSpan()))
            {
                return last;
            }

            string value = Pool(span);
            if (index < _last.Length)
            {
                _last[index] = value;
            }

            return value;
        }

        private string Pool(ReadOnlySpan<char> span)
        {
            if (span.Length == 0)
            {
                return string.Empty;
            }

            var pooled = _pool.Find(span);
            if (pooled == null)
            {
                pooled = span.ToString();
                _pool.Add(pooled, pooled);
            }

            return pooled;
        }

        /// <summary>True when a field is missing, empty or only white space.</summary>
        public bool IsBlank(int index)
        {
            if (index >= Count)
            {
                return true;
            }

            foreach (char c in this[index])
            {
                if (!char.IsWhiteSpace(c))
                {
                    return false;
                }
            }

            return true;
        }

        internal void Clear()
        {
            Count = 0;
            _used = 0;
        }

        internal void BeginField() => _fieldStart = _used;

        internal void Append(char c)
        {
            if (_used == _chars.Length)
            {
                Array.Resize(ref _chars, _chars.Length * 2);
            }

            _chars[_used++] = c;
        }

        internal void Append(char[] source, int start, int count)
        {
            if (_used + count > _chars.Length)
            {
                Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + count));
            }

            Array.Copy(source, start, _chars, _used, count);
            _used += count;
        }

        internal void EndField()
        {
            if (Count == _starts.Length)
            {
                Array.Resize(ref _starts, Count * 2);
                Array.Resize(ref _lengths, Count * 2);
            }

            _starts[Count] = _fieldStart;
            _lengths[Count] = _used - _fieldStart;
            Count++;
        }
    }
}
