using System;
using System.Collections.Generic;

namespace CocoTools.Engine.Masks
{
    /// <summary>The outlines of a mask: one polygon per 4-connected region, and whether the mask has holes.</summary>
    public sealed class TracedMask
    {
        internal TracedMask(List<double[]> polygons, bool hasHoles)
        {
            Polygons = polygons;
            HasHoles = hasHoles;
        }

        /// <summary>Each region's outline along pixel edges, as a flat [x1, y1, x2, y2, ...] list with pixel corners at integers.</summary>
        public IReadOnlyList<double[]> Polygons { get; }

        /// <summary>True when background pixels are enclosed by the mask, which COCO polygons cannot carry.</summary>
        public bool HasHoles { get; }
    }

    /// <summary>
    /// Traces a binary mask into polygons: the crack (pixel-edge) outline of each 4-connected region, with a vertex where
    /// the outline turns. The polygon's shoelace area is the region's pixel count and its rasterization by pycocotools
    /// gives the region back.
    /// </summary>
    public static class MaskTracer
    {
        /// <summary>Traces a row-major 0/1 mask (index y*w + x).</summary>
        public static TracedMask Trace(ReadOnlySpan<byte> rowMajor, int height, int width)
        {
            int a = checked(height * width);
            var labels = new int[a];
            var stack = new Stack<int>();
            var polygons = new List<double[]>();
            int regions = 0;
            for (int start = 0; start < a; start++)
            {
                if (rowMajor[start] == 0 || labels[start] != 0)
                {
                    continue;
                }

                regions++;
                labels[start] = regions;
                stack.Push(start);
                while (stack.Count > 0)
                {
                    int p = stack.Pop();
                    int x = p % width, y = p / width;
                    Visit(rowMajor, labels, stack, x > 0 ? p - 1 : -1, regions);
                    Visit(rowMajor, labels, stack, x + 1 < width ? p + 1 : -1, regions);
                    Visit(rowMajor, labels, stack, y > 0 ? p - width : -1, regions);
                    Visit(rowMajor, labels, stack, y + 1 < height ? p + width : -1, regions);
                }

                polygons.Add(Outline(labels, regions, start % width, start / width, height, width));
            }

            return new TracedMask(polygons, HasHoles(rowMajor, height, width));
        }

        private static void Visit(ReadOnlySpan<byte> mask, int[] labels, Stack<int> stack, int q, int region)
        {
            if (q >= 0 && mask[q] != 0 && labels[q] == 0)
            {
                labels[q] = region;
                stack.Push(q);
            }
        }

        /// <summary>
        /// Walks the outline with the region on the right (y down), preferring right turns so that regions touching
        /// at a corner stay apart, from the top-left corner of the region's first pixel back to it.
        /// </summary>
        private static double[] Outline(int[] labels, int region, int x0, int y0, int height, int width)
        {
            bool In(int x, int y) => x >= 0 && y >= 0 && x < width && y < height && labels[(y * width) + x] == region;

            // For a direction (0 right, 1 down, 2 left, 3 up) at corner (x, y): the pixels right and left of the edge ahead.
            bool Boundary(int d, int x, int y) => d switch
            {
                0 => In(x, y) && !In(x, y - 1),
                1 => In(x - 1, y) && !In(x, y),
                2 => In(x - 1, y - 1) && !In(x - 1, y),
                _ => In(x, y - 1) && !In(x - 1, y - 1),
            };

            var xy = new List<double>();
            int cx = x0, cy = y0, dir = 0;
            do
            {
                cx += dir == 0 ? 1 : dir == 2 ? -1 : 0;
                cy += dir == 1 ? 1 : dir == 3 ? -1 : 0;
                int next = Boundary((dir + 1) & 3, cx, cy) ? (dir + 1) & 3 : Boundary(dir, cx, cy) ? dir : (dir + 3) & 3;
                if (next != dir)
                {
                    xy.Add(cx);
                    xy.Add(cy);
                    dir = next;
                }
            }
            while (cx != x0 || cy != y0 || dir != 0);

            return xy.ToArray();
        }

        /// <summary>True when some background pixel cannot reach the border through background (8-connected, as 4-connected regions leave it).</summary>
        private static bool HasHoles(ReadOnlySpan<byte> rowMajor, int height, int width)
        {
            int a = height * width;
            var outside = new bool[a];
            var stack = new Stack<int>();
            for (int p = 0; p < a; p++)
            {
                int x = p % width, y = p / width;
                if ((x == 0 || y == 0 || x == width - 1 || y == height - 1) && rowMajor[p] == 0 && !outside[p])
                {
                    outside[p] = true;
                    stack.Push(p);
                }
            }

            while (stack.Count > 0)
            {
                int p = stack.Pop();
                int x = p % width, y = p / width;
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= width || ny >= height)
                        {
                            continue;
                        }

                        int q = (ny * width) + nx;
                        if (rowMajor[q] == 0 && !outside[q])
                        {
                            outside[q] = true;
                            stack.Push(q);
                        }
                    }
                }
            }

            for (int p = 0; p < a; p++)
            {
                if (rowMajor[p] == 0 && !outside[p])
                {
                    return true;
                }
            }

            return false;
        }
    }
}
