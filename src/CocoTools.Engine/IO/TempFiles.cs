using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace CocoTools.Engine.IO
{
    /// <summary>
    /// Names and cleans up the temporary files and folders that all-or-nothing writes use. A temporary name is
    /// recognisable and says which process on which machine made it:
    /// <c>.&lt;target&gt;.cocotools-&lt;pid&gt;@&lt;host&gt;-&lt;random&gt;.tmp</c>. A write killed part-way (kill -9, power loss)
    /// leaves one behind; the next write into the same folder removes every one of this machine whose process is gone,
    /// and, whatever its process or machine, every one older than a day.
    /// </summary>
    public static class TempFiles
    {
        /// <summary>What every temporary name contains (after the target's name).</summary>
        public const string Marker = ".cocotools-";

        /// <summary>Every temporary name ends with this.</summary>
        public const string Suffix = ".tmp";

        private static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);
        private static readonly ConcurrentDictionary<string, int> SweptInRun = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private static int _run;
        private static readonly int CurrentProcessId = Process.GetCurrentProcess().Id;

        // Liveness is only judged for this machine's temporaries: a folder shared by several machines (the shards of a
        // scale-out run) holds other hosts' writes in progress, whose process ids mean nothing here.
        private static readonly string Host = HostTag();

        /// <summary>A new temporary name for <paramref name="targetName"/> (a file or folder name, not a path), in the same folder.</summary>
        public static string NameFor(string targetName) =>
            "." + targetName + Marker + CurrentProcessId.ToString(CultureInfo.InvariantCulture) + "@" + Host + "-" + Guid.NewGuid().ToString("N").Substring(0, 12) + Suffix;

        /// <summary>
        /// Starts a new run of a writer (an export, a JSON file): the first write of the run into each folder sweeps it
        /// again, the later ones do not, so writing thousands of files into one folder scans it once.
        /// </summary>
        public static void NewRun() => System.Threading.Interlocked.Increment(ref _run);

        /// <summary>
        /// Removes stale temporary files and folders from <paramref name="directory"/>, once per folder per run (see
        /// <see cref="NewRun"/>). Returns how many were removed. Never throws: one that cannot be removed is left for
        /// the next run.
        /// </summary>
        public static int RemoveStale(string directory)
        {
            int run = System.Threading.Volatile.Read(ref _run);
            if (SweptInRun.TryGetValue(directory, out int swept) && swept == run)
            {
                return 0;
            }

            SweptInRun[directory] = run;
            var now = DateTime.UtcNow;
            int removed = 0;
            try
            {
                if (!Directory.Exists(directory))
                {
                    return 0;
                }

                foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("." + "*" + Marker + "*" + Suffix))
                {
                    if (IsStale(entry, now) && TryDelete(entry))
                    {
                        removed++;
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }

            return removed;
        }

        /// <summary>A temporary entry is stale when its process has ended, or it is older than a day.</summary>
        internal static bool IsStale(FileSystemInfo entry, DateTime nowUtc)
        {
            if (nowUtc - entry.LastWriteTimeUtc > MaxAge)
            {
                return true;
            }

            return IsOrphan(entry.Name);
        }

        /// <summary>True when the name is one of ours and the process that made it has ended.</summary>
        internal static bool IsOrphan(string name)
        {
            int? pid = ProcessIdOf(name);
            return pid != null && pid != CurrentProcessId && !IsRunning(pid.Value);
        }

        /// <summary>The process id in a temporary name, or null when the name is not one of ours.</summary>
        internal static int? ProcessIdOf(string name)
        {
            int marker = name.LastIndexOf(Marker, StringComparison.Ordinal);
            if (marker < 0)
            {
                return null;
            }

            int start = marker + Marker.Length;
            int at = name.IndexOf('@', start);
            int dash = name.LastIndexOf('-');
            if (at <= start || dash <= at || !string.Equals(name.Substring(at + 1, dash - at - 1), Host, StringComparison.Ordinal))
            {
                return null; // not ours, or another machine's
            }

            return int.TryParse(name.Substring(start, at - start), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : (int?)null;
        }

        private static string HostTag()
        {
            string host = SafeFileName.Stem(Environment.MachineName);
            return host.Length == 0 ? "host" : host.Length > 40 ? host.Substring(0, 40) : host;
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        private static bool TryDelete(FileSystemInfo entry)
        {
            try
            {
                if (entry is DirectoryInfo folder)
                {
                    folder.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }

                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Named points inside the all-or-nothing writes where a test can stop the process: when the environment variable
    /// <c>COCOTOOLS_TEST_HANG_AT</c> names the point, the process writes the file named by
    /// <c>COCOTOOLS_TEST_HANG_SIGNAL</c> and waits there forever, so a test can kill -9 it at exactly that point.
    /// Without the variable (always, outside tests) a point costs one cached string comparison.
    /// </summary>
    public static class TestHangPoint
    {
        private static readonly string? HangAt = Environment.GetEnvironmentVariable("COCOTOOLS_TEST_HANG_AT");

        /// <summary>Stops here forever when a test asked for this point.</summary>
        public static void Reach(string point)
        {
            if (HangAt == null || !string.Equals(HangAt, point, StringComparison.Ordinal))
            {
                return;
            }

            if (Environment.GetEnvironmentVariable("COCOTOOLS_TEST_HANG_SIGNAL") is string signal && signal.Length > 0)
            {
                File.WriteAllText(signal, point);
            }

            System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);
        }
    }
}
