using System;

namespace CocoTools.Engine
{
    /// <summary>What kind of failure an engine exception reports; the cmdlets map it to an ErrorCategory.</summary>
    public enum FailureKind
    {
        /// <summary>The input's content is malformed (bad JSON, a corrupt DICOM file, a bad CSV row).</summary>
        InvalidData,
        /// <summary>A value is of the wrong type or out of range for its field.</summary>
        InvalidArgument,
        /// <summary>The input is valid but uses something this version does not support.</summary>
        NotImplemented,
        /// <summary>A referenced file, image, category or annotation does not exist.</summary>
        ObjectNotFound,
        /// <summary>Two things claim the same identity (duplicate ids, file names).</summary>
        ResourceExists,
        /// <summary>Reading or writing a file failed.</summary>
        WriteError,
        /// <summary>Reading a file failed.</summary>
        ReadError,
        /// <summary>The input exceeds a safety limit (size, depth, count).</summary>
        LimitsExceeded,
    }

    /// <summary>
    /// The one exception type the engine throws for bad input. Carries a stable <see cref="ErrorId"/>
    /// (for scripts and logs), a <see cref="Kind"/> and, where known, the file and location.
    /// </summary>
    public class CocoToolsException : Exception
    {
        /// <summary>Creates an exception with a stable error id and a message that says what to do.</summary>
        public CocoToolsException(string errorId, FailureKind kind, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
        }

        /// <summary>Stable identifier such as <c>JsonSyntax</c> or <c>DicomTruncated</c>.</summary>
        public string ErrorId { get; }

        /// <summary>The kind of failure.</summary>
        public FailureKind Kind { get; }

        /// <summary>The file the problem is in, when the input was a file.</summary>
        public string? SourcePath { get; init; }

        /// <summary>What the problem is about (a row number, an annotation id); shown to users as the error target.</summary>
        public object? Target { get; init; }
    }
}
