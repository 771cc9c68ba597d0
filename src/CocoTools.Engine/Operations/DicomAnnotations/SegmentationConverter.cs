using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>Segmentation Storage and Label Map Segmentation Storage: one COCO annotation per (segment, source image).</summary>
    public sealed class SegmentationConverter : IDicomAnnotationConverter
    {
        /// <summary>Segmentation Storage.</summary>
        public const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";

        /// <summary>Label Map Segmentation Storage.</summary>
        public const string LabelMapSegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.7";

        /// <inheritdoc />
        public string ObjectKind => "SEG";

        /// <inheritdoc />
        public bool CanConvert(string sopClassUid) => sopClassUid == SegmentationStorage || sopClassUid == LabelMapSegmentationStorage;

        /// <inheritdoc />
        public DicomConversion Convert(DicomHeader header, DicomAnnotationContext context) =>
            throw new DicomAnnotationException(DicomAnnotationErrorKind.Unsupported, header.SourcePath ?? "<stream>", null, "Segmentations are recognised but not yet converted by this build.");
    }
}
