using System;
using BenchmarkDotNet.Attributes;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Pixels;

namespace CocoTools.Bench
{
    /// <summary>
    /// One 512 x 512 BINARY SEG frame (three ellipses, packed bits starting inside a byte, as frames of a multi-frame
    /// SEG may) to COCO RLE: straight from the packed bits (what Add-CocoAnnotation does since issue 17's speed-up)
    /// against unpacking to a pixel per value and encoding that (what it did before).
    /// </summary>
    [MemoryDiagnoser]
    [ShortRunJob]
    public class SegFrameBenchmarks
    {
        private const int Size = 512;
        private const int Offset = 3;
        private readonly PackedBitRleEncoder _packed = new PackedBitRleEncoder();
        private readonly LabelRleEncoder _labels = new LabelRleEncoder();
        private byte[] _bits = Array.Empty<byte>();
        private uint[] _samples = Array.Empty<uint>();
        private ushort[] _labelImage = Array.Empty<ushort>();

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(11);
            _bits = new byte[((Offset + (Size * Size)) / 8) + 1];
            for (int e = 0; e < 3; e++)
            {
                double cx = random.Next(100, 412), cy = random.Next(100, 412), rx = random.Next(20, 90), ry = random.Next(20, 90);
                for (int y = 0; y < Size; y++)
                {
                    for (int x = 0; x < Size; x++)
                    {
                        if (((x - cx) * (x - cx) / (rx * rx)) + ((y - cy) * (y - cy) / (ry * ry)) <= 1)
                        {
                            int bit = Offset + (y * Size) + x;
                            _bits[bit >> 3] |= (byte)(1 << (bit & 7));
                        }
                    }
                }
            }

            _samples = new uint[Size * Size];
            _labelImage = new ushort[Size * Size];
        }

        [Benchmark(Baseline = true)]
        public int UnpackThenEncode()
        {
            BitPacking.Unpack(_bits, Offset, _samples);
            for (int p = 0; p < _samples.Length; p++)
            {
                _labelImage[p] = (ushort)_samples[p];
            }

            return _labels.Encode(_labelImage, Size, Size).Count;
        }

        [Benchmark]
        public int FromPackedBits() => _packed.Encode(_bits, Offset, Size, Size)?.RunCount ?? 0;
    }
}
