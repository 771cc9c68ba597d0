using System;
using System.Text.Json;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Validation
{
    // Checks of one images[] and licenses[] record.
    internal sealed partial class CocoFileValidation
    {
        private void CheckImage(JsonElement e, int index)
        {
            string at = $"/images/{index}";
            if (!IsObject(e, at, "an image"))
            {
                return;
            }

            var facts = new ImageFacts { Index = index };
            bool hasId = ReadId(e, at, "id", "images", out long id);
            facts.Id = id;
            facts.Width = ReadImageSide(e, at, "width");
            facts.Height = ReadImageSide(e, at, "height");
            if (Member(e, at, "file_name", JsonValueKind.String, required: true) is JsonElement name)
            {
                facts.FileName = name.GetString();
                if (_fileNames.TryGetValue(facts.FileName!, out int first))
                {
                    _sink.Add(CocoRules.DuplicateFileName, () => at + "/file_name", () => $"file_name \"{Shorten(facts.FileName)}\" is also the file_name of /images/{first}.");
                }
                else
                {
                    _fileNames.Add(facts.FileName!, index);
                }
            }

            if (e.TryGetProperty("license", out var license) && license.ValueKind != JsonValueKind.Null)
            {
                if (TryInteger(license, out long l))
                {
                    facts.License = l;
                }
                else
                {
                    TypeError(at + "/license", "license", license, "an integer license id");
                }
            }

            if (!hasId)
            {
                return;
            }

            if (_images.TryGetValue(id, out var other))
            {
                _sink.Add(CocoRules.DuplicateId, () => at + "/id", () => $"image id {id} is also the id of /images/{other.Index}.");
                return;
            }

            _images.Add(id, facts);
            _imageList.Add(facts);
        }

        private int? ReadImageSide(JsonElement e, string at, string member)
        {
            if (Member(e, at, member, JsonValueKind.Number, required: true) is not JsonElement side)
            {
                return null;
            }

            if (!side.TryGetDouble(out double value))
            {
                _sink.Add(CocoRules.NonFinite, $"{at}/{member}", $"{member} is {side.GetRawText()}, too large for a double.");
                return null;
            }

            if (value <= 0 || Math.Floor(value) != value || value > int.MaxValue)
            {
                _sink.Add(CocoRules.ImageSize, () => $"{at}/{member}", () => $"{member} is {Number(value)}; it must be a positive integer (pixels).");
                return null;
            }

            return (int)value;
        }

        private void CheckLicense(JsonElement e, int index)
        {
            string at = $"/licenses/{index}";
            if (!IsObject(e, at, "a license"))
            {
                return;
            }

            if (ReadId(e, at, "id", "licenses", out long id) && !_licenseIds.Add(id))
            {
                _sink.Add(CocoRules.DuplicateId, at + "/id", $"license id {id} is not unique.");
            }

            Member(e, at, "name", JsonValueKind.String, required: false);
            Member(e, at, "url", JsonValueKind.String, required: false);
        }
    }
}
