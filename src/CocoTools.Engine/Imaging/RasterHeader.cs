using System;
using System.IO;

namespace CocoTools.Engine.Imaging
{
    /// <summary>A raster image's format (named as ImageSharp names it) and size, read from its header.</summary>
    public readonly struct RasterInfo
    {
        /// <summary>Creates the record.</summary>
        public RasterInfo(string format, int width, int height)
        {
            Format = format;
            Width = width;
            Height = height;
        }

        /// <summary>PNG, JPEG, BMP, GIF, TIFF or Webp.</summary>
        public string Format { get; }

        /// <summary>Width in pixels.</summary>
        public int Width { get; }

        /// <summary>Height in pixels.</summary>
        public int Height { get; }
    }

    /// <summary>
    /// Identifies the raster formats CocoTools documents (PNG, JPEG, BMP, GIF, TIFF, WebP) by their signature and reads
    /// their width and height from the header by itself, within the first 64 KiB (TIFF: the first directory, wherever
    /// it is, bounded). No third-party code sees an untrusted file until it is known to be one of these formats and its
    /// size is within the limits. Anything else is a <see cref="CocoToolsException"/>: <c>UnsupportedImage</c> (not a
    /// known signature) or <c>ImageCorrupt</c> (a known signature with a header that does not hold together).
    /// </summary>
    public static class RasterHeader
    {
        private const int HeadBytes = 1 << 16;

