using System;
using System.IO;

namespace CocoTools.Engine.Tests.Support
{
    /// <summary>Where the repository, its samples and the shared read-only data are.</summary>
    internal static class TestPaths
    {
        private static readonly Lazy<string> RepoRootLazy = new Lazy<string>(() =>
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CocoTools.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (CocoTools.sln) above " + AppContext.BaseDirectory);
        });

        public static string RepoRoot => RepoRootLazy.Value;

        public static string Shared =>
            Environment.GetEnvironmentVariable("COCOTOOLS_SHARED") is string s && s.Length > 0
                ? s
                : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

        public static string Samples => Path.Combine(RepoRoot, "samples");

        public static string SeedSample => Path.Combine(Samples, "viewer", "seed-export-sample.json");

        public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");
    }

    /// <summary>A fresh folder under the system temp folder, deleted afterwards.</summary>
    internal sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cocotools-test-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public string Write(string name, string content)
        {
            var path = File(name);
            System.IO.File.WriteAllText(path, content);
            return path;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
