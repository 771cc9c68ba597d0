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
        /// <summary>An integer from an integral number or numeric text.</summary>
        public static long ToInt64(object? value, string field)
        {
            switch (value)
            {
                case byte or sbyte or short or ushort or int or uint or long:
                    return Convert.ToInt64(value, CultureInfo.InvariantCulture);
                case double or float or decimal:
                    double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (Math.Floor(d) == d && Math.Abs(d) < 9e15)
                    {
                        return (long)d;
                    }

                    break;
                case bool b:
                    return b ? 1 : 0;
                case string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long l):
                    return l;
            }

            throw Bad(field, value, "an integer");
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
