using System;
using System.Globalization;

namespace CocoTools.Engine
{
    /// <summary>Culture-invariant number formatting and checks that netstandard2.0 lacks.</summary>
    public static class NumberText
    {
        /// <summary>True when the value is neither NaN nor infinite.</summary>
        public static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

        /// <summary>Shortest text that parses back to the same double, invariant culture, integers without a decimal point.</summary>
        public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        /// <summary>Invariant-culture integer text.</summary>
        public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>Parses an invariant-culture floating-point number, rejecting NaN and infinities.</summary>
        public static bool TryParseFinite(string? text, out double value)
        {
            value = 0;
            return text != null && TryParseFinite(text.AsSpan(), out value);
        }

        /// <summary>Parses invariant-culture number text (surrounding white space allowed), rejecting NaN and infinities.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static bool TryParseFinite(ReadOnlySpan<char> text, out double value)
        {
            var span = text.Trim();
            if (TryParsePlainDecimal(span, out value))
            {
                return true;
            }

            if (span.Length > 0 && double.TryParse(span.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && IsFinite(value))
            {
                return true;
            }

            value = 0;
            return false;
        }

        /// <summary>
        /// The common case of CSV cells, "-12.5" or "3e2", through the JSON fast path: it starts with a digit (after
        /// an optional minus) and ends with one, so the JSON grammar the fast path assumes holds.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static bool TryParsePlainDecimal(ReadOnlySpan<char> span, out double value)
        {
            value = 0;
            int first = span.Length > 0 && span[0] == '-' ? 1 : 0;
            if (span.Length - first < 1 || span.Length > 40 || !IsDigit(span[first]) || !IsDigit(span[span.Length - 1]))
            {
                return false;
            }

            Span<byte> ascii = stackalloc byte[span.Length];
            for (int i = 0; i < span.Length; i++)
            {
                char c = span[i];
                if (c > 127)
                {
                    return false;
                }

                ascii[i] = (byte)c;
            }

            return DecimalParser.TryParseFast(ascii, out value);
        }

        private static bool IsDigit(char c) => (uint)(c - '0') <= 9;
    }
}
