using System;
using System.Collections.Generic;
using System.Text.Json;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Validation
{
    // Typed member readers shared by every record check: a wrong kind or a missing member is a finding.
    internal sealed partial class CocoFileValidation
    {
        private const double MaxExactInteger = NumberText.MaxExactInteger;
        private const double Slack = 1.0;

        private bool IsObject(JsonElement e, string at, string what)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            _sink.Add(CocoRules.FieldType, () => at, () => $"{what} is {Describe(e)}, not an object.");
            return false;
        }

        /// <summary>A member of the expected JSON kind, or null (missing: a RequiredField finding if required; another kind: FieldType).</summary>
        private JsonElement? Member(JsonElement e, string at, string name, JsonValueKind kind, bool required)
        {
            if (!e.TryGetProperty(name, out var value))
            {
                if (required)
                {
                    _sink.Add(CocoRules.RequiredField, () => at, () => $"\"{name}\" is missing.");
                }

                return null;
            }

            if (value.ValueKind == kind)
            {
                return value;
            }

            if (value.ValueKind != JsonValueKind.Null || required)
            {
                TypeError($"{at}/{name}", name, value, kind switch
                {
                    JsonValueKind.String => "a string",
                    JsonValueKind.Number => "a number",
                    JsonValueKind.Array => "an array",
                    _ => "an object",
                });
            }

            return null;
        }

        /// <summary>Reads an integer id; a string id is the viewer's layout. False when there is no usable id.</summary>
        private bool ReadId(JsonElement e, string at, string name, string section, out long id)
        {
            id = 0;
            if (!e.TryGetProperty(name, out var value))
            {
                _sink.Add(CocoRules.RequiredField, () => at, () => $"\"{name}\" is missing.");
                return false;
            }

            if (TryInteger(value, out id))
            {
                return true;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                _sink.Add(CocoRules.ViewerLayout, () => $"{at}/{name}", () => $"the {section.TrimEnd('s')} id is the string \"{Shorten(value.GetString())}\"; COCO ids are integers.");
            }
            else
            {
                TypeError($"{at}/{name}", name, value, "an integer");
            }

            return false;
        }

        /// <summary>Reads image_id or category_id: an integer, or (viewer layout) a string; null when unusable.</summary>
        private long? ReadReference(JsonElement e, string at, string name, bool required)
        {
            if (!e.TryGetProperty(name, out var value))
            {
                if (required)
                {
                    _sink.Add(CocoRules.RequiredField, () => at, () => $"\"{name}\" is missing.");
                }

                return null;
            }

            if (TryInteger(value, out long id))
            {
                return id;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                _sink.Add(CocoRules.ViewerLayout, () => $"{at}/{name}", () => name == "category_id"
                    ? $"category_id is the category name \"{Shorten(value.GetString())}\"; COCO refers to categories by integer id."
                    : $"image_id is the string \"{Shorten(value.GetString())}\"; COCO refers to images by integer id.");
            }
            else
            {
                TypeError($"{at}/{name}", name, value, "an integer id");
            }

            return null;
        }

        /// <summary>Reads a finite number; reports FieldType or NonFinite otherwise.</summary>
        private bool ReadNumber(JsonElement value, string at, string what, out double number) => ReadNumber(value, at, -1, what, out number);

        /// <summary>
        /// Reads element <paramref name="index"/> of the array at <paramref name="parent"/> as a finite number (index -1:
        /// the value at <paramref name="parent"/> itself); the pointer text is built only for a finding.
        /// </summary>
        private bool ReadNumber(JsonElement value, string parent, int index, string what, out double number)
        {
            number = 0;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number))
            {
                return true;
            }

            string at = index < 0 ? parent : $"{parent}/{index}";
            if (value.ValueKind != JsonValueKind.Number)
            {
                TypeError(at, what, value, "a number");
            }
            else
            {
                _sink.Add(CocoRules.NonFinite, at, $"{what} is {value.GetRawText()}, too large for a double.");
            }

            return false;
        }

        private void TypeError(string at, string what, JsonElement value, string expected) =>
            _sink.Add(CocoRules.FieldType, () => at, () => $"{what} is {Describe(value)}; expected {expected}.");

        private static bool TryInteger(JsonElement value, out long integer)
        {
            integer = 0;
            if (value.ValueKind != JsonValueKind.Number)
            {
                return false;
            }

            if (value.TryGetInt64(out integer))
            {
                return true;
            }

            // 3.0 is an integer to Python, and so to pycocotools.
            if (value.TryGetDouble(out double d) && Math.Floor(d) == d && Math.Abs(d) <= MaxExactInteger)
            {
                integer = (long)d;
                return true;
            }

            return false;
        }
    }
}
