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
            if (text != null
                && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
                && IsFinite(value))
            {
                return true;
            }

            value = 0;
            return false;
        }
    }
}
