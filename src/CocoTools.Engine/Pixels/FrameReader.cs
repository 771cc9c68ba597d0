using System;
using System.IO;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// Reads frames one at a time from a file read by a header read: native (uncompressed) pixel data is read frame by
    /// frame straight from the file, so memory is one frame, not the whole pixel data; a deflated data set is inflated
    /// as a stream, forward (a frame before the last one read starts the inflating again); encapsulated files are read
    /// whole once and decoded by <see cref="FrameDecoder"/>. A header read with its pixel data (an object fetched from a server
    /// into memory) is read from that data, never from a file. Dispose to close the file.
    /// </summary>
    public sealed class FrameReader : IDisposable
    {
        private readonly DicomHeader _header;
        private readonly string _path;
        private FileStream? _stream;
        private DicomHeader? _whole;
        private byte[] _buffer = Array.Empty<byte>();
        private System.IO.Stream? _inflated;
        private long _inflatedAt;

        /// <summary>A reader of a header's frames; the layout is checked here (a DicomException says what is missing).</summary>
        public FrameReader(DicomHeader header)
        {
            _header = header;
            bool inMemory = header.PixelData?.Value != null || header.PixelData?.Fragments.Count > 0;
            _path = header.SourcePath ?? (inMemory ? "<memory>" : throw new ArgumentException("The header was not read from a file.", nameof(header)));
            _whole = inMemory ? header : null;
            Layout = PixelLayout.Of(header);
            if (header.PixelData == null)
            {
                throw new DicomException("DicomNoPixelData", "the file has no Pixel Data.", _path, 0);
            }
        }

        /// <summary>The pixel layout.</summary>
        public PixelLayout Layout { get; }

        /// <summary>True when the samples are stored big endian.</summary>
        public bool BigEndian => _header.TransferSyntax.BigEndian;

        /// <summary>True when frames are read from the file one by one.</summary>
        public bool Streams
        {
            get
            {
                var pixels = _header.PixelData!;
                return !pixels.Encapsulated && !_header.TransferSyntax.Encapsulated && (!_header.TransferSyntax.Deflated || _header.DeflatedFrom != null);
            }
        }

        /// <summary>
        /// The bytes of native frame <paramref name="frame"/> (0-based) as stored, when <see cref="Streams"/>: for 1-bit
        /// data the bytes its bits span, the frame starting at bit <paramref name="bitOffset"/> of the first. Valid until
        /// the next read.
        /// </summary>
        public ReadOnlySpan<byte> ReadNative(int frame, out int bitOffset)
        {
            if (!Streams)
            {
                throw new InvalidOperationException("Only native pixel data is read as stored; use Read.");
            }

            var (start, count) = Fetch(frame);
            bitOffset = (int)((frame * Layout.FrameBits) - (start * 8));
            return new ReadOnlySpan<byte>(_buffer, 0, count);
        }

        /// <summary>
        /// The bits of 1-bit frame <paramref name="frame"/> (0-based), packed least significant bit first from bit
        /// <paramref name="firstBit"/>: native frames read one by one from the file, others decoded by
        /// <see cref="FrameDecoder.DecodeBits"/> (RLE Lossless). Valid until the next read.
        /// </summary>
        public ReadOnlySpan<byte> ReadBits(int frame, out long firstBit)
        {
            if (Streams)
            {
                var raw = ReadNative(frame, out int offset);
                firstBit = offset;
                return raw;
            }

            _whole ??= FrameDecoder.ReadWithPixels(_path);
            return FrameDecoder.DecodeBits(_whole, PixelLayout.Of(_whole), frame, ref _buffer, out firstBit);
        }

        /// <summary>The stored samples of frame <paramref name="frame"/> (0-based), pixel by pixel.</summary>
        public void Read(int frame, uint[] samples)
        {
            string where = $"{_path}, frame {frame + 1}";
            if (frame < 0 || frame >= Layout.Frames)
            {
                throw new CocoToolsException("FrameOutOfRange", FailureKind.InvalidArgument, $"{where}: the file has {Layout.Frames} frame(s).");
            }

            if (!Streams)
            {
                _whole ??= FrameDecoder.ReadWithPixels(_path);
                FrameDecoder.Decode(_whole, PixelLayout.Of(_whole), frame, samples);
                return;
            }

            var (startByte, count) = Fetch(frame);
            long firstBit = frame * Layout.FrameBits;
            if (Layout.BitsAllocated == 1)
            {
                BitPacking.Unpack(new ReadOnlySpan<byte>(_buffer, 0, count), firstBit - (startByte * 8), new Span<uint>(samples, 0, Layout.SamplesPerFrame));
            }
            else
            {
                byte[] exact = _buffer.Length == count ? _buffer : _buffer.AsSpan(0, count).ToArray();
                FrameDecoder.DecodeNative(exact, Layout, 0, _header.TransferSyntax.BigEndian, samples, where);
            }
        }

        /// <summary>Reads the bytes a native frame spans into the buffer: its first byte in the pixel data, and how many.</summary>
        private (long Start, int Count) Fetch(int frame)
        {
            string where = $"{_path}, frame {frame + 1}";
            if (frame < 0 || frame >= Layout.Frames)
            {
                throw new CocoToolsException("FrameOutOfRange", FailureKind.InvalidArgument, $"{where}: the file has {Layout.Frames} frame(s).");
            }

            var pixels = _header.PixelData!;
            long firstBit = frame * Layout.FrameBits;
            long startByte = firstBit / 8;
            long endByte = (firstBit + Layout.FrameBits + 7) / 8;
            if (pixels.Truncated || endByte > pixels.Length)
            {
                throw new CocoToolsException("PixelDataTruncated", FailureKind.InvalidData, $"{where}: the pixel data has {Math.Max(0, pixels.Length)} bytes{(pixels.Truncated ? " declared but the file ends early" : string.Empty)}; frame {frame + 1} of {Layout.Columns}x{Layout.Rows} at {Layout.BitsAllocated} bit(s) needs bytes {startByte} to {endByte - 1}.");
            }

            int count = (int)(endByte - startByte);
            if (_buffer.Length < count)
            {
                _buffer = new byte[count];
            }

            if (pixels.Value is byte[] value)
            {
                // Pixel data read into memory: the frame's bytes are in it (its start is the value's, not the file's).
                if (endByte > value.Length)
                {
                    throw new CocoToolsException("PixelDataTruncated", FailureKind.InvalidData, $"{where}: the pixel data ends {endByte - value.Length} bytes into the frame.");
                }

                Buffer.BlockCopy(value, (int)startByte, _buffer, 0, count);
                return (startByte, count);
            }

            int read = 0, n;
            var source = Seek(pixels.Offset + startByte, where);
            while (read < count && (n = source.Read(_buffer, read, count - read)) > 0)
            {
                read += n;
            }

            if (_inflated != null)
            {
                _inflatedAt += read;
            }

            if (read < count)
            {
                throw new CocoToolsException("PixelDataTruncated", FailureKind.InvalidData, $"{where}: the file ends {count - read} bytes into the frame.");
            }

            return (startByte, count);
        }

        /// <summary>The file, or the inflated data set, positioned at <paramref name="offset"/> (in the header's offsets).</summary>
        private Stream Seek(long offset, string where)
        {
            if (_header.DeflatedFrom is not long deflatedFrom)
            {
                _stream ??= new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
                _stream.Position = offset;
                return _stream;
            }

            if (_inflated == null || offset < _inflatedAt)
            {
                _inflated?.Dispose();
                var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16) { Position = deflatedFrom };
                _inflated = new InflateLimit(new System.IO.Compression.DeflateStream(file, System.IO.Compression.CompressionMode.Decompress), InputLimits.MaxInflatedBytes, _path);
                _inflatedAt = deflatedFrom;
            }

            // Forward to the frame, through a frame-sized buffer.
            var skip = _buffer.Length > 0 ? _buffer : new byte[1 << 16];
            while (_inflatedAt < offset)
            {
                int n = _inflated.Read(skip, 0, (int)Math.Min(skip.Length, offset - _inflatedAt));
                if (n <= 0)
                {
                    throw new CocoToolsException("PixelDataTruncated", FailureKind.InvalidData, $"{where}: the deflated data set ends {offset - _inflatedAt} bytes before the frame.");
                }

                _inflatedAt += n;
            }

            return _inflated;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _stream?.Dispose();
            _inflated?.Dispose();
        }
    }
}
