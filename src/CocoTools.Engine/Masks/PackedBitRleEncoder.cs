using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// Encodes a row-major mask stored as packed bits (least significant bit first, the mask starting at any bit, as
    /// DICOM Bits Allocated 1 frames are) as pycocotools' column-major RLE without a byte per pixel. In COCO's order
    /// (x outer, y inner) a run starts or ends where a pixel differs from the one above it (at the top of a column,
    /// from the bottom of the column before), so each row is XORed 64 pixels at a time with the row above and only
    /// the set bits of the difference are visited; the transitions, found row by row, are put in column-major order
    /// by a counting sort over the columns. Buffers are kept between calls: one encoder per thread.
    /// </summary>
    public sealed class PackedBitRleEncoder
    {
        // HotPath.Optimize: compiled optimized at once (precompiled in the ReadyToRun build), so the first frames do not
        // run in the JIT's unoptimized first tier.
        private const MethodImplOptions HotLoop = HotPath.Optimize;

        private ulong[] _rows = Array.Empty<ulong>();
        private int[] _x = Array.Empty<int>();
        private int[] _y = Array.Empty<int>();
        private int[] _sorted = Array.Empty<int>();
        private int[] _columnStart = Array.Empty<int>();

        /// <summary>
        /// The RLE of the <paramref name="height"/> x <paramref name="width"/> row-major mask whose pixel (x, y) is bit
        /// <c>firstBit + y*width + x</c> of <paramref name="bits"/> (bit k of a byte is its k-th least significant), or
        /// null when no bit is set. Equal to pycocotools' <c>mask.encode</c> of the unpacked mask.
        /// </summary>
        [MethodImpl(HotLoop)]
        public Rle? Encode(ReadOnlySpan<byte> bits, long firstBit, int height, int width)
        {
            if (height < 0 || width < 0)
            {
                throw new ArgumentOutOfRangeException(height < 0 ? nameof(height) : nameof(width), "Mask dimensions cannot be negative.");
            }

            long area = (long)height * width;
            if (firstBit < 0 || (firstBit + area + 7) / 8 > bits.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(firstBit), "The bits run past the end of the data.");
            }

            if (area == 0 || area > int.MaxValue)
            {
                return area == 0 ? null : throw new ArgumentOutOfRangeException(nameof(height), "The mask has more pixels than an RLE can count.");
            }

            int words = (width + 63) >> 6;
            if (!LoadRows(bits, firstBit, height, width, words))
            {
                return null;
            }

            int transitions = FindTransitions(height, width, words);
            return Counts(transitions, height, width);
        }

        /// <summary>Copies each row to whole 64-bit words (bits past the width zero); false when every bit is 0.</summary>
        [MethodImpl(HotLoop)]
        private bool LoadRows(ReadOnlySpan<byte> bits, long firstBit, int height, int width, int words)
        {
            int total = height * words;
            if (_rows.Length < total)
            {
                _rows = new ulong[total];
            }

            var rows = _rows;
            ulong any = 0;
            int lastBits = width - ((words - 1) << 6);
            ulong lastMask = lastBits == 64 ? ulong.MaxValue : (1UL << lastBits) - 1;
            int at = 0;
            for (int y = 0; y < height; y++)
            {
                long position = firstBit + ((long)y * width);
                for (int k = 0; k < words; k++, position += 64)
                {
                    ulong word = Read64(bits, position);
                    if (k == words - 1)
                    {
                        word &= lastMask;
                    }

                    rows[at++] = word;
                    any |= word;
                }
            }

            return any != 0;
        }

        /// <summary>The 64 bits from bit <paramref name="position"/> on (zeros past the end of the data).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Read64(ReadOnlySpan<byte> bits, long position)
        {
            int at = (int)(position >> 3);
            int shift = (int)(position & 7);
            if (at + 9 <= bits.Length)
            {
                ulong word = BinaryPrimitives.ReadUInt64LittleEndian(bits.Slice(at)) >> shift;
                return shift == 0 ? word : word | ((ulong)bits[at + 8] << (64 - shift));
            }

            ulong value = 0;
            for (int b = 0; b < 9 && at + b < bits.Length; b++)
            {
                int place = (8 * b) - shift;
                value |= place >= 0 ? (ulong)bits[at + b] << place : (ulong)bits[at + b] >> -place;
            }

            return value;
        }

        /// <summary>Every index (x, y) where the mask differs from the pixel before it in column-major order, row by row.</summary>
        [MethodImpl(HotLoop)]
        private int FindTransitions(int height, int width, int words)
        {
            var rows = _rows;
            int found = 0;
            int lastRow = (height - 1) * words;

            // Row 0: pixel (x, 0) follows (x - 1, height - 1); the first column follows background.
            for (int k = 0; k < words; k++)
            {
                ulong before = (rows[lastRow + k] << 1) | (k > 0 ? rows[lastRow + k - 1] >> 63 : 0);
                int valid = Math.Min(64, width - (k << 6));
                ulong difference = rows[k] ^ before;
                if (valid < 64)
                {
                    difference &= (1UL << valid) - 1;
                }

                found = Record(difference, k << 6, 0, found);
            }

            for (int y = 1; y < height; y++)
            {
                int row = y * words, above = row - words;
                for (int k = 0; k < words; k++)
                {
                    ulong difference = rows[row + k] ^ rows[above + k];
                    if (difference != 0)
                    {
                        found = Record(difference, k << 6, y, found);
                    }
                }
            }

            return found;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Record(ulong difference, int x0, int y, int found)
        {
            while (difference != 0)
            {
                if (found == _x.Length)
                {
                    int size = Math.Max(1024, found * 2);
                    Array.Resize(ref _x, size);
                    Array.Resize(ref _y, size);
                }

                _x[found] = x0 + TrailingZeros(difference);
                _y[found] = y;
                found++;
                difference &= difference - 1;
            }

            return found;
        }

        /// <summary>The run lengths: transitions sorted by column (rows are already in order within a column), then differenced.</summary>
        [MethodImpl(HotLoop)]
        private Rle Counts(int transitions, int height, int width)
        {
            if (_columnStart.Length < width + 1)
            {
                _columnStart = new int[width + 1];
            }

            if (_sorted.Length < transitions)
            {
                _sorted = new int[Math.Max(transitions, _sorted.Length * 2)];
            }

            var start = _columnStart;
            Array.Clear(start, 0, width + 1);
            for (int t = 0; t < transitions; t++)
            {
                start[_x[t] + 1]++;
            }

            for (int x = 0; x < width; x++)
            {
                start[x + 1] += start[x];
            }

            for (int t = 0; t < transitions; t++)
            {
                int x = _x[t];
                _sorted[start[x]++] = (x * height) + _y[t];
            }

            var counts = new uint[transitions + 1];
            int last = 0;
            for (int t = 0; t < transitions; t++)
            {
                counts[t] = (uint)(_sorted[t] - last);
                last = _sorted[t];
            }

            counts[transitions] = (uint)((height * width) - last);
            return new Rle(height, width, counts);
        }

        /// <summary>The index of the lowest set bit (netstandard2.0 has no BitOperations).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int TrailingZeros(ulong value)
        {
            // De Bruijn multiplication on the isolated lowest bit.
            return DeBruijn[(int)(((value & (0 - value)) * 0x03F79D71B4CB0A89UL) >> 58)];
        }

        private static readonly byte[] DeBruijn = MakeDeBruijn();

        private static byte[] MakeDeBruijn()
        {
            var table = new byte[64];
            for (int i = 0; i < 64; i++)
            {
                table[(int)(((1UL << i) * 0x03F79D71B4CB0A89UL) >> 58)] = (byte)i;
            }

            return table;
        }
    }
}
