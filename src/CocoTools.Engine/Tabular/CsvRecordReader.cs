using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;

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
        private readonly FlaggingDecoderFallback? _invalidBytes;
        private readonly char[] _buffer = new char[1 << 16];
        private readonly CsvTextPool _textPool = new CsvTextPool();
        private CsvRecord _target;   // the record being read (on the read-ahead thread when there is one)
        private int _targetLine;
        private CsvRecord _current;  // the record handed out
        private ReadAhead? _ahead;
        private bool[]? _numberColumns;
        private Action<CsvRecord>? _prepare;
        private int _position;
        private int _length;
        private int _line = 1;

        /// <summary>Reads from a text reader (the caller has set its encoding).</summary>
        public CsvRecordReader(TextReader reader, char delimiter = ',')
        {
            _reader = reader;
            _delimiter = delimiter;
            _target = _current = new CsvRecord(_textPool, 1024);
        }

        private CsvRecordReader(FileStream stream, char delimiter, FlaggingDecoderFallback fallback)
            : this(new StreamReader(stream, Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, fallback), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16), delimiter)
        {
            _stream = stream;
            _invalidBytes = fallback;
        }

        /// <summary>Opens a file (UTF-8 unless a byte order mark says otherwise).</summary>
        public static CsvRecordReader Open(string path, char delimiter = ',') =>
            new CsvRecordReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan), delimiter, new FlaggingDecoderFallback());

        /// <summary>The line the last record read starts on (1-based).</summary>
        public int RecordLine { get; private set; }

        /// <summary>The record last read by <see cref="ReadRecord"/>; its content changes with the next read.</summary>
        public CsvRecord Current => _current;

        /// <summary>How far through the file reading is (0 to 1), when reading a file; else 0.</summary>
        public double Fraction => _ahead?.Fraction ?? StreamFraction();

        /// <summary>
        /// Reads the rest of the file on a second thread, a few thousand records ahead of <see cref="ReadRecord"/>, and
        /// parses the cells of <paramref name="numberColumns"/> there (<see cref="CsvRecord.TryGetNumber"/>). Records,
        /// lines and errors come out exactly as without it, in order; a read error surfaces after the records before
        /// it. On a single-core machine the numbers are parsed on the calling thread, as the records are read.
        /// </summary>
        public void StartReadAhead(IEnumerable<int> numberColumns) => StartReadAhead(numberColumns, null, Environment.ProcessorCount > 1);

        /// <summary>
        /// <see cref="StartReadAhead(IEnumerable{int})"/>, also running <paramref name="prepare"/> on each record as it
        /// is read (on the second thread when there is one; an exception from it is a read error of that record).
        /// Tests choose the thread with <paramref name="onSecondThread"/>.
        /// </summary>
        internal void StartReadAhead(IEnumerable<int> numberColumns, Action<CsvRecord>? prepare, bool onSecondThread)
        {
            if (_ahead != null)
            {
                return;
            }

            _numberColumns = ColumnSet(numberColumns);
            _prepare = prepare;
            if (onSecondThread)
            {
                _ahead = new ReadAhead(this);
            }
        }

        /// <summary>The next record's fields as strings, or null at the end. Blank lines are skipped.</summary>
        public string[]? Read()
        {
            if (!ReadRecord())
            {
                return null;
            }

            var fields = new string[_current.Count];
            for (int i = 0; i < fields.Length; i++)
            {
                fields[i] = _current[i].ToString();
            }

            return fields;
        }

        /// <summary>Reads the next record into <see cref="Current"/>; false at the end. Blank lines are skipped.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public bool ReadRecord()
        {
            if (_ahead != null)
            {
                if (!_ahead.Next(out var record, out int line))
                {
                    return false;
                }

                _current = record;
                RecordLine = line;
                return true;
            }

            if (!ReadRecordHere())
            {
                return false;
            }

            _current = _target;
            RecordLine = _targetLine;
            return true;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _ahead?.Dispose();
            _reader.Dispose();
        }

        private static bool[] ColumnSet(IEnumerable<int> columns)
        {
            var set = new bool[64];
            foreach (int column in columns)
            {
                if (column >= set.Length)
                {
                    Array.Resize(ref set, column + 1);
                }

                set[column] = true;
            }

            return set;
        }

        private double StreamFraction() => _stream != null && _stream.Length > 0 ? Math.Min(1.0, (double)_stream.Position / _stream.Length) : 0;

        /// <summary>Reads the next record into <see cref="_target"/>, starting on line <see cref="_targetLine"/>.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private bool ReadRecordHere()
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

            _targetLine = _line;
            _target.Clear();
            if (!ReadPlainLine())
            {
                while (!ReadField())
                {
                }
            }

            // Once the file has shown bytes that are not UTF-8 (decoded as U+FFFD), each record says where it has them.
            _target.FindInvalidText(_invalidBytes != null && _invalidBytes.Seen);
            if (_numberColumns != null)
            {
                _target.ParseNumbers(_numberColumns);
            }

            _prepare?.Invoke(_target);
            return true;
        }

        /// <summary>
        /// The common case in one go: when the record's line is in the buffer and has no quote, it is copied at once and
        /// split at the delimiters. False (nothing consumed) otherwise; <see cref="ReadField"/> then reads it.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private bool ReadPlainLine()
        {
            var rest = new ReadOnlySpan<char>(_buffer, _position, _length - _position);
            int end = rest.IndexOfAny('\n', '\r', '"');
            if (end < 0 || rest[end] == '"')
            {
                return false;
            }

            int consumed = end + 1;
            if (rest[end] == '\r')
            {
                if (consumed == rest.Length)
                {
                    return false; // a CR LF may be split between this buffer and the next
                }

                if (rest[consumed] == '\n')
                {
                    consumed++;
                }
            }

            _target.SetFields(rest.Slice(0, end), _delimiter);
            _position += consumed;
            _line++;
            return true;
        }

        /// <summary>Reads one field into the record; true when it ended the record (line end or end of file).</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private bool ReadField()
        {
            _target.BeginField();
            if (Fill() && _buffer[_position] == '"')
            {
                _position++;
                while (true)
                {
                    if (!Fill())
                    {
                        throw new CocoToolsException("CsvUnterminatedQuote", FailureKind.InvalidData, $"the quoted field that starts on line {_targetLine} is never closed.");
                    }

                    char c = _buffer[_position++];
                    if (c == '"')
                    {
                        if (Fill() && _buffer[_position] == '"')
                        {
                            _position++;
                            _target.Append('"');
                            continue;
                        }

                        break;
                    }

                    if (c == '\n')
                    {
                        _line++;
                    }

                    _target.Append(c);
                }
            }

            while (Fill())
            {
                // The unquoted run up to the next delimiter or line end is found (vectorized) and copied in one go.
                int start = _position;
                int found = new ReadOnlySpan<char>(_buffer, start, _length - start).IndexOfAny(_delimiter, '\r', '\n');
                int end = found < 0 ? _length : start + found;
                char c = found < 0 ? '\0' : _buffer[end];

                // Text after a closing quote is kept, as most readers do.
                _target.Append(_buffer, start, end - start);
                _position = end;
                if (end == _length)
                {
                    continue;
                }

                if (c == _delimiter)
                {
                    _position++;
                    _target.EndField();
                    return false;
                }

                ConsumeLineEnd();
                _target.EndField();
                return true;
            }

            _target.EndField();
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

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
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

        /// <summary>
        /// The second thread of <see cref="StartReadAhead(IEnumerable{int})"/>: fills batches of records (each record its own buffers,
        /// all sharing one string pool that only the consuming thread touches) and hands them over in order through a
        /// bounded queue; used batches come back to be filled again, so memory stays a few batches whatever the file.
        /// </summary>
        private sealed class ReadAhead : IDisposable
        {
            private const int BatchSize = 1024;
            private const int Batches = 4;
            private readonly CsvRecordReader _owner;
            private readonly BlockingCollection<Batch> _full = new BlockingCollection<Batch>(Batches);
            private readonly BlockingCollection<Batch> _empty = new BlockingCollection<Batch>(Batches);
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private readonly Thread _thread;
            private Batch? _current;
            private int _next;
            private bool _disposed;

            public ReadAhead(CsvRecordReader owner)
            {
                _owner = owner;
                for (int i = 0; i < Batches; i++)
                {
                    _empty.Add(new Batch(owner._textPool));
                }

                _thread = new Thread(Run) { IsBackground = true, Name = "CocoTools CSV read-ahead" };
                _thread.Start();
            }

            public double Fraction { get; private set; }

            [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
            public bool Next(out CsvRecord record, out int line)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(CsvRecordReader));
                }

                while (_current == null || _next == _current.Count)
                {
                    if (_current != null)
                    {
                        if (_current.Error != null)
                        {
                            var error = _current.Error;
                            _current.Error = null;
                            ExceptionDispatchInfo.Capture(error).Throw();
                        }

                        if (_current.IsLast)
                        {
                            record = null!;
                            line = 0;
                            return false;
                        }

                        _empty.Add(_current);
                    }

                    _current = _full.Take();
                    _next = 0;
                    Fraction = _current.Fraction;
                }

                record = _current.Records[_next];
                line = _current.Lines[_next];
                _next++;
                return true;
            }

            public void Dispose()
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _stop.Cancel();
                _thread.Join();
                _stop.Dispose();
            }

            [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
            private void Run()
            {
                try
                {
                    while (true)
                    {
                        var batch = _empty.Take(_stop.Token);
                        batch.Count = 0;
                        try
                        {
                            while (batch.Count < BatchSize)
                            {
                                _owner._target = batch.Records[batch.Count];
                                if (!_owner.ReadRecordHere())
                                {
                                    batch.IsLast = true;
                                    break;
                                }

                                batch.Lines[batch.Count++] = _owner._targetLine;
                            }
                        }
                        catch (Exception e)
                        {
                            // Handed over after the records read before it, as reading on one thread would throw it.
                            batch.Error = e;
                            batch.IsLast = true;
                        }

                        batch.Fraction = _owner.StreamFraction();
                        _full.Add(batch, _stop.Token);
                        if (batch.IsLast)
                        {
                            return;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // Disposed before the end of the file.
                }
            }

            private sealed class Batch
            {
                public Batch(CsvTextPool pool)
                {
                    for (int i = 0; i < Records.Length; i++)
                    {
                        Records[i] = new CsvRecord(pool, 128);
                    }
                }

                public CsvRecord[] Records { get; } = new CsvRecord[BatchSize];

                public int[] Lines { get; } = new int[BatchSize];

                public int Count { get; set; }

                public bool IsLast { get; set; }

                public Exception? Error { get; set; }

                public double Fraction { get; set; }
            }
        }
    }

    /// <summary>
    /// The fields of one CSV record, unescaped, in one reused buffer. Short values that repeat (labels, image names,
    /// reader ids) come back as one shared string each, so a million rows naming twenty thousand images make twenty
    /// thousand strings, not a million.
    /// </summary>
    public sealed class CsvRecord
    {
        private const byte NotParsed = 0;
        private const byte Parsed = 1;
        private const byte NotANumber = 2;
        private char[] _chars;
        private int _used;
        // Everything about a field in one place: a record read on one thread and bound on another crosses between
        // the cores' caches in as few lines as possible.
        private Field[] _fields = new Field[16];
        private int _fieldStart;
        private readonly CsvTextPool _text;

        internal CsvRecord(CsvTextPool text, int capacity)
        {
            _text = text;
            _chars = new char[capacity];
        }

        /// <summary>The number of fields.</summary>
        public int Count { get; private set; }

        /// <summary>A field's characters, valid until the next record is read.</summary>
        public ReadOnlySpan<char> this[int index] => new ReadOnlySpan<char>(_chars, _fields[index].Start, _fields[index].Length);

        /// <summary>A field's text; short repeated values are shared, not allocated again.</summary>
        public string GetString(int index) => _text.Shared(index, this[index]);

        /// <summary>A field's text without leading and trailing white space, shared like <see cref="GetString"/>.</summary>
        public string GetTrimmedString(int index) => _text.Shared(index, this[index].Trim());

        /// <summary>
        /// A field as a finite number (invariant culture, surrounding white space allowed); false when it is not one.
        /// Parsed once: by the read-ahead thread for the columns it was given, else here.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public bool TryGetNumber(int index, out double value)
        {
            if (index < Count)
            {
                switch (_fields[index].NumberState)
                {
                    case Parsed:
                        value = _fields[index].Number;
                        return true;
                    case NotANumber:
                        value = 0;
                        return false;
                }
            }

            return NumberText.TryParseFinite(this[index], out value);
        }

        /// <summary>Parses the fields of the marked columns now (on the read-ahead thread).</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        internal void ParseNumbers(bool[] columns)
        {
            int count = Math.Min(Count, columns.Length);
            for (int i = 0; i < count; i++)
            {
                if (columns[i])
                {
                    _fields[i].NumberState = NumberText.TryParseFinite(this[i], out _fields[i].Number) ? Parsed : NotANumber;
                }
            }
        }

        /// <summary>True when a field is missing, empty or only white space (worked out as the field is read).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public bool IsBlank(int index) => index >= Count || _fields[index].IsBlank;

        /// <summary>
        /// What the reader's preparation step left for this record (see <see cref="CsvRecordReader"/>'s read-ahead);
        /// the object is kept with the record and reused when the record's buffers are filled again.
        /// </summary>
        internal object? Prepared { get; set; }

        /// <summary>True when <see cref="Prepared"/> belongs to the record now held, false after it is filled again.</summary>
        internal bool IsPrepared { get; set; }

        /// <summary>The first field holding text that was not UTF-8 in the file (decoded as U+FFFD), or -1.</summary>
        public int InvalidTextField { get; private set; } = -1;

        internal void FindInvalidText(bool fileHasInvalidBytes)
        {
            InvalidTextField = -1;
            if (!fileHasInvalidBytes)
            {
                return;
            }

            for (int i = 0; i < Count; i++)
            {
                if (this[i].IndexOf('\uFFFD') >= 0)
                {
                    InvalidTextField = i;
                    return;
                }
            }
        }

        internal void Clear()
        {
            Count = 0;
            _used = 0;
            IsPrepared = false;
        }

        internal void BeginField() => _fieldStart = _used;

        /// <summary>Takes a whole line without quotes: its characters in one copy, its fields split at the delimiters.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        internal void SetFields(ReadOnlySpan<char> line, char delimiter)
        {
            if (line.Length > _chars.Length)
            {
                CheckLength(line.Length);
                _chars = new char[Math.Max(2 * _chars.Length, line.Length)];
            }

            line.CopyTo(_chars);
            var rest = line;
            int start = 0;
            while (true)
            {
                int next = rest.IndexOf(delimiter);
                _fieldStart = start;
                _used = start + (next < 0 ? rest.Length : next);
                EndField();
                if (next < 0)
                {
                    return;
                }

                start += next + 1;
                rest = rest.Slice(next + 1);
            }
        }

        private struct Field
        {
            public double Number;
            public int Start;
            public int Length;
            public byte NumberState;
            public bool IsBlank;
        }

        private static bool IsWhiteSpace(char[] chars, int start, int length)
        {
            for (int i = start; i < start + length; i++)
            {
                if (!char.IsWhiteSpace(chars[i]))
                {
                    return false;
                }
            }

            return true;
        }

        internal void Append(char c)
        {
            if (_used == _chars.Length)
            {
                Grow(_chars.Length * 2);
            }

            _chars[_used++] = c;
        }

        internal void Append(char[] source, int start, int count)
        {
            if (_used + count > _chars.Length)
            {
                Grow(Math.Max(_chars.Length * 2, _used + count));
            }

            Array.Copy(source, start, _chars, _used, count);
            _used += count;
        }

        /// <summary>A record's buffer grows only for long fields, so the field length limit is checked here, off the hot path.</summary>
        private void Grow(int size)
        {
            CheckLength(size / 2);
            Array.Resize(ref _chars, size);
        }

        private static void CheckLength(int length)
        {
            if (length > InputLimits.MaxCsvFieldChars)
            {
                throw new CocoToolsException("CsvFieldTooLong", FailureKind.LimitsExceeded, $"a record has a field (or line) longer than {InputLimits.MaxCsvFieldChars} characters, the limit (an unclosed quote?); raise it with COCOTOOLS_MAX_CSV_FIELD_CHARS if the file is real.");
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        internal void EndField()
        {
            if (Count == _fields.Length)
            {
                Array.Resize(ref _fields, Count * 2);
            }

            ref var field = ref _fields[Count];
            field.Start = _fieldStart;
            field.Length = _used - _fieldStart;
            field.NumberState = NotParsed;
            field.IsBlank = IsWhiteSpace(_chars, _fieldStart, field.Length);
            Count++;
        }
    }

    /// <summary>Decodes bytes that are not UTF-8 as U+FFFD, as the default does, and remembers that it had to.</summary>
    internal sealed class FlaggingDecoderFallback : DecoderFallback
    {
        private volatile bool _seen;

        public bool Seen => _seen;

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private sealed class Buffer : DecoderFallbackBuffer
        {
            private readonly FlaggingDecoderFallback _owner;
            private bool _pending;

            public Buffer(FlaggingDecoderFallback owner)
            {
                _owner = owner;
            }

            public override int Remaining => _pending ? 1 : 0;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _owner._seen = true;
                _pending = true;
                return true;
            }

            public override char GetNextChar()
            {
                if (!_pending)
                {
                    return '\0';
                }

                _pending = false;
                return '\uFFFD';
            }

            public override bool MovePrevious() => false;

            public override void Reset() => _pending = false;
        }
    }
}
