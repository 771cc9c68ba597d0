using System;
using System.Buffers;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// The fast scan conversion behind <see cref="PolygonRasterizer"/>: the column crossings <c>rleFrPoly</c> keeps,
    /// found edge by edge without the dense boundary, then sorted into runs, all in pooled buffers. Exact while the
    /// upsampled coordinates stay within <see cref="SafeCoordinate"/>; otherwise the caller falls back to
    /// <see cref="PolygonReferenceRasterizer"/>.
    /// </summary>
    internal static class PolygonCrossings
    {
        // Upsampled coordinates within this bound cannot overflow int arithmetic below, so the fast path is exact.
        private const int SafeCoordinate = 1 << 28;

        /// <summary>
        /// The fast path: the polygon's runs in a pooled array (return it to <see cref="ArrayPool{T}.Shared"/>), or null
        /// where the literal port must be used (degenerate sizes, coordinates or images large enough for C's integer
        /// arithmetic to wrap).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        internal static uint[]? RunsOf(ReadOnlySpan<double> xy, int height, int width, out int count)
        {
            count = 0;
            int k = xy.Length / 2;
            if (k == 0 || height <= 0 || width <= 0 || (long)height * width >= int.MaxValue)
            {
                return null;
            }

            var pool = ArrayPool<int>.Shared;
            int[] x = pool.Rent(k + 1), y = pool.Rent(k + 1);
            int[]? cx = null, cy = null;
            try
            {
                long perimeter = 0;
                for (int j = 0; j < k; j++)
                {
                    x[j] = PolygonRasterizer.CTruncate((PolygonRasterizer.Scale * xy[j * 2]) + .5);
                    y[j] = PolygonRasterizer.CTruncate((PolygonRasterizer.Scale * xy[(j * 2) + 1]) + .5);
                    if (x[j] <= -SafeCoordinate || x[j] >= SafeCoordinate || y[j] <= -SafeCoordinate || y[j] >= SafeCoordinate)
                    {
                        return null;
                    }
                }

                x[k] = x[0];
                y[k] = y[0];
                for (int j = 0; j < k; j++)
                {
                    perimeter += Math.Abs(x[j] - x[j + 1]) + 1;
                }

                PolygonRasterizer.CheckBoundary(perimeter, k, height, width);

                // At most one crossing per column change: |dx|+1 per edge bounds them.
                cx = pool.Rent((int)Math.Min(perimeter + 1, int.MaxValue));
                cy = pool.Rent((int)Math.Min(perimeter + 1, int.MaxValue));
                int n = Crossings(x, y, k, height, width, cx, cy);
                return RunsFromCrossings(cx, cy, n, height, width, out count);
            }
            finally
            {
                pool.Return(x);
                pool.Return(y);
                if (cx != null)
                {
                    pool.Return(cx);
                    pool.Return(cy!);
                }
            }
        }

        /// <summary>
        /// The column crossings <c>rleFrPoly</c> keeps, found without materializing the dense boundary: the points
        /// are generated in the same order with the same floating-point expressions, but along an edge that steps
        /// in x only the steps that can cross a pixel column centre (every fifth) are evaluated.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static int Crossings(int[] x, int[] y, int k, int height, int width, int[] cx, int[] cy)
        {
            int n = 0;
            bool hasPrevious = false;
            int pu = 0, pv = 0;
            for (int j = 0; j < k; j++)
            {
                int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
                int dx = Math.Abs(xe - xs), dy = Math.Abs(ys - ye);
                bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
                if (flip)
                {
                    (xs, xe) = (xe, xs);
                    (ys, ye) = (ye, ys);
                }

                double s = dx >= dy ? (double)(ye - ys) / dx : (double)(xe - xs) / dy;
                if (dx >= dy)
                {
                    // Point d: t = flip ? dx - d : d, u = t + xs, v = (int)(ys + s*t + .5). Successive u differ by one.
                    // A repeated vertex (dx = dy = 0) divides 0 by 0 as in C; its NaN is truncated C's way.
                    int u0 = (flip ? dx : 0) + xs;
                    int v0 = PolygonRasterizer.CTruncate(ys + (s * (flip ? dx : 0)) + .5);
                    if (hasPrevious && u0 != pu)
                    {
                        AddCrossing(pu, pv, u0, v0, height, width, cx, cy, ref n);
                    }

                    if (dx > 0)
                    {
                        // The pair (d-1, d) crosses a column centre when min(u) = 2 (mod 5); min(u) is u(d-1) going right,
                        // u(d) going left. Aligned steps are 5 apart and their column moves by exactly one each time.
                        int lowFirst = flip ? u0 - 1 : u0;
                        int first = 1 + (flip ? Mod5(lowFirst - 2) : Mod5(2 - lowFirst));
                        int column = ((flip ? u0 - first : u0 + first - 1) - 2) / 5;
                        int step = flip ? -1 : 1;
                        for (int d = first; d <= dx; d += 5, column += step)
                        {
                            if ((uint)column >= (uint)width)
                            {
                                continue;
                            }

                            int ta = flip ? dx - d + 1 : d - 1, tb = flip ? dx - d : d;
                            int va = (int)(ys + (s * ta) + .5), vb = (int)(ys + (s * tb) + .5);
                            int yd = (va < vb ? va : vb) - 2;
                            int row = yd <= 0 ? 0 : (yd + 4) / 5;
                            cx[n] = column;
                            cy[n] = row > height ? height : row;
                            n++;
                        }
                    }

                    int last = flip ? 0 : dx;
                    pu = last + xs;
                    pv = PolygonRasterizer.CTruncate(ys + (s * last) + .5);
                }
                else
                {
                    // Point d: t = flip ? dy - d : d, v = t + ys, u = (int)(xs + s*t + .5), |s| < 1: u moves monotonically
                    // by at most one per step, so each column transition is found from its estimate, not by walking.
                    int tFirst = flip ? dy : 0, tLast = flip ? 0 : dy;
                    int u0 = (int)(xs + (s * tFirst) + .5), uEnd = (int)(xs + (s * tLast) + .5);
                    if (hasPrevious && u0 != pu)
                    {
                        AddCrossing(pu, pv, u0, tFirst + ys, height, width, cx, cy, ref n);
                    }

                    if (uEnd != u0)
                    {
                        bool up = uEnd > u0;
                        double inverseSlope = 1 / s;
                        int m = Math.Max(Math.Min(u0, uEnd), 2);
                        m += Mod5(2 - m);
                        int mLast = Math.Min(Math.Max(u0, uEnd) - 1, (5 * (width - 1)) + 2);
                        for (; m <= mLast; m += 5)
                        {
                            int d = Transition(xs, s, inverseSlope, dy, flip, up, m);
                            int ta = flip ? dy - d + 1 : d - 1, tb = flip ? dy - d : d;
                            AddCrossing((int)(xs + (s * ta) + .5), ta + ys, (int)(xs + (s * tb) + .5), tb + ys, height, width, cx, cy, ref n);
                        }
                    }

                    pu = uEnd;
                    pv = tLast + ys;
                }

                hasPrevious = true;
            }

            return n;
        }

        /// <summary>
        /// The downsampling step of <c>rleFrPoly</c> for one pair of successive boundary points with different u, in
        /// integers. C computes <c>xd = (u + .5) / 5 - .5</c> and keeps it when integral: that is exactly when
        /// <c>u = 2 (mod 5)</c>, giving <c>(u - 2) / 5</c>; and <c>ceil((v + .5) / 5 - .5)</c> clamped to [0, h] is
        /// <c>ceil((v - 2) / 5)</c> clamped. Both hold exactly for the coordinates the fast path accepts (below 2^28).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static void AddCrossing(int u0, int v0, int u1, int v1, int height, int width, int[] cx, int[] cy, ref int n)
        {
            int xd = (u1 < u0 ? u1 : u1 - 1) - 2;
            if (xd < 0 || xd % 5 != 0)
            {
                return;
            }

            int column = xd / 5;
            if (column > width - 1)
            {
                return;
            }

            int yd = (v1 < v0 ? v1 : v0) - 2;
            int row = yd <= 0 ? 0 : (yd + 4) / 5;
            cx[n] = column;
            cy[n] = row > height ? height : row;
            n++;
        }

        /// <summary>Runs from crossings inside the image: a counting sort by column replaces the comparison sort of column-major indices.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static uint[] RunsFromCrossings(int[] cx, int[] cy, int n, int height, int width, out int count)
        {
            var intPool = ArrayPool<int>.Shared;
            int[] start = intPool.Rent(width + 1);
            uint[] a = ArrayPool<uint>.Shared.Rent(n + 1);
            try
            {
                // Counting sort over the columns the polygon spans only.
                int low = width, high = -1;
                for (int i = 0; i < n; i++)
                {
                    int c = cx[i];
                    low = c < low ? c : low;
                    high = c > high ? c : high;
                }

                if (n > 0)
                {
                    Array.Clear(start, low, high - low + 2);
                }

                for (int i = 0; i < n; i++)
                {
                    start[cx[i] + 1]++;
                }

                for (int c = low; c < high; c++)
                {
                    start[c + 1] += start[c];
                }

                for (int i = 0; i < n; i++)
                {
                    a[start[cx[i]]++] = (uint)((cx[i] * height) + cy[i]);
                }

                // Within a column (now contiguous) sort by row: columns hold few crossings, so insertion sort.
                for (int i = 1; i < n; i++)
                {
                    uint value = a[i];
                    int j = i - 1;
                    while (j >= 0 && a[j] > value)
                    {
                        a[j + 1] = a[j];
                        j--;
                    }

                    a[j + 1] = value;
                }

                a[n] = (uint)((long)height * width);
                count = PolygonRasterizer.FoldRuns(a, n + 1);
                return a;
            }
            finally
            {
                intPool.Return(start);
            }
        }

        private static int Mod5(int value) => ((value % 5) + 5) % 5;

        /// <summary>
        /// On a y-major edge, the step d in [1, dy] where u passes between m and m + 1: the first d with
        /// u(d) &gt;= m + 1 going up (u(d) &lt;= m going down). Estimated by solving the line, then settled by evaluating
        /// C's exact expression at neighbouring steps (u is monotone in d, so the first such d is unique).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static int Transition(int xs, double s, double inverseSlope, int dy, bool flip, bool up, int m)
        {
            // Only an estimate (the exact expression settles it below), so the reciprocal is good enough.
            double t = (m + 0.5 - xs) * inverseSlope;
            double estimate = flip ? dy - t : t;
            int d = estimate < 1 ? 1 : estimate > dy ? dy : (int)Math.Ceiling(estimate);
            while (d > 1 && Passed(d - 1))
            {
                d--;
            }

            while (d < dy && !Passed(d))
            {
                d++;
            }

            return d;

            bool Passed(int step)
            {
                int u = (int)(xs + (s * (flip ? dy - step : step)) + .5);
                return up ? u >= m + 1 : u <= m;
            }
        }
    }
}
