using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// Lossy JPEG as DICOM stores it: ITU-T T.81 sequential DCT with Huffman coding, 8-bit (process 1, JPEG Baseline
    /// 1.2.840.10008.1.2.4.50) and 12-bit (process 2 and 4, JPEG Extended .51), one to three components, any integral
    /// sampling factors, interleaved or one scan per component, restart intervals.
    /// <para>
    /// A lossy decoder's output is only fixed up to rounding, so this one reproduces the arithmetic of the IJG library
    /// that dcmtk (and so most PACS software) uses, by its documented design: the accurate integer IDCT (13-bit
    /// fixed-point constants, 2 extra bits between passes at 8 bits, 1 at 12), its output range limiting, "fancy"
    /// triangular upsampling of 2:1 chroma with replicated edge rows, box upsampling otherwise, and 16-bit fixed-point
    /// YCbCr to RGB. Our tests compare every frame with dcmdjpeg's output bit for bit.
    /// </para>
    /// </summary>
    internal sealed class JpegDctDecoder
    {
        private const int ConstBits = 13;

        // Natural (row-major) position of the k-th zig-zag coefficient; positions past 63 stay at 63 as a corrupt run
        // length can push k there.
        private static readonly int[] NaturalOrder = BuildNaturalOrder();

        private readonly JpegReader _in;
        private readonly int[]?[] _quantTables = new int[]?[4];
        private readonly int[] _coefficients = new int[64];
        private readonly int[] _workspace = new int[64];
        private int _precision;

        // From the precision: the extra bits the IDCT keeps between its passes (2 at 8 bits, 1 at 12), the largest sample.
        private int _passBits;
        private int _max;
        private int _width;
        private int _height;
        private int _maxH;
        private int _maxV;
        private int _mcusX;
        private int _mcusY;
        private int _restartInterval;
        private Component[] _components = Array.Empty<Component>();

        // Planes and upsampled components are large and made for every frame: they come from the shared pool.
        private readonly List<short[]> _rented = new List<short[]>();


        private JpegDctDecoder(byte[] data, string where)
        {
            _in = new JpegReader(data, where);
        }

        /// <summary>
        /// Decodes one JPEG frame into <paramref name="samples"/> (pixel by pixel). A YBR photometric interpretation
        /// is converted to RGB, as dcmtk does by default; the returned photometric interpretation says what the
        /// samples are.
        /// </summary>
        public static string Decode(byte[] data, PixelLayout layout, uint[] samples, string where)
        {
            var decoder = new JpegDctDecoder(data, where);
            try
            {
                decoder.ReadImage(layout);
                return decoder.Output(layout, samples);
            }
            finally
            {
                foreach (var buffer in decoder._rented)
                {
                    ArrayPool<short>.Shared.Return(buffer);
                }
            }
        }

        private void ReadImage(PixelLayout layout)
        {
            _in.ExpectStart();
            bool scanned = false;
            while (true)
            {
                if (!_in.TryNextMarker(out int marker))
                {
                    if (scanned)
                    {
                        return; // A missing EOI after the last scan is common and harmless.
                    }

                    throw Bad("the JPEG stream ends before its scan");
                }

                switch (marker)
                {
                    case 0xC0:
                    case 0xC1:
                        ReadFrameHeader(layout);
                        break;
                    case 0xC4:
                        _in.ReadHuffmanTables(acAllowed: true);
                        break;
                    case 0xDB:
                        ReadQuantizationTables();
                        break;
                    case 0xDD:
                        _restartInterval = _in.ReadRestartInterval();
                        break;
                    case 0xDA:
                        ReadScan();
                        scanned = true;
                        break;
                    case 0xD9:
                        if (!scanned)
                        {
                            throw Bad("the JPEG stream ends (EOI) before a scan");
                        }

                        return;
                    case 0xC2:
                    case 0xC6:
                    case 0xCA:
                    case 0xCE:
                        throw Unsupported($"progressive JPEG (SOF marker 0xFF{marker:X2})");
                    case 0xC3:
                    case 0xC5:
                    case 0xC7:
                    case 0xC9:
                    case 0xCB:
                    case 0xCD:
                    case 0xCF:
                        throw Unsupported($"JPEG process with SOF marker 0xFF{marker:X2} (lossless, hierarchical or arithmetic-coded) in a lossy JPEG transfer syntax");
                    default:
                        if (marker >= 0xD0 && marker <= 0xD7)
                        {
                            break; // A stray restart marker outside a scan carries nothing.
                        }

                        // APPn, COM and others that decoding does not need.
                        _in.SkipSegment();
                        break;
                }
            }
        }

        private void ReadFrameHeader(PixelLayout layout)
        {
            int length = _in.SegmentLength();
            int at = _in.Position;
            if (_components.Length > 0)
            {
                throw Bad("the JPEG stream has two frame headers");
            }

            int count = length >= 6 ? _in[5] : 0;
            if (count < 1 || length < 6 + (3 * count))
            {
                throw Bad("the JPEG frame header is malformed");
            }

            _precision = _in[0];
            _height = (_in[1] << 8) | _in[2];
            _width = (_in[3] << 8) | _in[4];
            if (_precision != 8 && _precision != 12)
            {
                throw Bad($"the JPEG frame has {_precision}-bit samples; lossy JPEG has 8 or 12");
            }

            _passBits = _precision == 8 ? 2 : 1;
            _max = (1 << _precision) - 1;

            if (count != 1 && count != 3)
            {
                throw Unsupported($"lossy JPEG with {count} components");
            }

            if (_width != layout.Columns || _height != layout.Rows || count != layout.SamplesPerPixel)
            {
                throw Bad($"the JPEG frame is {_width}x{_height} with {count} component(s), but the DICOM header says {layout.Columns}x{layout.Rows} with {layout.SamplesPerPixel}");
            }

            _components = new Component[count];
            for (int c = 0; c < count; c++)
            {
                int sampling = _in[7 + (3 * c)];
                var component = new Component
                {
                    Id = _in[6 + (3 * c)],
                    H = sampling >> 4,
                    V = sampling & 15,
                    QuantTable = _in[8 + (3 * c)] & 3,
                };
                if (component.H < 1 || component.H > 4 || component.V < 1 || component.V > 4)
                {
                    throw Bad($"JPEG component {component.Id} has sampling factors {component.H}x{component.V}; they must be 1 to 4");
                }

                _components[c] = component;
                _maxH = Math.Max(_maxH, component.H);
                _maxV = Math.Max(_maxV, component.V);
            }

            _mcusX = DivideUp(_width, 8 * _maxH);
            _mcusY = DivideUp(_height, 8 * _maxV);
            foreach (var component in _components)
            {
                if (_maxH % component.H != 0 || _maxV % component.V != 0)
                {
                    throw Unsupported($"JPEG sampling factors that are not integral multiples ({component.H}x{component.V} of {_maxH}x{_maxV})");
                }

                component.WidthInBlocks = DivideUp(_width * component.H, 8 * _maxH);
                component.HeightInBlocks = DivideUp(_height * component.V, 8 * _maxV);
                component.DownsampledWidth = DivideUp(_width * component.H, _maxH);
                component.DownsampledHeight = DivideUp(_height * component.V, _maxV);
                component.Stride = _mcusX * component.H * 8;
                component.Plane = Rent(component.Stride * _mcusY * component.V * 8);
            }

            _in.Position = at + length;
        }

        private void ReadQuantizationTables()
        {
            int length = _in.SegmentLength();
            int end = _in.Position + length;
            while (_in.Position < end)
            {
                int info = _in[0];
                _in.Position++;
                bool wide = (info >> 4) != 0;
                int id = info & 15;
                if (id > 3 || (info >> 4) > 1 || _in.Position + (wide ? 128 : 64) > end)
                {
                    throw Bad("a JPEG quantization table is malformed");
                }

                var table = new int[64];
                for (int k = 0; k < 64; k++)
                {
                    table[NaturalOrder[k]] = wide ? (_in[2 * k] << 8) | _in[(2 * k) + 1] : _in[k];
                }

                _in.Position += wide ? 128 : 64;
                _quantTables[id] = table;
            }
        }

        private void ReadScan()
        {
            if (_components.Length == 0)
            {
                throw Bad("the JPEG scan comes before the frame header");
            }

            int length = _in.SegmentLength();
            int count = length > 0 ? _in[0] : 0;
            if (count < 1 || count > _components.Length || length < 4 + (2 * count))
            {
                throw Bad("the JPEG scan header is malformed");
            }

            var scan = new Component[count];
            for (int i = 0; i < count; i++)
            {
                int id = _in[1 + (2 * i)], tables = _in[2 + (2 * i)];
                var component = Array.Find(_components, c => c.Id == id) ?? throw Bad($"the JPEG scan names component {id}, which the frame does not have");
                component.Dc = _in.DcTables[(tables >> 4) & 3] ?? throw Bad($"the JPEG scan uses DC Huffman table {tables >> 4}, which is not defined");
                component.Ac = _in.AcTables[tables & 3] ?? throw Bad($"the JPEG scan uses AC Huffman table {tables & 15}, which is not defined");

                // The quantization table is taken when the component's first scan starts, as T.81 allows tables to be redefined after.
                component.Scanned = true;
                component.Quant ??= _quantTables[component.QuantTable] ?? throw Bad($"JPEG component {id} uses quantization table {component.QuantTable}, which is not defined");
                component.Prediction = 0;
                scan[i] = component;
            }

            _in.Position += length;
            _in.StartBits();
            int restartsLeft = _restartInterval;
            if (count == 1)
            {
                // A scan of one component codes its blocks one by one, only those that hold image samples.
                var component = scan[0];
                for (int by = 0; by < component.HeightInBlocks; by++)
                {
                    for (int bx = 0; bx < component.WidthInBlocks; bx++)
                    {
                        CheckRestart(scan, ref restartsLeft);
                        DecodeBlock(component, bx, by);
                    }
                }
            }
            else
            {
                // Interleaved: each MCU has H x V blocks of each component, including blocks past the image edge.
                for (int my = 0; my < _mcusY; my++)
                {
                    for (int mx = 0; mx < _mcusX; mx++)
                    {
                        CheckRestart(scan, ref restartsLeft);
                        foreach (var component in scan)
                        {
                            for (int v = 0; v < component.V; v++)
                            {
                                for (int h = 0; h < component.H; h++)
                                {
                                    DecodeBlock(component, (mx * component.H) + h, (my * component.V) + v);
                                }
                            }
                        }
                    }
                }
            }

            _in.EndBits();
        }

        private void CheckRestart(Component[] scan, ref int restartsLeft)
        {
            if (_restartInterval == 0)
            {
                return;
            }

            if (restartsLeft == 0)
            {
                // Bits left before the marker are padding; the DC predictions start again.
                _in.Restart();
                foreach (var component in scan)
                {
                    component.Prediction = 0;
                }

                restartsLeft = _restartInterval;
            }

            restartsLeft--;
        }

        private void DecodeBlock(Component component, int bx, int by)
        {
            var coefficients = _coefficients;
            Array.Clear(coefficients, 0, 64);
            var input = _in;
            input.Fill();
            int size = Math.Max(component.Dc!.Decode(input), 0);
            if (size > 16)
            {
                throw Bad($"a JPEG DC difference has {size} bits");
            }

            if (size != 0)
            {
                component.Prediction += input.TakeDifference(size);
            }

            // Coefficients are 16-bit in the reference decoder; the prediction itself is not.
            coefficients[0] = (short)component.Prediction;
            var ac = component.Ac!;
            bool anyAc = false;
            for (int k = 1; k < 64; k++)
            {
                input.Fill();
                int symbol = Math.Max(ac.Decode(input), 0);
                int run = symbol >> 4;
                size = symbol & 15;
                if (size != 0)
                {
                    k += run;
                    int value = (short)input.TakeDifference(size);
                    coefficients[NaturalOrder[k]] = value;
                    anyAc |= value != 0;
                }
                else
                {
                    if (run != 15)
                    {
                        break;
                    }

                    k += 15;
                }
            }

            int offset = (by * 8 * component.Stride) + (bx * 8);
            if (anyAc)
            {
                InverseDct(coefficients, component.Quant!, component.Plane, offset, component.Stride);
            }
            else
            {
                // DC only (flat areas, common in ultrasound and CT backgrounds): both IDCT passes reduce to one value,
                // the one the full transform gives for such a block.
                short value = FlatRowLevel((coefficients[0] * component.Quant![0]) << _passBits);
                for (int row = 0; row < 8; row++)
                {
                    component.Plane.AsSpan(offset + (row * component.Stride), 8).Fill(value);
                }
            }
        }

        /// <summary>
        /// The accurate integer IDCT of the IJG library (Loeffler, Ligtenberg and Moschytz's factorization with 13-bit
        /// constants): columns first into a workspace scaled by 2^passBits, then rows, then the level shift and range limit.
        /// </summary>
        private void InverseDct(int[] input, int[] quant, short[] output, int offset, int stride)
        {
            int passBits = _passBits;
            var ws = _workspace;
            for (int col = 0; col < 8; col++)
            {
                if (input[8 + col] == 0 && input[16 + col] == 0 && input[24 + col] == 0 && input[32 + col] == 0
                    && input[40 + col] == 0 && input[48 + col] == 0 && input[56 + col] == 0)
                {
                    int dc = input[col] * quant[col] << passBits;
                    for (int row = 0; row < 8; row++)
                    {
                        ws[(row * 8) + col] = dc;
                    }

                    continue;
                }

                Butterfly(
                    (long)input[col] * quant[col], (long)input[8 + col] * quant[8 + col], (long)input[16 + col] * quant[16 + col], (long)input[24 + col] * quant[24 + col],
                    (long)input[32 + col] * quant[32 + col], (long)input[40 + col] * quant[40 + col], (long)input[48 + col] * quant[48 + col], (long)input[56 + col] * quant[56 + col],
                    ConstBits - passBits, out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7);
                ws[col] = (int)o0;
                ws[8 + col] = (int)o1;
                ws[16 + col] = (int)o2;
                ws[24 + col] = (int)o3;
                ws[32 + col] = (int)o4;
                ws[40 + col] = (int)o5;
                ws[48 + col] = (int)o6;
                ws[56 + col] = (int)o7;
            }

            int shift = ConstBits + passBits + 3;
            for (int row = 0; row < 8; row++)
            {
                int w = row * 8, at = offset + (row * stride);
                if (ws[w + 1] == 0 && ws[w + 2] == 0 && ws[w + 3] == 0 && ws[w + 4] == 0 && ws[w + 5] == 0 && ws[w + 6] == 0 && ws[w + 7] == 0)
                {
                    output.AsSpan(at, 8).Fill(FlatRowLevel(ws[w]));

                    continue;
                }

                Butterfly(ws[w], ws[w + 1], ws[w + 2], ws[w + 3], ws[w + 4], ws[w + 5], ws[w + 6], ws[w + 7], shift,
                    out long r0, out long r1, out long r2, out long r3, out long r4, out long r5, out long r6, out long r7);
                output[at] = RangeLimit((int)r0);
                output[at + 1] = RangeLimit((int)r1);
                output[at + 2] = RangeLimit((int)r2);
                output[at + 3] = RangeLimit((int)r3);
                output[at + 4] = RangeLimit((int)r4);
                output[at + 5] = RangeLimit((int)r5);
                output[at + 6] = RangeLimit((int)r6);
                output[at + 7] = RangeLimit((int)r7);
            }
        }

        /// <summary>One 8-point inverse DCT: even part from inputs 0, 2, 4, 6, odd part from 1, 3, 5, 7; outputs rounded and shifted right by <paramref name="shift"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Butterfly(
            long i0, long i1, long i2, long i3, long i4, long i5, long i6, long i7, int shift,
            out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7)
        {
            // Even part.
            long z1 = (i2 + i6) * 4433;                 // 0.541196100
            long t2 = z1 + (i6 * -15137);               // 1.847759065
            long t3 = z1 + (i2 * 6270);                 // 0.765366865
            long t0 = (i0 + i4) << ConstBits;
            long t1 = (i0 - i4) << ConstBits;
            long t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;

            // Odd part.
            long a0 = i7, a1 = i5, a2 = i3, a3 = i1;
            long s1 = a0 + a3, s2 = a1 + a2, s3 = a0 + a2, s4 = a1 + a3;
            long z5 = (s3 + s4) * 9633;                 // 1.175875602
            a0 *= 2446;                                 // 0.298631336
            a1 *= 16819;                                // 2.053119869
            a2 *= 25172;                                // 3.072711026
            a3 *= 12299;                                // 1.501321110
            s1 *= -7373;                                // 0.899976223
            s2 *= -20995;                               // 2.562915447
            s3 = (s3 * -16069) + z5;                    // 1.961570560
            s4 = (s4 * -3196) + z5;                     // 0.390180644
            a0 += s1 + s3;
            a1 += s2 + s4;
            a2 += s2 + s3;
            a3 += s1 + s4;

            long round = 1L << (shift - 1);
            o0 = (t10 + a3 + round) >> shift;
            o7 = (t10 - a3 + round) >> shift;
            o1 = (t11 + a2 + round) >> shift;
            o6 = (t11 - a2 + round) >> shift;
            o2 = (t12 + a1 + round) >> shift;
            o5 = (t12 - a1 + round) >> shift;
            o3 = (t13 + a0 + round) >> shift;
            o4 = (t13 - a0 + round) >> shift;
        }

        /// <summary>
        /// The sample of a row whose workspace values after the first column are all zero (the second pass's shortcut,
        /// equal to the full transform for such a row).
        /// </summary>
        private short FlatRowLevel(int workspaceValue) => RangeLimit((workspaceValue + (1 << (_passBits + 2))) >> (_passBits + 3));

        /// <summary>The level shift and clamp, with the reference decoder's wrap-around for wildly out-of-range values.</summary>
        private short RangeLimit(int value)
        {
            int levels = _max + 1, rangeMask = (4 * levels) - 1;
            int i = value & rangeMask;
            if (i > rangeMask >> 1)
            {
                i -= rangeMask + 1;
            }

            i += levels / 2;
            return (short)(i < 0 ? 0 : i > _max ? _max : i);
        }

        /// <summary>Upsamples each component to full size and writes pixels, converting YCbCr to RGB when the DICOM header says YBR.</summary>
        private string Output(PixelLayout layout, uint[] samples)
        {
            if (_components.Length == 0)
            {
                throw Bad("the JPEG stream has no frame header");
            }

            int width = _width, height = _height, count = _components.Length;
            var planes = new short[count][];
            var strides = new int[count];
            for (int c = 0; c < count; c++)
            {
                if (!_components[c].Scanned)
                {
                    throw Bad($"JPEG component {_components[c].Id} is in no scan");
                }

                (planes[c], strides[c]) = Upsample(_components[c]);
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

        private short[] Rent(int length)
        {
            var buffer = ArrayPool<short>.Shared.Rent(length);
            _rented.Add(buffer);
            return buffer;
        }

        /// <summary>
        /// The component at full image size, with its row stride: the decoded plane itself when not subsampled; 2:1
        /// horizontally (and vertically) by the triangle filter (3/4 nearer, 1/4 farther sample, the rows above and below
        /// the image repeating the edge rows); other ratios, or components two samples wide or less, by replication.
        /// </summary>
        private (short[] Samples, int Stride) Upsample(Component component)
        {
            int width = _width, height = _height;
            int hx = _maxH / component.H, vx = _maxV / component.V;
            var plane = component.Plane;
            int stride = component.Stride, dw = component.DownsampledWidth, dh = component.DownsampledHeight;
            if (hx == 1 && vx == 1)
            {
                return (plane, stride);
            }

            var result = Rent(width * height);
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

        private static int DivideUp(int a, int b) => (a + b - 1) / b;

        private static int[] BuildNaturalOrder()
        {
            var order = new int[64 + 16];
            int k = 0;
            for (int sum = 0; sum < 15; sum++)
            {
                // Zig-zag: odd diagonals run down-left (row rising), even ones up-right.
                int low = Math.Max(0, sum - 7), high = Math.Min(sum, 7);
                for (int i = low; i <= high; i++)
                {
                    int row = (sum & 1) == 1 ? i : sum - i;
                    order[k++] = (row * 8) + (sum - row);
                }
            }

            for (; k < order.Length; k++)
            {
                order[k] = 63;
            }

            return order;
        }

        private CocoToolsException Bad(string problem) => _in.Bad(problem);

        private CocoToolsException Unsupported(string what) => new CocoToolsException(
            "DicomCompressionUnsupported", FailureKind.NotImplemented, $"{_in.Where}: {what} is not supported; convert it first with dcmtk's `dcmdjpeg in.dcm out.dcm` (or `gdcmconv --raw in.dcm out.dcm`).");

        private sealed class Component
        {
            public int Id;
            public int H;
            public int V;
            public int QuantTable;
            public int[]? Quant;
            public int WidthInBlocks;
            public int HeightInBlocks;
            public int DownsampledWidth;
            public int DownsampledHeight;
            public int Stride;
            public short[] Plane = Array.Empty<short>();
            public JpegHuffmanTable? Dc;
            public JpegHuffmanTable? Ac;
            public int Prediction;
            public bool Scanned;
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
