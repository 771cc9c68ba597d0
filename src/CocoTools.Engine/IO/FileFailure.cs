using System;
using System.IO;

namespace CocoTools.Engine.IO
{
    /// <summary>
    /// The one mapping from a .NET file-system exception to the engine's own: readers and writers catch
    /// <see cref="IOException"/> and <see cref="UnauthorizedAccessException"/> (<see cref="Is"/>) and throw what these
    /// return, so a cmdlet sees only <see cref="CocoToolsException"/> with an error id, a kind and the path.
    /// </summary>
    public static class FileFailure
    {
        /// <summary>True for the exceptions a file-system call throws for a path it cannot use.</summary>
        public static bool Is(Exception e) => e is IOException || e is UnauthorizedAccessException;

        /// <summary>A failed read of <paramref name="path"/>: FileNotFound (it or its folder is missing) or FileReadFailed.</summary>
        public static CocoToolsException Read(string path, Exception e)
        {
            bool missing = e is FileNotFoundException || e is DirectoryNotFoundException;
            return new CocoToolsException(missing ? "FileNotFound" : "FileReadFailed", missing ? FailureKind.ObjectNotFound : FailureKind.ReadError, $"{path}: {e.Message}", e) { SourcePath = path };
        }

        /// <summary>A failed write of <paramref name="path"/>: FileWriteFailed.</summary>
        public static CocoToolsException Write(string path, Exception e) =>
            new CocoToolsException("FileWriteFailed", FailureKind.WriteError, $"{path}: {e.Message}", e) { SourcePath = path };
    }
}
