using System;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// The bytes of one JPEG frame (ITU-T T.81 Annex B) as both our JPEG decoders read them: markers, segment lengths,
    /// Huffman table segments, and the entropy-coded bits between markers (stuffed 0xFF 0x00 bytes removed; past a
    /// marker or the end, zeros, as decoders do). Errors name the file and frame.
    /// </summary>
    internal sealed class JpegReader
    {
        private readonly byte[] _data;
        private ulong _bits;
        private int _bitCount;
        private bool _hitMarker;
        private int _fakeBytes;

        public JpegReader(byte[] data, string where)
        {
            _data = data;
            Where = where;
        }

        /// <summary>The file and frame, for messages.</summary>
        public string Where { get; }

        /// <summary>The next byte to read.</summary>
        public int Position { get; set; }

        /// <summary>The four DC (or lossless) and four AC Huffman tables defined so far.</summary>
        public JpegHuffmanTable?[] DcTables { get; } = new JpegHuffmanTable?[4];

        /// <summary>AC tables (sequential DCT only).</summary>
        public JpegHuffmanTable?[] AcTables { get; } = new JpegHuffmanTable?[4];

        /// <summary>The byte at an offset from the position.</summary>
        public byte this[int offset] => _data[Position + offset];

        /// <summary>Checks the SOI marker the frame must start with.</summary>
        public void ExpectStart()
        {
            if (_data.Length < 4 || _data[0] != 0xFF || _data[1] != 0xD8)
            {
                throw Bad("the frame does not start with a JPEG SOI marker");
            }

            Position = 2;
        }

        /// <summary>Finds the next marker (skipping fill bytes); false at the end of the data.</summary>
        public bool TryNextMarker(out int marker)
        {
            marker = 0;
            while (Position < _data.Length && _data[Position] != 0xFF)
            {
                Position++;
            }

            while (Position < _data.Length && _data[Position] == 0xFF)
            {
                Position++;
            }

            if (Position >= _data.Length)
            {
                return false;
            }

            marker = _data[Position++];
            return true;
        }

        /// <summary>The segment length that follows a marker, minus its own two bytes; the position is left after the length.</summary>
        public int SegmentLength()
        {
            if (Position + 2 > _data.Length)
            {
                throw Bad("a JPEG segment is cut short");
            }

            int length = ((_data[Position] << 8) | _data[Position + 1]) - 2;
            Position += 2;
            if (length < 0 || Position + length > _data.Length)
            {
                throw Bad("a JPEG segment runs past the end of the frame");
            }

            return length;
        }

        /// <summary>Reads a DRI segment: the number of MCUs (or samples, lossless) between restart markers.</summary>
        public int ReadRestartInterval()
        {
            int length = SegmentLength();
            if (length < 2)
            {
                throw Bad("the JPEG restart interval segment is malformed");
            }

            int interval = (_data[Position] << 8) | _data[Position + 1];
            Position += length;
            return interval;
        }

        /// <summary>Skips a segment this decoder does not need.</summary>
        public void SkipSegment()
        {
            int length = SegmentLength();
            Position += length;
        }

        /// <summary>Reads a DHT segment; <paramref name="acAllowed"/> false (lossless JPEG) refuses AC tables.</summary>
        public void ReadHuffmanTables(bool acAllowed)
        {
            int length = SegmentLength();
            int end = Position + length;
            while (Position < end)
            {
                int info = _data[Position++];
                int kind = info >> 4, id = info & 15;
                if (kind > (acAllowed ? 1 : 0) || id > 3 || Position + 16 > end)
                {
                    throw Bad(acAllowed ? "a JPEG Huffman table is malformed" : "a Huffman table is malformed (lossless JPEG uses DC tables 0 to 3)");
                }

                var counts = new int[17];
                int total = 0;
                for (int i = 1; i <= 16; i++)
                {
                    counts[i] = _data[Position++];
                    total += counts[i];
                }

                if (total > 256 || Position + total > end)
                {
                    throw Bad("a JPEG Huffman table has more codes than its segment holds");
                }

                var symbols = new byte[total];
                Array.Copy(_data, Position, symbols, 0, total);
                Position += total;
                (kind == 0 ? DcTables : AcTables)[id] = new JpegHuffmanTable(counts, symbols);
            }
        }

        /// <summary>Starts reading entropy-coded bits at the position.</summary>
        public void StartBits()
        {
            _bits = 0;
            _bitCount = 0;
            _hitMarker = false;
            _fakeBytes = 0;
        }

        /// <summary>
        /// Refuses a scan (or restart interval) that needed more bits than its data had: the zeros fed past a marker or
        /// the end would otherwise become a grey band in the image (dcmtk refuses such data too, unless told to work
        /// around it).
        /// </summary>
        public void CheckNotExhausted()
        {
            if (_bitCount < _fakeBytes * 8)
            {
                throw Bad("the JPEG data ends before the image does (the frame is cut short or corrupt)");
            }
        }

        /// <summary>At a restart interval's end: drops the padding bits and steps over the RSTn marker.</summary>
        public void Restart()
        {
            CheckNotExhausted();
            StartBits();
            while (Position + 1 < _data.Length && !(_data[Position] == 0xFF && _data[Position + 1] >= 0xD0 && _data[Position + 1] <= 0xD7))
            {
                Position++;
            }

            Position += 2;
        }

        /// <summary>After a scan: moves to the marker that ends its entropy-coded data (not to a stuffed 0xFF 0x00).</summary>
        public void EndBits()
        {
            CheckNotExhausted();
            while (Position < _data.Length && !(_data[Position] == 0xFF && Position + 1 < _data.Length && _data[Position + 1] != 0))
            {
                Position++;
            }
        }

        /// <summary>Keeps at least 57 bits in the buffer.</summary>
        public void Fill()
        {
            while (_bitCount <= 56)
            {
                int b = 0;
                if (!_hitMarker && Position < _data.Length)
                {
                    b = _data[Position];
                    if (b == 0xFF)
                    {
                        int next = Position + 1 < _data.Length ? _data[Position + 1] : -1;
                        if (next == 0x00)
                        {
                            Position += 2;
                        }
                        else
                        {
                            _hitMarker = true;
                            b = 0;
                            _fakeBytes++;
                        }
                    }
                    else
                    {
                        Position++;
                    }
                }
                else
                {
                    _fakeBytes++;
                }

                _bits |= (ulong)b << (56 - _bitCount);
                _bitCount += 8;
            }
        }

        /// <summary>The next <paramref name="count"/> bits (1 to 32) without taking them; call <see cref="Fill"/> first.</summary>
        public int Peek(int count) => (int)(_bits >> (64 - count));

        /// <summary>Drops bits already looked at.</summary>
        public void Skip(int count)
        {
            _bits <<= count;
            _bitCount -= count;
        }

        /// <summary>Takes the next <paramref name="count"/> bits (1 to 32).</summary>
        public int Take(int count)
        {
            if (_bitCount < count)
            {
                Fill();
            }

            int value = Peek(count);
            Skip(count);
            return value;
        }

        /// <summary>A size-category difference (T.81 F.2.2.1 EXTEND) of <paramref name="size"/> bits, 1 to 16.</summary>
        public int TakeDifference(int size)
        {
            int value = Take(size);
            return value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;
        }

        /// <summary>A corrupt-data error naming the file and frame.</summary>
        public CocoToolsException Bad(string problem) => new CocoToolsException("PixelDataCorrupt", FailureKind.InvalidData, $"{Where}: {problem}.");
    }

    /// <summary>A canonical Huffman table (T.81 Annex C): a 9-bit lookup for short codes, the max-code method of Annex F for long ones.</summary>
    internal sealed class JpegHuffmanTable
    {
        private const int LookupBits = 9;
        private readonly int[] _maxCode = new int[18];
        private readonly int[] _valueOffset = new int[17];
        private readonly byte[] _symbols;
        private readonly short[] _lookup = new short[1 << LookupBits];

        public JpegHuffmanTable(int[] counts, byte[] symbols)
        {
            _symbols = symbols;
            int code = 0, k = 0;
            for (int length = 1; length <= 16; length++)
            {
                _valueOffset[length] = k - code;
                for (int i = 0; i < counts[length]; i++, code++, k++)
                {
                    if (length <= LookupBits)
                    {
                        // Every LookupBits-bit pattern that starts with this code: length in the high byte, symbol below.
                        int first = code << (LookupBits - length), n = 1 << (LookupBits - length);
                        for (int j = 0; j < n && first + j < _lookup.Length; j++)
                        {
                            _lookup[first + j] = (short)((length << 8) | symbols[k]);
                        }
                    }
                }

                _maxCode[length] = counts[length] > 0 ? code - 1 : -1;
                code <<= 1;
            }

            _maxCode[17] = int.MaxValue;
        }

        /// <summary>The next symbol, or -1 (16 bits taken) for a code the table does not define. Needs 16 bits filled.</summary>
        public int Decode(JpegReader reader)
        {
            int entry = _lookup[reader.Peek(LookupBits)];
            if (entry != 0)
            {
                reader.Skip(entry >> 8);
                return entry & 0xFF;
            }

            int bits = reader.Peek(16);
            for (int length = LookupBits + 1; length <= 16; length++)
            {
                int code = bits >> (16 - length);
                if (_maxCode[length] >= 0 && code <= _maxCode[length])
                {
                    reader.Skip(length);
                    int index = code + _valueOffset[length];
                    return index >= 0 && index < _symbols.Length ? _symbols[index] : -1;
                }
            }

            reader.Skip(16);
            return -1;
        }
    }
}
