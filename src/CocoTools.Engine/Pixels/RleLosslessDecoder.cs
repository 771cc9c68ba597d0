using System;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header with up to 15 segment offsets, each segment one byte
    /// plane (for each sample, most significant byte first) compressed with PackBits. Decodes to samples, pixel by
    /// pixel.
    /// </summary>
    internal static class RleLosslessDecoder
    {
        /// <summary>Decodes one frame's RLE data into <paramref name="samples"/> (raw stored values, pixel-interleaved).</summary>
        public static void Decode(ReadOnlySpan<byte> data, PixelLayout layout, uint[] samples, string where)
        {
            if (data.Length < 64)
            {
                throw Bad(where, $"the RLE frame has {data.Length} bytes, fewer than its 64-byte header");
            }

            int bytesPerSample = layout.BitsAllocated / 8;
            int segments = (int)BitConverter.ToUInt32(data.Slice(0, 4).ToArray(), 0);
            int expected = bytesPerSample * layout.SamplesPerPixel;
            if (segments != expected)
            {
                throw Bad(where, $"the RLE header says {segments} segments, but {layout.SamplesPerPixel} sample(s) of {bytesPerSample} byte(s) need {expected}");
            }

            int pixels = layout.Rows * layout.Columns;
            var plane = new byte[pixels];
            Array.Clear(samples, 0, layout.SamplesPerFrame);
            for (int s = 0; s < segments; s++)
            {
                int start = (int)BitConverter.ToUInt32(data.Slice(4 + (4 * s), 4).ToArray(), 0);
                int end = s + 1 < segments ? (int)BitConverter.ToUInt32(data.Slice(8 + (4 * s), 4).ToArray(), 0) : data.Length;
                if (start < 64 || start > data.Length || end < start || end > data.Length)
                {
                    throw Bad(where, $"RLE segment {s + 1} runs from byte {start} to {end}, outside the {data.Length}-byte frame");
                }

                UnpackBits(data.Slice(start, end - start), plane, where, s + 1);
                int sample = s / bytesPerSample;
                int shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
                for (int p = 0; p < pixels; p++)
                {
                    samples[(p * layout.SamplesPerPixel) + sample] |= (uint)plane[p] << shift;
                }
            }
        }

        /// <summary>
        /// Decodes one frame of a 1-bit (Bits Allocated 1) image into packed bits, least significant bit first, the frame
        /// starting at bit 0 of <paramref name="packed"/> (which must hold <c>(Rows*Columns + 7) / 8</c> bytes). The
        /// frame's single RLE segment holds either the frame's bits packed (as pydicom 3 and highdicom write it, each
        /// frame from a byte boundary, PS3.5 8.2) or, as some older writers do, one byte per pixel (nonzero = 1): the
        /// decoded length tells which.
        /// </summary>
        public static void DecodeBits(ReadOnlySpan<byte> data, PixelLayout layout, byte[] packed, string where)
        {
            if (data.Length < 64)
            {
                throw Bad(where, $"the RLE frame has {data.Length} bytes, fewer than its 64-byte header");
            }

            int segments = (int)BitConverter.ToUInt32(data.Slice(0, 4).ToArray(), 0);
            if (segments != 1 || layout.SamplesPerPixel != 1)
            {
                throw Bad(where, $"the RLE header says {segments} segments; a 1-bit frame of one sample has 1");
            }

            int start = (int)BitConverter.ToUInt32(data.Slice(4, 4).ToArray(), 0);
            if (start < 64 || start > data.Length)
            {
                throw Bad(where, $"the RLE segment starts at byte {start}, outside the {data.Length}-byte frame");
            }

            int pixels = layout.Rows * layout.Columns;
            int packedBytes = (pixels + 7) / 8;
            var plane = new byte[pixels];
            int decoded = UnpackBits(data.Slice(start), plane, where, 1, atLeast: packedBytes);
            if (decoded < pixels && decoded > packedBytes + 1)
            {
                throw Bad(where, $"the RLE segment of a 1-bit frame decodes to {decoded} bytes; {packedBytes} (packed bits) or {pixels} (a byte a pixel) were expected");
            }

            if (decoded < pixels)
            {
                // Packed: the segment may be padded to an even length; the bits past the frame are not pixels.
                Array.Copy(plane, packed, packedBytes);
                return;
            }

            Array.Clear(packed, 0, packedBytes);
            for (int p = 0; p < pixels; p++)
            {
                if (plane[p] != 0)
                {
                    packed[p >> 3] |= (byte)(1 << (p & 7));
                }
            }
        }

        /// <summary>PackBits: n in 0..127 copies n + 1 bytes, n in -127..-1 repeats the next byte 1 - n times, -128 is nothing.
        /// Decodes up to output.Length bytes; a segment may end early only after <paramref name="atLeast"/> bytes.
        /// Returns how many bytes it decoded.
        /// </summary>
        private static int UnpackBits(ReadOnlySpan<byte> segment, byte[] output, string where, int number, int atLeast = -1)
        {
            int i = 0, o = 0;
            while (o < output.Length)
            {
                if (i >= segment.Length)
                {
                    if (atLeast >= 0 && o >= atLeast)
                    {
                        return o;
                    }

                    throw Bad(where, $"RLE segment {number} ends after {o} of {(atLeast >= 0 ? atLeast : output.Length)} bytes");
                }

                int n = (sbyte)segment[i++];
                if (n >= 0)
                {
                    int count = Math.Min(n + 1, Math.Min(segment.Length - i, output.Length - o));
                    segment.Slice(i, count).CopyTo(output.AsSpan(o));
                    i += n + 1;
                    o += count;
                }
                else if (n != -128)
                {
                    if (i >= segment.Length)
                    {
                        throw Bad(where, $"RLE segment {number} ends inside a run");
                    }

                    byte value = segment[i++];
                    int count = Math.Min(1 - n, output.Length - o);
                    output.AsSpan(o, count).Fill(value);
                    o += count;
                }
            }

            return o;
        }

        private static CocoToolsException Bad(string where, string problem) =>
            new CocoToolsException("PixelDataCorrupt", FailureKind.InvalidData, $"{where}: {problem}.");
    }
}
