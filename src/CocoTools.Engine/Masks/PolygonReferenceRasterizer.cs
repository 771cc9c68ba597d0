using System;
using System.Buffers;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// The literal port of pycocotools' <c>rleFrPoly</c>: dense edge walk, downsampling to pixel column crossings, runs.
    /// Used where C's integer arithmetic wraps, and by tests as the oracle for <see cref="PolygonCrossings"/>.
    /// </summary>
    internal static class PolygonReferenceRasterizer
    {
        /// <summary>
        /// The literal port of <c>rleFrPoly</c>, dense boundary and all: used where coordinates are large enough for
        /// C's integer overflow to matter, and by tests as the reference for the fast path.
        /// </summary>
        internal static Rle FromPolygon(ReadOnlySpan<double> xy, int height, int width)
        {
            int k = xy.Length / 2;
            var pool = ArrayPool<int>.Shared;
            int[] x = pool.Rent(k + 1), y = pool.Rent(k + 1);
            int[]? u = null, v = null;
            try
            {
                for (int j = 0; j < k; j++)
                {
                    x[j] = PolygonRasterizer.CTruncate((PolygonRasterizer.Scale * xy[j * 2]) + .5);
                    y[j] = PolygonRasterizer.CTruncate((PolygonRasterizer.Scale * xy[(j * 2) + 1]) + .5);
                }

                // With no vertex C reads an unset x[0]; the boundary is empty either way.
                x[k] = k > 0 ? x[0] : 0;
                y[k] = k > 0 ? y[0] : 0;

                long m = 0;
                for (int j = 0; j < k; j++)
                {
                    m += (uint)Math.Max((uint)PolygonRasterizer.CAbs(unchecked(x[j] - x[j + 1])), (uint)PolygonRasterizer.CAbs(unchecked(y[j] - y[j + 1]))) + 1u;
                }

                PolygonRasterizer.CheckBoundary(m, k, height, width);

                u = pool.Rent((int)Math.Max(m, 1));
                v = pool.Rent((int)Math.Max(m, 1));
                int n = WalkEdges(x, y, k, u, v);
                int[] bx = pool.Rent(Math.Max(n, 1)), by = pool.Rent(Math.Max(n, 1));
                try
                {
                    int points = Downsample(u, v, n, bx, by, height, width);
                    return Runs(bx, by, points, height, width);
                }
                finally
                {
                    pool.Return(bx);
                    pool.Return(by);
                }
            }
            finally
            {
                pool.Return(x);
                pool.Return(y);
                if (u != null)
                {
                    pool.Return(u);
                    pool.Return(v!);
                }
            }
        }

        /// <summary>Dense integer points along every edge of the upsampled polygon.</summary>
        private static int WalkEdges(int[] x, int[] y, int k, int[] u, int[] v)
        {
            int m = 0;
            for (int j = 0; j < k; j++)
            {
                int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
                int dx = PolygonRasterizer.CAbs(unchecked(xe - xs)), dy = PolygonRasterizer.CAbs(unchecked(ys - ye));
                bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
                if (flip)
                {
                    (xs, xe) = (xe, xs);
                    (ys, ye) = (ye, ys);
                }

                // As in C: a repeated vertex divides 0 by 0, and the NaN truncates to int.MinValue.
                double s = dx >= dy ? (double)unchecked(ye - ys) / dx : (double)unchecked(xe - xs) / dy;
                if (dx >= dy)
                {
                    for (int d = 0; d <= dx; d++)
                    {
                        int t = flip ? dx - d : d;
                        u[m] = unchecked(t + xs);
                        v[m] = PolygonRasterizer.CTruncate(ys + (s * t) + .5);
                        m++;
                    }
                }
                else
                {
                    for (int d = 0; d <= dy; d++)
                    {
                        int t = flip ? dy - d : d;
                        v[m] = unchecked(t + ys);
                        u[m] = PolygonRasterizer.CTruncate(xs + (s * t) + .5);
                        m++;
                    }
                }
            }

            return m;
        }

        /// <summary>Where the boundary crosses a pixel column: downsampled to pixel coordinates (y rounded up, clamped to [0, h]).</summary>
        private static int Downsample(int[] u, int[] v, int k, int[] bx, int[] by, int height, int width)
        {
            // C compares with w-1 computed in size_t: for w = 0 that is 2^64-1.
            double lastColumn = width == 0 ? 18446744073709551615.0 : width - 1;
            int m = 0;
            for (int j = 1; j < k; j++)
            {
                if (u[j] == u[j - 1])
                {
                    continue;
                }

                double xd = u[j] < u[j - 1] ? u[j] : unchecked(u[j] - 1);
                xd = ((xd + .5) / PolygonRasterizer.Scale) - .5;
                if (Math.Floor(xd) != xd || xd < 0 || xd > lastColumn)
                {
                    continue;
                }

                double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
                yd = ((yd + .5) / PolygonRasterizer.Scale) - .5;
                if (yd < 0)
                {
                    yd = 0;
                }
                else if (yd > height)
                {
                    yd = height;
                }

                yd = Math.Ceiling(yd);
                bx[m] = (int)xd;
                by[m] = (int)yd;
                m++;
            }

            return m;
        }

        /// <summary>Sorted column-major indices of the crossings, differenced into runs, zero runs folded.</summary>
        private static Rle Runs(int[] bx, int[] by, int k, int height, int width)
        {
            var pool = ArrayPool<uint>.Shared;
            uint[] a = pool.Rent(k + 1);
            try
            {
                for (int j = 0; j < k; j++)
                {
                    a[j] = unchecked((uint)((bx[j] * height) + by[j]));
                }

                a[k++] = unchecked((uint)((long)height * width));
                Array.Sort(a, 0, k);
                int m = PolygonRasterizer.FoldRuns(a, k);
                var counts = new uint[m];
                Array.Copy(a, counts, m);
                return new Rle(height, width, counts);
            }
            finally
            {
                pool.Return(a);
            }
        }
    }
}
