using System;
using System.Linq;
using CocoTools.Engine.Masks;
using Xunit;

namespace CocoTools.Engine.Tests.Masks
{
    public class MaskTracerTests
    {
        private static double Shoelace(double[] p)
        {
            double s = 0;
            for (int i = 0; i < p.Length; i += 2)
            {
                int j = (i + 2) % p.Length;
                s += (p[i] * p[j + 1]) - (p[j] * p[i + 1]);
            }

            return Math.Abs(s) / 2;
        }

        [Fact]
        public void A_rectangle_is_its_four_corners()
        {
            var mask = new byte[5 * 6];
            for (int y = 1; y < 4; y++)
            {
                for (int x = 2; x < 5; x++)
                {
                    mask[(y * 6) + x] = 1;
                }
            }

            var traced = MaskTracer.Trace(mask, 5, 6);

            Assert.False(traced.HasHoles);
            Assert.Equal(new double[] { 5, 1, 5, 4, 2, 4, 2, 1 }, Assert.Single(traced.Polygons));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        public void Traced_regions_rasterize_back_to_the_mask_and_their_area_is_the_pixel_count(int seed)
        {
            var random = new Random(seed);
            int h = 24, w = 19;
            for (int round = 0; round < 25; round++)
            {
                var mask = new byte[h * w];
                for (int k = 0; k < 4; k++)
                {
                    int cx = random.Next(w), cy = random.Next(h), r = random.Next(1, 6);
                    for (int y = 0; y < h; y++)
                    {
                        for (int x = 0; x < w; x++)
                        {
                            if (((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= r * r)
                            {
                                mask[(y * w) + x] = 1;
                            }
                        }
                    }
                }

                var traced = MaskTracer.Trace(mask, h, w);
                if (traced.HasHoles)
                {
                    continue;
                }

                Assert.Equal(mask.Count(b => b != 0), traced.Polygons.Sum(Shoelace), 9);
                var drawn = RleSetOperations.Merge(traced.Polygons.Select(p => PolygonRasterizer.FromPolygon(p, h, w)).ToList());
                var expected = Rle.EncodeRowMajor(mask, h, w);
                double iou = RleSetOperations.Iou(new[] { drawn }, new[] { expected }, null)[0, 0];
                Assert.True(iou >= 0.98, $"round {round}: IoU {iou}");
            }
        }

        [Fact]
        public void Enclosed_background_is_a_hole_but_a_diagonal_gap_lets_it_out()
        {
            byte[] ring =
            {
                1, 1, 1,
                1, 0, 1,
                1, 1, 1,
            };
            byte[] open =
            {
                1, 1, 0,
                1, 0, 1,
                1, 1, 1,
            };

            Assert.True(MaskTracer.Trace(ring, 3, 3).HasHoles);
            Assert.False(MaskTracer.Trace(open, 3, 3).HasHoles);
            Assert.Single(MaskTracer.Trace(open, 3, 3).Polygons);
        }
    }
}