        /// <summary>Reads the header from the current position of <paramref name="stream"/>; <paramref name="path"/> names it in errors.</summary>
        public static RasterInfo Identify(Stream stream, string path)
        {
            var head = new byte[HeadBytes];
            int n = 0, read;
            try
            {
                while (n < head.Length && (read = stream.Read(head, n, head.Length - n)) > 0)
                {
                    n += read;
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException("FileReadFailed", FailureKind.ReadError, $"{path}: {e.Message}", e) { SourcePath = path, Target = path };
            }

            return Identify(new ReadOnlySpan<byte>(head, 0, n), stream.CanSeek ? stream : null, path);
        }

        /// <summary>Identifies an image from its first bytes (TIFF may need <paramref name="seekable"/> for a directory further on).</summary>
        public static RasterInfo Identify(ReadOnlySpan<byte> head, Stream? seekable, string path)
        {
            string? format = null;
            (int Width, int Height)? size = null;
            if (StartsWith(head, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A))
            {
                format = "PNG";
                // The first chunk must be IHDR: length 13, then width and height, big-endian.
                if (head.Length >= 24 && BigEndian32(head, 8) == 13 && head[12] == 'I' && head[13] == 'H' && head[14] == 'D' && head[15] == 'R')
                {
                    size = (Positive(BigEndian32(head, 16)), Positive(BigEndian32(head, 20)));
                }
            }
            else if (StartsWith(head, 0xFF, 0xD8, 0xFF))
            {
                format = "JPEG";
                size = JpegSize(head);
            }
            else if (StartsWith(head, (byte)'G', (byte)'I', (byte)'F', (byte)'8') && head.Length >= 10 && (head[4] == '7' || head[4] == '9') && head[5] == 'a')
            {
                format = "GIF";
                size = (head[6] | (head[7] << 8), head[8] | (head[9] << 8));
            }
            else if (StartsWith(head, (byte)'B', (byte)'M') && head.Length >= 26)
            {
                format = "BMP";
                size = BmpSize(head);
            }
            else if (StartsWith(head, (byte)'I', (byte)'I', 42, 0) || StartsWith(head, (byte)'M', (byte)'M', 0, 42))
            {
                format = "TIFF";
                size = TiffSize(head, seekable);
            }
            else if (StartsWith(head, (byte)'R', (byte)'I', (byte)'F', (byte)'F') && head.Length >= 12 && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P')
            {
                format = "Webp";
                size = WebpSize(head);
            }

            if (format == null)
            {
                throw new CocoToolsException("UnsupportedImage", FailureKind.InvalidData, $"{path}: neither DICOM nor a supported image (PNG, JPEG, BMP, TIFF, GIF, WebP).") { SourcePath = path, Target = path };
            }

            if (size is not (int w, int h) || w <= 0 || h <= 0)
            {
                throw new CocoToolsException("ImageCorrupt", FailureKind.InvalidData, $"{path}: it starts like a {format} image, but its header gives no valid width and height (truncated or corrupt).") { SourcePath = path, Target = path };
            }

            return new RasterInfo(format, w, h);
        }

        /// <summary>
        /// Decodes a raster image for re-encoding: identified and size-checked by <see cref="Identify(Stream, string)"/>
        /// first, then decoded by ImageSharp through a configuration whose allocations are capped near that size. What
        /// ImageSharp 2.1's decoders throw on crafted input varies (format, content, index, argument, memory errors), so
        /// every exception from the decoding becomes <c>ImageCorrupt</c> naming the file.
        /// </summary>
        public static SixLabors.ImageSharp.Image Load(string path, long maxPixels) =>
            Decode(path, maxPixels, (configuration, file) => SixLabors.ImageSharp.Image.Load(configuration, file));

        /// <summary>As <see cref="Load"/>, decoded to the pixel type <typeparamref name="TPixel"/>.</summary>
        public static SixLabors.ImageSharp.Image<TPixel> Load<TPixel>(string path, long maxPixels)
            where TPixel : unmanaged, SixLabors.ImageSharp.PixelFormats.IPixel<TPixel> =>
            Decode(path, maxPixels, (configuration, file) => SixLabors.ImageSharp.Image.Load<TPixel>(configuration, file));

        private static TImage Decode<TImage>(string path, long maxPixels, Func<SixLabors.ImageSharp.Configuration, string, TImage> decode)
            where TImage : SixLabors.ImageSharp.Image
        {
            RasterInfo info;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
                info = Identify(stream, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException("FileReadFailed", FailureKind.ReadError, $"{path}: {e.Message}", e) { SourcePath = path, Target = path };
            }

            InputLimits.CheckPixels(info.Width, info.Height, maxPixels, path, "raise the limit with COCOTOOLS_MAX_IMAGE_PIXELS if the image is real");
            long megabytes = Math.Max(64, (((long)info.Width * info.Height * 16) >> 20) + 64);
            var configuration = SixLabors.ImageSharp.Configuration.Default.Clone();
            configuration.MemoryAllocator = SixLabors.ImageSharp.Memory.MemoryAllocator.Create(new SixLabors.ImageSharp.Memory.MemoryAllocatorOptions { AllocationLimitMegabytes = (int)Math.Min(megabytes, int.MaxValue) });
            try
            {
                var image = decode(configuration, path);
                if (image.Width != info.Width || image.Height != info.Height)
                {
                    image.Dispose();
                    throw new CocoToolsException("ImageCorrupt", FailureKind.InvalidData, $"{path}: the header says {info.Width}x{info.Height} but the image decodes to another size.") { SourcePath = path, Target = path };
                }

                return image;
            }
            catch (CocoToolsException)
            {
                throw;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                throw new CocoToolsException("ImageCorrupt", FailureKind.InvalidData, $"{path}: the {info.Format} image cannot be decoded: {e.Message}", e) { SourcePath = path, Target = path };
            }
        }

        private static bool StartsWith(ReadOnlySpan<byte> head, params byte[] signature) => head.Length >= signature.Length && head.Slice(0, signature.Length).SequenceEqual(signature);

        private static int BigEndian32(ReadOnlySpan<byte> b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];

        private static int Positive(int value) => value > 0 ? value : 0;

        /// <summary>Walks the markers to the first start-of-frame (SOF0-SOF15 but DHT, JPG and DAC): height then width.</summary>
        private static (int, int)? JpegSize(ReadOnlySpan<byte> b)
        {
            int at = 2;
            while (at + 4 <= b.Length)
            {
                if (b[at] != 0xFF)
                {
                    return null;
                }

                byte marker = b[at + 1];
                if (marker == 0xFF)
                {
                    at++; // fill byte
                    continue;
                }

                if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
                {
                    at += 2; // markers without a length
                    continue;
                }

                int length = (b[at + 2] << 8) | b[at + 3];
                if (length < 2)
                {
                    return null;
                }

                if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
                {
                    return at + 9 <= b.Length ? (((b[at + 7] << 8) | b[at + 8]), ((b[at + 5] << 8) | b[at + 6])) : null;
                }

                if (marker == 0xDA || marker == 0xD9)
                {
                    return null; // scan data or the end before any frame header
                }

                at += 2 + length;
            }

            return null;
        }

        /// <summary>BITMAPCOREHEADER (16-bit sizes) or BITMAPINFOHEADER and later (32-bit; a negative height is top-down).</summary>
        private static (int, int)? BmpSize(ReadOnlySpan<byte> b)
        {
            int headerSize = b[14] | (b[15] << 8) | (b[16] << 16) | (b[17] << 24);
            if (headerSize == 12)
            {
                return (b[18] | (b[19] << 8), b[20] | (b[21] << 8));
            }

            int width = b[18] | (b[19] << 8) | (b[20] << 16) | (b[21] << 24);
            int height = b[22] | (b[23] << 8) | (b[24] << 16) | (b[25] << 24);
            return headerSize >= 40 && height != int.MinValue ? (width, Math.Abs(height)) : null;
        }

        /// <summary>VP8 (lossy: 14-bit sizes in the frame header), VP8L (lossless: 14-bit sizes minus one) or VP8X (24-bit canvas minus one).</summary>
        private static (int, int)? WebpSize(ReadOnlySpan<byte> b)
        {
            if (b.Length < 30)
            {
                return null;
            }

            var chunk = b.Slice(12, 4);
            if (chunk.SequenceEqual("VP8 "u8) && b[23] == 0x9D && b[24] == 0x01 && b[25] == 0x2A)
            {
                return ((b[26] | (b[27] << 8)) & 0x3FFF, (b[28] | (b[29] << 8)) & 0x3FFF);
            }

            if (chunk.SequenceEqual("VP8L"u8) && b[20] == 0x2F)
            {
                uint bits = (uint)(b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24));
                return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
            }

            if (chunk.SequenceEqual("VP8X"u8))
            {
                return ((b[24] | (b[25] << 8) | (b[26] << 16)) + 1, (b[27] | (b[28] << 8) | (b[29] << 16)) + 1);
            }

            return null;
        }

        /// <summary>ImageWidth (256) and ImageLength (257) of the first directory, which may lie anywhere in the file; null without strips or tiles.</summary>
        private static (int, int)? TiffSize(ReadOnlySpan<byte> head, Stream? seekable)
        {
            bool little = head[0] == 'I';
            if (head.Length < 8)
            {
                return null;
            }

            long offset = Read32(head, 4, little);
            const int EntryBytes = 12;
            byte[] directory;
            if (offset >= 8 && offset + 2 <= head.Length)
            {
                directory = head.Slice((int)offset).ToArray();
            }
            else if (offset >= 8 && seekable != null && offset < seekable.Length)
            {
                // A directory past the first 64 KiB (after the pixels): read at most 64 KiB of it.
                seekable.Position = offset;
                directory = new byte[(int)Math.Min(HeadBytes, seekable.Length - offset)];
                int n = 0, read;
                while (n < directory.Length && (read = seekable.Read(directory, n, directory.Length - n)) > 0)
                {
                    n += read;
                }

                Array.Resize(ref directory, n);
            }
            else
            {
                return null;
            }

            if (directory.Length < 2)
            {
                return null;
            }

            int count = Read16(directory, 0, little);
            int width = 0, height = 0;
            bool hasPixels = false;
            for (int i = 0; i < count && 2 + ((i + 1) * EntryBytes) <= directory.Length; i++)
            {
                int at = 2 + (i * EntryBytes);
                int tag = Read16(directory, at, little);
                int type = Read16(directory, at + 2, little);
                // SHORT (3) or LONG (4), one value, held in the entry itself.
                int value = type == 3 ? Read16(directory, at + 8, little) : type == 4 ? (int)Math.Min(Read32(directory, at + 8, little), int.MaxValue) : 0;
                if (tag == 256)
                {
                    width = value;
                }
                else if (tag == 257)
                {
                    height = value;
                }
                else if (tag == 273 || tag == 324)
                {
                    hasPixels = true; // StripOffsets or TileOffsets: without either there is no image to read
                }
            }

            return hasPixels ? (width, height) : null;
        }

        private static int Read16(ReadOnlySpan<byte> b, int at, bool little) => little ? b[at] | (b[at + 1] << 8) : (b[at] << 8) | b[at + 1];

        private static long Read32(ReadOnlySpan<byte> b, int at, bool little) => little
            ? (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24))
            : (uint)((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
    }
}
