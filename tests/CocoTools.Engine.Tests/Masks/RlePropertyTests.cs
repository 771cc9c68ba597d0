using System;
using System.Linq;
using CocoTools.Engine.Masks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CocoTools.Engine.Tests.Masks
{
    public class RlePropertyTests
    {
        /// <summary>A random 0/1 mask of 1..40 x 1..40, column-major.</summary>
        public static Arbitrary<(int H, int W, byte[] Mask)> Masks() =>
            (from h in Gen.Choose(1, 40)
             from w in Gen.Choose(1, 40)
             from density in Gen.Choose(0, 100)
             from bits in Gen.ArrayOf(Gen.Choose(0, 99).Select(r => (byte)(r < density ? 1 : 0)), h * w)
             select (h, w, bits)).ToArbitrary();

        [Property(Arbitrary = new[] { typeof(RlePropertyTests) }, MaxTest = 300)]
        public bool Decode_of_encode_is_the_mask((int H, int W, byte[] Mask) m)
        {
            var decoded = new byte[m.H * m.W];
            return Rle.Encode(m.Mask, m.H, m.W).TryDecode(decoded) && decoded.SequenceEqual(m.Mask);
        }

        [Property(Arbitrary = new[] { typeof(RlePropertyTests) }, MaxTest = 300)]
        public bool Row_major_encode_and_decode_agree_with_column_major((int H, int W, byte[] Mask) m)
        {
            var rowMajor = new byte[m.H * m.W];
            for (int x = 0; x < m.W; x++)
            {
                for (int y = 0; y < m.H; y++)
                {
                    rowMajor[(y * m.W) + x] = m.Mask[(x * m.H) + y];
                }
            }

            var rle = Rle.EncodeRowMajor(rowMajor, m.H, m.W);
            var back = new byte[m.H * m.W];
            return rle.Counts.SequenceEqual(Rle.Encode(m.Mask, m.H, m.W).Counts) && rle.TryDecodeRowMajor(back) && back.AsSpan().SequenceEqual(rowMajor);
        }

        [Property(Arbitrary = new[] { typeof(RlePropertyTests) }, MaxTest = 300)]
        public bool Compressed_string_round_trips((int H, int W, byte[] Mask) m)
        {
            var rle = Rle.Encode(m.Mask, m.H, m.W);
            return Rle.FromCompressedString(rle.ToCompressedString(), m.H, m.W).Counts.SequenceEqual(rle.Counts);
        }

        [Property(MaxTest = 300)]
        public bool Any_counts_round_trip_through_the_string(uint[] counts) =>
            Rle.FromCompressedString(new Rle(1, 1, counts).ToCompressedString(), 1, 1).Counts.SequenceEqual(counts.AsSpan());

        [Property(Arbitrary = new[] { typeof(RlePropertyTests) }, MaxTest = 300)]
        public bool Area_is_the_pixel_count((int H, int W, byte[] Mask) m) =>
            Rle.Encode(m.Mask, m.H, m.W).Area == m.Mask.Count(b => b == 1);

        [Property(Arbitrary = new[] { typeof(RlePropertyTests) }, MaxTest = 200)]
        public bool Union_and_intersection_are_pixelwise_or_and_and((int H, int W, byte[] Mask) a)
        {
            var b = a.Mask.Select((v, i) => (byte)((i * 7919 % 13) < 6 ? 1 - v : v)).ToArray();
            var ra = Rle.Encode(a.Mask, a.H, a.W);
            var rb = Rle.Encode(b, a.H, a.W);
            var union = new byte[a.H * a.W];
            var intersection = new byte[a.H * a.W];
            RleSetOperations.Merge(new[] { ra, rb }).TryDecode(union);
            RleSetOperations.Merge(new[] { ra, rb }, intersect: true).TryDecode(intersection);
            return union.SequenceEqual(a.Mask.Zip(b, (x, y) => (byte)(x | y)))
                && intersection.SequenceEqual(a.Mask.Zip(b, (x, y) => (byte)(x & y)));
        }

        [Property(Arbitrary = new[] { typeof(RlePropertyTests) }, MaxTest = 200)]
        public bool Exclusive_or_of_three_masks_is_the_pixelwise_odd_count((int H, int W, byte[] Mask) a)
        {
            var b = a.Mask.Select((v, i) => (byte)((i * 7919 % 13) < 6 ? 1 - v : v)).ToArray();
            var c = a.Mask.Select((v, i) => (byte)((i * 104729 % 7) < 3 ? 1 : 0)).ToArray();
            var xor = new byte[a.H * a.W];
            RleSetOperations.ExclusiveOr(new[] { Rle.Encode(a.Mask, a.H, a.W), Rle.Encode(b, a.H, a.W), Rle.Encode(c, a.H, a.W) }).TryDecode(xor);
            return xor.SequenceEqual(a.Mask.Select((v, i) => (byte)(v ^ b[i] ^ c[i])));
        }

        [Property(Arbitrary = new[] { typeof(RlePropertyTests) }, MaxTest = 200)]
        public bool Foreground_runs_cover_exactly_the_mask((int H, int W, byte[] Mask) m)
        {
            var painted = new byte[m.H * m.W];
            Rle.Encode(m.Mask, m.H, m.W).ForEachForegroundRun((x, y, length) =>
            {
                for (int i = 0; i < length; i++)
                {
                    painted[(x * m.H) + y + i]++;
                }
            });
            return painted.SequenceEqual(m.Mask);
        }
    }
}
