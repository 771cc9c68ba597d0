using System;
using System.IO;

namespace CocoTools.Engine.IO
{
    /// <summary>
    /// Writes a file all-or-nothing: the content goes to a temporary file beside the target, which is renamed
    /// over the target only when complete. A failure part-way leaves any previous file untouched; a kill part-way
    /// leaves a temporary file named by <see cref="TempFiles"/>, which the next write into the folder removes. The
    /// rename replaces a symbolic link at the target; it never writes through it.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>Lets <c>-Force</c> replace a read-only file: clears the attribute when the file exists and has it.</summary>
        public static void ClearReadOnly(string path)
        {
            if (File.Exists(path) && new FileInfo(path) is { IsReadOnly: true } info)
            {
                info.IsReadOnly = false;
            }
        }

        /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; creates missing parent folders.</summary>
        /// <param name="path">Full path of the target file.</param>
        /// <param name="write">Writes the content; may throw, in which case nothing is replaced.</param>
        /// <param name="noClobber">Refuse (before writing anything) when the target exists.</param>
        public static void Write(string path, Action<Stream> write, bool noClobber = false)
        {
            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new CocoToolsException("InvalidOutputPath", FailureKind.InvalidArgument, $"'{path.Replace("\0", "\\0")}' cannot be a file path: {e.Message}", e) { SourcePath = path };
            }

            string directory = Path.GetDirectoryName(full) ?? throw new CocoToolsException("InvalidOutputPath", FailureKind.InvalidArgument, $"'{path}' has no folder.") { SourcePath = path };
            if (noClobber && File.Exists(full))
            {
                throw Exists(full);
            }

            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException("OutputFolderFailed", FailureKind.WriteError, $"{directory}: cannot create the folder: {e.Message}", e) { SourcePath = full };
            }

            TempFiles.RemoveStale(directory);
            string temp = Path.Combine(directory, TempFiles.NameFor(Path.GetFileName(full)));
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    TestHangPoint.Reach("atomic-file-created");
                    write(stream);
                    stream.Flush(true);
                }

                TestHangPoint.Reach("atomic-file-written");

                if (File.Exists(full))
                {
                    if (noClobber)
                    {
                        throw Exists(full);
                    }

                    File.Replace(temp, full, null, ignoreMetadataErrors: true);
                }
                else
                {
                    File.Move(temp, full);
                }
            }
            catch (Exception e)
            {
                TryDelete(temp);
                if (FileFailure.Is(e))
                {
                    throw FileFailure.Write(full, e);
                }

                throw;
            }
        }

        private static CocoToolsException Exists(string path) =>
            new CocoToolsException("FileExists", FailureKind.ResourceExists, $"{path} already exists and -NoClobber was given.") { SourcePath = path };

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
