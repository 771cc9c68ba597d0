using System;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// A run-length encoded binary mask exactly as pycocotools defines it: column-major (pixel index
    /// <c>x*h + y</c>), run lengths alternating 0s and 1s and starting with a (possibly empty) run of 0s.
    /// Every operation reproduces pycocotools' <c>maskApi.c</c> bit for bit, including its unsigned 32-bit
    /// wraparound on degenerate input.
    /// </summary>
    public sealed class Rle
    {
        private readonly uint[] _counts;

        /// <summary>Wraps run lengths (the array is kept, not copied).</summary>
        public Rle(int height, int width, uint[] counts)
        {
            if (height < 0 || width < 0)
            {
                throw new ArgumentOutOfRangeException(height < 0 ? nameof(height) : nameof(width), "Mask dimensions cannot be negative.");
            }

            Height = height;
            Width = width;
            _counts = counts ?? throw new ArgumentNullException(nameof(counts));
        }

        /// <summary>Mask height.</summary>
        public int Height { get; }

        /// <summary>Mask width.</summary>
        public int Width { get; }

        /// <summary>The run lengths.</summary>
        public ReadOnlySpan<uint> Counts => _counts;

        /// <summary>Number of runs.</summary>
        public int RunCount => _counts.Length;

        /// <summary>Sum of all run lengths (h*w for a well-formed RLE).</summary>
        public long PixelTotal
        {
            get
            {
                long total = 0;
                foreach (uint c in _counts)
                {
                    total += c;
                }

                return total;
            }
        }

        /// <summary>Number of foreground pixels: the odd runs summed, in 32 bits as pycocotools' <c>rleArea</c>.</summary>
        public uint Area
        {
            get
            {
                uint area = 0;
                for (int j = 1; j < _counts.Length; j += 2)
                {
                    area = unchecked(area + _counts[j]);
                }

                return area;
            }
        }

        internal uint[] CountsArray => _counts;

        /// <summary>Encodes a column-major 0/1 mask (pycocotools' <c>rleEncode</c>); any non-zero byte counts as foreground only where it differs from the previous byte, as in C.</summary>
        public static Rle Encode(ReadOnlySpan<byte> columnMajor, int height, int width)
        {
            int a = checked(height * width);
            if (columnMajor.Length < a)
            {
                throw new ArgumentException("The mask is smaller than height*width.", nameof(columnMajor));
            }

            var counts = new uint[a + 1];
            int k = 0;
            byte p = 0;
            uint c = 0;
            for (int j = 0; j < a; j++)
            {
                if (columnMajor[j] != p)
                {
                    counts[k++] = c;
                    c = 0;
                    p = columnMajor[j];
                }

                c++;
            }

            counts[k++] = c;
            Array.Resize(ref counts, k);
            return new Rle(height, width, counts);
        }

        /// <summary>Encodes a row-major 0/1 mask (index <c>y*w + x</c>), as images are stored.</summary>
        public static Rle EncodeRowMajor(ReadOnlySpan<byte> rowMajor, int height, int width)
        {
            int a = checked(height * width);
            if (rowMajor.Length < a)
            {
                throw new ArgumentException("The mask is smaller than height*width.", nameof(rowMajor));
            }

            var counts = new uint[a + 1];
            int k = 0;
            byte p = 0;
            uint c = 0;
            for (int x = 0; x < width; x++)
            {
                for (int y = 0, i = x; y < height; y++, i += width)
                {
                    if (rowMajor[i] != p)
                    {
                        counts[k++] = c;
                        c = 0;
                        p = rowMajor[i];
                    }

                    c++;
                }
            }

            counts[k++] = c;
            Array.Resize(ref counts, k);
            return new Rle(height, width, counts);
        }

        /// <summary>
        /// Decodes into a column-major buffer of h*w bytes (0/1). False, as pycocotools' bounds-checked
        /// <c>rleDecode</c>, when the runs add up to more than h*w ("Invalid RLE mask representation").
        /// Pixels past a short RLE are left as they were (zero in a fresh buffer; pycocotools leaves them unset).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public bool TryDecode(Span<byte> columnMajor)
        {
            long size = (long)Height * Width;
            if (columnMajor.Length < size)
            {
                throw new ArgumentException("The buffer is smaller than height*width.", nameof(columnMajor));
            }

            long position = 0;
            byte value = 0;
            foreach (uint run in _counts)
            {
                if (run > size - position)
                {
                    return false;
                }

                if (run > 0)
                {
                    columnMajor.Slice((int)position, (int)run).Fill(value);
                    position += run;
                }

                value = (byte)(1 - value);
            }

            return true;
        }

        /// <summary>
        /// Decodes into a row-major buffer (index <c>y*w + x</c>), cleared first; false under the same rule as
        /// <see cref="TryDecode"/>.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public bool TryDecodeRowMajor(Span<byte> rowMajor)
        {
            long size = (long)Height * Width;
            if (rowMajor.Length < size)
            {
                throw new ArgumentException("The buffer is smaller than height*width.", nameof(rowMajor));
            }

            if (PixelTotal > size)
            {
                return false;
            }

            rowMajor.Slice(0, (int)size).Clear();
            int h = Height, w = Width;
            long position = 0;
            for (int j = 0; j < _counts.Length; j++)
            {
                long end = position + _counts[j];
                if ((j & 1) == 1)
                {
                    for (long p = position; p < end;)
                    {
                        int x = (int)(p / h);
                        int top = (int)(p - ((long)x * h));
                        int run = (int)Math.Min(end - p, h - top);
                        for (int y = top, i = (top * w) + x; y < top + run; y++, i += w)
                        {
                            rowMajor[i] = 1;
                        }

                        p += run;
                    }
                }

                position = end;
            }

            return true;
        }

        /// <summary>
        /// Calls <paramref name="paint"/> for every vertical stretch of foreground: column x, first row y and
        /// length (never crossing a column). Runs past h*w are cut off. This is how masks are painted into
        /// images without decoding each one to a full buffer.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public void ForEachForegroundRun(Action<int, int, int> paint)
        {
            int h = Height;
            if (h == 0)
            {
                return;
            }

            long size = (long)h * Width;
            long position = 0;
            for (int j = 0; j < _counts.Length && position < size; j++)
            {
                long end = Math.Min(position + _counts[j], size);
                if ((j & 1) == 1)
                {
                    long p = position;
                    while (p < end)
                    {
                        int x = (int)(p / h);
                        int y = (int)(p - ((long)x * h));
                        int length = (int)Math.Min(end - p, h - y);
                        paint(x, y, length);
                        p += length;
                    }
                }

                position = end;
            }
        }

        /// <summary>
        /// The bounding box <c>[x, y, w, h]</c> as pycocotools' <c>toBbox</c> (PyPI 2.0.x: zero-length foreground
        /// runs are skipped), in its unsigned 32-bit arithmetic.
        /// </summary>
        public double[] ToBbox()
        {
            uint h = (uint)Height, w = (uint)Width;
            int m = (_counts.Length / 2) * 2;
            if (m == 0 || h == 0)
            {
                return new double[4];
            }

            uint xs = w, ys = h, xe = 0, ye = 0, cc = 0;
            for (int j = 0; j < m; j++)
            {
                uint start = cc;
                cc = unchecked(cc + _counts[j]);
                if ((j & 1) == 0 || _counts[j] == 0)
                {
                    continue;
                }

                uint yStart = start % h, xStart = (start - yStart) / h;
                uint yEnd = unchecked(cc - 1) % h, xEnd = unchecked(cc - 1 - yEnd) / h;
                xs = Math.Min(xs, xStart);
                xe = Math.Max(xe, xEnd);
                if (xStart < xEnd)
                {
                    ys = 0;
                    ye = h - 1;
                }
                else
                {
                    ys = Math.Min(ys, yStart);
                    ye = Math.Max(ye, yEnd);
                }
            }

            return new double[] { xs, ys, unchecked(xe - xs + 1), unchecked(ye - ys + 1) };
        }

        /// <summary>The compressed counts string (pycocotools' <c>rleToString</c>): LEB128-like, 5 bits per character from '0'.</summary>
        public string ToCompressedString() => RleStringCodec.ToText(_counts);

        /// <summary>The compressed counts as ASCII bytes: what <see cref="ToCompressedString"/> returns, in half the memory.</summary>
        public byte[] ToCompressedBytes() => RleStringCodec.ToBytes(_counts);

        /// <summary>
        /// Parses a compressed counts string (pycocotools' <c>rleFrString</c> on its UTF-8 bytes), including its C
        /// integer behaviour on malformed text: signed chars, 32-bit shifts whose count wraps at 32, stop at NUL.
        /// Text that ends inside a number consumes the terminating NUL as C does, then stops where C would read
        /// past the end of the string.
        /// </summary>
        public static Rle FromCompressedString(string counts, int height, int width) => RleStringCodec.Parse(counts, height, width);

        /// <summary>
        /// Why a compressed counts string is not one pycocotools' encoder could have written, or null when it is:
        /// every character in '0' (48) to 'o' (111), the last one ending a number (no continuation bit), and no run
        /// decoding to a negative length.
        /// </summary>
        public static string? CompressedStringProblem(string counts) => RleStringCodec.Problem(counts);

        /// <summary>Parses compressed counts given as bytes (the UTF-8 of the string), as <see cref="FromCompressedString"/>.</summary>
        public static Rle FromCompressedBytes(ReadOnlySpan<byte> counts, int height, int width) => RleStringCodec.Parse(counts, height, width);

        /// <inheritdoc />
        public override string ToString() => $"RLE {Height}x{Width}, {RunCount} runs, area {Area}";
    }
}
