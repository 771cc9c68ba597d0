using System;

namespace CocoTools.Engine
{
    /// <summary>
    /// Parses JSON number text to the correctly rounded double, fast for the common case: at most 19
    /// significant digits whose integer value fits in 53 bits, scaled by a power of ten up to 10^22. Both
    /// operands are then exact doubles, so one IEEE multiply or divide rounds correctly (Clinger, 1990).
    /// Anything else falls back to the framework's parser.
    /// </summary>
    internal static class DecimalParser
    {
        /// <summary>The largest mantissa every smaller integer of which is an exact double.</summary>
        internal const ulong MaxExactMantissa = 1UL << 53;

        /// <summary>10^0 to 10^22, the powers of ten that are exact doubles.</summary>
        internal static readonly double[] PowersOfTen =
        {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        };

        /// <summary>
        /// Accumulates decimal digits into the mantissa; false when more than 19 significant digits (leading zeros
        /// do not count) would overflow it. <paramref name="digits"/> is how many digits were read.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static bool ReadDigits(ReadOnlySpan<byte> text, ref int i, ref ulong mantissa, ref int significant, out int digits)
        {
            int start = i;
            for (; i < text.Length; i++)
            {
                uint digit = (uint)(text[i] - (byte)'0');
                if (digit > 9)
                {
                    break;
                }

                if ((mantissa != 0 || digit != 0) && ++significant > 19)
                {
                    digits = 0;
                    return false;
                }

                mantissa = (mantissa * 10) + digit;
            }

            digits = i - start;
            return true;
        }

        /// <summary>The value of valid JSON number text; false only when the fast path does not apply.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static bool TryParseFast(ReadOnlySpan<byte> text, out double value)
        {
            value = 0;
            int i = 0;
            int length = text.Length;
            bool negative = false;
            if (length > 0 && text[0] == (byte)'-')
            {
                negative = true;
                i = 1;
            }

            ulong mantissa = 0;
            int significant = 0;
            if (!ReadDigits(text, ref i, ref mantissa, ref significant, out _))
            {
                return false;
            }

            int exponent = 0;
            if (i < length && text[i] == (byte)'.')
            {
                i++;
                if (!ReadDigits(text, ref i, ref mantissa, ref significant, out int fractionDigits))
                {
                    return false;
                }

                exponent = -fractionDigits;
            }

            if (i < length && (text[i] == (byte)'e' || text[i] == (byte)'E'))
            {
                i++;
                bool negativeExponent = false;
                if (i < length && (text[i] == (byte)'+' || text[i] == (byte)'-'))
                {
                    negativeExponent = text[i] == (byte)'-';
                    i++;
                }

                int e = 0;
                for (; i < length; i++)
                {
                    uint digit = (uint)(text[i] - (byte)'0');
                    if (digit > 9 || e > 1000)
                    {
                        return false;
                    }

                    e = (e * 10) + (int)digit;
                }

                exponent += negativeExponent ? -e : e;
            }

            if (i != length || mantissa > MaxExactMantissa)
            {
                return false;
            }

            double result = mantissa;
            if (exponent < 0)
            {
                if (exponent < -22)
                {
                    return false;
                }

                result /= PowersOfTen[-exponent];
            }
            else if (exponent > 0)
            {
                if (exponent > 22)
                {
                    return false;
                }

                result *= PowersOfTen[exponent];
            }

            value = negative ? -result : result;
            return true;
        }
    }
}
