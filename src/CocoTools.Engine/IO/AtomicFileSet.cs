using System;
using System.Collections.Generic;
using System.IO;

namespace CocoTools.Engine.IO
{
    /// <summary>
    /// Writes several files into one folder as a set, all-or-nothing: every file is written into a temporary folder
    /// inside the target folder, and only when all are complete is the set committed. Committing renames the
    /// temporary folder to a commit folder (one atomic rename: from then on the new set is decided), then moves each
    /// file into place and removes the commit folder. A kill before the commit leaves the old set and a temporary
    /// folder that the next write into the folder removes; a kill during the moves leaves a commit folder that the next
    /// set written into the folder (or <see cref="Recover"/>) completes first, so the folder ends with the whole new set.
    /// </summary>
    public sealed class AtomicFileSet : IDisposable
    {
        /// <summary>The suffix of a committed set's folder (not a <see cref="TempFiles.Suffix"/>: it must not be swept, but completed).</summary>
        public const string CommitSuffix = ".commit";

        private readonly string _directory;
        private readonly List<string> _names = new List<string>();
        private string? _temp;

        /// <summary>Starts a set in <paramref name="directory"/> (created when missing): stale temporaries are removed and interrupted commits completed first.</summary>
        public AtomicFileSet(string directory, string setName)
        {
            _directory = Path.GetFullPath(directory);
            try
            {
                Directory.CreateDirectory(_directory);
                Recover(_directory);
                TempFiles.NewRun();
                TempFiles.RemoveStale(_directory);
                _temp = Path.Combine(_directory, TempFiles.NameFor(setName));
                Directory.CreateDirectory(_temp);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException("OutputFolderFailed", FailureKind.WriteError, $"{_directory}: cannot prepare the folder: {e.Message}", e) { SourcePath = _directory };
            }
        }

        /// <summary>The full path the file will have once the set is committed.</summary>
        public string FinalPath(string fileName) => SafeFileName.PathIn(_directory, fileName);

        /// <summary>Writes one file of the set (into the temporary folder); <paramref name="fileName"/> must be a plain file name.</summary>
        public void Add(string fileName, Action<Stream> write)
        {
            string temp = _temp ?? throw new InvalidOperationException("The set was already committed.");
            string path = SafeFileName.PathIn(temp, fileName);
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    write(stream);
                    stream.Flush(true);
                }
            }
            catch (Exception e) when (FileFailure.Is(e))
            {
                throw FileFailure.Write(FinalPath(fileName), e);
            }

            _names.Add(fileName);
            TestHangPoint.Reach("fileset-written");
        }

        /// <summary>
        /// Puts the whole set in place. With <paramref name="noClobber"/>, refuses (writing nothing) when any file of the
        /// set exists. Returns the final paths.
        /// </summary>
        public IReadOnlyList<string> Commit(bool noClobber)
        {
            string temp = _temp ?? throw new InvalidOperationException("The set was already committed.");
            var paths = new List<string>();
            foreach (var name in _names)
            {
                string final = FinalPath(name);
                if (noClobber && File.Exists(final))
                {
                    throw new CocoToolsException("FileExists", FailureKind.ResourceExists, $"{final} already exists and -NoClobber was given; none of the set was written.") { SourcePath = final };
                }

                paths.Add(final);
            }

            string commit = temp.Substring(0, temp.Length - TempFiles.Suffix.Length) + CommitSuffix;
            try
            {
                Directory.Move(temp, commit);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException("FileWriteFailed", FailureKind.WriteError, $"{_directory}: cannot commit the new files: {e.Message}", e) { SourcePath = _directory };
            }

            _temp = null;
            TestHangPoint.Reach("fileset-committed");
            try
            {
                MoveIntoPlace(commit, _directory);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException("FileWriteFailed", FailureKind.WriteError, $"{_directory}: the new files were written but not all moved into place ({e.Message}); the next write into the folder completes the move.", e) { SourcePath = _directory };
            }

            return paths;
        }

        /// <summary>Removes the temporary folder of a set that was not committed.</summary>
        public void Dispose()
        {
            if (_temp != null)
            {
                try
                {
                    Directory.Delete(_temp, recursive: true);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                }

                _temp = null;
            }
        }

        /// <summary>
        /// Completes the sets committed into <paramref name="directory"/> by a process that was killed while moving
        /// their files into place. Returns how many were completed.
        /// </summary>
        public static int Recover(string directory)
        {
            int completed = 0;
            if (!Directory.Exists(directory))
            {
                return 0;
            }

            foreach (var folder in new DirectoryInfo(directory).EnumerateDirectories("." + "*" + TempFiles.Marker + "*" + CommitSuffix))
            {
                // A commit of a process that still runs is that process's to finish.
                if (!TempFiles.IsOrphan(folder.Name))
                {
                    continue;
                }

                try
                {
                    MoveIntoPlace(folder.FullName, directory);
                    completed++;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                }
            }

            return completed;
        }

        private static void MoveIntoPlace(string commit, string directory)
        {
            foreach (var file in Directory.GetFiles(commit))
            {
                string target = Path.Combine(directory, Path.GetFileName(file));
                if (File.Exists(target))
                {
                    File.Replace(file, target, null, ignoreMetadataErrors: true);
                }
                else
                {
                    File.Move(file, target);
                }

                TestHangPoint.Reach("fileset-moved");
            }

            Directory.Delete(commit, recursive: true);
        }
    }
}
