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
        private int _validated;
        private long _invalidAt = -1;
        private byte _invalidByte;

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
                    ThrowIfNotUtf8();
                    return false;
                }

                Refill(ref reader);
            }

            ThrowIfNotUtf8();
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
                        ThrowIfNotUtf8();
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
            _validated -= consumed;
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
                    break;
                }

                _length += n;
            }

            Validate();
        }

        /// <summary>
        /// Checks that the bytes read so far are UTF-8 (the reader itself checks only the strings it is asked to decode,
        /// and throws a bare InvalidOperationException there). A sequence cut by the end of the buffer waits for the next
        /// fill. The first bad byte is remembered and reported by the next <see cref="Read"/>, with its file offset.
        /// </summary>
        private void Validate()
        {
            if (_invalidAt >= 0)
            {
                return;
            }

            int i = Math.Max(_validated, 0);
            var b = _buffer;
            while (i < _length)
            {
                // Eight ASCII bytes at a time.
                if (i + 8 <= _length && (BitConverter.ToUInt64(b, i) & 0x8080808080808080UL) == 0)
                {
                    i += 8;
                    continue;
                }

                byte lead = b[i];
                if (lead < 0x80)
                {
                    i++;
                    continue;
                }

                int size = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
                if (size == 0)
                {
                    Invalid(i);
                    return;
                }

                if (i + size > _length)
                {
                    if (!_final)
                    {
                        break; // the rest of the sequence comes with the next fill
                    }

                    Invalid(i);
                    return;
                }

                // The second byte's range depends on the lead (no overlong forms, no surrogates, nothing past U+10FFFF).
                byte second = b[i + 1];
                byte low = lead == 0xE0 ? (byte)0xA0 : lead == 0xF0 ? (byte)0x90 : (byte)0x80;
                byte high = lead == 0xED ? (byte)0x9F : lead == 0xF4 ? (byte)0x8F : (byte)0xBF;
                if (second < low || second > high)
                {
                    Invalid(i);
                    return;
                }

                for (int k = 2; k < size; k++)
                {
                    if ((b[i + k] & 0xC0) != 0x80)
                    {
                        Invalid(i);
                        return;
                    }
                }

                i += size;
            }

            _validated = i;
        }

        /// <summary>Reports bytes that are not UTF-8 anywhere in what has been read (before any of it is decoded).</summary>
        private void ThrowIfNotUtf8()
        {
            if (_invalidAt >= 0)
            {
                throw new JsonEncodingException(_invalidAt, _invalidByte);
            }
        }

        private void Invalid(int index)
        {
            _invalidAt = _base + index;
            _invalidByte = _buffer[index];
        }

        private void SkipByteOrderMark()
        {
            if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                Buffer.BlockCopy(_buffer, 3, _buffer, 0, _length - 3);
                _length -= 3;
                _validated -= 3;
                _base = 3;
            }
            else if (_length >= 2 && ((_buffer[0] == 0xFF && _buffer[1] == 0xFE) || (_buffer[0] == 0xFE && _buffer[1] == 0xFF)))
            {
                throw new CocoToolsException("JsonNotUtf8", FailureKind.InvalidData, "The file is UTF-16 encoded; COCO JSON must be UTF-8. Re-save it as UTF-8 (for example Get-Content x.json | Set-Content -Encoding utf8 y.json).");
            }
        }
    }

    /// <summary>The input is not UTF-8: the first bad byte and its offset in the file.</summary>
    internal sealed class JsonEncodingException : JsonException
    {
        public JsonEncodingException(long offset, byte value)
            : base($"the text is not UTF-8: byte 0x{value:X2} at offset {offset} does not belong to a UTF-8 character; COCO JSON must be UTF-8 (re-save the file as UTF-8)")
        {
            Offset = offset;
        }

        /// <summary>Offset of the bad byte from the start of the file.</summary>
        public long Offset { get; }
    }
}
