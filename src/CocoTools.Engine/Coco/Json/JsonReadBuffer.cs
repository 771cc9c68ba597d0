using System;
using System.Buffers;
using System.IO;
using System.Text.Json;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>
    /// Feeds a <see cref="Utf8JsonReader"/> from a stream through one growable buffer, so a file of any size
    /// is read in memory bounded by its largest single value rather than its length.
    /// </summary>
    internal sealed class JsonReadBuffer : IDisposable
    {
        private const int InitialSize = 1 << 20;
        private const int MaxValueBytes = 1 << 30;

        private readonly Stream _stream;
        private readonly JsonReaderOptions _options;
        private JsonReaderState _blockStartState;
        private byte[] _buffer;
        private int _length;
        private long _base;
        private bool _final;

        /// <param name="stream">The input.</param>
        /// <param name="options">Reader options (depth limit).</param>
        /// <param name="initialSize">Starting buffer size; tests use tiny ones to force a refill at every token boundary.</param>
        public JsonReadBuffer(Stream stream, JsonReaderOptions options, int initialSize = InitialSize)
        {
            _stream = stream;
            _options = options;
            _buffer = Allocate(initialSize);
            Fill();
            SkipByteOrderMark();
        }

        /// <summary>Absolute file offset of the start of the reader's current token.</summary>
        public long TokenOffset(ref Utf8JsonReader reader) => _base + reader.TokenStartIndex;

        /// <summary>Absolute file offset just past the reader's current token.</summary>
        public long ConsumedOffset(ref Utf8JsonReader reader) => _base + reader.BytesConsumed;

        /// <summary>True when the whole input is empty or whitespace.</summary>
        public bool IsBlank
        {
            get
            {
                if (!_final)
                {
                    return false;
                }

                for (int i = 0; i < _length; i++)
                {
                    byte b = _buffer[i];
                    if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n')
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        /// <summary>Told (bytes read, total bytes or 0) each time another block of the stream is read.</summary>
        public Action<long, long>? Progress { get; set; }

        public Utf8JsonReader CreateReader()
        {
            _blockStartState = new JsonReaderState(_options);
            return new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, 0, _length), _final, _blockStartState);
        }

        /// <summary>Advances to the next token, refilling the buffer as needed; false only at the end of the input.</summary>
        public bool Read(ref Utf8JsonReader reader)
        {
            while (!reader.Read())
            {
                if (_final)
                {
                    return false;
                }

                Refill(ref reader);
            }

            return true;
        }

        /// <summary>
        /// With the reader on a property name or before an array element, reads the whole next value and
        /// returns its exact UTF-8 text, leaving the reader on the value's last token.
        /// </summary>
        public byte[] ReadRawValue(ref Utf8JsonReader reader)
        {
            while (true)
            {
                var probe = reader;
                if (probe.Read())
                {
                    int start = (int)probe.TokenStartIndex;
                    if (probe.TrySkip())
                    {
                        int end = (int)probe.BytesConsumed;
                        var raw = new byte[end - start];
                        Buffer.BlockCopy(_buffer, start, raw, 0, raw.Length);
                        reader = probe;
                        return raw;
                    }
                }

                if (_final)
                {
                    throw new JsonException("The file ends inside a value.");
                }

                Refill(ref reader);
            }
        }

        /// <summary>
        /// After a syntax error: would the last block parse if more data followed? Then the input is a valid
        /// prefix cut short, and "truncated" is the truthful message. Re-reads only the last block, from the
        /// reader state saved when it was loaded, so the hot path needs no exception handling.
        /// </summary>
        public bool EndsInsideValue()
        {
            if (!_final)
            {
                return false;
            }

            var probe = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, 0, _length), isFinalBlock: false, _blockStartState);
            try
            {
                while (probe.Read())
                {
                }

                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>With the reader on a property name or a container start, skips the value, refilling as needed.</summary>
        public void Skip(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                Read(ref reader);
            }

            if (reader.TokenType != JsonTokenType.StartObject && reader.TokenType != JsonTokenType.StartArray)
            {
                return;
            }

            int depth = reader.CurrentDepth;
            do
            {
                if (!Read(ref reader))
                {
                    throw new JsonException("The file ends inside a value.");
                }
            }
            while (reader.CurrentDepth > depth);
        }

        public void Dispose()
        {
            Release(_buffer);
            _buffer = Array.Empty<byte>();
        }

        private static byte[] Allocate(int size) => size >= 1024 ? ArrayPool<byte>.Shared.Rent(size) : new byte[size];

        private static void Release(byte[] buffer)
        {
            // Only pooled buffers go back to the pool; tiny test buffers are plain arrays.
            if (buffer.Length >= 1024)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private void Refill(ref Utf8JsonReader reader)
        {
            int consumed = (int)reader.BytesConsumed;
            int remaining = _length - consumed;
            if (consumed > 0)
            {
                Buffer.BlockCopy(_buffer, consumed, _buffer, 0, remaining);
            }

            _base += consumed;
            _length = remaining;
            if (_length == _buffer.Length)
            {
                Grow();
            }

            Fill();
            Progress?.Invoke(_base + _length, _stream.CanSeek ? _stream.Length : 0);
            _blockStartState = reader.CurrentState;
            reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, 0, _length), _final, _blockStartState);
        }

        private void Grow()
        {
            if (_buffer.Length >= MaxValueBytes)
            {
                throw new CocoToolsException("JsonValueTooLarge", FailureKind.LimitsExceeded, $"A single JSON value is larger than {MaxValueBytes >> 20} MiB; the file is not a COCO file this tool can read safely.");
            }

            var bigger = Allocate(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _length);
            Release(_buffer);
            _buffer = bigger;
        }

        private void Fill()
        {
            while (_length < _buffer.Length)
            {
                int n = _stream.Read(_buffer, _length, _buffer.Length - _length);
                if (n == 0)
                {
                    _final = true;
                    return;
                }

                _length += n;
            }
        }

        private void SkipByteOrderMark()
        {
            if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                Buffer.BlockCopy(_buffer, 3, _buffer, 0, _length - 3);
                _length -= 3;
                _base = 3;
            }
            else if (_length >= 2 && ((_buffer[0] == 0xFF && _buffer[1] == 0xFE) || (_buffer[0] == 0xFE && _buffer[1] == 0xFF)))
            {
                throw new CocoToolsException("JsonNotUtf8", FailureKind.InvalidData, "The file is UTF-16 encoded; COCO JSON must be UTF-8. Re-save it as UTF-8 (for example Get-Content x.json | Set-Content -Encoding utf8 y.json).");
            }
        }
    }
}

