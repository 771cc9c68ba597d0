namespace CocoTools.Engine.Dicom
{
    /// <summary>
    /// A file is not DICOM, or is truncated or corrupt. <see cref="CocoToolsException.ErrorId"/> is one of
    /// <c>NotDicom</c>, <c>DicomTruncated</c>, <c>DicomCorrupt</c>, <c>DicomUnsupported</c>; the message says
    /// where (byte offset, element) and what was found.
    /// </summary>
    public sealed class DicomException : CocoToolsException
    {
        /// <summary>Creates the exception.</summary>
        public DicomException(string errorId, string message, string? sourcePath, long offset, System.Exception? inner = null)
            : base(errorId, errorId.EndsWith("Unsupported", System.StringComparison.Ordinal) ? FailureKind.NotImplemented : FailureKind.InvalidData, (sourcePath ?? "<stream>") + ": " + message, inner)
        {
            SourcePath = sourcePath;
            Offset = offset;
        }

        /// <summary>Byte offset in the file where the problem is.</summary>
        public long Offset { get; }
    }
}
