using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace CocoTools.Engine.Tests.Support
{
    /// <summary>Runs Debian's python3 with the pycocotools oracle built from ../shared/oracles on PYTHONPATH.</summary>
    internal static class PythonOracle
    {
        private static readonly Lazy<string> PythonPathLazy = new Lazy<string>(() =>
        {
            if (Environment.GetEnvironmentVariable("COCOTOOLS_PYCOCOTOOLS") is string p && p.Length > 0 && Directory.Exists(p))
            {
                return p;
            }

            var build = Path.Combine(TestPaths.Shared, "oracles", "pycocotools", "build.sh");
            var result = Run("bash", new[] { build }, null, TimeSpan.FromMinutes(10));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("Building the pycocotools oracle failed: " + result.StdErr);
            }

            var lines = result.StdOut.Trim().Split('\n');
            return lines[lines.Length - 1].Trim();
        });

        public static string PycocotoolsPath => PythonPathLazy.Value;

        /// <summary>Runs a Python snippet with pycocotools importable; arguments follow as sys.argv[1:].</summary>
        public static ProcessResult RunPython(string script, params string[] args)
        {
            var all = new string[args.Length + 2];
            all[0] = "-c";
            all[1] = script;
            Array.Copy(args, 0, all, 2, args.Length);
            return Run("/usr/bin/python3", all, PycocotoolsPath, TimeSpan.FromMinutes(5));
        }

        public static ProcessResult Run(string file, string[] args, string? pythonPath, TimeSpan timeout)
        {
            var psi = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            if (pythonPath != null)
            {
                psi.Environment["PYTHONPATH"] = pythonPath;
            }

            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} did not finish in {timeout}.");
            }

            Task.WaitAll(stdout, stderr);
            return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);
}
