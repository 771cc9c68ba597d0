using System;
using System.Runtime.CompilerServices;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// The IDCT stage of <see cref="JpegDctDecoder"/>: the IJG library's accurate integer inverse DCT (13-bit fixed-point
    /// constants, 2 extra bits between passes at 8 bits, 1 at 12) with its level shift and output range limiting, so
    /// frames match dcmdjpeg bit for bit.
    /// </summary>
    internal sealed class JpegInverseDct
    {
        private const int ConstBits = 13;

        private readonly int[] _workspace = new int[64];

        // From the precision: the extra bits the IDCT keeps between its passes (2 at 8 bits, 1 at 12), the largest sample.
        private readonly int _passBits;
        private readonly int _max;

        public JpegInverseDct(int precision)
        {
            _passBits = precision == 8 ? 2 : 1;
            _max = (1 << precision) - 1;
        }

        /// <summary>
        /// The accurate integer IDCT of the IJG library (Loeffler, Ligtenberg and Moschytz's factorization with 13-bit
        /// constants): columns first into a workspace scaled by 2^passBits, then rows, then the level shift and range limit.
        /// </summary>
        public void Transform(int[] input, int[] quant, short[] output, int offset, int stride)
        {
            int passBits = _passBits;
            var ws = _workspace;
            for (int col = 0; col < 8; col++)
            {
                if (input[8 + col] == 0 && input[16 + col] == 0 && input[24 + col] == 0 && input[32 + col] == 0
                    && input[40 + col] == 0 && input[48 + col] == 0 && input[56 + col] == 0)
                {
                    int dc = input[col] * quant[col] << passBits;
                    for (int row = 0; row < 8; row++)
                    {
                        ws[(row * 8) + col] = dc;
                    }

                    continue;
                }

                Butterfly(
                    (long)input[col] * quant[col], (long)input[8 + col] * quant[8 + col], (long)input[16 + col] * quant[16 + col], (long)input[24 + col] * quant[24 + col],
                    (long)input[32 + col] * quant[32 + col], (long)input[40 + col] * quant[40 + col], (long)input[48 + col] * quant[48 + col], (long)input[56 + col] * quant[56 + col],
                    ConstBits - passBits, out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7);
                ws[col] = (int)o0;
                ws[8 + col] = (int)o1;
                ws[16 + col] = (int)o2;
                ws[24 + col] = (int)o3;
                ws[32 + col] = (int)o4;
                ws[40 + col] = (int)o5;
                ws[48 + col] = (int)o6;
                ws[56 + col] = (int)o7;
            }

            int shift = ConstBits + passBits + 3;
            for (int row = 0; row < 8; row++)
            {
                int w = row * 8, at = offset + (row * stride);
                if (ws[w + 1] == 0 && ws[w + 2] == 0 && ws[w + 3] == 0 && ws[w + 4] == 0 && ws[w + 5] == 0 && ws[w + 6] == 0 && ws[w + 7] == 0)
                {
                    output.AsSpan(at, 8).Fill(FlatRowLevel(ws[w]));

                    continue;
                }

                Butterfly(ws[w], ws[w + 1], ws[w + 2], ws[w + 3], ws[w + 4], ws[w + 5], ws[w + 6], ws[w + 7], shift,
                    out long r0, out long r1, out long r2, out long r3, out long r4, out long r5, out long r6, out long r7);
                output[at] = RangeLimit((int)r0);
                output[at + 1] = RangeLimit((int)r1);
                output[at + 2] = RangeLimit((int)r2);
                output[at + 3] = RangeLimit((int)r3);
                output[at + 4] = RangeLimit((int)r4);
                output[at + 5] = RangeLimit((int)r5);
                output[at + 6] = RangeLimit((int)r6);
                output[at + 7] = RangeLimit((int)r7);
            }
        }

        /// <summary>
        /// A block with only a DC coefficient (flat areas, common in ultrasound and CT backgrounds): both IDCT passes
        /// reduce to one value, the one the full transform gives for such a block.
        /// </summary>
        public void FillFlat(int dc, int quant0, short[] output, int offset, int stride)
        {
            short value = FlatRowLevel((dc * quant0) << _passBits);
            for (int row = 0; row < 8; row++)
            {
                output.AsSpan(offset + (row * stride), 8).Fill(value);
            }
        }

        /// <summary>One 8-point inverse DCT: even part from inputs 0, 2, 4, 6, odd part from 1, 3, 5, 7; outputs rounded and shifted right by <paramref name="shift"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Butterfly(
            long i0, long i1, long i2, long i3, long i4, long i5, long i6, long i7, int shift,
            out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7)
        {
            // Even part.
            long z1 = (i2 + i6) * 4433;                 // 0.541196100
            long t2 = z1 + (i6 * -15137);               // 1.847759065
            long t3 = z1 + (i2 * 6270);                 // 0.765366865
            long t0 = (i0 + i4) << ConstBits;
            long t1 = (i0 - i4) << ConstBits;
            long t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;

            // Odd part.
            long a0 = i7, a1 = i5, a2 = i3, a3 = i1;
            long s1 = a0 + a3, s2 = a1 + a2, s3 = a0 + a2, s4 = a1 + a3;
            long z5 = (s3 + s4) * 9633;                 // 1.175875602
            a0 *= 2446;                                 // 0.298631336
            a1 *= 16819;                                // 2.053119869
            a2 *= 25172;                                // 3.072711026
            a3 *= 12299;                                // 1.501321110
            s1 *= -7373;                                // 0.899976223
            s2 *= -20995;                               // 2.562915447
            s3 = (s3 * -16069) + z5;                    // 1.961570560
            s4 = (s4 * -3196) + z5;                     // 0.390180644
            a0 += s1 + s3;
            a1 += s2 + s4;
            a2 += s2 + s3;
            a3 += s1 + s4;

            long round = 1L << (shift - 1);
            o0 = (t10 + a3 + round) >> shift;
            o7 = (t10 - a3 + round) >> shift;
            o1 = (t11 + a2 + round) >> shift;
            o6 = (t11 - a2 + round) >> shift;
            o2 = (t12 + a1 + round) >> shift;
            o5 = (t12 - a1 + round) >> shift;
            o3 = (t13 + a0 + round) >> shift;
            o4 = (t13 - a0 + round) >> shift;
        }

        /// <summary>
        /// The sample of a row whose workspace values after the first column are all zero (the second pass's shortcut,
        /// equal to the full transform for such a row).
        /// </summary>
        private short FlatRowLevel(int workspaceValue) => RangeLimit((workspaceValue + (1 << (_passBits + 2))) >> (_passBits + 3));

        /// <summary>The level shift and clamp, with the reference decoder's wrap-around for wildly out-of-range values.</summary>
        private short RangeLimit(int value)
        {
            int levels = _max + 1, rangeMask = (4 * levels) - 1;
            int i = value & rangeMask;
            if (i > rangeMask >> 1)
            {
                i -= rangeMask + 1;
            }

            i += levels / 2;
            return (short)(i < 0 ? 0 : i > _max ? _max : i);
        }
    }
}
