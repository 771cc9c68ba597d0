using System;
using System.Collections.Generic;

namespace CocoTools.Engine.Dicom
{
    /// <summary>One data dictionary entry: VR (as an implicit VR reader must assume it), VM, keyword.</summary>
    internal sealed class DicomDictionaryEntry
    {
        public DicomDictionaryEntry(uint tag, string vr, string vm, string keyword, bool retired)
        {
            Tag = new DicomTag(tag);
            VR = DicomVR.Parse(vr);
            VM = vm;
            Keyword = keyword;
            Retired = retired;
        }

        public DicomTag Tag { get; }

        public DicomVR VR { get; }

        public string VM { get; }

        public string Keyword { get; }

        public bool Retired { get; }
    }

    internal enum RangeParity
    {
        Exact,
        Even,
        Odd,
        All,
    }

    /// <summary>A repeating group or element range, e.g. the overlay groups (60xx,eeee).</summary>
    internal sealed class DicomDictionaryRange
    {
        private readonly ushort _groupLow, _groupHigh, _elementLow, _elementHigh;
        private readonly RangeParity _groupParity, _elementParity;

        public DicomDictionaryRange(ushort groupLow, ushort groupHigh, RangeParity groupParity, ushort elementLow, ushort elementHigh, RangeParity elementParity, DicomDictionaryEntry entry)
        {
            _groupLow = groupLow;
            _groupHigh = groupHigh;
            _groupParity = groupParity;
            _elementLow = elementLow;
            _elementHigh = elementHigh;
            _elementParity = elementParity;
            Entry = entry;
        }

        public DicomDictionaryEntry Entry { get; }

        public bool Matches(DicomTag tag) =>
            InRange(tag.Group, _groupLow, _groupHigh, _groupParity) && InRange(tag.Element, _elementLow, _elementHigh, _elementParity);

        private static bool InRange(ushort value, ushort low, ushort high, RangeParity parity) =>
            value >= low && value <= high && parity switch
            {
                RangeParity.Even => ((value - low) & 1) == 0,
                RangeParity.Odd => ((value - low) & 1) == 1 || low == high,
                _ => true,
            };
    }

    /// <summary>
    /// The standard data dictionary (generated from dcmtk's copy of PS3.6, see DicomDictionary.Generated.cs):
    /// the VR an implicit VR data set needs, and keywords for people.
    /// </summary>
    internal static partial class DicomDictionary
    {
        private static readonly DicomDictionaryEntry[] Entries = ParseEntries();
        private static readonly DicomDictionaryRange[] Ranges = ParseRanges();

        private static readonly Lazy<Dictionary<string, DicomDictionaryEntry>> ByKeyword = new Lazy<Dictionary<string, DicomDictionaryEntry>>(() =>
        {
            var map = new Dictionary<string, DicomDictionaryEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var e in Entries)
            {
                if (!map.ContainsKey(e.Keyword))
                {
                    map.Add(e.Keyword, e);
                }
            }

            return map;
        });

        /// <summary>The entry for a tag: exact tags first, then repeating ranges; private tags have none (but their group lengths and creators do).</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static DicomDictionaryEntry? Lookup(DicomTag tag)
        {
            if (tag.IsPrivate)
            {
                return PrivateEntry(tag);
            }

            int lo = 0, hi = Entries.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                uint value = Entries[mid].Tag.Value;
                if (value == tag.Value)
                {
                    return Entries[mid];
                }

                if (value < tag.Value)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            foreach (var range in Ranges)
            {
                if (range.Matches(tag))
                {
                    return range.Entry;
                }
            }

            return tag.Element == 0 ? GroupLength : null;
        }

        /// <summary>The entry for a keyword (case-insensitive), or null.</summary>
        public static DicomDictionaryEntry? Lookup(string keyword) => ByKeyword.Value.TryGetValue(keyword, out var e) ? e : null;

        /// <summary>All keywords, for completion.</summary>
        public static IEnumerable<string> Keywords => ByKeyword.Value.Keys;

        private static DicomDictionaryEntry[] ParseEntries()
        {
            var lines = EntryData.Split(new[] { '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
            var entries = new DicomDictionaryEntry[lines.Length];
            for (int i = 0; i < lines.Length; i++)
            {
                var f = lines[i].Split(' ');
                entries[i] = new DicomDictionaryEntry(uint.Parse(f[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture), f[1], f[2], f[3], f.Length > 4);
            }

            return entries;
        }

        private static DicomDictionaryRange[] ParseRanges()
        {
            var lines = RangeData.Split(new[] { '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries);
            var ranges = new DicomDictionaryRange[lines.Length];
            for (int i = 0; i < lines.Length; i++)
            {
                var f = lines[i].Split(' ');
                ranges[i] = new DicomDictionaryRange(
                    Hex(f[0]), Hex(f[1]), (RangeParity)Enum.Parse(typeof(RangeParity), f[2]),
                    Hex(f[3]), Hex(f[4]), (RangeParity)Enum.Parse(typeof(RangeParity), f[5]),
                    new DicomDictionaryEntry(0, f[6], f[7], f[8], f.Length > 9));
            }

            return ranges;

            static ushort Hex(string text) => ushort.Parse(text, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        }

        private static readonly DicomDictionaryEntry GroupLength = new DicomDictionaryEntry(0, "UL", "1", "GenericGroupLength", false);
        private static readonly DicomDictionaryEntry PrivateCreator = new DicomDictionaryEntry(0, "LO", "1", "PrivateCreator", false);

        /// <summary>Private groups: (gggg,0000) is a group length and (gggg,0010-00FF) are private creator names.</summary>
        private static DicomDictionaryEntry? PrivateEntry(DicomTag tag) =>
            tag.Element == 0 ? GroupLength : tag.Element >= 0x10 && tag.Element <= 0xFF ? PrivateCreator : null;
    }
}
