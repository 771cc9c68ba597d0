using System;
using System.Collections.Generic;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// Lossless JPEG (ITU-T T.81 Annex H, process 14: Huffman coded, predictors 1 to 7, point transform, restart
    /// intervals, one to four interleaved components sampled 1x1), as DICOM's JPEG Lossless transfer syntaxes
    /// (1.2.840.10008.1.2.4.57 and .70, "SV1") store it. Decodes to samples, pixel by pixel.
    /// </summary>
    internal sealed class JpegLosslessDecoder
    {
        private readonly byte[] _data;
        private readonly string _where;
        private readonly HuffmanTable?[] _tables = new HuffmanTable?[4];
        private int _position;
        private int _precision;
        private int _width;
        private int _height;
        private int[] _componentIds = Array.Empty<int>();
        private int _restartInterval;

        // Entropy-coded bit reader state.
        private uint _bitBuffer;
        private int _bitCount;
        private bool _hitMarker;

        private JpegLosslessDecoder(byte[] data, string where)
        {
            _data = data;
            _where = where;
        }

        /// <summary>Decodes a lossless JPEG stream into <paramref name="samples"/> (raw values, pixel-interleaved).</summary>
        public static void Decode(byte[] data, PixelLayout layout, uint[] samples, string where)
        {
            var decoder = new JpegLosslessDecoder(data, where);
            decoder.Run(layout, samples);
        }

        private void Run(PixelLayout layout, uint[] samples)
        {
            if (_data.Length < 4 || _data[0] != 0xFF || _data[1] != 0xD8)
            {
                throw Bad("the frame does not start with a JPEG SOI marker");
            }

            _position = 2;
            while (true)
            {
                int marker = NextMarker();
                switch (marker)
                {
                    case 0xC3:
                        ReadFrameHeader(layout);
                        break;
                    case 0xC4:
                        ReadHuffmanTables();
                        break;
                    case 0xDD:
                        Length();
                        _restartInterval = (_data[_position] << 8) | _data[_position + 1];
                        _position += 2;
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
                        throw new CocoToolsException("PixelDataCorrupt", FailureKind.InvalidData, $"{_where}: the JPEG frame is not lossless process 14 (SOF marker 0xFF{marker:X2}) although the transfer syntax says lossless.");
                    default:
                        // APPn, COM, DQT and others a lossless decoder does not need.
                        _position += Length();
                        break;
                }
            }
        }

        private int NextMarker()
        {
            while (_position < _data.Length && _data[_position] != 0xFF)
            {
                _position++;
            }

            while (_position < _data.Length && _data[_position] == 0xFF)
            {
                _position++;
            }

            if (_position >= _data.Length)
            {
                throw Bad("the JPEG stream ends before its scan");
            }

            return _data[_position++];
        }

        /// <summary>The segment length that follows a marker, minus its own two bytes; the position is left after the length.</summary>
        private int Length()
        {
            if (_position + 2 > _data.Length)
            {
                throw Bad("a JPEG segment is cut short");
            }

            int length = ((_data[_position] << 8) | _data[_position + 1]) - 2;
            _position += 2;
            if (length < 0 || _position + length > _data.Length)
            {
                throw Bad("a JPEG segment runs past the end of the frame");
            }

            return length;
        }

        private void ReadFrameHeader(PixelLayout layout)
        {
            int length = Length();
            int start = _position;
            _precision = _data[_position];
            _height = (_data[_position + 1] << 8) | _data[_position + 2];
            _width = (_data[_position + 3] << 8) | _data[_position + 4];
            int components = _data[_position + 5];
            if (length < 6 + (3 * components) || components < 1 || components > 4)
            {
                throw Bad("the JPEG frame header is malformed");
            }

            _componentIds = new int[components];
            for (int c = 0; c < components; c++)
            {
                _componentIds[c] = _data[_position + 6 + (3 * c)];
                int sampling = _data[_position + 7 + (3 * c)];
                if (sampling != 0x11)
                {
                    throw new CocoToolsException("DicomCompressionUnsupported", FailureKind.NotImplemented, $"{_where}: lossless JPEG with subsampled components is not supported.");
                }
            }

            if (_width != layout.Columns || _height != layout.Rows || components != layout.SamplesPerPixel || _precision < 2 || _precision > 16)
            {
                throw Bad($"the JPEG frame is {_width}x{_height} with {components} component(s) of {_precision} bits, but the DICOM header says {layout.Columns}x{layout.Rows} with {layout.SamplesPerPixel}");
            }

            _position = start + length;
        }

        private void ReadHuffmanTables()
        {
            int length = Length();
            int end = _position + length;
            while (_position < end)
            {
                int info = _data[_position++];
                int id = info & 0x0F;
                if ((info >> 4) != 0 || id > 3 || _position + 16 > end)
                {
                    throw Bad("a Huffman table is malformed (lossless JPEG uses DC tables 0 to 3)");
                }

                var counts = new int[17];
                int total = 0;
                for (int i = 1; i <= 16; i++)
                {
                    counts[i] = _data[_position++];
                    total += counts[i];
                }

                if (_position + total > end)
                {
                    throw Bad("a Huffman table has more codes than its segment holds");
                }

                var symbols = new byte[total];
                Array.Copy(_data, _position, symbols, 0, total);
                _position += total;
                _tables[id] = new HuffmanTable(counts, symbols);
            }
        }

        private void ReadScan(PixelLayout layout, uint[] samples)
        {
            int length = Length();
            int components = _data[_position];
            if (components != _componentIds.Length)
            {
                throw new CocoToolsException("DicomCompressionUnsupported", FailureKind.NotImplemented, $"{_where}: lossless JPEG with components in separate scans is not supported.");
            }

            var tables = new HuffmanTable[components];
            for (int c = 0; c < components; c++)
            {
                int table = _data[_position + 2 + (2 * c)] >> 4;
                tables[c] = _tables[table & 3] ?? throw Bad($"the scan uses Huffman table {table}, which is not defined");
            }

            int predictor = _data[_position + 1 + (2 * components)];
            int pointTransform = _data[_position + 3 + (2 * components)] & 0x0F;
            if (predictor < 1 || predictor > 7)
            {
                throw Bad($"the lossless predictor is {predictor}; it must be 1 to 7");
            }

            _position += length;
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
                        Restart();
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
        }

        private void Restart()
        {
            _bitBuffer = 0;
            _bitCount = 0;
            _hitMarker = false;
            while (_position + 1 < _data.Length && !(_data[_position] == 0xFF && _data[_position + 1] >= 0xD0 && _data[_position + 1] <= 0xD7))
            {
                _position++;
            }

            _position += 2;
        }

        private int DecodeDifference(HuffmanTable table)
        {
            int ssss = table.Decode(this);
            if (ssss == 0)
            {
                return 0;
            }

            if (ssss == 16)
            {
                return 32768;
            }

            int bits = ReadBits(ssss);
            return bits < (1 << (ssss - 1)) ? bits - (1 << ssss) + 1 : bits;
        }

        internal int ReadBit() => ReadBits(1);

        private int ReadBits(int count)
        {
            while (_bitCount < count)
            {
                int b = 0;
                if (!_hitMarker && _position < _data.Length)
                {
                    b = _data[_position];
                    if (b == 0xFF)
                    {
                        int next = _position + 1 < _data.Length ? _data[_position + 1] : 0;
                        if (next == 0x00)
                        {
                            _position += 2;
                        }
                        else
                        {
                            // A marker: the data ends here; pad with zeros as decoders do.
                            _hitMarker = true;
                            b = 0;
                        }
                    }
                    else
                    {
                        _position++;
                    }
                }

                _bitBuffer = (_bitBuffer << 8) | (uint)b;
                _bitCount += 8;
            }

            int value = (int)((_bitBuffer >> (_bitCount - count)) & ((1u << count) - 1));
            _bitCount -= count;
            return value;
        }

        private CocoToolsException Bad(string problem) => new CocoToolsException("PixelDataCorrupt", FailureKind.InvalidData, $"{_where}: {problem}.");

        /// <summary>A canonical Huffman table (T.81 Annex C), decoded bit by bit with the max-code method of Annex F.</summary>
        private sealed class HuffmanTable
        {
            private readonly int[] _maxCode = new int[18];
            private readonly int[] _valueOffset = new int[17];
            private readonly byte[] _symbols;

            public HuffmanTable(int[] counts, byte[] symbols)
            {
                _symbols = symbols;
                int code = 0, k = 0;
                for (int length = 1; length <= 16; length++)
                {
                    _valueOffset[length] = k - code;
                    code += counts[length];
                    k += counts[length];
                    _maxCode[length] = counts[length] > 0 ? code - 1 : -1;
                    code <<= 1;
                }

                _maxCode[17] = int.MaxValue;
            }

            public int Decode(JpegLosslessDecoder reader)
            {
                int code = 0;
                for (int length = 1; length <= 16; length++)
                {
                    code = (code << 1) | reader.ReadBit();
                    if (_maxCode[length] >= 0 && code <= _maxCode[length])
                    {
                        int index = code + _valueOffset[length];
                        if (index >= 0 && index < _symbols.Length)
                        {
                            return _symbols[index];
                        }

                        break;
                    }
                }

                throw new CocoToolsException("PixelDataCorrupt", FailureKind.InvalidData, $"{reader._where}: the lossless JPEG data has a code its Huffman table does not define.");
            }
        }
    }
}
