using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CocoTools.Engine.Dicom
{
    /// <summary>One element as read: tag, VR, where its value is, and the value bytes when small enough to keep.</summary>
    public sealed class DicomElement
    {
        internal DicomElement(DicomTag tag, DicomVR vr, long valueOffset, long valueLength, byte[]? value, bool bigEndian)
        {
            Tag = tag;
            VR = vr;
            ValueOffset = valueOffset;
            ValueLength = valueLength;
            Value = value;
            BigEndian = bigEndian;
        }

        /// <summary>The tag.</summary>
        public DicomTag Tag { get; }

        /// <summary>The VR (from the file in explicit VR, from the dictionary in implicit VR).</summary>
        public DicomVR VR { get; }

        /// <summary>Offset of the value in the (inflated) data set.</summary>
        public long ValueOffset { get; }

        /// <summary>Declared value length; -1 for undefined length.</summary>
        public long ValueLength { get; }

        /// <summary>The value bytes; null for sequences and for values too large to keep.</summary>
        internal byte[]? Value { get; }

        internal bool BigEndian { get; }

        /// <summary>The items of a sequence.</summary>
        public IReadOnlyList<DicomDataset>? Items { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => $"{Tag} {VR} {(Items != null ? Items.Count + " items" : ValueLength + " bytes")}";
    }

    /// <summary>The elements of a data set or sequence item, in file order, with typed accessors.</summary>
    public sealed class DicomDataset
    {
        private readonly List<DicomElement> _elements = new List<DicomElement>();
        private readonly Dictionary<uint, DicomElement> _byTag = new Dictionary<uint, DicomElement>();

        internal DicomDataset(DicomDataset? parent)
        {
            Parent = parent;
            CharacterSet = parent?.CharacterSet ?? DicomCharacterSet.Default;
        }

        /// <summary>The data set this item belongs to; null at the top level.</summary>
        public DicomDataset? Parent { get; }

        /// <summary>The character set text values are decoded with (inherited unless the item declares its own).</summary>
        public DicomCharacterSet CharacterSet { get; internal set; }

        /// <summary>The elements in file order.</summary>
        public IReadOnlyList<DicomElement> Elements => _elements;

        /// <summary>The element with a tag, or null.</summary>
        public DicomElement? this[DicomTag tag] => _byTag.TryGetValue(tag.Value, out var e) ? e : null;

        /// <summary>Adds an element; false (and nothing added) when the tag is already present, as dcmtk keeps the first.</summary>
        internal bool Add(DicomElement element)
        {
            if (_byTag.ContainsKey(element.Tag.Value))
            {
                return false;
            }

            _byTag.Add(element.Tag.Value, element);
            _elements.Add(element);
            return true;
        }

        /// <summary>The whole text value (all values joined by backslashes), padding removed; null when absent.</summary>
        public string? GetString(DicomTag tag)
        {
            var e = this[tag];
            if (e?.Value == null)
            {
                return null;
            }

            if (!e.VR.IsText && e.VR != DicomVR.UN && e.VR != DicomVR.OB)
            {
                var values = GetNumbers(e);
                return values == null ? null : string.Join("\\", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            }

            var bytes = Trim(e.Value, e.VR);
            if (!e.VR.IsCharacterSetText)
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).Trim();
            }

            string text = CharacterSet.Decode(bytes, e.VR == DicomVR.PN);

            // Trailing empty component groups of a person name carry nothing (PS3.5 6.2.1).
            return e.VR == DicomVR.PN ? text.TrimEnd('=') : text;
        }

        /// <summary>The individual values of a multi-valued text element.</summary>
        public string[] GetStrings(DicomTag tag)
        {
            string? text = GetString(tag);
            if (text == null)
            {
                return Array.Empty<string>();
            }

            var e = this[tag]!;
            return e.VR == DicomVR.LT || e.VR == DicomVR.ST || e.VR == DicomVR.UT ? new[] { text } : text.Split('\\').Select(v => v.Trim()).ToArray();
        }

        /// <summary>The first value as an integer (IS text or a binary integer VR); null when absent or not a number.</summary>
        public int? GetInt(DicomTag tag)
        {
            var doubles = GetDoubles(tag);
            if (doubles == null || doubles.Length == 0 || double.IsNaN(doubles[0]))
            {
                return null;
            }

            double v = doubles[0];
            return Math.Floor(v) == v && v >= int.MinValue && v <= int.MaxValue ? (int)v : null;
        }

        /// <summary>The first value as a number; null when absent or not a number.</summary>
        public double? GetDouble(DicomTag tag)
        {
            var values = GetDoubles(tag);
            return values != null && values.Length > 0 && !double.IsNaN(values[0]) ? values[0] : null;
        }

        /// <summary>All values as numbers (DS/IS text or binary numbers); a value that is not a number is NaN. Null when absent.</summary>
        public double[]? GetDoubles(DicomTag tag)
        {
            var e = this[tag];
            return e?.Value == null ? null : GetNumbers(e);
        }

        /// <summary>
        /// A JSON-friendly value: text as a string (a string array when multi-valued), numbers as numbers, sequences as
        /// arrays of keyword-keyed dictionaries; bulk binary values (OB, OW, UN ...) as null.
        /// </summary>
        public object? GetValue(DicomTag tag)
        {
            var e = this[tag];
            if (e == null)
            {
                return null;
            }

            if (e.Items != null)
            {
                return e.Items.Select(item => item.ToDictionary()).ToArray();
            }

            if (e.Value == null)
            {
                return null;
            }

            // Numbers are worked out once: a corrupt header can make a long run of bytes (the pixel data) one element.
            var numbers = e.VR == DicomVR.UN || e.VR == DicomVR.OB ? null : GetNumbers(e);
            if (numbers != null && (e.VR == DicomVR.DS || e.VR == DicomVR.IS || !e.VR.IsText))
            {
                if (numbers.Any(double.IsNaN))
                {
                    return GetString(tag);
                }

                object Box(double d) => Math.Floor(d) == d && Math.Abs(d) < 9e15 ? (object)(long)d : d;
                return numbers.Length == 1 ? Box(numbers[0]) : numbers.Select(Box).ToArray();
            }

            if (e.VR.IsText)
            {
                var values = GetStrings(tag);
                return values.Length == 1 ? values[0] : values;
            }

            return null;
        }

        /// <summary>The elements as keyword (or "(gggg,eeee)") to <see cref="GetValue"/>.</summary>
        public IDictionary<string, object?> ToDictionary()
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var e in _elements)
            {
                result[e.Tag.Keyword ?? e.Tag.ToString()] = GetValue(e.Tag);
            }

            return result;
        }

        private static double[]? GetNumbers(DicomElement e)
        {
            var v = e.Value!;
            if (e.VR == DicomVR.DS || e.VR == DicomVR.IS)
            {
                string text = Encoding.ASCII.GetString(v).Trim('\0', ' ');
                if (text.Length == 0)
                {
                    return Array.Empty<double>();
                }

                // Read in place, value by value, without a string for each.
                var rest = text.AsSpan();
                int count = 1;
                foreach (char c in rest)
                {
                    count += c == '\\' ? 1 : 0;
                }

                var parsed = new double[count];
                for (int i = 0; i < count; i++)
                {
                    int end = rest.IndexOf('\\');
                    parsed[i] = NumberText.TryParseFinite(end < 0 ? rest : rest.Slice(0, end), out double d) ? d : double.NaN;
                    rest = end < 0 ? default : rest.Slice(end + 1);
                }

                return parsed;
            }

            int size = e.VR == DicomVR.US || e.VR == DicomVR.SS ? 2
                : e.VR == DicomVR.UL || e.VR == DicomVR.SL || e.VR == DicomVR.FL ? 4
                : e.VR == DicomVR.FD || e.VR == DicomVR.SV || e.VR == DicomVR.UV ? 8 : 0;
            if (size == 0)
            {
                return null;
            }

            var result = new double[v.Length / size];
            var span = v.AsSpan();
            string code = e.VR.Code; // made anew on each call: once, not once a value
            for (int i = 0; i < result.Length; i++)
            {
                var s = span.Slice(i * size, size);
                result[i] = code switch
                {
                    "US" => e.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s),
                    "SS" => e.BigEndian ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s),
                    "UL" => e.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s),
                    "SL" => e.BigEndian ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s),
                    "FL" => SingleFromBits(e.BigEndian ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s)),
                    "FD" => BitConverter.Int64BitsToDouble(e.BigEndian ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s)),
                    "SV" => e.BigEndian ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s),
                    _ => e.BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s),
                };
            }

            return result;
        }

        /// <summary>The float with these IEEE bits (BitConverter.Int32BitsToSingle, which netstandard2.0 lacks).</summary>
        private static float SingleFromBits(int bits) => System.Runtime.CompilerServices.Unsafe.As<int, float>(ref bits);

        /// <summary>Text without trailing padding (spaces, NULs) and, except for free text, leading spaces.</summary>
        private static ReadOnlySpan<byte> Trim(byte[] value, DicomVR vr)
        {
            int end = value.Length;
            while (end > 0 && (value[end - 1] == 0 || value[end - 1] == (byte)' '))
            {
                end--;
            }

            int start = 0;
            bool freeText = vr == DicomVR.LT || vr == DicomVR.ST || vr == DicomVR.UT;
            while (!freeText && start < end && value[start] == (byte)' ')
            {
                start++;
            }

            return new ReadOnlySpan<byte>(value, start, end - start);
        }
    }
}
