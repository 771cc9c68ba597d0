using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>RT Structure Set Storage (1.2.840.10008.5.1.4.1.1.481.3): ROI contours to polygons, masks and keypoints.</summary>
    public sealed class RtStructureSetConverter : IDicomAnnotationConverter
    {
        /// <summary>RT Structure Set Storage.</summary>
        public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.481.3";

        /// <inheritdoc />
        public string ObjectKind => "RTSTRUCT";

        /// <inheritdoc />
        public bool CanConvert(string sopClassUid) => sopClassUid == SopClassUid;

        /// <inheritdoc />
        public DicomConversion Convert(DicomHeader header, DicomAnnotationContext context) =>
            throw new DicomAnnotationException(DicomAnnotationErrorKind.Unsupported, header.SourcePath ?? "<stream>", null, "RT Structure Sets are recognised but not converted by this build.");
    }
}
