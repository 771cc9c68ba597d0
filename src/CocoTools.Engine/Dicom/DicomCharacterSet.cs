using System;
using System.Collections.Generic;
using System.Text;

namespace CocoTools.Engine.Dicom
{
    /// <summary>
    /// Decodes text values by the data set's Specific Character Set (0008,0005), per PS3.5 section 6.1: single
    /// byte sets (ISO_IR 100 ... 203, 13, 166), UTF-8 (ISO_IR 192), GB18030 and GBK, and the ISO 2022 code
    /// extensions with escape sequences (Japanese ISO 2022 IR 13/87, Korean IR 149, Chinese IR 58, the ISO 8859
    /// G1 sets). The active set returns to the initial one at value and component delimiters and line breaks.
    /// What cannot be decoded falls back to ISO 8859-1 with a warning; it never throws.
    /// </summary>
    public sealed class DicomCharacterSet
    {
        private static readonly Lazy<bool> ProvidersRegistered = new Lazy<bool>(() =>
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return true;
        });

        private readonly Encoding? _whole;
        private readonly Segment _initialG0;
        private readonly Segment _initialG1;
        private readonly bool _codeExtensions;

        private DicomCharacterSet(string declared, Encoding? whole, Segment g0, Segment g1, bool codeExtensions, string? warning)
        {
            Declared = declared;
            _whole = whole;
            _initialG0 = g0;
            _initialG1 = g1;
            _codeExtensions = codeExtensions;
            Warning = warning;
        }

        /// <summary>The default repertoire (no Specific Character Set): ASCII, with ISO 8859-1 for stray high bytes.</summary>
        public static DicomCharacterSet Default { get; } = Create(string.Empty);

        /// <summary>The Specific Character Set value as declared.</summary>
        public string Declared { get; }

        /// <summary>Set when a declared term is unknown or unsupported; the fallback used is named.</summary>
        public string? Warning { get; }

        /// <summary>The character set for a (possibly multi-valued) Specific Character Set value.</summary>
        public static DicomCharacterSet Create(string declared)
        {
            _ = ProvidersRegistered.Value;
            var terms = declared.Split('\\');
            var misspelled = new List<string>();
            for (int i = 0; i < terms.Length; i++)
            {
                terms[i] = terms[i].Trim();
                string normal = Normalize(terms[i]);
                if (normal != terms[i])
                {
                    misspelled.Add($"'{terms[i]}' read as '{normal}'");
                    terms[i] = normal;
                }
            }

            string first = terms[0];
            bool extensions = terms.Length > 1 || first.StartsWith("ISO 2022", StringComparison.Ordinal);
            var unknown = new List<string>();
            if (!extensions)
            {
                var encoding = first.Length == 0 ? null : SingleEncoding(first);
                if (first.Length > 0 && encoding == null)
                {
                    unknown.Add(first);
                }

                return new DicomCharacterSet(declared, encoding, Segment.Ascii, Segment.Latin1, false, Unknown(unknown, misspelled));
            }

            // Code extensions: value 1 (possibly empty = ISO 2022 IR 6) is the initial G0 and G1.
            var g0 = Segment.Ascii;
            var g1 = Segment.Latin1;
            if (first.Length > 0 && first != "ISO 2022 IR 6")
            {
                var designated = Iso2022Term(first);
                if (designated == null)
                {
                    unknown.Add(first);
                }
                else if (designated.Value.IsG0)
                {
                    g0 = designated.Value.Segment;
                }
                else
                {
                    g1 = designated.Value.Segment;
                }
            }

            for (int i = 1; i < terms.Length; i++)
            {
                if (terms[i].Length > 0 && Iso2022Term(terms[i]) == null)
                {
                    unknown.Add(terms[i]);
                }
            }

            return new DicomCharacterSet(declared, null, g0, g1, true, Unknown(unknown, misspelled));
        }

        /// <summary>Decodes the bytes of a value (already without padding).</summary>
        public string Decode(ReadOnlySpan<byte> bytes, bool personName)
        {
            if (bytes.Length == 0)
            {
                return string.Empty;
            }

            if (!_codeExtensions)
            {
                var encoding = _whole ?? (IsAscii(bytes) ? Encoding.ASCII : Latin1);
                return encoding.GetString(bytes.ToArray());
            }

            return DecodeIso2022(bytes, personName);
        }

