using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace CocoTools.Engine
{
    /// <summary>
    /// Conversions of loosely typed user data (hashtable values, CSV cells) into the types COCO needs,
    /// each failing with a message that names the field.
    /// </summary>
    public static class LooseValue
    {
        /// <summary>An integer from an integral number or numeric text (see <see cref="TryToInt64"/>).</summary>
        public static long ToInt64(object? value, string field) =>
            TryToInt64(value, out long l) ? l : throw Bad(field, value, "an integer");

        /// <summary>
        /// The one rule for an integer in loosely typed data (hashtable values, CSV cells, pipeline properties), the
        /// same as the COCO JSON reader's: integral types exactly; a float, or numeric text such as "1e3" or "5.0",
        /// when its value is integral and at most 2^53. Booleans are not integers (JSON's true is not 1 either).
        /// </summary>
        public static bool TryToInt64(object? value, out long result)
        {
            switch (value)
            {
                case byte or sbyte or short or ushort or int or uint or long:
                    result = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                    return true;
                case ulong u when u <= long.MaxValue:
                    result = (long)u;
                    return true;
                case double or float or decimal:
                    return NumberText.TryIntegral(Convert.ToDouble(value, CultureInfo.InvariantCulture), out result);
                case string s:
                    if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out result))
                    {
                        return true;
                    }

                    if (NumberText.TryParseFinite(s, out double d))
                    {
                        return NumberText.TryIntegral(d, out result);
                    }

                    break;
            }

            result = 0;
            return false;
        }

        /// <summary>A 32-bit integer from an integral number or numeric text.</summary>
        public static int ToInt32(object? value, string field)
        {
            long l = ToInt64(value, field);
            if (l < int.MinValue || l > int.MaxValue)
            {
                throw Bad(field, value, "a 32-bit integer");
            }

            return (int)l;
        }

        /// <summary>A finite double from a number or invariant-culture numeric text.</summary>
        public static double ToDouble(object? value, string field)
        {
            switch (value)
            {
                case byte or sbyte or short or ushort or int or uint or long or float or double or decimal:
                    double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (NumberText.IsFinite(d))
                    {
                        return d;
                    }

                    break;
                case string s when NumberText.TryParseFinite(s, out double parsed):
                    return parsed;
            }

            throw Bad(field, value, "a finite number");
        }

        /// <summary>Text of a value (invariant culture for numbers).</summary>
        public static string? ToText(object? value) => value switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };

        /// <summary>The items of a list value; a single non-list value is a list of one.</summary>
        public static List<object?> ToList(object? value)
        {
            var list = new List<object?>();
            if (value is string || value is IDictionary || value == null)
            {
                if (value != null)
                {
                    list.Add(value);
                }

                return list;
            }

            if (value is IEnumerable seq)
            {
                foreach (var item in seq)
                {
                    list.Add(item);
                }
            }
            else
            {
                list.Add(value);
            }

            return list;
        }

        /// <summary>Looks a key up in a dictionary ignoring case.</summary>
        public static bool TryGet(IDictionary dictionary, string key, out object? value)
        {
            foreach (DictionaryEntry e in dictionary)
            {
                if (string.Equals(ToText(e.Key), key, StringComparison.OrdinalIgnoreCase))
                {
                    value = e.Value;
                    return true;
                }
            }

            value = null;
            return false;
        }

        private static CocoToolsException Bad(string field, object? value, string expected) =>
            new CocoToolsException("InvalidValue", FailureKind.InvalidArgument, $"{field} must be {expected}; got '{ToText(value) ?? "null"}'.") { Target = field };
    }
}
