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
        internal const double Scale = 5;

        // A polygon whose upsampled boundary has more points than this (absurd coordinates) is refused rather
        // than allowed to exhaust memory; pycocotools would try to allocate it.
        private const long MaxBoundaryPoints = 1L << 28;

        // Below this many boundary points a polygon is rasterized whatever its coordinates (32 MiB of buffers at most).
        private const long SmallBoundaryPoints = 1L << 22;

        // Past the floor, a boundary may be as long as this many edges crossing the whole image (a star, a zigzag).
        private const long FullImageEdges = 16;

        /// <summary>
        /// Rasterizes one polygon of <c>xy.Length / 2</c> vertices (a trailing odd number is ignored, as
        /// pycocotools' <c>int(len(p)/2)</c>).
        /// </summary>
        public static Rle FromPolygon(ReadOnlySpan<double> xy, int height, int width)
        {
            var pool = ArrayPool<uint>.Shared;
            uint[]? runs = PolygonCrossings.RunsOf(xy, height, width, out int count);
            if (runs == null)
            {
                return PolygonReferenceRasterizer.FromPolygon(xy, height, width);
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
            uint[]? runs = PolygonCrossings.RunsOf(xy, height, width, out int count);
            if (runs == null)
            {
                return PolygonReferenceRasterizer.FromPolygon(xy, height, width).ToCompressedBytes();
            }

            try
            {
                return RleStringCodec.ToBytes(new ReadOnlySpan<uint>(runs, 0, count));
            }
            finally
            {
                ArrayPool<uint>.Shared.Return(runs);
            }
        }

        /// <summary>
        /// Refuses a boundary of more than 2^22 (upsampled) points that is also longer than 16 edges crossing the whole
        /// image, and any past 2^28: a 28-byte polygon with coordinates in the millions would otherwise take gigabytes of
        /// boundary buffers for a few pixels of mask. Real outlines, however fine, stay far below both.
        /// </summary>
        internal static void CheckBoundary(long points, int k, int height, int width)
        {
            long inside = Math.Min(k, FullImageEdges) * ((5L * Math.Max(height, width)) + 1);
            if (points > MaxBoundaryPoints || (points > SmallBoundaryPoints && points > inside))
            {
                throw new CocoToolsException("PolygonTooLarge", FailureKind.LimitsExceeded, $"The polygon's coordinates are too large to rasterize: its outline has {points} points at pycocotools' 5x upsampling, more than the limit of {Math.Max(inside, SmallBoundaryPoints)} for a {width}x{height} image (16 edges across the whole image).");
            }
        }

        /// <summary>A box <c>[x, y, w, h]</c> as pycocotools' <c>rleFrBbox</c>: the four-corner polygon.</summary>
        public static Rle FromBox(double x, double y, double boxWidth, double boxHeight, int height, int width)
        {
            double xe = x + boxWidth, ye = y + boxHeight;
            Span<double> corners = stackalloc double[] { x, y, x, ye, xe, ye, xe, y };
            return FromPolygon(corners, height, width);
        }

        /// <summary>Sorted column-major indices differenced into runs, in place; a zero run merges the run after it into the one before. Returns the run count.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        internal static int FoldRuns(uint[] a, int k)
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
        internal static int CAbs(int value) => value < 0 ? unchecked(-value) : value;
    }
}