        private string DecodeIso2022(ReadOnlySpan<byte> bytes, bool personName)
        {
            var text = new StringBuilder(bytes.Length);
            var g0 = _initialG0;
            var g1 = _initialG1;
            int i = 0;
            while (i < bytes.Length)
            {
                byte b = bytes[i];
                if (b == 0x1B)
                {
                    int consumed = ApplyEscape(bytes.Slice(i), ref g0, ref g1);
                    i += consumed > 0 ? consumed : 1;
                    continue;
                }

                if (b < 0x80 && g0.IsMultiByte)
                {
                    // A two-byte set in G0: bytes are pairs up to the next escape; '^' and '=' inside them are
                    // character bytes (delimiters only count once an escape has returned to a single-byte set).
                    int pairStart = i;
                    while (i < bytes.Length && bytes[i] != 0x1B && bytes[i] < 0x80)
                    {
                        i++;
                    }

                    g0.Decode(bytes.Slice(pairStart, i - pairStart), text);
                    continue;
                }

                if (IsDelimiter(b, personName))
                {
                    text.Append((char)b);
                    g0 = _initialG0;
                    g1 = _initialG1;
                    i++;
                    continue;
                }

                // A run of bytes in one set: up to the next escape or delimiter, and on one side of 0x80.
                bool high = b >= 0x80;
                int start = i;
                while (i < bytes.Length && bytes[i] != 0x1B && !IsDelimiter(bytes[i], personName) && (bytes[i] >= 0x80) == high)
                {
                    i++;
                }

                (high ? g1 : g0).Decode(bytes.Slice(start, i - start), text);
            }

            return text.ToString();
        }

        private static bool IsDelimiter(byte b, bool personName) =>
            b == (byte)'\\' || b == 0x0D || b == 0x0A || b == 0x0C || b == 0x09 || (personName && (b == (byte)'^' || b == (byte)'='));

        /// <summary>Reads one escape sequence and designates the set it names; returns the bytes it used (0 when unknown).</summary>
        private static int ApplyEscape(ReadOnlySpan<byte> s, ref Segment g0, ref Segment g1)
        {
            foreach (var (sequence, isG0, segment) in Escapes)
            {
                if (s.Length >= sequence.Length && s.Slice(0, sequence.Length).SequenceEqual(sequence))
                {
                    if (isG0)
                    {
                        g0 = segment;
                    }
                    else
                    {
                        g1 = segment;
                    }

                    return sequence.Length;
                }
            }

            return 0;
        }

        private static readonly Encoding Latin1 = Encoding.GetEncoding("iso-8859-1");

        private static Encoding? SingleEncoding(string term) => term switch
        {
            "ISO_IR 100" => Get("iso-8859-1"),
            "ISO_IR 101" => Get("iso-8859-2"),
            "ISO_IR 109" => Get("iso-8859-3"),
            "ISO_IR 110" => Get("iso-8859-4"),
            "ISO_IR 144" => Get("iso-8859-5"),
            "ISO_IR 127" => Get("iso-8859-6"),
            "ISO_IR 126" => Get("iso-8859-7"),
            "ISO_IR 138" => Get("iso-8859-8"),
            "ISO_IR 148" => Get("iso-8859-9"),
            "ISO_IR 203" => Get("iso-8859-15"),
            "ISO_IR 13" => Get("shift_jis"),
            "ISO_IR 166" => Get("windows-874"),
            "ISO_IR 192" => new UTF8Encoding(false, false),
            "GB18030" => Get("gb18030"),
            "GBK" => Get("gbk"),
            "ISO_IR 6" => Encoding.ASCII,
            _ => null,
        };

