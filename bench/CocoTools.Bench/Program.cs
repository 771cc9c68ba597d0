using System;
using System.Diagnostics;
using BenchmarkDotNet.Running;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Operations;

// Usage: CocoTools.Bench once import <file> | once maskpng <file> [images] | once roundtrip <in> <out> | once masks <file> | once validate <file> | once scan <folder> [threads] | BenchmarkDotNet arguments

namespace CocoTools.Bench
{
    /// <summary>
    /// <c>once &lt;operation&gt; &lt;file&gt;</c> runs one end-to-end operation in a fresh process (cold, as a user sees
    /// it) and prints its wall time; peak memory is read by the caller (GNU time). Anything else goes to
    /// BenchmarkDotNet.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length >= 3 && args[0] == "once")
            {
                return Once(args[1], args[2..]);
            }

            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }

        /// <summary>Every .dcm of a folder to a windowed 8-bit PNG (the file's window, else min-max), as Export-CocoImage does, with the given parallelism.</summary>
        private static int Png(string folder, string output, int threads)
        {
            var files = System.IO.Directory.GetFiles(folder, "*.dcm");
            Array.Sort(files, StringComparer.Ordinal);
            System.IO.Directory.CreateDirectory(output);
            var clock = Stopwatch.StartNew();
            System.Threading.Tasks.Parallel.For(0, files.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                var header = CocoTools.Engine.Pixels.FrameDecoder.ReadWithPixels(files[i]);
                var layout = CocoTools.Engine.Pixels.PixelLayout.Of(header);
                var samples = new uint[layout.SamplesPerFrame];
                string photometric = CocoTools.Engine.Pixels.FrameDecoder.Decode(header, layout, 0, samples);
                var frame = CocoTools.Engine.Pixels.FrameRenderer.Render(header, layout, photometric, samples, new CocoTools.Engine.Pixels.RenderOptions());
                using var stream = System.IO.File.Create(System.IO.Path.Combine(output, System.IO.Path.GetFileNameWithoutExtension(files[i]) + ".png"));
                CocoTools.Engine.Operations.ImageExporter.Save(frame, stream);
            });
            double seconds = clock.Elapsed.TotalSeconds;
            long size = 0;
            foreach (var png in System.IO.Directory.GetFiles(output, "*.png"))
            {
                size += new System.IO.FileInfo(png).Length;
            }

            Console.WriteLine($"RESULT\t{seconds:F3}\t{files.Length} files, {threads} thread(s), {size / Math.Max(1, files.Length) / 1024} KiB per PNG; {GcFacts()}");
            return 0;
        }

        /// <summary>The collector's mode and what this process allocated and collected so far (issue 21: why a second thread gave nothing).</summary>
        private static string GcFacts() =>
            $"GC server {System.Runtime.GCSettings.IsServerGC}, latency {System.Runtime.GCSettings.LatencyMode}, allocated {GC.GetTotalAllocatedBytes() >> 20} MiB, " +
            $"collections gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalSeconds:F3} s, {Environment.ProcessorCount} processor(s)";

        /// <summary>
        /// The dataset operations of issue 9 on one loaded file, each timed alone: queries, statistics, merge, split,
        /// remove and rename (on copies, so each starts from the same dataset).
        /// </summary>
        private static int Operations(string path)
        {
            var dataset = CocoJsonReader.ReadFile(path);
            string category = dataset.Categories[0].Name;
            void Time(string key, System.Func<string> work)
            {
                var clock = Stopwatch.StartNew();
                string detail = work();
                Console.WriteLine($"RESULT-{key}\t{clock.Elapsed.TotalSeconds:F3}\t{detail}");
            }

            Time("QUERY", () => $"{System.Linq.Enumerable.Count(CocoTools.Engine.Operations.DatasetQuery.Images(dataset, new CocoTools.Engine.Operations.ImageFilter { Category = new[] { category }, FileName = new[] { "*1*" } }))} images, " +
                $"{System.Linq.Enumerable.Count(CocoTools.Engine.Operations.DatasetQuery.Annotations(dataset, new CocoTools.Engine.Operations.AnnotationFilter { Category = new[] { category } }))} annotations");
            Time("STATISTICS", () => CocoTools.Engine.Operations.CocoStatistics.Of(dataset).PerCategory.Count + " categories");
            Time("MERGE", () => CocoTools.Engine.Operations.DatasetMerger.Merge(new[] { dataset, dataset }).Merged.ToString());
            Time("SPLIT", () => string.Join("; ", System.Linq.Enumerable.Select(CocoTools.Engine.Operations.DatasetSplitter.Split(dataset, new CocoTools.Engine.Operations.DatasetSplitOptions { Stratify = true }), d => d.Images.Count)));
            var copy = CocoTools.Engine.Operations.DatasetMerger.Merge(new[] { dataset }).Merged;
            Time("REMOVE", () => CocoTools.Engine.Operations.DatasetEdits.RemoveAnnotations(copy, CocoTools.Engine.Operations.DatasetQuery.Annotations(copy, new CocoTools.Engine.Operations.AnnotationFilter { Category = new[] { category } })) + " removed");
            Time("RENAME", () => CocoTools.Engine.Operations.DatasetEdits.RenameCategory(copy, copy.Categories[1].Name, copy.Categories[2].Name, merge: true).ToString());
            return 0;
        }

        /// <summary>DICOM header scan of every file under a folder, with the given parallelism (ImageScanner.Scan per file).</summary>
        private static int Scan(string folder, int threads)
        {
            var files = System.IO.Directory.GetFiles(folder, "*", System.IO.SearchOption.AllDirectories);
            Array.Sort(files, StringComparer.Ordinal);
            var clock = Stopwatch.StartNew();
            long pixels = 0;
            System.Threading.Tasks.Parallel.For(0, files.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = threads }, () => 0L, (i, _, sum) =>
            {
                var header = CocoTools.Engine.Dicom.DicomReader.ReadHeader(files[i]);
                return sum + ((long)(header.Rows ?? 0) * (header.Columns ?? 0));
            }, sum => System.Threading.Interlocked.Add(ref pixels, sum));
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"RESULT\t{seconds:F3}\t{files.Length} files, {files.Length / seconds:F0} files/s, {threads} thread(s)");
            return 0;
        }

        /// <summary>
        /// What pycocotools' <c>merge(frPyObjects(...))</c> loop does, end to end: polygons to one compressed RLE per
        /// annotation (kept as ASCII bytes, as pycocotools keeps its bytes), then each decoded from them to a full mask.
        /// </summary>
        private static int Masks(string path)
        {
            var ds = CocoJsonReader.ReadFile(path);
            var clock = Stopwatch.StartNew();
            var rles = new (byte[] Counts, int H, int W)[ds.Annotations.Count];
            for (int i = 0; i < rles.Length; i++)
            {
                var a = ds.Annotations[i];
                var image = ds.Images.Find(a.ImageId)!;
                rles[i] = (AnnotationGeometry.ToCompressedRle(a, image)!, image.Height!.Value, image.Width!.Value);
            }

            double encode = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"RESULT-ENCODE\t{encode:F3}\t{rles.Length} annotations; GC pause {GC.GetTotalPauseDuration().TotalSeconds:F3} s, allocated {GC.GetTotalAllocatedBytes() >> 20} MiB");
            clock.Restart();
            long pixels = 0;
            byte[] buffer = Array.Empty<byte>();
            foreach (var (counts, h, w) in rles)
            {
                if (buffer.Length < h * w)
                {
                    buffer = new byte[h * w];
                }

                var rle = Rle.FromCompressedBytes(counts, h, w);
                rle.TryDecode(buffer);
                pixels += rle.Area;
            }

            double decode = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"RESULT-DECODE\t{decode:F3}\t{pixels} foreground pixels");
            return 0;
        }

        private static int Once(string operation, string[] files)
        {
            var clock = Stopwatch.StartNew();
            string result;
            switch (operation)
            {
                case "import":
                    var ds = CocoJsonReader.ReadFile(files[0]);
                    result = ds.ToString();
                    break;
                case "roundtrip":
                    {
                        var data = CocoJsonReader.ReadFile(files[0]);
                        double read = clock.Elapsed.TotalSeconds;
                        clock.Restart();
                        CocoJsonWriter.WriteFile(data, files[1], new CocoWriteOptions { Indented = false });
                        result = $"wrote {data} (read took {read:F3} s)";
                        break;
                    }

                case "scan":
                    return Scan(files[0], files.Length > 1 ? int.Parse(files[1], System.Globalization.CultureInfo.InvariantCulture) : 1);
                case "masks":
                    return Masks(files[0]);
                case "png":
                    return Png(files[0], files[1], files.Length > 2 ? int.Parse(files[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
                case "maskpng":
                    return MaskPngComparison.Run(files[0], files.Length > 1 ? int.Parse(files[1], System.Globalization.CultureInfo.InvariantCulture) : 400);
                case "ops":
                    return Operations(files[0]);
                case "validate":
                    var findings = CocoTools.Engine.Validation.CocoValidator.ValidateFile(files[0], new CocoTools.Engine.Validation.CocoValidationOptions());
                    result = $"{findings.Count} findings";
                    break;
                default:
                    Console.Error.WriteLine($"unknown operation {operation}");
                    return 2;
            }

            Console.WriteLine($"RESULT\t{clock.Elapsed.TotalSeconds:F3}\t{result}; GC pause {GC.GetTotalPauseDuration().TotalSeconds:F3} s, allocated {GC.GetTotalAllocatedBytes() >> 20} MiB");
            return 0;
        }
    }
}
