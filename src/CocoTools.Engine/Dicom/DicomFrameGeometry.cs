using System.Linq;

namespace CocoTools.Engine.Dicom
{
    /// <summary>
    /// Where one frame lies in the patient: Frame of Reference, Image Position and Orientation (Patient), Pixel
    /// Spacing and slice spacing. For enhanced (multi-frame) objects each value comes from the frame's Per-Frame
    /// Functional Groups (Plane Position, Plane Orientation, Pixel Measures), else the Shared Functional Groups,
    /// else the top level. Geometry, not patient data.
    /// </summary>
    public sealed class DicomFrameGeometry
    {
        private static readonly DicomTag FrameOfReferenceUidTag = new DicomTag(0x0020, 0x0052);
        private static readonly DicomTag ImagePositionPatientTag = new DicomTag(0x0020, 0x0032);
        private static readonly DicomTag ImageOrientationPatientTag = new DicomTag(0x0020, 0x0037);
        private static readonly DicomTag SliceThicknessTag = new DicomTag(0x0018, 0x0050);
        private static readonly DicomTag SpacingBetweenSlicesTag = new DicomTag(0x0018, 0x0088);
        private static readonly DicomTag PlanePositionSequence = new DicomTag(0x0020, 0x9113);
        private static readonly DicomTag PlaneOrientationSequence = new DicomTag(0x0020, 0x9116);
        private static readonly DicomTag PerFrameFunctionalGroupsSequence = new DicomTag(0x5200, 0x9230);

        private DicomFrameGeometry()
        {
        }

#pragma warning disable CS1591 // Named as the DICOM attributes they hold.
        public string? FrameOfReferenceUid { get; private set; }

        /// <summary>x, y, z in mm of the centre of the first (top-left) pixel.</summary>
        public double[]? ImagePositionPatient { get; private set; }

        /// <summary>Row direction cosines (along increasing column index), then column direction cosines.</summary>
        public double[]? ImageOrientationPatient { get; private set; }

        /// <summary>Row spacing (between rows), then column spacing (between columns), in mm.</summary>
        public double[]? PixelSpacing { get; private set; }

        public double? SliceThickness { get; private set; }

        public double? SpacingBetweenSlices { get; private set; }
#pragma warning restore CS1591

        /// <summary>The geometry of frame <paramref name="frame"/> (1-based) of a data set.</summary>
        public static DicomFrameGeometry Of(DicomDataset dataset, int frame)
        {
            var perFrame = dataset[PerFrameFunctionalGroupsSequence]?.Items;
            var own = perFrame != null && frame >= 1 && frame <= perFrame.Count ? perFrame[frame - 1] : null;
            var shared = dataset[Tags.SharedFunctionalGroupsSequence]?.Items?.FirstOrDefault();
            DicomDataset? Group(DicomTag sequence) => own?[sequence]?.Items?.FirstOrDefault() ?? shared?[sequence]?.Items?.FirstOrDefault();

            var position = Group(PlanePositionSequence);
            var orientation = Group(PlaneOrientationSequence);
            var measures = Group(Tags.PixelMeasuresSequence);
            return new DicomFrameGeometry
            {
                FrameOfReferenceUid = Text(dataset.GetString(FrameOfReferenceUidTag)),
                ImagePositionPatient = Exactly(3, position?.GetDoubles(ImagePositionPatientTag) ?? dataset.GetDoubles(ImagePositionPatientTag)),
                ImageOrientationPatient = Exactly(6, orientation?.GetDoubles(ImageOrientationPatientTag) ?? dataset.GetDoubles(ImageOrientationPatientTag)),
                PixelSpacing = Exactly(2, measures?.GetDoubles(Tags.PixelSpacing) ?? dataset.GetDoubles(Tags.PixelSpacing)),
                SliceThickness = Positive(measures?.GetDouble(SliceThicknessTag) ?? dataset.GetDouble(SliceThicknessTag)),
                SpacingBetweenSlices = Positive(measures?.GetDouble(SpacingBetweenSlicesTag) ?? dataset.GetDouble(SpacingBetweenSlicesTag)),
            };
        }

        private static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s!.Trim();

        private static double[]? Exactly(int count, double[]? values) =>
            values != null && values.Length == count && values.All(v => !double.IsNaN(v) && !double.IsInfinity(v)) ? values : null;

        private static double? Positive(double? value) => value is double v && v > 0 && !double.IsInfinity(v) ? v : null;
    }
}
