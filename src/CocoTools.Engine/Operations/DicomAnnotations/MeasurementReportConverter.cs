using System;
using System.Collections.Generic;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>Structured Reports carrying a TID 1500 Measurement Report: measurement groups to annotations.</summary>
    public sealed class MeasurementReportConverter : IDicomAnnotationConverter
    {
        private static readonly HashSet<string> SopClasses = new HashSet<string>(StringComparer.Ordinal)
        {
            "1.2.840.10008.5.1.4.1.1.88.22", // Enhanced SR
            "1.2.840.10008.5.1.4.1.1.88.33", // Comprehensive SR
            "1.2.840.10008.5.1.4.1.1.88.34", // Comprehensive 3D SR
            "1.2.840.10008.5.1.4.1.1.88.35", // Extensible SR
        };

        /// <inheritdoc />
        public string ObjectKind => "SR";

        /// <inheritdoc />
        public bool CanConvert(string sopClassUid) => SopClasses.Contains(sopClassUid);

        /// <inheritdoc />
        public DicomConversion Convert(DicomHeader header, DicomAnnotationContext context) =>
            throw new DicomAnnotationException(DicomAnnotationErrorKind.Unsupported, header.SourcePath ?? "<stream>", null, "Structured Reports are recognised but not converted by this build.");
    }
}
