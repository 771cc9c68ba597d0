using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>Segmentation Type (0062,0001).</summary>
    public enum SegmentationType
    {
        /// <summary>1 bit a pixel: 1 = in the segment.</summary>
        Binary,
        /// <summary>8 bits a pixel: probability or occupancy up to Maximum Fractional Value.</summary>
        Fractional,
        /// <summary>8 or 16 bits a pixel: the pixel value is the segment number, 0 background.</summary>
        Labelmap,
    }

    /// <summary>A coded concept: Code Value, Coding Scheme Designator, Code Meaning.</summary>
    public sealed class DicomCode
    {
        internal DicomCode(string? value, string? scheme, string? meaning)
        {
            Value = value;
            Scheme = scheme;
            Meaning = meaning;
        }

#pragma warning disable CS1591 // Named as the DICOM attributes they hold.
        public string? Value { get; }

        public string? Scheme { get; }

        public string? Meaning { get; }
#pragma warning restore CS1591

        /// <summary>The code as a JSON-friendly dictionary (scheme, code, meaning).</summary>
        public IDictionary<string, object?> ToDictionary() => new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["CodeValue"] = Value,
            ["CodingSchemeDesignator"] = Scheme,
            ["CodeMeaning"] = Meaning,
        };

        internal static DicomCode? FirstOf(DicomDataset item, DicomTag sequence)
        {
            var code = item[sequence]?.Items?.FirstOrDefault();
            return code == null ? null : new DicomCode(code.GetString(SegmentationObject.CodeValue) ?? code.GetString(SegmentationObject.LongCodeValue), code.GetString(SegmentationObject.CodingSchemeDesignator), code.GetString(SegmentationObject.CodeMeaning));
        }
    }

    /// <summary>One item of the Segment Sequence.</summary>
    public sealed class SegmentDescription
    {
        internal SegmentDescription(int number, string label)
        {
            Number = number;
            Label = label;
        }

        /// <summary>Segment Number (1-based; 0 is a LABELMAP's background).</summary>
        public int Number { get; }

        /// <summary>Segment Label (or "Segment N" when empty).</summary>
        public string Label { get; }

#pragma warning disable CS1591 // Named as the DICOM attributes they hold.
        public DicomCode? PropertyCategory { get; internal set; }

        public DicomCode? PropertyType { get; internal set; }

        public string? AlgorithmType { get; internal set; }

        public string? AlgorithmName { get; internal set; }

        public string? TrackingId { get; internal set; }

        public string? TrackingUid { get; internal set; }
#pragma warning restore CS1591

        /// <summary>Recommended Display CIELab Value as sRGB [r, g, b]; null when absent.</summary>
        public int[]? Color { get; internal set; }
    }

    /// <summary>What one SEG frame is: its segment, its source image(s) and its plane.</summary>
    public sealed class SegmentationFrame
    {
        internal SegmentationFrame(int number)
        {
            Number = number;
        }

        /// <summary>1-based frame number in the SEG.</summary>
        public int Number { get; }

        /// <summary>Referenced Segment Number (Segment Identification); null for a LABELMAP, whose pixels say it.</summary>
        public int? SegmentNumber { get; internal set; }

        /// <summary>Source images (Derivation Image > Source Image Sequence): SOP Instance UID and frame number (null when not given).</summary>
        public IReadOnlyList<(string SopInstanceUid, int? Frame)> Sources { get; internal set; } = Array.Empty<(string, int?)>();

        /// <summary>Where the frame lies.</summary>
        public DicomFrameGeometry Geometry { get; internal set; } = null!;
    }

    /// <summary>
    /// The header of a Segmentation (PS3.3 C.8.20) read as the standard defines it: type, segments, and for each frame
    /// its segment, source images and plane. The pixels are read frame by frame elsewhere (Pixels/FrameReader).
    /// </summary>
    public sealed class SegmentationObject
    {
        internal static readonly DicomTag CodeValue = new DicomTag(0x0008, 0x0100);
        internal static readonly DicomTag CodingSchemeDesignator = new DicomTag(0x0008, 0x0102);
        internal static readonly DicomTag CodeMeaning = new DicomTag(0x0008, 0x0104);
        internal static readonly DicomTag LongCodeValue = new DicomTag(0x0008, 0x0119);
        private static readonly DicomTag ReferencedSopInstanceUid = new DicomTag(0x0008, 0x1155);
        private static readonly DicomTag ReferencedFrameNumber = new DicomTag(0x0008, 0x1160);
        private static readonly DicomTag SourceImageSequence = new DicomTag(0x0008, 0x2112);
        private static readonly DicomTag DerivationImageSequence = new DicomTag(0x0008, 0x9124);
        private static readonly DicomTag SegmentationTypeTag = new DicomTag(0x0062, 0x0001);
        private static readonly DicomTag SegmentSequence = new DicomTag(0x0062, 0x0002);
        private static readonly DicomTag SegmentedPropertyCategoryCodeSequence = new DicomTag(0x0062, 0x0003);
        private static readonly DicomTag SegmentNumberTag = new DicomTag(0x0062, 0x0004);
        private static readonly DicomTag SegmentLabel = new DicomTag(0x0062, 0x0005);
        private static readonly DicomTag SegmentAlgorithmType = new DicomTag(0x0062, 0x0008);
        private static readonly DicomTag SegmentAlgorithmName = new DicomTag(0x0062, 0x0009);
        private static readonly DicomTag SegmentIdentificationSequence = new DicomTag(0x0062, 0x000A);
        private static readonly DicomTag ReferencedSegmentNumber = new DicomTag(0x0062, 0x000B);
        private static readonly DicomTag RecommendedDisplayCieLabValue = new DicomTag(0x0062, 0x000D);
        private static readonly DicomTag MaximumFractionalValueTag = new DicomTag(0x0062, 0x000E);
        private static readonly DicomTag SegmentedPropertyTypeCodeSequence = new DicomTag(0x0062, 0x000F);
        private static readonly DicomTag TrackingIdTag = new DicomTag(0x0062, 0x0020);
        private static readonly DicomTag TrackingUidTag = new DicomTag(0x0062, 0x0021);
        private static readonly DicomTag PerFrameFunctionalGroupsSequence = new DicomTag(0x5200, 0x9230);
        private static readonly DicomTag SharedFunctionalGroupsSequence = new DicomTag(0x5200, 0x9229);

        private SegmentationObject(string path)
        {
            SourcePath = path;
        }

        /// <summary>The file.</summary>
        public string SourcePath { get; }

#pragma warning disable CS1591 // Named as the DICOM attributes they hold.
        public string? SopInstanceUid { get; private set; }

        public string? FrameOfReferenceUid { get; private set; }

        public SegmentationType Type { get; private set; }

        public int Rows { get; private set; }

        public int Columns { get; private set; }

        public int BitsAllocated { get; private set; }

        /// <summary>Maximum Fractional Value of a FRACTIONAL SEG.</summary>
        public int MaximumFractionalValue { get; private set; }
#pragma warning restore CS1591

        /// <summary>The segments by number.</summary>
        public IReadOnlyDictionary<int, SegmentDescription> Segments { get; private set; } = new Dictionary<int, SegmentDescription>();

        /// <summary>The frames, in file order.</summary>
        public IReadOnlyList<SegmentationFrame> Frames { get; private set; } = Array.Empty<SegmentationFrame>();

        /// <summary>Reads a SEG's header; a <see cref="DicomObjectException"/> says what is inconsistent.</summary>
        public static SegmentationObject Read(DicomHeader header)
        {
            string path = header.SourcePath ?? "<stream>";
            var ds = header.Dataset;
            var seg = new SegmentationObject(path)
            {
                SopInstanceUid = header.SopInstanceUid,
                FrameOfReferenceUid = ds.GetString(new DicomTag(0x0020, 0x0052)) is string f && f.Length > 0 ? f : null,
                Rows = header.Rows ?? 0,
                Columns = header.Columns ?? 0,
                BitsAllocated = header.BitsAllocated ?? 0,
            };
            DicomObjectException Broken(string? item, string message) => new DicomObjectException(DicomObjectProblem.Broken, path, item, message);

            if (seg.Rows <= 0 || seg.Columns <= 0)
            {
                throw Broken(null, "Rows and Columns are required.");
            }

            if (header.PixelData == null)
            {
                throw Broken(null, "the Segmentation has no Pixel Data.");
            }

            string type = (ds.GetString(SegmentationTypeTag) ?? string.Empty).Trim().ToUpperInvariant();
            bool labelMapClass = header.SopClassUid == "1.2.840.10008.5.1.4.1.1.66.7";
            seg.Type = type switch
            {
                "BINARY" => SegmentationType.Binary,
                "FRACTIONAL" => SegmentationType.Fractional,
                "LABELMAP" => SegmentationType.Labelmap,
                "" when labelMapClass => SegmentationType.Labelmap,
                _ => throw Broken(null, $"Segmentation Type is '{type}'; BINARY, FRACTIONAL or LABELMAP were expected."),
            };
            int[] allowed = seg.Type == SegmentationType.Binary ? new[] { 1 } : seg.Type == SegmentationType.Fractional ? new[] { 8 } : new[] { 8, 16 };
            if (!allowed.Contains(seg.BitsAllocated))
            {
                throw Broken(null, $"a {type} Segmentation has Bits Allocated {seg.BitsAllocated}; the standard allows {string.Join(" or ", allowed)}.");
            }

            if (seg.Type == SegmentationType.Fractional)
            {
                seg.MaximumFractionalValue = ds.GetInt(MaximumFractionalValueTag) is int max && max > 0 ? max : throw Broken(null, "a FRACTIONAL Segmentation needs a positive Maximum Fractional Value.");
            }

            seg.Segments = ReadSegments(ds, Broken);
            seg.Frames = ReadFrames(ds, header.Frames, seg, Broken);
            return seg;
        }

        private static Dictionary<int, SegmentDescription> ReadSegments(DicomDataset ds, Func<string?, string, DicomObjectException> broken)
        {
            var items = ds[SegmentSequence]?.Items;
            if (items == null || items.Count == 0)
            {
                throw broken(null, "the Segment Sequence is missing or empty.");
            }

            var segments = new Dictionary<int, SegmentDescription>();
            for (int i = 0; i < items.Count; i++)
            {
                var item = items[i];
                int number = item.GetInt(SegmentNumberTag) is int n && n >= 0 ? n : throw broken($"segment item {i + 1}", "Segment Number is missing.");
                if (segments.ContainsKey(number))
                {
                    throw broken($"segment {number}", "two segments have this number.");
                }

                string label = item.GetString(SegmentLabel) is string l && l.Trim().Length > 0 ? l.Trim() : "Segment " + number.ToString(CultureInfo.InvariantCulture);
                var lab = item.GetDoubles(RecommendedDisplayCieLabValue);
                segments.Add(number, new SegmentDescription(number, label)
                {
                    PropertyCategory = DicomCode.FirstOf(item, SegmentedPropertyCategoryCodeSequence),
                    PropertyType = DicomCode.FirstOf(item, SegmentedPropertyTypeCodeSequence),
                    AlgorithmType = item.GetString(SegmentAlgorithmType),
                    AlgorithmName = item.GetString(SegmentAlgorithmName),
                    TrackingId = item.GetString(TrackingIdTag),
                    TrackingUid = item.GetString(TrackingUidTag),
                    Color = lab != null && lab.Length == 3 && lab.All(v => v >= 0 && v <= 65535) ? CieLab.ToSrgb((int)lab[0], (int)lab[1], (int)lab[2]) : null,
                });
            }

            return segments;
        }

        private static SegmentationFrame[] ReadFrames(DicomDataset ds, int count, SegmentationObject seg, Func<string?, string, DicomObjectException> broken)
        {
            var perFrame = ds[PerFrameFunctionalGroupsSequence]?.Items;
            var shared = ds[SharedFunctionalGroupsSequence]?.Items?.FirstOrDefault();
            if (perFrame != null && perFrame.Count != count)
            {
                throw broken(null, $"Number of Frames is {count} but the Per-Frame Functional Groups Sequence has {perFrame.Count} items.");
            }

            var frames = new SegmentationFrame[count];
            for (int i = 0; i < count; i++)
            {
                var own = perFrame?[i];
                DicomDataset? Group(DicomTag sequence) => own?[sequence]?.Items?.FirstOrDefault() ?? shared?[sequence]?.Items?.FirstOrDefault();
                string item = "frame " + (i + 1).ToString(CultureInfo.InvariantCulture);
                var frame = new SegmentationFrame(i + 1) { Geometry = DicomFrameGeometry.Of(ds, i + 1) };

                if (seg.Type != SegmentationType.Labelmap)
                {
                    int number = Group(SegmentIdentificationSequence)?.GetInt(ReferencedSegmentNumber) is int n ? n : throw broken(item, "it has no Segment Identification (Referenced Segment Number).");
                    frame.SegmentNumber = seg.Segments.ContainsKey(number) ? number : throw broken(item, $"it refers to segment {number}, which the Segment Sequence does not describe.");
                }

                var sources = new List<(string, int?)>();
                foreach (var derivation in own?[DerivationImageSequence]?.Items ?? Array.Empty<DicomDataset>())
                {
                    foreach (var source in derivation[SourceImageSequence]?.Items ?? Array.Empty<DicomDataset>())
                    {
                        if (source.GetString(ReferencedSopInstanceUid) is string uid && uid.Length > 0)
                        {
                            var numbers = source.GetDoubles(ReferencedFrameNumber);
                            if (numbers == null || numbers.Length == 0)
                            {
                                sources.Add((uid, null));
                            }
                            else
                            {
                                foreach (var number in numbers.Where(v => v >= 1 && v == Math.Floor(v)))
                                {
                                    sources.Add((uid, (int)number));
                                }
                            }
                        }
                    }
                }

                frame.Sources = sources;
                frames[i] = frame;
            }

            return frames;
        }
    }
}
