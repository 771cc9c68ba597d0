using System;
using System.IO;
using SharpFuzz;

namespace CocoTools.Fuzz
{
    /// <summary>
    /// <c>CocoTools.Fuzz &lt;target&gt;</c> under afl-fuzz (input on stdin, instrumented engine), or
    /// <c>CocoTools.Fuzz &lt;target&gt; &lt;file&gt;...</c> to run inputs once (for reproducing a finding).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0 || !FuzzTargets.Targets.ContainsKey(args[0]))
            {
                Console.Error.WriteLine($"usage: CocoTools.Fuzz <target> [file...]; targets: {string.Join(", ", FuzzTargets.Targets.Keys)}");
                return 2;
            }

            string target = args[0];
            if (args.Length > 1)
            {
                FuzzTargets.UseFuzzLimits();
                for (int i = 1; i < args.Length; i++)
                {
                    FuzzTargets.Run(target, File.ReadAllBytes(args[i]));
                    Console.WriteLine($"{args[i]}: ok");
                }

                return 0;
            }

            // Instrumented engine code may run only inside Run (its coverage map is set up there), so the limits too.
            Fuzzer.OutOfProcess.Run(stream =>
            {
                FuzzTargets.UseFuzzLimits();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                FuzzTargets.Run(target, copy.ToArray());
            });
            return 0;
        }
    }
}
