using System.Text.Json;

namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// A typed view of an image's <c>dicom</c> object (written by Add-CocoImage, kept verbatim from files):
    /// the identifiers and attributes CocoTools reads back.
    /// </summary>
    public sealed class CocoImageDicom
    {
        private CocoImageDicom(JsonElement d)
        {
            StudyInstanceUid = Text(d, "StudyInstanceUID");
            SeriesInstanceUid = Text(d, "SeriesInstanceUID");
            SopInstanceUid = Text(d, "SOPInstanceUID");
            SopClassUid = Text(d, "SOPClassUID");
            Modality = Text(d, "Modality");
            PhotometricInterpretation = Text(d, "PhotometricInterpretation");
            PatientHash = Text(d, "PatientHash");
            TransferSyntaxUid = Text(d, "TransferSyntaxUID");
            Frame = Int(d, "frame") ?? Int(d, "Frame");
            NumberOfFrames = Int(d, "NumberOfFrames");
            BitsStored = Int(d, "BitsStored");
            FrameOfReferenceUid = Text(d, "FrameOfReferenceUID");
            ImagePositionPatient = Numbers(d, "ImagePositionPatient", 3);
            ImageOrientationPatient = Numbers(d, "ImageOrientationPatient", 6);
            PixelSpacing = Numbers(d, "PixelSpacing", 2);
            SliceThickness = Numbers(d, "SliceThickness", 1)?[0];
            SpacingBetweenSlices = Numbers(d, "SpacingBetweenSlices", 1)?[0];
        }

#pragma warning disable CS1591 // Named as the DICOM attributes they hold.
        public string? StudyInstanceUid { get; }

        public string? SeriesInstanceUid { get; }

        public string? SopInstanceUid { get; }

        public string? SopClassUid { get; }

        public string? Modality { get; }

        public string? PhotometricInterpretation { get; }

        public string? TransferSyntaxUid { get; }

        public int? BitsStored { get; }

        public int? NumberOfFrames { get; }

        public string? FrameOfReferenceUid { get; }

        /// <summary>x, y, z (mm) of the centre of the first pixel.</summary>
        public double[]? ImagePositionPatient { get; }

        /// <summary>Row direction cosines, then column direction cosines.</summary>
        public double[]? ImageOrientationPatient { get; }

        /// <summary>Row spacing, then column spacing (mm).</summary>
        public double[]? PixelSpacing { get; }

        public double? SliceThickness { get; }

        public double? SpacingBetweenSlices { get; }
#pragma warning restore CS1591

        /// <summary>The 1-based frame of a multi-frame source this image is; null for single-frame sources.</summary>
        public int? Frame { get; }

        /// <summary>The keyed hash of Patient ID that groups images by patient (see Add-CocoImage -PatientSalt).</summary>
        public string? PatientHash { get; }

        /// <summary>The view of an image's <c>dicom</c> object; null when it has none (or it is not an object).</summary>
        public static CocoImageDicom? Of(CocoImage image)
        {
            if (image.ExtraOrNull is not JsonMemberBag extra || !extra.TryGetRaw("dicom", out var raw))
            {
                return null;
            }

            try
            {
                using var doc = JsonDocument.Parse(raw);
                return doc.RootElement.ValueKind == JsonValueKind.Object ? new CocoImageDicom(doc.RootElement) : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Text(JsonElement d, string name) =>
            d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        /// <summary>Exactly <paramref name="count"/> finite numbers (a lone number counts as a list of one); null otherwise.</summary>
        private static double[]? Numbers(JsonElement d, string name, int count)
        {
            if (!d.TryGetProperty(name, out var v))
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number)
            {
                return count == 1 && v.TryGetDouble(out double one) ? new[] { one } : null;
            }

            if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != count)
            {
                return null;
            }

            var values = new double[count];
            int i = 0;
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out values[i]) || double.IsNaN(values[i]) || double.IsInfinity(values[i]))
                {
                    return null;
                }

                i++;
            }

            return values;
        }

        private static int? Int(JsonElement d, string name) =>
            d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : null;
    }
}
