using System;
using BenchmarkDotNet.Attributes;
using CocoTools.Engine.Masks;

namespace CocoTools.Bench
{
    /// <summary>The mask engine's inner operations on one COCO-sized polygon (32 vertices, about 300 x 250 px on a 640 x 480 image).</summary>
    [MemoryDiagnoser]
    [ShortRunJob]
    public class MaskBenchmarks
    {
        private double[] _polygon = Array.Empty<double>();
        private Rle _rle = new Rle(1, 1, new uint[] { 1 });
        private Rle _other = new Rle(1, 1, new uint[] { 1 });
        private string _compressed = string.Empty;
        private byte[] _buffer = Array.Empty<byte>();

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(5);
            _polygon = new double[64];
            for (int v = 0; v < 32; v++)
            {
                double angle = 2 * Math.PI * v / 32, r = 100 + random.NextDouble() * 50;
                _polygon[2 * v] = Math.Round(320 + r * Math.Cos(angle), 2);
                _polygon[(2 * v) + 1] = Math.Round(240 + r * 0.8 * Math.Sin(angle), 2);
            }

            _rle = PolygonRasterizer.FromPolygon(_polygon, 480, 640);
            _other = PolygonRasterizer.FromBox(250, 200, 200, 150, 480, 640);
            _compressed = _rle.ToCompressedString();
            _buffer = new byte[480 * 640];
        }

        [Benchmark]
        public int PolygonToRle() => PolygonRasterizer.FromPolygon(_polygon, 480, 640).RunCount;

        [Benchmark]
        public int PolygonToCompressedRle() => PolygonRasterizer.CompressedFromPolygon(_polygon, 480, 640).Length;

        [Benchmark]
        public int Union() => RleSetOperations.Merge(new[] { _rle, _other }).RunCount;

        [Benchmark]
        public bool Decode() => _rle.TryDecode(_buffer);

        [Benchmark]
        public int CompressedStringRoundTrip() => Rle.FromCompressedString(_compressed, 480, 640).RunCount;
    }
}
