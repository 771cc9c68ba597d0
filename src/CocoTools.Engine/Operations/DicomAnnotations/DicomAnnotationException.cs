namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>Why an annotation object, or an item of it, could not be used.</summary>
    public enum DicomAnnotationErrorKind
    {
        /// <summary>The image an item refers to is not in the dataset.</summary>
        ImageMissing,
        /// <summary>A SEG frame's size differs from its source image's.</summary>
        FrameSizeMismatch,
        /// <summary>A contour or point lies off the plane of the image it names.</summary>
        OffPlane,
        /// <summary>The object is inconsistent or malformed (a missing required attribute, a reference to nothing).</summary>
        Broken,
        /// <summary>The file or its pixel data ends early.</summary>
        Truncated,
        /// <summary>The object uses something CocoTools does not convert (a compressed SEG, a SOP class without a converter).</summary>
        Unsupported,
        /// <summary>An item names no image and none of the dataset's images holds it.</summary>
        NotPlaceable,
        /// <summary>The file cannot be read.</summary>
        ReadFailed,
    }

    /// <summary>
    /// A problem that spoils one annotation object: nothing of it is added. Names the file and the item; the
    /// <see cref="CocoToolsException.ErrorId"/> is <c>DicomAnnotation</c> followed by the kind.
    /// </summary>
    public sealed class DicomAnnotationException : CocoToolsException
    {
        /// <summary>Creates the exception; the message is prefixed with the file.</summary>
        public DicomAnnotationException(DicomAnnotationErrorKind errorKind, string sourcePath, string? item, string message, System.Exception? inner = null)
            : base("DicomAnnotation" + errorKind, KindOf(errorKind), sourcePath + ": " + (item == null ? string.Empty : item + ": ") + message, inner)
        {
            ErrorKind = errorKind;
            Item = item;
            SourcePath = sourcePath;
            Target = sourcePath;
        }

        /// <summary>The kind of problem.</summary>
        public DicomAnnotationErrorKind ErrorKind { get; }

        /// <summary>Runs a reader of annotation objects (DicomObjects/), turning the problem it reports into this exception.</summary>
        internal static T Reading<T>(string sourcePath, System.Func<T> read)
        {
            try
            {
                return read();
            }
            catch (CocoTools.Engine.DicomObjects.DicomObjectException e)
            {
                throw From(e, sourcePath);
            }
        }

        /// <summary>The same problem as a reader of annotation objects (DicomObjects/) reported it, with its kind.</summary>
        internal static DicomAnnotationException From(CocoTools.Engine.DicomObjects.DicomObjectException e, string sourcePath) => new DicomAnnotationException(
            e.Problem switch
            {
                CocoTools.Engine.DicomObjects.DicomObjectProblem.Truncated => DicomAnnotationErrorKind.Truncated,
                CocoTools.Engine.DicomObjects.DicomObjectProblem.Unsupported => DicomAnnotationErrorKind.Unsupported,
                _ => DicomAnnotationErrorKind.Broken,
            },
            sourcePath,
            e.Item,
            e.Detail,
            e);

        /// <summary>The item the problem is in ("frame 3"), when it is one item.</summary>
        public string? Item { get; }

        private static FailureKind KindOf(DicomAnnotationErrorKind kind) => kind switch
        {
            DicomAnnotationErrorKind.ImageMissing => FailureKind.ObjectNotFound,
            DicomAnnotationErrorKind.Unsupported => FailureKind.NotImplemented,
            DicomAnnotationErrorKind.ReadFailed => FailureKind.ReadError,
            _ => FailureKind.InvalidData,
        };
    }
}
