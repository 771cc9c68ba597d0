using System;
using System.Buffers.Binary;
using System.IO;

namespace CocoTools.Engine.Dicom
{
    /// <summary>
    /// Reads a DICOM stream through one buffer: small reads are served from memory, large values are skipped by
    /// seeking (or reading past them where the stream cannot seek, as in a deflated data set). Knows how many
    /// bytes remain when the stream has a length, so a declared length is checked before anything is allocated.
    /// </summary>
    internal sealed class DicomByteSource : IDisposable
    {
        private const int BlockSize = 16 * 1024;

        private readonly Stream _stream;
        private byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BlockSize);
        private int _start;
        private int _end;
        private long _bufferOffset;
        private bool _endOfStream;

        public DicomByteSource(Stream stream, long originOffset = 0)
        {
            _stream = stream;
            _bufferOffset = originOffset;
            Length = stream.CanSeek ? stream.Length : (long?)null;
        }

        /// <summary>Absolute position of the next byte.</summary>
        public long Position => _bufferOffset + _start;

        /// <summary>The stream's length when known (files); null for deflated data.</summary>
        public long? Length { get; }

        /// <summary>Bytes left when the length is known; otherwise <see cref="long.MaxValue"/>.</summary>
        public long Remaining => Length is long length ? length - Position : long.MaxValue;

        /// <summary>True when no byte is left.</summary>
        public bool AtEnd => !Ensure(1);

        public bool BigEndian { get; set; }

        /// <summary>Makes at least <paramref name="count"/> bytes available; false at the end of the stream.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public bool Ensure(int count)
        {
            if (_end - _start >= count)
            {
                return true;
            }

            if (_endOfStream)
            {
                return false;
            }

            if (_buffer.Length < count)
            {
                var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(count, _buffer.Length * 2));
                Buffer.BlockCopy(_buffer, _start, bigger, 0, _end - _start);
                System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
                _bufferOffset += _start;
                _end -= _start;
                _start = 0;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _bufferOffset += _start;
                _end -= _start;
                _start = 0;
            }

            while (_end < count)
            {
                int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
                if (n <= 0)
                {
                    _endOfStream = true;
                    return false;
                }

                _end += n;
            }

            return true;
        }

        /// <summary>The bytes available now (at least <paramref name="count"/> after a successful <see cref="Ensure"/>).</summary>
        public ReadOnlySpan<byte> Peek(int count) => new ReadOnlySpan<byte>(_buffer, _start, Math.Min(count, _end - _start));

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public ushort ReadUInt16()
        {
            var span = Take(2);
            return BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public uint ReadUInt32()
        {
            var span = Take(4);
            return BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public (byte A, byte B) ReadTwoBytes()
        {
            var span = Take(2);
            return (span[0], span[1]);
        }

        /// <summary>A copy of the next <paramref name="count"/> bytes (the caller has checked the count against <see cref="Remaining"/>).</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public byte[] ReadBytes(int count)
        {
            // With the length unknown (an inflating stream) a declared length is no evidence of the bytes: the array grows
            // with the bytes that arrive, so a small file declaring a large value cannot make us allocate it.
            var bytes = new byte[Length == null ? Math.Min(count, 1 << 20) : count];
            int copied = 0;
            while (copied < count)
            {
                if (copied == bytes.Length)
                {
                    Array.Resize(ref bytes, (int)Math.Min(count, 2L * bytes.Length));
                }

                if (!Ensure(Math.Min(count - copied, BlockSize)))
                {
                    int available = _end - _start;
                    if (available == 0)
                    {
                        throw new EndOfStreamException();
                    }
                }

                int n = Math.Min(bytes.Length - copied, _end - _start);
                Buffer.BlockCopy(_buffer, _start, bytes, copied, n);
                _start += n;
                copied += n;
            }

            return bytes;
        }

        /// <summary>Moves past <paramref name="count"/> bytes: within the buffer, by seeking, or by reading where the stream cannot seek.</summary>
        public void Skip(long count)
        {
            long inBuffer = _end - _start;
            if (count <= inBuffer)
            {
                _start += (int)count;
                return;
            }

            count -= inBuffer;
            _bufferOffset += _end;
            _start = _end = 0;
            if (_stream.CanSeek)
            {
                _stream.Seek(count, SeekOrigin.Current);
                _bufferOffset += count;
                return;
            }

            while (count > 0)
            {
                int n = _stream.Read(_buffer, 0, (int)Math.Min(_buffer.Length, count));
                if (n <= 0)
                {
                    _endOfStream = true;
                    throw new EndOfStreamException();
                }

                count -= n;
                _bufferOffset += n;
            }
        }

        /// <summary>Returns the buffer to the pool.</summary>
        public void Dispose()
        {
            var buffer = _buffer;
            _buffer = Array.Empty<byte>();
            _start = _end = 0;
            if (buffer.Length > 0)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>The rest of the input as a stream: what is buffered (copied), then the underlying stream (for inflating a deflated data set).</summary>
        public Stream RestAsStream()
        {
            var buffered = new MemoryStream(new ReadOnlySpan<byte>(_buffer, _start, _end - _start).ToArray(), writable: false);
            _bufferOffset += _end;
            _start = _end = 0;
            return new ConcatenatedStream(buffered, _stream);
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (!Ensure(count))
            {
                throw new EndOfStreamException();
            }

            var span = new ReadOnlySpan<byte>(_buffer, _start, count);
            _start += count;
            return span;
        }
    }
}

namespace CocoTools.Engine.Dicom
{
    /// <summary>What a read-only stream that can only go forward answers to everything but Read.</summary>
    internal abstract class ForwardOnlyStream : System.IO.Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new System.NotSupportedException();

        public override long Position { get => throw new System.NotSupportedException(); set => throw new System.NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, System.IO.SeekOrigin origin) => throw new System.NotSupportedException();

        public override void SetLength(long value) => throw new System.NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new System.NotSupportedException();
    }

    /// <summary>A read-only stream that is one stream followed by another.</summary>
    internal sealed class ConcatenatedStream : ForwardOnlyStream
    {
        private readonly System.IO.Stream _first;
        private readonly System.IO.Stream _second;
        private bool _firstDone;

        public ConcatenatedStream(System.IO.Stream first, System.IO.Stream second)
        {
            _first = first;
            _second = second;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_firstDone)
            {
                int n = _first.Read(buffer, offset, count);
                if (n > 0)
                {
                    return n;
                }

                _firstDone = true;
            }

            return _second.Read(buffer, offset, count);
        }
    }

    /// <summary>
    /// Reads an inflating stream up to a limit of inflated bytes: a deflate bomb (a few KiB that inflate to gigabytes)
    /// ends in a LimitsExceeded error naming the file and the limit, not in minutes of inflating.
    /// </summary>
    internal sealed class InflateLimit : ForwardOnlyStream
    {
        private readonly System.IO.Stream _inner;
        private readonly long _limit;
        private readonly string? _path;
        private long _read;

        public InflateLimit(System.IO.Stream inner, long limit, string? path)
        {
            _inner = inner;
            _limit = limit;
            _path = path;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _inner.Read(buffer, offset, count);
            _read += n;
            if (_read > _limit)
            {
                throw new CocoToolsException("InflatedTooLarge", FailureKind.LimitsExceeded, $"{_path ?? "<stream>"}: the deflated data set inflates to more than {_limit} bytes (a deflate bomb?); raise the limit with COCOTOOLS_MAX_INFLATED_BYTES if the file is real.") { SourcePath = _path, Target = _path };
            }

            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
