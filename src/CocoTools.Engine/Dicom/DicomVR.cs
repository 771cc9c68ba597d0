using System;

namespace CocoTools.Engine.Dicom
{
    /// <summary>A DICOM value representation, by its two-letter code.</summary>
    public readonly struct DicomVR : IEquatable<DicomVR>
    {
        private readonly ushort _code;

        private DicomVR(char a, char b)
        {
            _code = (ushort)((a << 8) | b);
        }

        internal DicomVR(byte a, byte b)
        {
            _code = (ushort)((a << 8) | b);
        }

        /// <summary>The two-letter code, e.g. <c>US</c>.</summary>
        public string Code => _code == 0 ? "--" : new string(new[] { (char)(_code >> 8), (char)(_code & 0xFF) });

        /// <summary>True when both bytes are upper-case letters: the shape of every VR the standard defines.</summary>
        internal bool IsWellFormed => IsUpper(_code >> 8) && IsUpper(_code & 0xFF);

        /// <summary>True for a VR the standard defines.</summary>
        public bool IsKnown => KnownCodes[_code];

        /// <summary>Explicit VR encodes these with a 2-byte reserved field and a 4-byte length.</summary>
        internal bool HasLongLength => this == OB || this == OD || this == OF || this == OL || this == OV || this == OW
            || this == SQ || this == SV || this == UC || this == UN || this == UR || this == UT || this == UV;

        /// <summary>Character data whose bytes follow the Specific Character Set.</summary>
        internal bool IsCharacterSetText => this == SH || this == LO || this == ST || this == LT || this == UT || this == UC || this == PN;

        /// <summary>Character data in the default repertoire or as text: strings of all kinds.</summary>
        internal bool IsText => IsCharacterSetText || this == AE || this == AS || this == CS || this == DA || this == DS || this == DT
            || this == IS || this == TM || this == UI || this == UR;

#pragma warning disable CS1591 // The standard's two-letter VR codes are their own documentation.
        public static readonly DicomVR AE = new DicomVR('A', 'E');
        public static readonly DicomVR AS = new DicomVR('A', 'S');
        public static readonly DicomVR AT = new DicomVR('A', 'T');
        public static readonly DicomVR CS = new DicomVR('C', 'S');
        public static readonly DicomVR DA = new DicomVR('D', 'A');
        public static readonly DicomVR DS = new DicomVR('D', 'S');
        public static readonly DicomVR DT = new DicomVR('D', 'T');
        public static readonly DicomVR FD = new DicomVR('F', 'D');
        public static readonly DicomVR FL = new DicomVR('F', 'L');
        public static readonly DicomVR IS = new DicomVR('I', 'S');
        public static readonly DicomVR LO = new DicomVR('L', 'O');
        public static readonly DicomVR LT = new DicomVR('L', 'T');
        public static readonly DicomVR OB = new DicomVR('O', 'B');
        public static readonly DicomVR OD = new DicomVR('O', 'D');
        public static readonly DicomVR OF = new DicomVR('O', 'F');
        public static readonly DicomVR OL = new DicomVR('O', 'L');
        public static readonly DicomVR OV = new DicomVR('O', 'V');
        public static readonly DicomVR OW = new DicomVR('O', 'W');
        public static readonly DicomVR PN = new DicomVR('P', 'N');
        public static readonly DicomVR SH = new DicomVR('S', 'H');
        public static readonly DicomVR SL = new DicomVR('S', 'L');
        public static readonly DicomVR SQ = new DicomVR('S', 'Q');
        public static readonly DicomVR SS = new DicomVR('S', 'S');
        public static readonly DicomVR ST = new DicomVR('S', 'T');
        public static readonly DicomVR SV = new DicomVR('S', 'V');
        public static readonly DicomVR TM = new DicomVR('T', 'M');
        public static readonly DicomVR UC = new DicomVR('U', 'C');
        public static readonly DicomVR UI = new DicomVR('U', 'I');
        public static readonly DicomVR UL = new DicomVR('U', 'L');
        public static readonly DicomVR UN = new DicomVR('U', 'N');
        public static readonly DicomVR UR = new DicomVR('U', 'R');
        public static readonly DicomVR US = new DicomVR('U', 'S');
        public static readonly DicomVR UT = new DicomVR('U', 'T');
        public static readonly DicomVR UV = new DicomVR('U', 'V');
#pragma warning restore CS1591

        /// <summary>No VR: item and delimitation tags.</summary>
        public static readonly DicomVR None = default;

        private static readonly DicomVR[] Known =
        {
            AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV,
        };

        // One flag per possible code: the check runs for every element of every file scanned.
        private static readonly bool[] KnownCodes = BuildKnownCodes();

        private static bool[] BuildKnownCodes()
        {
            var codes = new bool[ushort.MaxValue + 1];
            foreach (var vr in Known)
            {
                codes[vr._code] = true;
            }

            return codes;
        }

        /// <summary>The VR with this code; <see cref="None"/> for "NONE" (dictionary items).</summary>
        internal static DicomVR Parse(string code) => code.Length == 2 ? new DicomVR(code[0], code[1]) : None;

        /// <inheritdoc />
        public bool Equals(DicomVR other) => _code == other._code;

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is DicomVR vr && Equals(vr);

        /// <inheritdoc />
        public override int GetHashCode() => _code;

        /// <summary>Equality of codes.</summary>
        public static bool operator ==(DicomVR a, DicomVR b) => a._code == b._code;

        /// <summary>Inequality of codes.</summary>
        public static bool operator !=(DicomVR a, DicomVR b) => a._code != b._code;

        /// <inheritdoc />
        public override string ToString() => Code;

        private static bool IsUpper(int c) => c >= 'A' && c <= 'Z';
    }
}
