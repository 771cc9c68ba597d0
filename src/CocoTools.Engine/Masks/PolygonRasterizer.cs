using System;
using System.Buffers;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// Polygons and boxes to RLE exactly as pycocotools' <c>rleFrPoly</c> and <c>rleFrBbox</c>: vertices are scaled
    /// by 5 and truncated as C's <c>(int)(5*x + .5)</c> does on x86, edges are walked densely, crossings of pixel
    /// columns are collected, downsampled and sorted into runs. Scratch buffers are pooled, so the loop over a
    /// dataset allocates only each result.
    /// </summary>
    public static class PolygonRasterizer
    {
        private const double Scale = 5;

        // A polygon whose upsampled boundary has more points than this (absurd coordinates) is refused rather
        // than allowed to exhaust memory; pycocotools would try to allocate it.
        private const long MaxBoundaryPoints = 1L << 28;

        /// <summary>
        /// Rasterizes one polygon of <c>xy.Length / 2</c> vertices (a trailing odd number is ignored, as
        /// pycocotools' <c>int(len(p)/2)</c>).
        /// </summary>
        public static Rle FromPolygon(ReadOnlySpan<double> xy, int height, int width)
        {
            int k = xy.Length / 2;
            var pool = ArrayPool<int>.Shared;
            int[] x = pool.Rent(k + 1), y = pool.Rent(k + 1);
            int[]? u = null, v = null;
            try
            {
                for (int j = 0; j < k; j++)
                {
                    x[j] = CTruncate((Scale * xy[j * 2]) + .5);
                    y[j] = CTruncate((Scale * xy[(j * 2) + 1]) + .5);
                }

                // With no vertex C reads an unset x[0]; the boundary is empty either way.
                x[k] = k > 0 ? x[0] : 0;
                y[k] = k > 0 ? y[0] : 0;

                long m = 0;
                for (int j = 0; j < k; j++)
                {
                    m += (uint)Math.Max((uint)CAbs(unchecked(x[j] - x[j + 1])), (uint)CAbs(unchecked(y[j] - y[j + 1]))) + 1u;
                }

                if (m > MaxBoundaryPoints)
                {
                    throw new CocoToolsException("PolygonTooLarge", FailureKind.LimitsExceeded, $"The polygon's coordinates are too large to rasterize ({m} boundary points).");
                }

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

        /// <summary>A box <c>[x, y, w, h]</c> as pycocotools' <c>rleFrBbox</c>: the four-corner polygon.</summary>
        public static Rle FromBox(double x, double y, double boxWidth, double boxHeight, int height, int width)
        {
            double xe = x + boxWidth, ye = y + boxHeight;
            Span<double> corners = stackalloc double[] { x, y, x, ye, xe, ye, xe, y };
            return FromPolygon(corners, height, width);
        }

        /// <summary>Dense integer points along every edge of the upsampled polygon.</summary>
        private static int WalkEdges(int[] x, int[] y, int k, int[] u, int[] v)
        {
            int m = 0;
            for (int j = 0; j < k; j++)
            {
                int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
                int dx = CAbs(unchecked(xe - xs)), dy = CAbs(unchecked(ys - ye));
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
                        v[m] = CTruncate(ys + (s * t) + .5);
                        m++;
                    }
                }
                else
                {
                    for (int d = 0; d <= dy; d++)
                    {
                        int t = flip ? dy - d : d;
                        v[m] = unchecked(t + ys);
                        u[m] = CTruncate(xs + (s * t) + .5);
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
                xd = ((xd + .5) / Scale) - .5;
                if (Math.Floor(xd) != xd || xd < 0 || xd > lastColumn)
                {
                    continue;
                }

                double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
                yd = ((yd + .5) / Scale) - .5;
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
                uint p = 0;
                for (int j = 0; j < k; j++)
                {
                    uint t = a[j];
                    a[j] -= p;
                    p = t;
                }

                // Fold: a zero run merges the run after it into the run before it.
                int m = 0;
                int i = 0;
                a[m++] = a[i++];
                while (i < k)
                {
                    if (a[i] > 0)
                    {
                        a[m++] = a[i++];
                    }
                    else
                    {
                        i++;
                        if (i < k)
                        {
                            a[m - 1] += a[i++];
                        }
                    }
                }

                var counts = new uint[m];
                Array.Copy(a, counts, m);
                return new Rle(height, width, counts);
            }
            finally
            {
                pool.Return(a);
            }
        }

        /// <summary>C's <c>(int)d</c> on x86-64 (cvttsd2si): truncation, and 0x80000000 for NaN and out-of-range values.</summary>
        internal static int CTruncate(double d) =>
            double.IsNaN(d) || d >= 2147483648.0 || d <= -2147483649.0 ? int.MinValue : (int)d;

        /// <summary>C's <c>abs</c> on int: abs(int.MinValue) stays int.MinValue.</summary>
        private static int CAbs(int value) => value < 0 ? unchecked(-value) : value;
    }
}
