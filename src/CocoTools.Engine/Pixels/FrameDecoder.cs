using System;
using System.Collections.Generic;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// Gets one frame's stored samples (raw, pixel by pixel) from a file read with its pixel data: native (little or
    /// big endian, interleaved or planar, deflated or not), RLE Lossless, lossless JPEG (process 14) and lossy JPEG
    /// (baseline and extended, bit-exact with dcmtk) by our own decoders. JPEG-LS, JPEG 2000, HTJ2K and video are
    /// refused with the transfer syntax and a way to convert the file, never decoded wrongly.
    /// </summary>
    public static class FrameDecoder
    {
        private const string Convert = "convert it to an uncompressed transfer syntax first, for example `gdcmconv --raw in.dcm out.dcm` or dcmtk's `dcmdjpls in.dcm out.dcm` / `dcmj2pnm`";
        private const string ConvertJpeg = "convert it to an uncompressed transfer syntax first with dcmtk's `dcmdjpeg in.dcm out.dcm` (or `gdcmconv --raw in.dcm out.dcm`)";

        /// <summary>Reads a file with its pixel data.</summary>
        public static DicomHeader ReadWithPixels(string path) => DicomReader.ReadHeader(path, new DicomReadOptions { ReadPixelData = true });

        /// <summary>
        /// The stored samples of frame <paramref name="frame"/> (0-based), pixel by pixel, in <paramref name="samples"/>.
        /// Returns the photometric interpretation of the samples as decoded (a colour JPEG decodes to RGB).
        /// </summary>
        public static string Decode(DicomHeader header, PixelLayout layout, int frame, uint[] samples)
        {
            var pixels = header.PixelData ?? throw new DicomException("DicomNoPixelData", "the file has no Pixel Data.", header.SourcePath, 0);
            string where = $"{header.SourcePath}, frame {frame + 1}";
            if (frame < 0 || frame >= layout.Frames)
            {
                throw new CocoToolsException("FrameOutOfRange", FailureKind.InvalidArgument, $"{where}: the file has {layout.Frames} frame(s).");
            }

            var syntax = header.TransferSyntax;
            if (!pixels.Encapsulated)
            {
                if (pixels.Value == null)
                {
                    throw new CocoToolsException("PixelDataNotRead", FailureKind.InvalidArgument, $"{where}: the pixel data was not read (ReadWithPixels reads it).");
                }

                DecodeNative(pixels.Value, layout, frame, syntax.BigEndian, samples, where);
                return layout.Photometric;
            }

            string uid = syntax.Uid;
            if (layout.BitsAllocated == 1)
            {
                byte[] packed = Array.Empty<byte>();
                var bits = DecodeBits(header, layout, frame, ref packed, out long firstBit);
                BitPacking.Unpack(bits, firstBit, new Span<uint>(samples, 0, layout.SamplesPerFrame));
                return layout.Photometric;
            }

            var data = FrameData(pixels, layout, frame, where);
            switch (uid)
            {
                case "1.2.840.10008.1.2.5":
                    RleLosslessDecoder.Decode(data, layout, samples, where);
                    return layout.Photometric;
                case "1.2.840.10008.1.2.4.57":
                case "1.2.840.10008.1.2.4.70":
                    JpegLosslessDecoder.Decode(data, layout, samples, where);
                    return layout.Photometric;
                case "1.2.840.10008.1.2.4.50":
                case "1.2.840.10008.1.2.4.51":
                    // Our own decoder: ImageSharp 2.1 decodes these up to 3 grey levels away from libjpeg (dcmtk).
                    return JpegDctDecoder.Decode(data, layout, samples, where);
                case "1.2.840.10008.1.2.1.98":
                    DecodeNative(data, layout, 0, bigEndian: false, samples, where);
                    return layout.Photometric;
                default:
                    throw new CocoToolsException("DicomCompressionUnsupported", FailureKind.NotImplemented, $"{where}: the pixels are compressed as {syntax.Name} ({uid}), which CocoTools does not decode; {(IsOtherJpeg(uid) ? ConvertJpeg : Convert)}.");
            }
        }

        /// <summary>
        /// The bits of 1-bit frame <paramref name="frame"/> (0-based) of a file read with its pixel data, packed least
        /// significant bit first from bit <paramref name="firstBit"/>: native data as stored (frames follow each other
        /// bit after bit), RLE Lossless decoded into <paramref name="buffer"/> (grown when too small; each encapsulated
        /// frame starts on a byte). Other compressions are refused with the transfer syntax and a way to convert.
        /// </summary>
        public static ReadOnlySpan<byte> DecodeBits(DicomHeader header, PixelLayout layout, int frame, ref byte[] buffer, out long firstBit)
        {
            var pixels = header.PixelData ?? throw new DicomException("DicomNoPixelData", "the file has no Pixel Data.", header.SourcePath, 0);
            string where = $"{header.SourcePath}, frame {frame + 1}";
            if (layout.BitsAllocated != 1 || frame < 0 || frame >= layout.Frames)
            {
                throw new CocoToolsException("FrameOutOfRange", FailureKind.InvalidArgument, $"{where}: the file has {layout.Frames} frame(s) of {layout.BitsAllocated} bit(s); 1-bit frames were asked for.");
            }

            var syntax = header.TransferSyntax;
            if (!pixels.Encapsulated)
            {
                var value = pixels.Value ?? throw new CocoToolsException("PixelDataNotRead", FailureKind.InvalidArgument, $"{where}: the pixel data was not read (ReadWithPixels reads it).");
                firstBit = frame * layout.FrameBits;
                if ((firstBit + layout.FrameBits + 7) / 8 > value.Length)
                {
                    throw new CocoToolsException("PixelDataTruncated", FailureKind.InvalidData, $"{where}: the pixel data has {value.Length} bytes, too few for frame {frame + 1} of {layout.Columns}x{layout.Rows} at 1 bit (bits {firstBit} to {firstBit + layout.FrameBits - 1}).");
                }

                return value;
            }

            if (syntax.Uid != "1.2.840.10008.1.2.5")
            {
                throw new CocoToolsException("DicomCompressionUnsupported", FailureKind.NotImplemented, $"{where}: 1-bit pixels compressed as {syntax.Name} ({syntax.Uid}) are not decoded (RLE Lossless is); {Convert}.");
            }

            int bytes = (layout.Rows * layout.Columns + 7) / 8;
            if (buffer.Length < bytes)
            {
                buffer = new byte[bytes];
            }

            RleLosslessDecoder.DecodeBits(FrameData(pixels, layout, frame, where), layout, buffer, where);
            firstBit = 0;
            return new ReadOnlySpan<byte>(buffer, 0, bytes);
        }

        /// <summary>The other (mostly retired) JPEG processes of PS3.5 Table A-4, 1.2.840.10008.1.2.4.52 to .66, which dcmdjpeg decodes.</summary>
        private static bool IsOtherJpeg(string uid) =>
            uid.StartsWith("1.2.840.10008.1.2.4.5", StringComparison.Ordinal) || uid.StartsWith("1.2.840.10008.1.2.4.6", StringComparison.Ordinal);

        internal static void DecodeNative(byte[] value, PixelLayout layout, int frame, bool bigEndian, uint[] samples, string where)
        {
            if (layout.BitsAllocated == 1)
            {
                long firstBit = frame * layout.FrameBits;
                if ((firstBit + layout.FrameBits + 7) / 8 > value.Length)
                {
                    throw new CocoToolsException("PixelDataTruncated", FailureKind.InvalidData, $"{where}: the pixel data has {value.Length} bytes, too few for frame {frame + 1} of {layout.Columns}x{layout.Rows} at 1 bit (bits {firstBit} to {firstBit + layout.FrameBits - 1}).");
                }

                BitPacking.Unpack(value, firstBit, new Span<uint>(samples, 0, layout.SamplesPerFrame));
                return;
            }

            if (layout.Photometric == "YBR_FULL_422" && layout.SamplesPerPixel == 3 && layout.BitsAllocated == 8)
            {
                DecodeNative422(value, layout, frame, samples, where);
                return;
            }

            int bytes = layout.BitsAllocated / 8;
            long start = frame * layout.FrameBytes;
            if (start + layout.FrameBytes > value.Length)
            {
                throw new CocoToolsException("PixelDataTruncated", FailureKind.InvalidData, $"{where}: the pixel data has {value.Length} bytes, too few for frame {frame + 1} of {layout.Columns}x{layout.Rows}x{layout.SamplesPerPixel} at {layout.BitsAllocated} bits.");
            }

            int count = layout.SamplesPerFrame;
            int pixelsPerPlane = layout.Rows * layout.Columns;
            int spp = layout.SamplesPerPixel;
            for (int n = 0; n < count; n++)
            {
                int offset = (int)start + (n * bytes);
                uint raw = bytes switch
                {
                    1 => value[offset],
                    2 => bigEndian ? (uint)((value[offset] << 8) | value[offset + 1]) : (uint)(value[offset] | (value[offset + 1] << 8)),
                    _ => bigEndian
                        ? (uint)((value[offset] << 24) | (value[offset + 1] << 16) | (value[offset + 2] << 8) | value[offset + 3])
                        : (uint)(value[offset] | (value[offset + 1] << 8) | (value[offset + 2] << 16) | (value[offset + 3] << 24)),
                };

                // Planar colour (RRR..GGG..BBB) goes to pixel order.
                int target = layout.Planar && spp > 1 ? ((n % pixelsPerPlane) * spp) + (n / pixelsPerPlane) : n;
                samples[target] = raw;
            }
        }

        /// <summary>
        /// Native YBR_FULL_422 (PS3.3 C.7.6.3.1.2): each pair of pixels is stored as Y1 Y2 Cb Cr; both pixels get the
        /// pair's Cb and Cr.
        /// </summary>
        private static void DecodeNative422(byte[] value, PixelLayout layout, int frame, uint[] samples, string where)
        {
            long frameBytes = (long)layout.Rows * layout.Columns * 2;
            long start = frame * frameBytes;
            if (start + frameBytes > value.Length || layout.Columns % 2 != 0)
            {
                throw new CocoToolsException("PixelDataTruncated", FailureKind.InvalidData, $"{where}: the YBR_FULL_422 pixel data has {value.Length} bytes, not the {frameBytes} per frame that {layout.Columns}x{layout.Rows} pixels in pairs need.");
            }

            int pixels = layout.Rows * layout.Columns;
            for (int p = 0; p < pixels; p += 2)
            {
                int at = (int)start + (p * 2);
                uint y1 = value[at], y2 = value[at + 1], cb = value[at + 2], cr = value[at + 3];
                samples[p * 3] = y1;
                samples[(p * 3) + 1] = cb;
                samples[(p * 3) + 2] = cr;
                samples[(p * 3) + 3] = y2;
                samples[(p * 3) + 4] = cb;
                samples[(p * 3) + 5] = cr;
            }
        }

        /// <summary>The bytes of one frame of encapsulated data: by the offset table, one fragment per frame, or all fragments of a single frame.</summary>
        private static byte[] FrameData(DicomPixelDataInfo pixels, PixelLayout layout, int frame, string where)
        {
            var fragments = pixels.Fragments;
            if (fragments.Count == 0)
            {
                throw new CocoToolsException("PixelDataCorrupt", FailureKind.InvalidData, $"{where}: the encapsulated pixel data has no fragments.");
            }

            var table = pixels.OffsetTable;
            if (table.Count == layout.Frames && layout.Frames > 1)
            {
                // Offsets count bytes from the first fragment's item tag; each item has an 8-byte header.
                var parts = new List<byte[]>();
                long position = 0;
                long start = table[frame], end = frame + 1 < table.Count ? table[frame + 1] : long.MaxValue;
                foreach (var fragment in fragments)
                {
                    if (position >= start && position < end)
                    {
                        parts.Add(fragment);
                    }

                    position += fragment.Length + 8;
                }

                return Concatenate(parts);
            }

            if (fragments.Count == layout.Frames)
            {
                return fragments[frame];
            }

            if (layout.Frames == 1)
            {
                return Concatenate(fragments);
            }

            // No offset table and several fragments per frame: a JPEG frame starts with a fragment that starts with SOI.
            var starts = new List<int>();
            for (int i = 0; i < fragments.Count; i++)
            {
                if (fragments[i].Length >= 2 && fragments[i][0] == 0xFF && fragments[i][1] == 0xD8)
                {
                    starts.Add(i);
                }
            }

            if (starts.Count == layout.Frames && starts[0] == 0)
            {
                int end = frame + 1 < starts.Count ? starts[frame + 1] : fragments.Count;
                var parts = new List<byte[]>();
                for (int i = starts[frame]; i < end; i++)
                {
                    parts.Add(fragments[i]);
                }

                return Concatenate(parts);
            }

            throw new CocoToolsException("PixelDataCorrupt", FailureKind.InvalidData, $"{where}: {fragments.Count} fragments for {layout.Frames} frames and no offset table to tell which belong to which frame.");
        }

        private static byte[] Concatenate(IReadOnlyList<byte[]> parts)
        {
            if (parts.Count == 1)
            {
                return parts[0];
            }

            long total = 0;
            foreach (var part in parts)
            {
                total += part.Length;
            }

            var result = new byte[total];
            int at = 0;
            foreach (var part in parts)
            {
                Buffer.BlockCopy(part, 0, result, at, part.Length);
                at += part.Length;
            }

            return result;
        }
    }
}
