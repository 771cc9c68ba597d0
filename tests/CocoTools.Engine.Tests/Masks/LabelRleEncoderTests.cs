using System;
using System.Linq;
using CocoTools.Engine.Masks;
using Xunit;

namespace CocoTools.Engine.Tests.Masks
{
    public class LabelRleEncoderTests
    {
        [Theory]
        [InlineData(1, 1, 1)]
        [InlineData(7, 5, 2)]
        [InlineData(31, 17, 3)]
        [InlineData(64, 64, 4)]
        public void Each_label_encodes_as_the_mask_of_that_label_would(int height, int width, int seed)
        {
            var random = new Random(seed);
            var encoder = new LabelRleEncoder();
            for (int round = 0; round < 20; round++)
            {
                // Blobs of few labels, including runs across column ends and labels above 255.
                var labels = new ushort[height * width];
                ushort[] palette = { 0, 0, 1, 2, 300, 65535 };
                for (int i = 0; i < labels.Length; i++)
                {
                    labels[i] = i > 0 && random.Next(4) > 0 ? labels[i - 1] : palette[random.Next(palette.Length)];
                }

                var encoded = encoder.Encode(labels, height, width);

                var present = labels.Where(l => l != 0).Distinct().OrderBy(l => l).Select(l => (int)l).ToArray();
                Assert.Equal(present, encoded.Keys.ToArray());
                foreach (var pair in encoded)
                {
                    var mask = labels.Select(l => l == pair.Key ? (byte)1 : (byte)0).ToArray();
                    Assert.Equal(Rle.EncodeRowMajor(mask, height, width).Counts.ToArray(), pair.Value.Counts.ToArray());
                }
            }
        }

        [Fact]
        public void An_all_background_image_has_no_labels()
        {
            Assert.Empty(new LabelRleEncoder().Encode(new ushort[12], 3, 4));
        }
    }
}
