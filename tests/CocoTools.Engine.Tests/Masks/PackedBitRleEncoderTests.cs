using System;
using System.IO;
using System.Linq;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Pixels;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Masks
{
    public class PackedBitRleEncoderTests
    {
        /// <summary>A random row-major mask of blobs and noise, and the same mask packed LSB first from bit <paramref name="offset"/>.</summary>
        private static (byte[] Mask, byte[] Packed) RandomMask(Random random, int height, int width, int offset, double density)
        {
            var mask = new byte[height * width];
            for (int i = 0; i < mask.Length; i++)
            {
                // Runs (so whole 64-bit words are 0 or 1) mixed with single pixels.
                mask[i] = i > 0 && random.Next(8) > 0 ? mask[i - 1] : (byte)(random.NextDouble() < density ? 1 : 0);
            }

            // Bits before the mask and after it are set at random: they must not leak into it.
            var packed = new byte[((offset + mask.Length + 7) / 8) + random.Next(3)];
            random.NextBytes(packed);
            for (int i = 0; i < mask.Length; i++)
            {
                int bit = offset + i;
                packed[bit >> 3] = (byte)((packed[bit >> 3] & ~(1 << (bit & 7))) | (mask[i] << (bit & 7)));
            }

            return (mask, packed);
        }

        [Theory]
        [InlineData(1, 1)]
        [InlineData(1, 70)]
        [InlineData(70, 1)]
        [InlineData(7, 5)]
        [InlineData(23, 38)]
        [InlineData(38, 23)]
        [InlineData(31, 64)]
        [InlineData(64, 65)]
        [InlineData(17, 129)]
        [InlineData(128, 128)]
        public void Random_packed_masks_at_any_bit_encode_as_the_byte_mask_does(int height, int width)
        {
            var random = new Random((height * 1000) + width);
            var encoder = new PackedBitRleEncoder();
            for (int round = 0; round < 40; round++)
            {
                int offset = random.Next(0, 20);
                var (mask, packed) = RandomMask(random, height, width, offset, round % 4 == 0 ? 0.02 : round % 4 == 1 ? 0.98 : 0.5);

                var encoded = encoder.Encode(packed, offset, height, width);

                var expected = Rle.EncodeRowMajor(mask, height, width);
                if (mask.All(b => b == 0))
                {
                    Assert.Null(encoded);
                }
                else
                {
                    Assert.NotNull(encoded);
                    Assert.Equal(expected.Counts.ToArray(), encoded!.Counts.ToArray());
                    Assert.Equal((height, width), (encoded.Height, encoded.Width));
                }
            }
        }

        [Fact]
        public void An_all_zero_mask_is_null_and_an_all_one_mask_starts_with_an_empty_run()
        {
            var encoder = new PackedBitRleEncoder();
            Assert.Null(encoder.Encode(new byte[40], 3, 9, 33));

            var ones = Enumerable.Repeat((byte)0xFF, 40).ToArray();
            Assert.Equal(new uint[] { 0, 9 * 33 }, encoder.Encode(ones, 3, 9, 33)!.Counts.ToArray());
        }

        [Fact]
        public void Bits_past_the_end_of_the_data_are_refused()
        {
            var encoder = new PackedBitRleEncoder();
            Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(new byte[4], 1, 4, 8));
            Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(new byte[4], -1, 1, 8));
        }

        [Fact]
        public void The_frames_of_the_23x38x3_SEG_which_start_inside_bytes_encode_as_their_unpacked_pixels()
        {
            // 38 x 23 = 874 bits a frame: frames 2 and 3 start at bits 874 and 1748, in the middle of bytes.
            var header = DicomReader.ReadHeader(Path.Combine(SegFixtures.Shared, "dcmqi_23x38x3_seg.dcm"));
            using var reader = new FrameReader(header);
            var encoder = new PackedBitRleEncoder();
            int compared = 0;
            for (int frame = 0; frame < reader.Layout.Frames; frame++)
            {
                var bits = reader.ReadBits(frame, out long firstBit);
                var samples = new uint[reader.Layout.Rows * reader.Layout.Columns];
                BitPacking.Unpack(bits, firstBit, samples);
                var expected = Rle.EncodeRowMajor(samples.Select(s => (byte)s).ToArray(), reader.Layout.Rows, reader.Layout.Columns);

                var encoded = encoder.Encode(bits, firstBit, reader.Layout.Rows, reader.Layout.Columns);

                Assert.Equal(expected.Area == 0 ? null : expected.Counts.ToArray(), encoded?.Counts.ToArray());
                compared += encoded == null ? 0 : 1;
            }

            Assert.True(compared >= 2, "the file's frames should not be empty");
        }
    }
}
