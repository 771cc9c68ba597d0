using System;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// Bits Allocated 1 pixel data (PS3.5 8.1.1): one continuous stream of bits, the first pixel in the least
    /// significant bit of the first byte; a frame starts wherever the previous one ended, not on a byte.
    /// </summary>
    public static class BitPacking
    {
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
