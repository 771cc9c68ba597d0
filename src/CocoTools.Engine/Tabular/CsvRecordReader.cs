using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CocoTools.Engine.Tabular
{
    /// <summary>
    /// Streams the records of a CSV file (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes,
    /// CRLF or LF), one at a time, with the line each record starts on. Holds one record in memory, never the file.
    /// </summary>
    public sealed class CsvRecordReader : IDisposable
    {
        private readonly TextReader _reader;
        private readonly char _delimiter;
        private readonly char[] _buffer = new char[1 << 16];
        private int _position;
        private int _length;
        private char[] _field = new char[256];
        private int _line = 1;

        /// <summary>Reads from a text reader (the caller has set its encoding).</summary>
        public CsvRecordReader(TextReader reader, char delimiter = ',')
        {
            _reader = reader;
            _delimiter = delimiter;
        }

        /// <summary>Opens a file (UTF-8 unless a byte order mark says otherwise).</summary>
        public static CsvRecordReader Open(string path, char delimiter = ',') =>
            new CsvRecordReader(new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true), delimiter);

        /// <summary>The line the last record returned starts on (1-based).</summary>
        public int RecordLine { get; private set; }

        /// <summary>The next record's fields, or null at the end. Blank lines are skipped.</summary>
        public string[]? Read()
        {
            var fields = new List<string>();
            while (true)
            {
                if (!Fill())
                {
                    return null;
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
            while (true)
            {
                bool endOfRecord = ReadField(out string field);
                fields.Add(field);
                if (endOfRecord)
                {
                    return fields.ToArray();
                }
            }
        }

        /// <inheritdoc />
        public void Dispose() => _reader.Dispose();

        /// <summary>Reads one field; true when it ended the record (line end or end of file).</summary>
        private bool ReadField(out string field)
        {
            int length = 0;
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
                            Append(ref length, '"');
                            continue;
                        }

                        break;
                    }

                    if (c == '\n')
                    {
                        _line++;
                    }

                    Append(ref length, c);
                }
            }

            while (Fill())
            {
                char c = _buffer[_position];
                if (c == _delimiter)
                {
                    _position++;
                    field = new string(_field, 0, length);
                    return false;
                }

                if (c == '\r' || c == '\n')
                {
                    ConsumeLineEnd();
                    field = new string(_field, 0, length);
                    return true;
                }

                // Text after a closing quote is kept, as most readers do.
                Append(ref length, c);
                _position++;
            }

            field = new string(_field, 0, length);
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

        private void Append(ref int length, char c)
        {
            if (length == _field.Length)
            {
                Array.Resize(ref _field, _field.Length * 2);
            }

            _field[length++] = c;
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
}
