using System;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// The last stage of <see cref="JpegDctDecoder"/>: each decoded component upsampled to full size (the IJG library's
    /// "fancy" triangular filter for 2:1 chroma, box replication otherwise) and written as pixels, YCbCr converted to
    /// RGB in 16-bit fixed point when the DICOM header says YBR.
    /// </summary>
    internal sealed class JpegSampleWriter
    {
        private readonly int _width;
        private readonly int _height;
        private readonly int _maxH;
        private readonly int _maxV;
        private readonly int _precision;
        private readonly int _max;
        private readonly JpegPlanePool _pool;

        public JpegSampleWriter(int width, int height, int maxH, int maxV, int precision, JpegPlanePool pool)
        {
            _width = width;
            _height = height;
            _maxH = maxH;
            _maxV = maxV;
            _precision = precision;
            _max = (1 << precision) - 1;
            _pool = pool;
        }

        /// <summary>Upsamples each component to full size and writes pixels, converting YCbCr to RGB when the DICOM header says YBR.</summary>
        public string Write(JpegComponent[] components, PixelLayout layout, uint[] samples)
        {
            int width = _width, height = _height, count = components.Length;
            var planes = new short[count][];
            var strides = new int[count];
            for (int c = 0; c < count; c++)
            {
                (planes[c], strides[c]) = Upsample(components[c]);
            }

            if (count == 1)
            {
                var plane = planes[0];
                for (int y = 0; y < height; y++)
                {
                    int source = y * strides[0], target = y * width;
                    for (int x = 0; x < width; x++)
                    {
                        samples[target + x] = (uint)plane[source + x];
                    }
                }

                return layout.Photometric;
            }

            short[] p0 = planes[0], p1 = planes[1], p2 = planes[2];
            bool convert = layout.Photometric.StartsWith("YBR", StringComparison.Ordinal);
            var tables = ColorTables.For(_precision);
            int[] crToR = tables.CrToR, cbToB = tables.CbToB, crToG = tables.CrToG, cbToG = tables.CbToG;
            int max = _max;
            for (int y = 0; y < height; y++)
            {
                int a = y * strides[0], b = y * strides[1], c = y * strides[2], target = y * width * 3;
                for (int x = 0; x < width; x++, target += 3)
                {
                    int luma = p0[a + x], cb = p1[b + x], cr = p2[c + x];
                    if (convert)
                    {
                        samples[target] = Clamp(luma + crToR[cr], max);
                        samples[target + 1] = Clamp(luma + ((cbToG[cb] + crToG[cr]) >> 16), max);
                        samples[target + 2] = Clamp(luma + cbToB[cb], max);
                    }
                    else
                    {
                        samples[target] = (uint)luma;
                        samples[target + 1] = (uint)cb;
                        samples[target + 2] = (uint)cr;
                    }
                }
            }

            return convert ? "RGB" : layout.Photometric;
        }

        private static uint Clamp(int value, int max) => (uint)(value < 0 ? 0 : value > max ? max : value);

        /// <summary>
        /// The component at full image size, with its row stride: the decoded plane itself when not subsampled; 2:1
        /// horizontally (and vertically) by the triangle filter (3/4 nearer, 1/4 farther sample, the rows above and below
        /// the image repeating the edge rows); other ratios, or components two samples wide or less, by replication.
        /// </summary>
        private (short[] Samples, int Stride) Upsample(JpegComponent component)
        {
            int width = _width, height = _height;
            int hx = _maxH / component.H, vx = _maxV / component.V;
            var plane = component.Plane;
            int stride = component.Stride, dw = component.DownsampledWidth, dh = component.DownsampledHeight;
            if (hx == 1 && vx == 1)
            {
                return (plane, stride);
            }

            var result = _pool.Rent(width * height);
            bool fancy = dw > 2 && ((hx == 2 && vx == 1) || (hx == 2 && vx == 2));
            if (!fancy)
            {
                for (int y = 0; y < height; y++)
                {
                    int source = (y / vx) * stride, target = y * width;
                    for (int x = 0; x < width; x++)
                    {
                        result[target + x] = plane[source + (x / hx)];
                    }
                }

                return (result, width);
            }

            var line = new short[2 * dw];
            for (int y = 0; y < height; y++)
            {
                int near = (y / vx) * stride;
                if (vx == 1)
                {
                    int a = plane[near], b;
                    line[0] = (short)a;
                    line[1] = (short)(((a * 3) + plane[near + 1] + 2) >> 2);
                    for (int x = 1; x < dw - 1; x++)
                    {
                        a = plane[near + x] * 3;
                        line[2 * x] = (short)((a + plane[near + x - 1] + 1) >> 2);
                        line[(2 * x) + 1] = (short)((a + plane[near + x + 1] + 2) >> 2);
                    }

                    b = plane[near + dw - 1];
                    line[(2 * dw) - 2] = (short)(((b * 3) + plane[near + dw - 2] + 1) >> 2);
                    line[(2 * dw) - 1] = (short)b;
                }
                else
                {
                    // The nearer row is this one; the farther is the one above for even output rows, below for odd.
                    int row = y / 2, other = (y & 1) == 0 ? Math.Max(row - 1, 0) : Math.Min(row + 1, dh - 1);
                    int far = other * stride;
                    int thisSum = (plane[near] * 3) + plane[far];
                    int nextSum = (plane[near + 1] * 3) + plane[far + 1];
                    line[0] = (short)(((thisSum * 4) + 8) >> 4);
                    line[1] = (short)(((thisSum * 3) + nextSum + 7) >> 4);
                    int lastSum = thisSum;
                    thisSum = nextSum;
                    for (int x = 1; x < dw - 1; x++)
                    {
                        nextSum = (plane[near + x + 1] * 3) + plane[far + x + 1];
                        line[2 * x] = (short)(((thisSum * 3) + lastSum + 8) >> 4);
                        line[(2 * x) + 1] = (short)(((thisSum * 3) + nextSum + 7) >> 4);
                        lastSum = thisSum;
                        thisSum = nextSum;
                    }

                    line[(2 * dw) - 2] = (short)(((thisSum * 3) + lastSum + 8) >> 4);
                    line[(2 * dw) - 1] = (short)(((thisSum * 4) + 7) >> 4);
                }

                Array.Copy(line, 0, result, y * width, width);
            }

            return (result, width);
        }

        /// <summary>YCbCr to RGB in 16-bit fixed point (CCIR 601 / JFIF coefficients), rounded like the reference decoder.</summary>
        private sealed class ColorTables
        {
            private static readonly ColorTables Eight = new ColorTables(8);
            private static readonly ColorTables Twelve = new ColorTables(12);

            private ColorTables(int precision)
            {
                int size = 1 << precision, center = size / 2;
                CrToR = new int[size];
                CbToB = new int[size];
                CrToG = new int[size];
                CbToG = new int[size];
                const int half = 1 << 15;
                for (int i = 0; i < size; i++)
                {
                    int x = i - center;
                    CrToR[i] = ((Fix(1.40200) * x) + half) >> 16;
                    CbToB[i] = ((Fix(1.77200) * x) + half) >> 16;
                    CrToG[i] = -Fix(0.71414) * x;
                    CbToG[i] = (-Fix(0.34414) * x) + half;
                }
            }

            public int[] CrToR { get; }

            public int[] CbToB { get; }

            public int[] CrToG { get; }

            public int[] CbToG { get; }

            public static ColorTables For(int precision) => precision == 8 ? Eight : Twelve;

            private static int Fix(double x) => (int)((x * 65536) + 0.5);
        }
    }
}
