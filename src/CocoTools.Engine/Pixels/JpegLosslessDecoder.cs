using System;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// Lossless JPEG (ITU-T T.81 Annex H, process 14: Huffman coded, predictors 1 to 7, point transform, restart
    /// intervals, one to four interleaved components sampled 1x1), as DICOM's JPEG Lossless transfer syntaxes
    /// (1.2.840.10008.1.2.4.57 and .70, "SV1") store it. Decodes to samples, pixel by pixel.
    /// </summary>
    internal sealed class JpegLosslessDecoder
    {
        private readonly JpegReader _in;
        private int _precision;
        private int _width;
        private int _height;
        private int[] _componentIds = Array.Empty<int>();
        private int _restartInterval;

        private JpegLosslessDecoder(byte[] data, string where)
        {
            _in = new JpegReader(data, where);
        }

        /// <summary>Decodes a lossless JPEG stream into <paramref name="samples"/> (raw values, pixel-interleaved).</summary>
        public static void Decode(byte[] data, PixelLayout layout, uint[] samples, string where)
        {
            var decoder = new JpegLosslessDecoder(data, where);
            decoder.Run(layout, samples);
        }

        private void Run(PixelLayout layout, uint[] samples)
        {
            _in.ExpectStart();
            while (true)
            {
                if (!_in.TryNextMarker(out int marker))
                {
                    throw Bad("the JPEG stream ends before its scan");
                }

                switch (marker)
                {
                    case 0xC3:
                        ReadFrameHeader(layout);
                        break;
                    case 0xC4:
                        _in.ReadHuffmanTables(acAllowed: false);
                        break;
                    case 0xDD:
                        _restartInterval = _in.ReadRestartInterval();
                        break;
                    case 0xDA:
                        ReadScan(layout, samples);
                        return;
                    case 0xD9:
                        throw Bad("the JPEG stream ends (EOI) before a scan");
                    case 0xC0:
                    case 0xC1:
                    case 0xC2:
                    case 0xC7:
                    case 0xC9:
                    case 0xCB:
                        throw new CocoToolsException("PixelDataCorrupt", FailureKind.InvalidData, $"{_in.Where}: the JPEG frame is not lossless process 14 (SOF marker 0xFF{marker:X2}) although the transfer syntax says lossless.");
                    default:
                        // APPn, COM, DQT and others a lossless decoder does not need.
                        _in.SkipSegment();
                        break;
                }
            }
        }

        private void ReadFrameHeader(PixelLayout layout)
        {
            int length = _in.SegmentLength();
            int start = _in.Position;
            _precision = _in[0];
            _height = (_in[1] << 8) | _in[2];
            _width = (_in[3] << 8) | _in[4];
            int components = _in[5];
            if (length < 6 + (3 * components) || components < 1 || components > 4)
            {
                throw Bad("the JPEG frame header is malformed");
            }

            _componentIds = new int[components];
            for (int c = 0; c < components; c++)
            {
                _componentIds[c] = _in[6 + (3 * c)];
                int sampling = _in[7 + (3 * c)];
                if (sampling != 0x11)
                {
                    throw new CocoToolsException("DicomCompressionUnsupported", FailureKind.NotImplemented, $"{_in.Where}: lossless JPEG with subsampled components is not supported.");
                }
            }

            if (_width != layout.Columns || _height != layout.Rows || components != layout.SamplesPerPixel || _precision < 2 || _precision > 16)
            {
                throw Bad($"the JPEG frame is {_width}x{_height} with {components} component(s) of {_precision} bits, but the DICOM header says {layout.Columns}x{layout.Rows} with {layout.SamplesPerPixel}");
            }

            _in.Position = start + length;
        }

        private void ReadScan(PixelLayout layout, uint[] samples)
        {
            int length = _in.SegmentLength();
            int components = length > 0 ? _in[0] : 0;
            if (length < 4 + (2 * components))
            {
                throw Bad("the JPEG scan header is malformed");
            }

            if (components != _componentIds.Length)
            {
                throw new CocoToolsException("DicomCompressionUnsupported", FailureKind.NotImplemented, $"{_in.Where}: lossless JPEG with components in separate scans is not supported.");
            }

            var tables = new JpegHuffmanTable[components];
            for (int c = 0; c < components; c++)
            {
                int table = _in[2 + (2 * c)] >> 4;
                tables[c] = _in.DcTables[table & 3] ?? throw Bad($"the scan uses Huffman table {table}, which is not defined");
            }

            int predictor = _in[1 + (2 * components)];
            int pointTransform = _in[3 + (2 * components)] & 0x0F;
            if (predictor < 1 || predictor > 7)
            {
                throw Bad($"the lossless predictor is {predictor}; it must be 1 to 7");
            }

            _in.Position += length;
            _in.StartBits();
            int mask = (1 << _precision) - 1;
            int initial = 1 << (_precision - pointTransform - 1);
            int width = _width, height = _height;
            var previous = new int[width * components];
            var current = new int[width * components];
            int restartsLeft = _restartInterval;
            bool firstLine = true;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    bool fresh = y == 0 && x == 0;
                    if (_restartInterval > 0 && restartsLeft == 0)
                    {
                        // A restart marker resets the decoder and the prediction, as at the start of the image.
                        _in.Restart();
                        restartsLeft = _restartInterval;
                        firstLine = true;
                        fresh = true;
                    }

                    for (int c = 0; c < components; c++)
                    {
                        int i = (x * components) + c;
                        int prediction;
                        if (fresh)
                        {
                            prediction = initial;
                        }
                        else if (firstLine)
                        {
                            prediction = current[i - components];
                        }
                        else if (x == 0)
                        {
                            prediction = previous[i];
                        }
                        else
                        {
                            int a = current[i - components], b = previous[i], d = previous[i - components];
                            prediction = predictor switch
                            {
                                1 => a,
                                2 => b,
                                3 => d,
                                4 => a + b - d,
                                5 => a + ((b - d) >> 1),
                                6 => b + ((a - d) >> 1),
                                _ => (a + b) >> 1,
                            };
                        }

                        int difference = DecodeDifference(tables[c]);
                        current[i] = (prediction + difference) & mask;
                    }

                    if (_restartInterval > 0)
                    {
                        restartsLeft--;
                    }

                    // A restart inside a line makes only the rest of that line a "first line".
                    if (x == width - 1)
                    {
                        firstLine = false;
                    }
                }

                int row = y * width * components;
                for (int i = 0; i < current.Length; i++)
                {
                    samples[row + i] = (uint)(current[i] << pointTransform);
                }

                (previous, current) = (current, previous);
            }

            _in.EndBits();
        }

        private int DecodeDifference(JpegHuffmanTable table)
        {
            _in.Fill();
            int ssss = table.Decode(_in);
            if (ssss < 0 || ssss > 16)
            {
                throw Bad("the lossless JPEG data has a code its Huffman table does not define");
            }

            if (ssss == 0)
            {
                return 0;
            }

            // 16 (a difference of 32768) has no extra bits.
            return ssss == 16 ? 32768 : _in.TakeDifference(ssss);
        }

        private CocoToolsException Bad(string problem) => _in.Bad(problem);
    }
}