        private static Encoding? Get(string name)
        {
            try
            {
                return Encoding.GetEncoding(name);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        private static (bool IsG0, Segment Segment)? Iso2022Term(string term) => term switch
        {
            "ISO 2022 IR 6" => (true, Segment.Ascii),
            "ISO 2022 IR 100" => (false, Segment.SingleByte("iso-8859-1")),
            "ISO 2022 IR 101" => (false, Segment.SingleByte("iso-8859-2")),
            "ISO 2022 IR 109" => (false, Segment.SingleByte("iso-8859-3")),
            "ISO 2022 IR 110" => (false, Segment.SingleByte("iso-8859-4")),
            "ISO 2022 IR 144" => (false, Segment.SingleByte("iso-8859-5")),
            "ISO 2022 IR 127" => (false, Segment.SingleByte("iso-8859-6")),
            "ISO 2022 IR 126" => (false, Segment.SingleByte("iso-8859-7")),
            "ISO 2022 IR 138" => (false, Segment.SingleByte("iso-8859-8")),
            "ISO 2022 IR 148" => (false, Segment.SingleByte("iso-8859-9")),
            "ISO 2022 IR 203" => (false, Segment.SingleByte("iso-8859-15")),
            "ISO 2022 IR 13" => (false, Segment.Katakana),
            "ISO 2022 IR 166" => (false, Segment.SingleByte("windows-874")),
            "ISO 2022 IR 87" => (true, Segment.JisX0208),
            "ISO 2022 IR 159" => (true, Segment.JisX0212),
            "ISO 2022 IR 149" => (false, Segment.DoubleByteHigh("euc-kr")),
            "ISO 2022 IR 58" => (false, Segment.DoubleByteHigh("gb2312")),
            _ => null,
        };

        private static readonly (byte[] Sequence, bool IsG0, Segment Segment)[] Escapes =
        {
            (new byte[] { 0x1B, 0x28, 0x42 }, true, Segment.Ascii),                 // ESC ( B  ASCII
            (new byte[] { 0x1B, 0x28, 0x4A }, true, Segment.Ascii),                 // ESC ( J  JIS X 0201 Roman
            (new byte[] { 0x1B, 0x29, 0x49 }, false, Segment.Katakana),             // ESC ) I  JIS X 0201 Katakana
            (new byte[] { 0x1B, 0x24, 0x42 }, true, Segment.JisX0208),              // ESC $ B  JIS X 0208
            (new byte[] { 0x1B, 0x24, 0x28, 0x44 }, true, Segment.JisX0212),        // ESC $ ( D  JIS X 0212
            (new byte[] { 0x1B, 0x24, 0x29, 0x43 }, false, Segment.DoubleByteHigh("euc-kr")), // ESC $ ) C  KS X 1001
            (new byte[] { 0x1B, 0x24, 0x29, 0x41 }, false, Segment.DoubleByteHigh("gb2312")), // ESC $ ) A  GB 2312
            (new byte[] { 0x1B, 0x2D, 0x41 }, false, Segment.SingleByte("iso-8859-1")),
            (new byte[] { 0x1B, 0x2D, 0x42 }, false, Segment.SingleByte("iso-8859-2")),
            (new byte[] { 0x1B, 0x2D, 0x43 }, false, Segment.SingleByte("iso-8859-3")),
            (new byte[] { 0x1B, 0x2D, 0x44 }, false, Segment.SingleByte("iso-8859-4")),
            (new byte[] { 0x1B, 0x2D, 0x4C }, false, Segment.SingleByte("iso-8859-5")),
            (new byte[] { 0x1B, 0x2D, 0x47 }, false, Segment.SingleByte("iso-8859-6")),
            (new byte[] { 0x1B, 0x2D, 0x46 }, false, Segment.SingleByte("iso-8859-7")),
            (new byte[] { 0x1B, 0x2D, 0x48 }, false, Segment.SingleByte("iso-8859-8")),
            (new byte[] { 0x1B, 0x2D, 0x4D }, false, Segment.SingleByte("iso-8859-9")),
            (new byte[] { 0x1B, 0x2D, 0x62 }, false, Segment.SingleByte("iso-8859-15")),
            (new byte[] { 0x1B, 0x2D, 0x54 }, false, Segment.SingleByte("windows-874")),
        };

        private static bool IsAscii(ReadOnlySpan<byte> bytes)
        {
            foreach (byte b in bytes)
            {
                if (b >= 0x80)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Common misspellings, as pydicom accepts them: "ISO-IR 100" and "ISO IR 100" for "ISO_IR 100", "ISO 2022-IR 87" ...</summary>
        private static string Normalize(string term)
        {
            string t = term.ToUpperInvariant().Replace("ISO-IR", "ISO_IR").Replace("ISO IR", "ISO_IR").Replace("ISO2022", "ISO 2022").Replace("ISO 2022-IR", "ISO 2022 IR").Replace("ISO 2022_IR", "ISO 2022 IR");
            return t.StartsWith("ISO_IR", StringComparison.Ordinal) && t.Length > 6 && t[6] != ' ' ? "ISO_IR " + t.Substring(6) : t;
        }

        private static string? Unknown(List<string> terms, List<string> misspelled)
        {
            var parts = new List<string>();
            if (misspelled.Count > 0)
            {
                parts.Add($"Specific Character Set {string.Join(", ", misspelled)}.");
            }

            if (terms.Count > 0)
            {
                parts.Add($"Specific Character Set term{(terms.Count > 1 ? "s" : string.Empty)} '{string.Join("', '", terms)}' not supported; such text is decoded as ISO 8859-1.");
            }

            return parts.Count == 0 ? null : string.Join(" ", parts);
        }

        /// <summary>One graphic character set as it is invoked in G0 (7-bit bytes) or G1 (8-bit bytes).</summary>
        private sealed class Segment
        {
            private readonly Encoding _encoding;
            private readonly byte? _highBitPrefix;
            private readonly bool _setHighBit;

            /// <summary>A 94x94 set invoked in G0: its characters are pairs of 7-bit bytes.</summary>
            public bool IsMultiByte => _setHighBit;

            private Segment(Encoding encoding, bool setHighBit = false, byte? highBitPrefix = null)
            {
                _encoding = encoding;
                _setHighBit = setHighBit;
                _highBitPrefix = highBitPrefix;
            }

            public static readonly Segment Ascii = new Segment(Encoding.ASCII);

            public static readonly Segment Latin1 = SingleByte("iso-8859-1");

            /// <summary>JIS X 0201 katakana in G1: the Shift-JIS single-byte katakana (0xA1-0xDF).</summary>
            public static readonly Segment Katakana = new Segment(Encoding.GetEncoding("shift_jis"));

            /// <summary>JIS X 0208 in G0 (7-bit pairs): as EUC-JP, each byte with the high bit set.</summary>
            public static readonly Segment JisX0208 = new Segment(Encoding.GetEncoding("euc-jp"), setHighBit: true);

            /// <summary>JIS X 0212 in G0: as EUC-JP's 0x8F-prefixed triples (decoded where the runtime's EUC-JP has them).</summary>
            public static readonly Segment JisX0212 = new Segment(Encoding.GetEncoding("euc-jp"), setHighBit: true, highBitPrefix: 0x8F);

            public static Segment SingleByte(string encoding) => new Segment(Get(encoding) ?? Encoding.GetEncoding("iso-8859-1"));

            public static Segment DoubleByteHigh(string encoding) => new Segment(Get(encoding) ?? Encoding.GetEncoding("iso-8859-1"));

            public void Decode(ReadOnlySpan<byte> bytes, StringBuilder text) =>
                text.Append(_encoding.GetString(_setHighBit ? HighBit(bytes, _highBitPrefix) : bytes.ToArray()));

            private static byte[] HighBit(ReadOnlySpan<byte> bytes, byte? prefix)
            {
                var result = new List<byte>(bytes.Length * 3 / 2);
                for (int i = 0; i + 1 < bytes.Length; i += 2)
                {
                    if (prefix is byte p)
                    {
                        result.Add(p);
                    }

                    result.Add((byte)(bytes[i] | 0x80));
                    result.Add((byte)(bytes[i + 1] | 0x80));
                }

                return result.ToArray();
            }

            private static Encoding? Get(string name)
            {
                try
                {
                    return Encoding.GetEncoding(name);
                }
                catch (ArgumentException)
                {
                    return null;
                }
            }
        }
    }
}
