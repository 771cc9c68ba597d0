using System;
using System.Collections.Generic;

namespace CocoTools.Engine.Dicom
{
    /// <summary>How a data set is encoded, from its Transfer Syntax UID.</summary>
    public sealed class DicomTransferSyntax
    {
        private static readonly Dictionary<string, DicomTransferSyntax> Known = new Dictionary<string, DicomTransferSyntax>(StringComparer.Ordinal);

        private DicomTransferSyntax(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated)
        {
            Uid = uid;
            Name = name;
            ExplicitVR = explicitVR;
            BigEndian = bigEndian;
            Deflated = deflated;
            Encapsulated = encapsulated;
        }

        /// <summary>The UID.</summary>
        public string Uid { get; }

        /// <summary>The standard's name for it.</summary>
        public string Name { get; }

        /// <summary>Elements carry their VR.</summary>
        public bool ExplicitVR { get; }

        /// <summary>Big-endian byte order (only the retired Explicit VR Big Endian).</summary>
        public bool BigEndian { get; }

        /// <summary>The data set after the file meta is deflate-compressed.</summary>
        public bool Deflated { get; }

        /// <summary>Pixel data is encapsulated (compressed) in fragments.</summary>
        public bool Encapsulated { get; }

#pragma warning disable CS1591 // Named after the standard's transfer syntaxes.
        public static readonly DicomTransferSyntax ImplicitVRLittleEndian = Add("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);
        public static readonly DicomTransferSyntax ExplicitVRLittleEndian = Add("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);
        public static readonly DicomTransferSyntax EncapsulatedUncompressed = Add("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, false, false, true);
        public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = Add("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);
        public static readonly DicomTransferSyntax ExplicitVRBigEndian = Add("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false);
#pragma warning restore CS1591

        static DicomTransferSyntax()
        {
            var encapsulated = new (string Uid, string Name)[]
            {
                ("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
                ("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
                ("1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 & 5)"),
                ("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)"),
                ("1.2.840.10008.1.2.4.54", "JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9)"),
                ("1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12)"),
                ("1.2.840.10008.1.2.4.56", "JPEG Full Progression, Non-Hierarchical (Process 11 & 13)"),
                ("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
                ("1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-Hierarchical (Process 15)"),
                ("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"),
                ("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
                ("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)"),
                ("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
                ("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
                ("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"),
                ("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression"),
                ("1.2.840.10008.1.2.4.94", "JPIP Referenced"),
                ("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate"),
                ("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
                ("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
                ("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
                ("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
                ("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
                ("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
                ("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
                ("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
                ("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
                ("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
                ("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"),
                ("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
                ("1.2.840.10008.1.2.5", "RLE Lossless"),
            };
            foreach (var (uid, name) in encapsulated)
            {
                Add(uid, name, true, false, false, true);
            }
        }

        /// <summary>
        /// The syntax for a UID. An unknown UID under the DICOM root is taken as an encapsulated, explicit VR little
        /// endian syntax (every syntax added since is), flagged by a name that says so.
        /// </summary>
        public static DicomTransferSyntax Lookup(string uid)
        {
            string clean = uid.Trim().TrimEnd('\0').Trim();
            lock (Known)
            {
                if (Known.TryGetValue(clean, out var syntax))
                {
                    return syntax;
                }
            }

            return new DicomTransferSyntax(clean, "Unknown transfer syntax " + clean, true, false, false, true);
        }

        /// <summary>True when the UID is one the standard defines.</summary>
        public bool IsKnown
        {
            get
            {
                lock (Known)
                {
                    return Known.ContainsKey(Uid);
                }
            }
        }

        /// <inheritdoc />
        public override string ToString() => $"{Name} ({Uid})";

        private static DicomTransferSyntax Add(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated)
        {
            var syntax = new DicomTransferSyntax(uid, name, explicitVR, bigEndian, deflated, encapsulated);
            lock (Known)
            {
                Known[uid] = syntax;
            }

            return syntax;
        }
    }
}
