using System;
using System.IO;

namespace CocoTools.Engine.IO
{
    /// <summary>
    /// Writes a folder of files all-or-nothing: they are written into a temporary folder beside the target, which
    /// replaces the target only when complete. A failure part-way leaves any previous folder untouched.
    /// </summary>
    public static class AtomicDirectory
    {
        /// <summary>Fills a new temporary folder through <paramref name="fill"/> (given its path), then moves it to <paramref name="path"/>.</summary>
        public static void Write(string path, Action<string> fill, bool noClobber = false)
        {
            string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            string parent = Path.GetDirectoryName(full) ?? throw new ArgumentException("The path has no parent folder.", nameof(path));
            if (noClobber && Exists(full))
            {
                throw Clobber(full);
            }

            // Named as every other temporary of the module, so a later run sweeps what a killed one left.
            TempFiles.RemoveStale(parent);
            string temp = Path.Combine(parent, TempFiles.NameFor(Path.GetFileName(full)));
            string old = Path.Combine(parent, TempFiles.NameFor(Path.GetFileName(full) + ".old"));
            try
            {
                Directory.CreateDirectory(temp);
                fill(temp);
                if (File.Exists(full))
                {
                    throw new CocoToolsException("OutputIsAFile", FailureKind.ResourceExists, $"{full} is a file; the output must be a folder.") { SourcePath = full };
                }

                if (Directory.Exists(full))
                {
                    if (noClobber)
                    {
                        throw Clobber(full);
                    }

                    // Two renames: the old folder stays whole until the new one is in place.
                    Directory.Move(full, old);
                    try
                    {
                        Directory.Move(temp, full);
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        Directory.Move(old, full);
                        throw;
                    }

                    TryDelete(old);
                }
                else
                {
                    Directory.Move(temp, full);
                }
            }
            catch (Exception e)
            {
                TryDelete(temp);
                if (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new CocoToolsException("FolderWriteFailed", FailureKind.WriteError, $"{full}: {e.Message}", e) { SourcePath = full };
                }

                throw;
            }
        }

        private static bool Exists(string path) => Directory.Exists(path) || File.Exists(path);

        private static CocoToolsException Clobber(string path) =>
            new CocoToolsException("FolderExists", FailureKind.ResourceExists, $"{path} already exists and -NoClobber was given.") { SourcePath = path };

        private static void TryDelete(string path)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }
    }
}
