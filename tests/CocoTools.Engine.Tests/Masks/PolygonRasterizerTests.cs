using System;
using System.Linq;
using CocoTools.Engine.Masks;
using Xunit;

namespace CocoTools.Engine.Tests.Masks
{
    public class PolygonRasterizerTests
    {
        /// <summary>
        /// The fast rasterizer (column crossings without the dense boundary, counting sort) gives exactly the runs of
        /// the literal port of rleFrPoly, on polygons of every shape: tiny, huge, outside, negative, repeated points.
        /// </summary>
        [Fact]
        public void The_fast_path_equals_the_literal_port_of_rleFrPoly()
        {
            var random = new Random(11);
            for (int i = 0; i < 20000; i++)
            {
                int h = random.Next(1, 300), w = random.Next(1, 300);
                int n = random.Next(3, 30);
                double spread = random.Next(4) switch { 0 => 2, 1 => 50, 2 => 400, _ => 5000 };
                double cx = (random.NextDouble() * 1.6 - 0.3) * w, cy = (random.NextDouble() * 1.6 - 0.3) * h;
                var xy = new double[2 * n];
                for (int v = 0; v < n; v++)
                {
                    xy[2 * v] = Math.Round(cx + (random.NextDouble() - 0.5) * spread, random.Next(0, 5));
                    xy[(2 * v) + 1] = Math.Round(cy + (random.NextDouble() - 0.5) * spread, random.Next(0, 5));
                    if (v > 0 && random.Next(10) == 0)
                    {
                        // Repeated vertices: the 0/0 (NaN) edge of the C code.
                        xy[2 * v] = xy[2 * (v - 1)];
                        xy[(2 * v) + 1] = xy[(2 * v) - 1];
                    }
                }

                var fast = PolygonRasterizer.FromPolygon(xy, h, w);
                var reference = PolygonReferenceRasterizer.FromPolygon(xy, h, w);
                Assert.True(fast.Counts.SequenceEqual(reference.Counts), $"polygon {i} on {h}x{w}: [{string.Join(", ", xy)}]");
                Assert.True(PolygonRasterizer.CompressedFromPolygon(xy, h, w).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(reference.ToCompressedString())), $"compressed polygon {i}");
            }
        }

        [Fact]
        public void Coordinates_beyond_the_fast_path_use_the_literal_port_and_are_bounded()
        {
            // A tiny triangle far away: past the fast path's bound, rasterized by the literal port (empty mask).
            var far = new[] { 1e8, 1e8, 1e8 + 1, 1e8, 1e8, 1e8 + 1 };
            Assert.Equal(new uint[] { 100 }, PolygonRasterizer.FromPolygon(far, 10, 10).Counts.ToArray());

            var e = Assert.Throws<CocoToolsException>(() => PolygonRasterizer.FromPolygon(new[] { 0.0, 0, 1e15, 0, 1e15, 1e15 }, 10, 10));
            Assert.Equal("PolygonTooLarge", e.ErrorId);
        }
    }
}
