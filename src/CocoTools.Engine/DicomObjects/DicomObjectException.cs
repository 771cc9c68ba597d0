namespace CocoTools.Engine.DicomObjects
{
    /// <summary>What is wrong with an annotation object as read.</summary>
    public enum DicomObjectProblem
    {
        /// <summary>Inconsistent or missing what the standard requires.</summary>
        Broken,
        /// <summary>Ends early.</summary>
        Truncated,
        /// <summary>Valid but not read by CocoTools.</summary>
        Unsupported,
    }

    /// <summary>An annotation object (SEG, RTSTRUCT, SR) that cannot be read as the standard defines it.</summary>
    public sealed class DicomObjectException : CocoToolsException
    {
        /// <summary>Creates the exception; the message is prefixed with the file and the item.</summary>
        public DicomObjectException(DicomObjectProblem problem, string sourcePath, string? item, string message)
            : base("DicomObject" + problem, problem == DicomObjectProblem.Unsupported ? FailureKind.NotImplemented : FailureKind.InvalidData, sourcePath + ": " + (item == null ? string.Empty : item + ": ") + message)
        {
            Problem = problem;
            Item = item;
            Detail = message;
            SourcePath = sourcePath;
            Target = sourcePath;
        }

        /// <summary>What kind of problem.</summary>
        public DicomObjectProblem Problem { get; }

        /// <summary>The item ("frame 3", "segment 2"), when the problem is in one.</summary>
        public string? Item { get; }

        /// <summary>The message without the file and item.</summary>
        public string Detail { get; }
    }
}
