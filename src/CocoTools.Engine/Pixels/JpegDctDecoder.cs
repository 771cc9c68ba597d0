using System;

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
        // Natural (row-major) position of the k-th zig-zag coefficient; positions past 63 stay at 63 as a corrupt run
        // length can push k there.
        private static readonly int[] NaturalOrder = BuildNaturalOrder();

        private readonly JpegReader _in;
        private readonly int[]?[] _quantTables = new int[]?[4];
        private readonly int[] _coefficients = new int[64];
        private int _precision;
        private JpegInverseDct? _idct;
        private int _width;
        private int _height;
        private int _maxH;
        private int _maxV;
        private int _mcusX;
        private int _mcusY;
        private int _restartInterval;
        private JpegComponent[] _components = Array.Empty<JpegComponent>();
        private readonly JpegPlanePool _pool = new JpegPlanePool();

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
                decoder._pool.Dispose();
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

            _idct = new JpegInverseDct(_precision);

            if (count != 1 && count != 3)
            {
                throw Unsupported($"lossy JPEG with {count} components");
            }

            if (_width != layout.Columns || _height != layout.Rows || count != layout.SamplesPerPixel)
            {
                throw Bad($"the JPEG frame is {_width}x{_height} with {count} component(s), but the DICOM header says {layout.Columns}x{layout.Rows} with {layout.SamplesPerPixel}");
            }

            _components = new JpegComponent[count];
            for (int c = 0; c < count; c++)
            {
                int sampling = _in[7 + (3 * c)];
                var component = new JpegComponent
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
                component.Plane = _pool.Rent(component.Stride * _mcusY * component.V * 8);
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

            var scan = new JpegComponent[count];
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

        private void CheckRestart(JpegComponent[] scan, ref int restartsLeft)
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

        private void DecodeBlock(JpegComponent component, int bx, int by)
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
                _idct!.Transform(coefficients, component.Quant!, component.Plane, offset, component.Stride);
            }
            else
            {
                _idct!.FillFlat(coefficients[0], component.Quant![0], component.Plane, offset, component.Stride);
            }
        }

        /// <summary>Checks every component was in a scan, then upsamples and writes the pixels.</summary>
        private string Output(PixelLayout layout, uint[] samples)
        {
            if (_components.Length == 0)
            {
                throw Bad("the JPEG stream has no frame header");
            }

            foreach (var component in _components)
            {
                if (!component.Scanned)
                {
                    throw Bad($"JPEG component {component.Id} is in no scan");
                }
            }

            return new JpegSampleWriter(_width, _height, _maxH, _maxV, _precision, _pool).Write(_components, layout, samples);
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

    }
}
