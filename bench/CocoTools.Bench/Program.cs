using System;
using System.Diagnostics;
using BenchmarkDotNet.Running;
using CocoTools.Engine.Coco.Json;

// Usage: CocoTools.Bench once import <file> | once roundtrip <in> <out> | BenchmarkDotNet arguments

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

                default:
                    Console.Error.WriteLine($"unknown operation {operation}");
                    return 2;
            }

            Console.WriteLine($"RESULT\t{clock.Elapsed.TotalSeconds:F3}\t{result}; GC pause {GC.GetTotalPauseDuration().TotalSeconds:F3} s, allocated {GC.GetTotalAllocatedBytes() >> 20} MiB");
            return 0;
        }
    }
}
