using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CocoTools.Engine.Dicom
{
    /// <summary>Where a file's top-level pixel data is (its value is never read by a header read).</summary>
    public sealed class DicomPixelDataInfo
    {
        internal DicomPixelDataInfo(DicomTag tag, DicomVR vr, long offset, long length, bool truncated)
        {
            Tag = tag;
            VR = vr;
            Offset = offset;
            Length = length;
            Truncated = truncated;
        }

        /// <summary>Pixel Data, Float Pixel Data or Double Float Pixel Data.</summary>
        public DicomTag Tag { get; }

        /// <summary>OB or OW (or OF/OD).</summary>
        public DicomVR VR { get; }

        /// <summary>Offset of the value (of the first fragment item when encapsulated) in the (inflated) data set.</summary>
        public long Offset { get; }

        /// <summary>Declared length; -1 when encapsulated (undefined length).</summary>
        public long Length { get; }

        /// <summary>True when encapsulated in fragments.</summary>
        public bool Encapsulated => Length < 0;

        /// <summary>True when the declared length runs past the end of the file.</summary>
        public bool Truncated { get; }

        /// <summary>The native value (bytes as stored), when the read asked for pixels; null otherwise or when encapsulated.</summary>
        public byte[]? Value { get; internal set; }

        /// <summary>The Basic Offset Table (frame offsets into the fragments), when encapsulated and read; empty when absent.</summary>
        public IReadOnlyList<uint> OffsetTable { get; internal set; } = Array.Empty<uint>();

        /// <summary>The fragments, when encapsulated and read.</summary>
        public IReadOnlyList<byte[]> Fragments { get; internal set; } = Array.Empty<byte[]>();
    }

    /// <summary>
    /// What a header read of a DICOM file gives: the file meta, the data set up to (not including) the pixel data,
    /// where the pixel data is, warnings, and the image attributes CocoTools uses.
    /// </summary>
    public sealed class DicomHeader
    {
        internal DicomHeader(string? sourcePath, DicomTransferSyntax transferSyntax, bool transferSyntaxDetected, bool hasPreamble, DicomDataset? fileMeta, DicomDataset dataset, DicomPixelDataInfo? pixelData, List<string> warnings)
        {
            SourcePath = sourcePath;
            TransferSyntax = transferSyntax;
            TransferSyntaxDetected = transferSyntaxDetected;
            HasPreamble = hasPreamble;
            FileMeta = fileMeta;
            Dataset = dataset;
            PixelData = pixelData;
            Warnings = warnings;
        }

        /// <summary>The file read, when it was a file.</summary>
        public string? SourcePath { get; }

        /// <summary>The transfer syntax of the data set.</summary>
        public DicomTransferSyntax TransferSyntax { get; }

        /// <summary>True when the file meta did not say (or there was none) and the syntax was recognised from the data.</summary>
        public bool TransferSyntaxDetected { get; }

        /// <summary>True for a Part 10 file (128-byte preamble and "DICM").</summary>
        public bool HasPreamble { get; }

        /// <summary>
        /// For a deflated data set, the byte of the source where the raw deflate stream starts (the offsets of its
        /// elements count from there in inflated bytes); null otherwise.
        /// </summary>
        public long? DeflatedFrom { get; internal set; }

        /// <summary>The file meta group (0002,xxxx), when present.</summary>
        public DicomDataset? FileMeta { get; }

        /// <summary>The top-level data set, up to the pixel data.</summary>
        public DicomDataset Dataset { get; }

        /// <summary>Where the pixel data is; null when the file has none.</summary>
        public DicomPixelDataInfo? PixelData { get; }

        /// <summary>Problems the read worked around, for the user to know about.</summary>
        public IReadOnlyList<string> Warnings { get; }

#pragma warning disable CS1591 // The attributes are named as in the DICOM standard.
        public int? Rows => Dataset.GetInt(Tags.Rows);

        public int? Columns => Dataset.GetInt(Tags.Columns);

        public int? BitsAllocated => Dataset.GetInt(Tags.BitsAllocated);

        public int? BitsStored => Dataset.GetInt(Tags.BitsStored);

        public int? HighBit => Dataset.GetInt(Tags.HighBit);

        public int? PixelRepresentation => Dataset.GetInt(Tags.PixelRepresentation);

        public int? SamplesPerPixel => Dataset.GetInt(Tags.SamplesPerPixel);

        public int? PlanarConfiguration => Dataset.GetInt(Tags.PlanarConfiguration);

        public string? PhotometricInterpretation => Dataset.GetString(Tags.PhotometricInterpretation);

        public string? Modality => Dataset.GetString(Tags.Modality);

        public string? StudyInstanceUid => Dataset.GetString(Tags.StudyInstanceUid);

        public string? SeriesInstanceUid => Dataset.GetString(Tags.SeriesInstanceUid);

        public string? SopInstanceUid => Dataset.GetString(Tags.SopInstanceUid) ?? FileMeta?.GetString(Tags.MediaStorageSopInstanceUid);

        public string? SopClassUid => Dataset.GetString(Tags.SopClassUid) ?? FileMeta?.GetString(Tags.MediaStorageSopClassUid);

        public double? RescaleSlope => Dataset.GetDouble(Tags.RescaleSlope);

        public double? RescaleIntercept => Dataset.GetDouble(Tags.RescaleIntercept);
#pragma warning restore CS1591

        /// <summary>Number of Frames as written (null when absent): kept as text because files write "1A" too.</summary>
        public string? NumberOfFramesText => Dataset.GetString(Tags.NumberOfFrames);

        /// <summary>Number of frames: Number of Frames when it is a positive integer, else 1 (a warning was recorded when it was not).</summary>
        public int Frames => Dataset.GetInt(Tags.NumberOfFrames) is int n && n > 0 ? n : 1;

        /// <summary>Pixel Spacing (row, column spacing in mm), also from the shared functional groups of enhanced objects.</summary>
        public double[]? PixelSpacing => Valid(Dataset.GetDoubles(Tags.PixelSpacing) ?? FromSharedGroups(Tags.PixelMeasuresSequence, Tags.PixelSpacing));

        /// <summary>Window Center values, also from the shared functional groups.</summary>
        public double[]? WindowCenter => Valid(Dataset.GetDoubles(Tags.WindowCenter) ?? FromSharedGroups(Tags.FrameVoiLutSequence, Tags.WindowCenter));

        /// <summary>Window Width values, also from the shared functional groups.</summary>
        public double[]? WindowWidth => Valid(Dataset.GetDoubles(Tags.WindowWidth) ?? FromSharedGroups(Tags.FrameVoiLutSequence, Tags.WindowWidth));

        /// <summary>
        /// When the image was captured, as ISO 8601 (yyyy-MM-ddTHH:mm:ss, or a date alone): Acquisition Date Time, else
        /// the acquisition, content, series or study date with its time. Null when none is a valid date.
        /// </summary>
        public string? DateCaptured
        {
            get
            {
                if (FormatDateTime(Dataset.GetString(Tags.AcquisitionDateTime)) is string dt)
                {
                    return dt;
                }

                foreach (var (date, time) in new[]
                {
                    (Tags.AcquisitionDate, Tags.AcquisitionTime), (Tags.ContentDate, Tags.ContentTime),
                    (Tags.SeriesDate, Tags.SeriesTime), (Tags.StudyDate, Tags.StudyTime),
                })
                {
                    if (FormatDate(Dataset.GetString(date)) is string d)
                    {
                        return FormatTime(Dataset.GetString(time)) is string t ? d + "T" + t : d;
                    }
                }

                return null;
            }
        }

        /// <inheritdoc />
        public override string ToString() => $"{SourcePath}: {Columns}x{Rows}x{Frames} {PhotometricInterpretation}, {TransferSyntax.Name}";

        private double[]? FromSharedGroups(DicomTag sequence, DicomTag tag)
        {
            var shared = Dataset[Tags.SharedFunctionalGroupsSequence]?.Items?.FirstOrDefault();
            var group = shared?[sequence]?.Items?.FirstOrDefault();
            return group?.GetDoubles(tag);
        }

        private static double[]? Valid(double[]? values) => values == null || values.Length == 0 || values.Any(double.IsNaN) ? null : values;

        /// <summary>DA (yyyyMMdd, or the old yyyy.MM.dd) as yyyy-MM-dd.</summary>
        internal static string? FormatDate(string? da)
        {
            string d = (da ?? string.Empty).Replace(".", string.Empty).Trim();
            return d.Length == 8 && DateTime.TryParseExact(d, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : null;
        }

        /// <summary>TM (HHmmss.ffffff, or HH, HHmm, or the old HH:mm:ss) as HH:mm:ss (missing parts zero, fraction dropped).</summary>
        internal static string? FormatTime(string? tm)
        {
            string t = (tm ?? string.Empty).Replace(":", string.Empty).Trim();
            int dot = t.IndexOf('.');
            if (dot >= 0)
            {
                t = t.Substring(0, dot);
            }

            if (t.Length < 2 || t.Length > 6 || t.Length % 2 != 0 || !t.All(char.IsDigit))
            {
                return null;
            }

            t = t.PadRight(6, '0');
            int h = int.Parse(t.Substring(0, 2), CultureInfo.InvariantCulture), m = int.Parse(t.Substring(2, 2), CultureInfo.InvariantCulture), s = int.Parse(t.Substring(4, 2), CultureInfo.InvariantCulture);
            return h < 24 && m < 60 && s < 61 ? $"{t.Substring(0, 2)}:{t.Substring(2, 2)}:{t.Substring(4, 2)}" : null;
        }

        /// <summary>DT (yyyyMMddHHmmss.ffffff&amp;ZZXX) as yyyy-MM-ddTHH:mm:ss with its offset when given.</summary>
        internal static string? FormatDateTime(string? dt)
        {
            string v = (dt ?? string.Empty).Trim();
            if (v.Length < 8 || FormatDate(v.Substring(0, 8)) is not string date)
            {
                return null;
            }

            string rest = v.Substring(8);
            string offset = string.Empty;
            int sign = rest.IndexOfAny(new[] { '+', '-' });
            if (sign >= 0)
            {
                string z = rest.Substring(sign);
                rest = rest.Substring(0, sign);
                if (z.Length == 5 && z.Skip(1).All(char.IsDigit))
                {
                    offset = z.Substring(0, 3) + ":" + z.Substring(3);
                }
            }

            if (rest.Length == 0)
            {
                return date;
            }

            return FormatTime(rest) is string time ? date + "T" + time + offset : date;
        }
    }

    /// <summary>The tags CocoTools reads by name.</summary>
    internal static class Tags
    {
        public static readonly DicomTag MediaStorageSopClassUid = new DicomTag(0x0002, 0x0002);
        public static readonly DicomTag MediaStorageSopInstanceUid = new DicomTag(0x0002, 0x0003);
        public static readonly DicomTag VoiLutFunction = new DicomTag(0x0028, 0x1056);
        public static readonly DicomTag RedPaletteDescriptor = new DicomTag(0x0028, 0x1101);
        public static readonly DicomTag GreenPaletteDescriptor = new DicomTag(0x0028, 0x1102);
        public static readonly DicomTag BluePaletteDescriptor = new DicomTag(0x0028, 0x1103);
        public static readonly DicomTag RedPaletteData = new DicomTag(0x0028, 0x1201);
        public static readonly DicomTag GreenPaletteData = new DicomTag(0x0028, 0x1202);
        public static readonly DicomTag BluePaletteData = new DicomTag(0x0028, 0x1203);
        public static readonly DicomTag SopClassUid = new DicomTag(0x0008, 0x0016);
        public static readonly DicomTag SopInstanceUid = new DicomTag(0x0008, 0x0018);
        public static readonly DicomTag StudyDate = new DicomTag(0x0008, 0x0020);
        public static readonly DicomTag SeriesDate = new DicomTag(0x0008, 0x0021);
        public static readonly DicomTag AcquisitionDate = new DicomTag(0x0008, 0x0022);
        public static readonly DicomTag ContentDate = new DicomTag(0x0008, 0x0023);
        public static readonly DicomTag AcquisitionDateTime = new DicomTag(0x0008, 0x002A);
        public static readonly DicomTag StudyTime = new DicomTag(0x0008, 0x0030);
        public static readonly DicomTag SeriesTime = new DicomTag(0x0008, 0x0031);
        public static readonly DicomTag AcquisitionTime = new DicomTag(0x0008, 0x0032);
        public static readonly DicomTag ContentTime = new DicomTag(0x0008, 0x0033);
        public static readonly DicomTag Modality = new DicomTag(0x0008, 0x0060);
        public static readonly DicomTag PatientId = new DicomTag(0x0010, 0x0020);
        public static readonly DicomTag IssuerOfPatientId = new DicomTag(0x0010, 0x0021);
        public static readonly DicomTag StudyInstanceUid = new DicomTag(0x0020, 0x000D);
        public static readonly DicomTag SeriesInstanceUid = new DicomTag(0x0020, 0x000E);
        public static readonly DicomTag SamplesPerPixel = new DicomTag(0x0028, 0x0002);
        public static readonly DicomTag PhotometricInterpretation = new DicomTag(0x0028, 0x0004);
        public static readonly DicomTag PlanarConfiguration = new DicomTag(0x0028, 0x0006);
        public static readonly DicomTag NumberOfFrames = new DicomTag(0x0028, 0x0008);
        public static readonly DicomTag Rows = new DicomTag(0x0028, 0x0010);
        public static readonly DicomTag Columns = new DicomTag(0x0028, 0x0011);
        public static readonly DicomTag PixelSpacing = new DicomTag(0x0028, 0x0030);
        public static readonly DicomTag BitsAllocated = new DicomTag(0x0028, 0x0100);
        public static readonly DicomTag BitsStored = new DicomTag(0x0028, 0x0101);
        public static readonly DicomTag HighBit = new DicomTag(0x0028, 0x0102);
        public static readonly DicomTag PixelRepresentation = new DicomTag(0x0028, 0x0103);
        public static readonly DicomTag WindowCenter = new DicomTag(0x0028, 0x1050);
        public static readonly DicomTag WindowWidth = new DicomTag(0x0028, 0x1051);
        public static readonly DicomTag RescaleIntercept = new DicomTag(0x0028, 0x1052);
        public static readonly DicomTag RescaleSlope = new DicomTag(0x0028, 0x1053);
        public static readonly DicomTag PixelMeasuresSequence = new DicomTag(0x0028, 0x9110);
        public static readonly DicomTag FrameVoiLutSequence = new DicomTag(0x0028, 0x9132);
        public static readonly DicomTag SharedFunctionalGroupsSequence = new DicomTag(0x5200, 0x9229);
    }
}
