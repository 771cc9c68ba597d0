using System.Collections.Generic;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>
    /// The converters the importer tries, in order: the one place a new kind of annotation object is registered.
    /// </summary>
    public static class DicomAnnotationConverters
    {
        /// <summary>SEG (Segmentation, Label Map Segmentation), RTSTRUCT, SR (TID 1500 measurement reports).</summary>
        public static IReadOnlyList<IDicomAnnotationConverter> All { get; } = new IDicomAnnotationConverter[]
        {
            new SegmentationConverter(),
            new RtStructureSetConverter(),
            new MeasurementReportConverter(),
        };
    }
}
