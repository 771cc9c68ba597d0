using System.IO;
using BenchmarkDotNet.Attributes;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;

namespace CocoTools.Bench
{
    /// <summary>COCO JSON read and write on a 2,000-image, 12,000-annotation slice of the synthetic generator's shape.</summary>
    [MemoryDiagnoser]
    [ShortRunJob]
    public class JsonBenchmarks
    {
        private byte[] _json = System.Array.Empty<byte>();
        private CocoDataset _dataset = new CocoDataset();

        [GlobalSetup]
        public void Setup()
        {
            _json = SyntheticCoco.Generate(images: 2000, annotations: 12000);
            _dataset = CocoJsonReader.Read(new MemoryStream(_json), null);
        }

        [Benchmark]
        public int Read() => CocoJsonReader.Read(new MemoryStream(_json), null).Annotations.Count;

        [Benchmark]
        public long Write()
        {
            var stream = new MemoryStream();
            CocoJsonWriter.Write(_dataset, stream, new CocoWriteOptions { Indented = false });
            return stream.Length;
        }
    }
}
