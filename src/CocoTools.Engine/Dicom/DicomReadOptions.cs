namespace CocoTools.Engine.Dicom
{
    /// <summary>What a DICOM read keeps.</summary>
    public sealed class DicomReadOptions
    {
        /// <summary>Values longer than this are skipped, not loaded (their offset and length are kept). Default 1 MiB.</summary>
        public int MaxValueLength { get; set; } = 1 << 20;

        /// <summary>Also read the pixel data (native value, or the fragments of encapsulated data); a header read never does.</summary>
        public bool ReadPixelData { get; set; }
    }
}
