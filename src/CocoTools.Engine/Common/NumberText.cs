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

        /// <summary>2^53: every integer up to this magnitude is exactly a double, so an integral double up to it is an integer.</summary>
        public const double MaxExactInteger = 9007199254740992d;

        /// <summary>The integer a double holds, when it is integral and at most <see cref="MaxExactInteger"/> in magnitude (3.0 is an integer to Python).</summary>
        public static bool TryIntegral(double d, out long value)
        {
            if (Math.Floor(d) == d && Math.Abs(d) <= MaxExactInteger)
            {
                value = (long)d;
                return true;
            }

            value = 0;
            return false;
        }

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
        /// The common case of CSV cells, "-12.5" or "1024", read straight from the characters: at most 19 digits and
        /// at most 22 of them after the point, whose integer value fits in 53 bits. Mantissa and power of ten are then
        /// exact doubles and one IEEE division rounds correctly (Clinger, 1990), as the framework's parser would.
        /// Exponents, more digits and anything else go to the JSON fast path and then the framework.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static bool TryParsePlainDecimal(ReadOnlySpan<char> span, out double value)
        {
            value = 0;
            int length = span.Length;
            int i = length > 0 && span[0] == '-' ? 1 : 0;
            int first = i;
            ulong mantissa = 0;
            uint digit;
            while (i < length && (digit = (uint)(span[i] - '0')) <= 9)
            {
                mantissa = (mantissa * 10) + digit;
                i++;
            }

            int integerDigits = i - first;
            int fractionDigits = 0;
            if (i < length && span[i] == '.')
            {
                int point = ++i;
                while (i < length && (digit = (uint)(span[i] - '0')) <= 9)
                {
                    mantissa = (mantissa * 10) + digit;
                    i++;
                }

                fractionDigits = i - point;
            }

            if (i == length && integerDigits > 0 && integerDigits + fractionDigits <= 19 && fractionDigits <= 22
                && (fractionDigits > 0 || span[length - 1] != '.') && mantissa <= DecimalParser.MaxExactMantissa)
            {
                double result = fractionDigits == 0 ? mantissa : mantissa / DecimalParser.PowersOfTen[fractionDigits];
                value = first == 1 ? -result : result;
                return true;
            }

            return TryParseJsonNumber(span, out value);
        }

        /// <summary>Number text the JSON grammar allows (e.g. with an exponent), through the JSON fast path.</summary>
        private static bool TryParseJsonNumber(ReadOnlySpan<char> span, out double value)
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
