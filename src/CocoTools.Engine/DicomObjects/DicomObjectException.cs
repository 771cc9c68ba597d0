namespace CocoTools.Engine.DicomObjects
{
    /// <summary>
    /// A DICOM annotation object (RTSTRUCT, SR) is broken or inconsistent: the whole object is refused, so nothing of it
    /// is half-added. <see cref="CocoToolsException.ErrorId"/> is <c>DicomAnnotationObjectInvalid</c>; <see cref="Item"/>
    /// names the item (e.g. "ROI Contour Sequence item 2, Contour Sequence item 5" or "content item 1.4.2").
    /// </summary>
    public sealed class DicomObjectException : CocoToolsException
    {
        /// <summary>The error id of every instance.</summary>
        public const string InvalidObjectErrorId = "DicomAnnotationObjectInvalid";

        /// <summary>Creates the exception; the message is prefixed with the file and the item.</summary>
        public DicomObjectException(string? sourcePath, string item, string problem)
            : base(InvalidObjectErrorId, FailureKind.InvalidData, $"{sourcePath ?? "<data set>"}: {item}: {problem}")
        {
            SourcePath = sourcePath;
            Item = item;
            Problem = problem;
            Target = item;
        }

        /// <summary>Where in the object the problem is.</summary>
        public string Item { get; }

        /// <summary>What is wrong, without the file and item.</summary>
        public string Problem { get; }
    }
}
