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

        // Below this many boundary points a polygon is rasterized whatever its coordinates (32 MiB of buffers at most).
        private const long SmallBoundaryPoints = 1L << 22;

        // Past the floor, a boundary may be as long as this many edges crossing the whole image (a star, a zigzag).
        private const long FullImageEdges = 16;

        // Upsampled coordinates within this bound cannot overflow int arithmetic below, so the fast path is exact.
        private const int SafeCoordinate = 1 << 28;

        /// <summary>
        /// Rasterizes one polygon of <c>xy.Length / 2</c> vertices (a trailing odd number is ignored, as
        /// pycocotools' <c>int(len(p)/2)</c>).
        /// </summary>
        public static Rle FromPolygon(ReadOnlySpan<double> xy, int height, int width)
        {
            var pool = ArrayPool<uint>.Shared;
            uint[]? runs = RunsOf(xy, height, width, out int count);
            if (runs == null)
            {
                return FromPolygonReference(xy, height, width);
            }

            try
            {
                var counts = new uint[count];
                Array.Copy(runs, counts, count);
                return new Rle(height, width, counts);
            }
            finally
            {
                pool.Return(runs);
            }
        }

        /// <summary>
        /// The polygon's compressed counts as ASCII bytes (what <c>frPyObjects</c> returns for it), compressed straight
        /// from the pooled runs: the result is the only allocation.
        /// </summary>
        public static byte[] CompressedFromPolygon(ReadOnlySpan<double> xy, int height, int width)
        {
            uint[]? runs = RunsOf(xy, height, width, out int count);
            if (runs == null)
            {
                return FromPolygonReference(xy, height, width).ToCompressedBytes();
            }

            var bytePool = ArrayPool<byte>.Shared;
            byte[] scratch = bytePool.Rent(Math.Max(1, count * 7));
            try
            {
                int length = Rle.Compress(new ReadOnlySpan<uint>(runs, 0, count), scratch);
                var result = new byte[length];
                Buffer.BlockCopy(scratch, 0, result, 0, length);
                return result;
            }
            finally
            {
                bytePool.Return(scratch);
                ArrayPool<uint>.Shared.Return(runs);
            }
        }

        /// <summary>
        /// The fast path: the polygon's runs in a pooled array (return it to <see cref="ArrayPool{T}.Shared"/>), or null
        /// where the literal port must be used (degenerate sizes, coordinates or images large enough for C's integer
        /// arithmetic to wrap).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static uint[]? RunsOf(ReadOnlySpan<double> xy, int height, int width, out int count)
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
                    x[j] = CTruncate((Scale * xy[j * 2]) + .5);
                    y[j] = CTruncate((Scale * xy[(j * 2) + 1]) + .5);
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

                CheckBoundary(perimeter, k, height, width);

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
        /// Refuses a boundary of more than 2^22 (upsampled) points that is also longer than 16 edges crossing the whole
        /// image, and any past 2^28: a 28-byte polygon with coordinates in the millions would otherwise take gigabytes of
        /// boundary buffers for a few pixels of mask. Real outlines, however fine, stay far below both.
        /// </summary>
        private static void CheckBoundary(long points, int k, int height, int width)
        {
            long inside = Math.Min(k, FullImageEdges) * ((5L * Math.Max(height, width)) + 1);
            if (points > MaxBoundaryPoints || (points > SmallBoundaryPoints && points > inside))
            {
                throw new CocoToolsException("PolygonTooLarge", FailureKind.LimitsExceeded, $"The polygon's coordinates are too large to rasterize: its outline has {points} points at pycocotools' 5x upsampling, more than the limit of {Math.Max(inside, SmallBoundaryPoints)} for a {width}x{height} image (16 edges across the whole image).");
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
                    int v0 = CTruncate(ys + (s * (flip ? dx : 0)) + .5);
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
                    pv = CTruncate(ys + (s * last) + .5);
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
                count = FoldRuns(a, n + 1);
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

        /// <summary>
        /// The literal port of <c>rleFrPoly</c>, dense boundary and all: used where coordinates are large enough for
        /// C's integer overflow to matter, and by tests as the reference for the fast path.
        /// </summary>
        internal static Rle FromPolygonReference(ReadOnlySpan<double> xy, int height, int width)
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

                CheckBoundary(m, k, height, width);

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
                int m = FoldRuns(a, k);
                var counts = new uint[m];
                Array.Copy(a, counts, m);
                return new Rle(height, width, counts);
            }
            finally
            {
                pool.Return(a);
            }
        }

        /// <summary>Sorted column-major indices differenced into runs, in place; a zero run merges the run after it into the one before. Returns the run count.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static int FoldRuns(uint[] a, int k)
        {
            uint p = 0;
            for (int j = 0; j < k; j++)
            {
                uint t = a[j];
                a[j] -= p;
                p = t;
            }

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

            return m;
        }

        /// <summary>C's <c>(int)d</c> on x86-64 (cvttsd2si): truncation, and 0x80000000 for NaN and out-of-range values.</summary>
        internal static int CTruncate(double d) =>
            double.IsNaN(d) || d >= 2147483648.0 || d <= -2147483649.0 ? int.MinValue : (int)d;

        /// <summary>C's <c>abs</c> on int: abs(int.MinValue) stays int.MinValue.</summary>
        private static int CAbs(int value) => value < 0 ? unchecked(-value) : value;
    }
}
