using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// Bits Allocated 1 pixel data (PS3.5 8.1.1): one continuous stream of bits, the first pixel in the least
    /// significant bit of the first byte; a frame starts wherever the previous one ended, not on a byte.
    /// </summary>
    public static class BitPacking
    {
        // HotPath.Optimize: compiled optimized at once (precompiled in the ReadyToRun build), so a frame of a quarter
        // million pixels does not run in the JIT's unoptimized first tier.
        private const MethodImplOptions HotLoop = HotPath.Optimize;

        // For each byte, its eight bits (least significant first) as four 16-bit lanes in each of two words.
        private static readonly ulong[] Lanes = MakeLanes();

        /// <summary>
        /// Unpacks <c>values.Length</c> pixels starting at bit <paramref name="firstBit"/> of <paramref name="data"/> as
        /// <paramref name="value"/> where the bit is 1 and 0 elsewhere: a 1-bit frame as a label image in one pass.
        /// </summary>
        [MethodImpl(HotLoop)]
        public static void UnpackAs(ReadOnlySpan<byte> data, long firstBit, Span<ushort> values, ushort value)
        {
            if (firstBit < 0 || (firstBit + values.Length + 7) / 8 > data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(firstBit), "The bits run past the end of the data.");
            }

            int n = 0;
            long bit = firstBit;
            while (n < values.Length && (bit & 7) != 0)
            {
                values[n++] = ((data[(int)(bit >> 3)] >> (int)(bit & 7)) & 1) != 0 ? value : (ushort)0;
                bit++;
            }

            int at = (int)(bit >> 3);
            var bytes = MemoryMarshal.AsBytes(values);
            var lanes = Lanes;
            while (n + 8 <= values.Length)
            {
                int b = data[at++];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.Slice(n * 2), lanes[b * 2] * value);
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.Slice((n * 2) + 8), lanes[(b * 2) + 1] * value);
                n += 8;
            }

            for (int k = 0; n < values.Length; k++)
            {
                values[n++] = ((data[at] >> k) & 1) != 0 ? value : (ushort)0;
            }
        }

        private static ulong[] MakeLanes()
        {
            var lanes = new ulong[512];
            for (int b = 0; b < 256; b++)
            {
                for (int k = 0; k < 8; k++)
                {
                    if (((b >> k) & 1) != 0)
                    {
                        lanes[(b * 2) + (k / 4)] |= 1UL << (16 * (k % 4));
                    }
                }
            }

            return lanes;
        }

        /// <summary>Unpacks <c>samples.Length</c> pixels starting at bit <paramref name="firstBit"/> of <paramref name="data"/> as 0 or 1.</summary>
        public static void Unpack(ReadOnlySpan<byte> data, long firstBit, Span<uint> samples)
        {
            if (firstBit < 0 || (firstBit + samples.Length + 7) / 8 > data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(firstBit), "The bits run past the end of the data.");
            }

            int n = 0;
            long bit = firstBit;

            // Up to the next byte boundary bit by bit, then eight pixels per byte.
            while (n < samples.Length && (bit & 7) != 0)
            {
                samples[n++] = (uint)(data[(int)(bit >> 3)] >> (int)(bit & 7)) & 1;
                bit++;
            }

            int at = (int)(bit >> 3);
            while (n + 8 <= samples.Length)
            {
                uint b = data[at++];
                samples[n] = b & 1;
                samples[n + 1] = (b >> 1) & 1;
                samples[n + 2] = (b >> 2) & 1;
                samples[n + 3] = (b >> 3) & 1;
                samples[n + 4] = (b >> 4) & 1;
                samples[n + 5] = (b >> 5) & 1;
                samples[n + 6] = (b >> 6) & 1;
                samples[n + 7] = b >> 7;
                n += 8;
            }

            for (int k = 0; n < samples.Length; k++)
            {
                samples[n++] = (uint)(data[at] >> k) & 1;
            }
        }
    }
}
