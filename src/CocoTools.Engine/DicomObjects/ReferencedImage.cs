namespace CocoTools.Engine.DicomObjects
{
    /// <summary>An image an annotation object names: its SOP Instance UID and, for multi-frame images, the 1-based frame.</summary>
    public sealed class ReferencedImage
    {
        /// <summary>Creates a reference.</summary>
        public ReferencedImage(string sopInstanceUid, int? frame)
        {
            SopInstanceUid = sopInstanceUid;
            Frame = frame;
        }

        /// <summary>Referenced SOP Instance UID.</summary>
        public string SopInstanceUid { get; }

        /// <summary>Referenced Frame Number (1-based); null when the object names no frame.</summary>
        public int? Frame { get; }

        /// <inheritdoc />
        public override string ToString() => Frame is int f ? $"{SopInstanceUid} frame {f}" : SopInstanceUid;
    }

    /// <summary>A coded concept (PS3.3 8.8): coding scheme, code value and the meaning a person reads.</summary>
    public sealed class CodedConcept
    {
        /// <summary>Creates a concept.</summary>
        public CodedConcept(string? scheme, string? value, string meaning)
        {
            Scheme = scheme;
            Value = value;
            Meaning = meaning;
        }

        /// <summary>Coding Scheme Designator (e.g. DCM, SCT, UCUM).</summary>
        public string? Scheme { get; }

        /// <summary>Code Value (or Long Code Value, or URN Code Value).</summary>
        public string? Value { get; }

        /// <summary>Code Meaning.</summary>
        public string Meaning { get; }

        /// <summary>True when this is the code <paramref name="value"/> of <paramref name="scheme"/>.</summary>
        public bool Is(string scheme, string value) =>
            string.Equals(Value, value, System.StringComparison.Ordinal) && string.Equals(Scheme, scheme, System.StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";
    }
}
