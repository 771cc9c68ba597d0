using System;
using System.Globalization;

namespace CocoTools.Engine.Dicom
{
    /// <summary>A DICOM attribute tag (group, element).</summary>
    public readonly struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>
    {
        /// <summary>Creates a tag from its group and element.</summary>
        public DicomTag(ushort group, ushort element)
        {
            Value = ((uint)group << 16) | element;
        }

        /// <summary>Creates a tag from its 32-bit value (group in the high half).</summary>
        public DicomTag(uint value)
        {
            Value = value;
        }

        /// <summary>Group in the high 16 bits, element in the low 16.</summary>
        public uint Value { get; }

        /// <summary>The group number.</summary>
        public ushort Group => (ushort)(Value >> 16);

        /// <summary>The element number.</summary>
        public ushort Element => (ushort)Value;

        /// <summary>True for tags of private groups (odd group numbers).</summary>
        public bool IsPrivate => (Group & 1) == 1;

        /// <summary>The dictionary keyword, or null for private and unknown tags.</summary>
        public string? Keyword => DicomDictionary.Lookup(this)?.Keyword;

        /// <summary>Parses <c>(gggg,eeee)</c>, <c>gggg,eeee</c> or <c>ggggeeee</c> (hex).</summary>
        public static bool TryParse(string? text, out DicomTag tag)
        {
            tag = default;
            if (text == null)
            {
                return false;
            }

            string t = text.Trim().TrimStart('(').TrimEnd(')').Replace(",", string.Empty);
            if (t.Length != 8 || !uint.TryParse(t, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint value))
            {
                return false;
            }

            tag = new DicomTag(value);
            return true;
        }

        /// <inheritdoc />
        public bool Equals(DicomTag other) => Value == other.Value;

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is DicomTag t && Equals(t);

        /// <inheritdoc />
        public override int GetHashCode() => (int)Value;

        /// <inheritdoc />
        public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

        /// <summary>Equality of tags.</summary>
        public static bool operator ==(DicomTag a, DicomTag b) => a.Value == b.Value;

        /// <summary>Inequality of tags.</summary>
        public static bool operator !=(DicomTag a, DicomTag b) => a.Value != b.Value;

        /// <summary><c>(gggg,eeee)</c> in upper-case hex.</summary>
        public override string ToString() => $"({Group:X4},{Element:X4})";

        internal static readonly DicomTag Item = new DicomTag(0xFFFE, 0xE000);
        internal static readonly DicomTag ItemDelimitation = new DicomTag(0xFFFE, 0xE00D);
        internal static readonly DicomTag SequenceDelimitation = new DicomTag(0xFFFE, 0xE0DD);
        internal static readonly DicomTag TransferSyntaxUid = new DicomTag(0x0002, 0x0010);
        internal static readonly DicomTag SpecificCharacterSet = new DicomTag(0x0008, 0x0005);
        internal static readonly DicomTag PixelData = new DicomTag(0x7FE0, 0x0010);
        internal static readonly DicomTag FloatPixelData = new DicomTag(0x7FE0, 0x0008);
        internal static readonly DicomTag DoubleFloatPixelData = new DicomTag(0x7FE0, 0x0009);
        internal static readonly DicomTag DataSetTrailingPadding = new DicomTag(0xFFFC, 0xFFFC);
    }
}
