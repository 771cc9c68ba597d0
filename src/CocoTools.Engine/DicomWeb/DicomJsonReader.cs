using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>
    /// Reads the DICOM JSON model (PS3.18 F.2), as QIDO-RS and WADO-RS metadata answer, into the module's
    /// <see cref="DicomDataset"/>, so the attributes read the same as from a Part 10 file: text as text (person names
    /// from their Alphabetic/Ideographic/Phonetic groups), DS/IS from JSON numbers written exactly as the server wrote
    /// them, binary numbers little endian, sequences as items. Bulk data (pixel data) is not fetched: its
    /// BulkDataURI is kept. There is no file meta group, so the transfer syntax is not known from metadata.
    /// </summary>
    public static class DicomJsonReader
    {
        private static readonly DicomCharacterSet Utf8 = DicomCharacterSet.Create("ISO_IR 192");
        private static readonly System.Text.UTF8Encoding StrictUtf8 = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);

        /// <summary>The data sets of a JSON array (QIDO-RS results, WADO-RS metadata); <paramref name="url"/> (redacted) names the source in errors.</summary>
        public static IReadOnlyList<DicomJsonObject> ReadArray(byte[] json, string url)
        {
            try
            {
                // System.Text.Json checks a string's UTF-8 only when it is read, and then throws an exception of its
                // own (found by the dicomweb-metadata fuzz target): the whole answer is checked first.
                StrictUtf8.GetCharCount(json);
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw DicomWebException.BadAnswer(url, "the JSON answer has bytes that are not UTF-8");
            }

            try
            {
                using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw DicomWebException.BadAnswer(url, "the answer is not a JSON array of data sets");
                }

                var result = new List<DicomJsonObject>();
                foreach (var item in document.RootElement.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        throw DicomWebException.BadAnswer(url, "an entry of the JSON array is not a data set");
                    }

                    var bulk = new Dictionary<uint, string>();
                    var dataset = ReadDataset(item, null, bulk, url, 0);
                    result.Add(new DicomJsonObject(dataset, bulk));
                }

                return result;
            }
            catch (JsonException e)
            {
                throw DicomWebException.BadAnswer(url, $"the answer is not valid JSON ({e.Message})");
            }
        }

        private static DicomDataset ReadDataset(JsonElement obj, DicomDataset? parent, Dictionary<uint, string> bulk, string url, int depth)
        {
            var dataset = new DicomDataset(parent) { CharacterSet = Utf8 };
            var elements = new List<DicomElement>();
            foreach (var property in obj.EnumerateObject())
            {
                if (property.Name.Length != 8 || !uint.TryParse(property.Name, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint tagValue) || property.Value.ValueKind != JsonValueKind.Object)
                {
                    throw DicomWebException.BadAnswer(url, $"'{property.Name}' is not an attribute of the DICOM JSON model (eight hex digits with an object)");
                }

                var tag = new DicomTag(tagValue);
                var a = property.Value;
                var vr = a.TryGetProperty("vr", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is string code && code.Length == 2
                    ? DicomVR.Parse(code)
                    : DicomDictionary.Lookup(tag)?.VR ?? DicomVR.UN;
                if (vr == DicomVR.SQ)
                {
                    var items = new List<DicomDataset>();
                    if (a.TryGetProperty("Value", out var seq) && seq.ValueKind == JsonValueKind.Array)
                    {
                        if (depth > 32)
                        {
                            throw DicomWebException.BadAnswer(url, "sequences are nested too deep");
                        }

                        foreach (var item in seq.EnumerateArray())
                        {
                            items.Add(item.ValueKind == JsonValueKind.Object ? ReadDataset(item, dataset, bulk, url, depth + 1) : new DicomDataset(dataset) { CharacterSet = Utf8 });
                        }
                    }

                    elements.Add(new DicomElement(tag, vr, 0, -1, null, false) { Items = items });
                    continue;
                }

                byte[]? value = null;
                if (a.TryGetProperty("Value", out var values) && values.ValueKind == JsonValueKind.Array)
                {
                    value = Encode(vr, values, url, property.Name);
                }
                else if (a.TryGetProperty("InlineBinary", out var inline) && inline.ValueKind == JsonValueKind.String)
                {
                    try
                    {
                        value = Convert.FromBase64String(inline.GetString()!);
                    }
                    catch (FormatException)
                    {
                        throw DicomWebException.BadAnswer(url, $"the InlineBinary of {property.Name} is not base64");
                    }
                }
                else if (a.TryGetProperty("BulkDataURI", out var uri) && uri.ValueKind == JsonValueKind.String)
                {
                    // Nested bulk data (LUT Data in a sequence) is counted under the sequence's item: tag 0.
                    bulk[depth == 0 ? tagValue : 0u] = uri.GetString()!;
                }

                elements.Add(new DicomElement(tag, vr, 0, value?.Length ?? 0, value ?? (vr.IsText ? Array.Empty<byte>() : null), false));
            }

            foreach (var e in elements.OrderBy(e => e.Tag.Value))
            {
                dataset.Add(e);
            }

            return dataset;
        }

        private static byte[] Encode(DicomVR vr, JsonElement values, string url, string name)
        {
            if (vr == DicomVR.PN)
            {
                return Encoding.UTF8.GetBytes(string.Join("\\", values.EnumerateArray().Select(PersonName)));
            }

            if (vr == DicomVR.DS || vr == DicomVR.IS)
            {
                // The number exactly as the server wrote it, so "0.661468" reads back as the file's text would.
                return Encoding.ASCII.GetBytes(string.Join("\\", values.EnumerateArray().Select(n => n.ValueKind switch
                {
                    JsonValueKind.Number => n.GetRawText(),
                    JsonValueKind.String => n.GetString(),
                    _ => string.Empty,
                })));
            }

            if (vr == DicomVR.AT)
            {
                var list = values.EnumerateArray().ToList();
                var bytes = new byte[list.Count * 4];
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i].ValueKind != JsonValueKind.String || !uint.TryParse(list[i].GetString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint at))
                    {
                        throw DicomWebException.BadAnswer(url, $"a value of {name} (AT) is not a tag");
                    }

                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), (ushort)(at >> 16));
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((i * 4) + 2), (ushort)at);
                }

                return bytes;
            }

            int size = vr == DicomVR.US || vr == DicomVR.SS ? 2
                : vr == DicomVR.UL || vr == DicomVR.SL || vr == DicomVR.FL ? 4
                : vr == DicomVR.FD || vr == DicomVR.SV || vr == DicomVR.UV ? 8 : 0;
            if (size > 0)
            {
                var list = values.EnumerateArray().ToList();
                var bytes = new byte[list.Count * size];
                for (int i = 0; i < list.Count; i++)
                {
                    var span = bytes.AsSpan(i * size, size);
                    var n = list[i];
                    if (n.ValueKind != JsonValueKind.Number)
                    {
                        throw DicomWebException.BadAnswer(url, $"a value of {name} ({vr.Code}) is not a number");
                    }

                    bool ok = true;
                    switch (vr.Code)
                    {
                        case "US": ok = n.TryGetUInt16(out ushort us); BinaryPrimitives.WriteUInt16LittleEndian(span, us); break;
                        case "SS": ok = n.TryGetInt16(out short ss); BinaryPrimitives.WriteInt16LittleEndian(span, ss); break;
                        case "UL": ok = n.TryGetUInt32(out uint ul); BinaryPrimitives.WriteUInt32LittleEndian(span, ul); break;
                        case "SL": ok = n.TryGetInt32(out int sl); BinaryPrimitives.WriteInt32LittleEndian(span, sl); break;
                        case "SV": ok = n.TryGetInt64(out long sv); BinaryPrimitives.WriteInt64LittleEndian(span, sv); break;
                        case "UV": ok = n.TryGetUInt64(out ulong uv); BinaryPrimitives.WriteUInt64LittleEndian(span, uv); break;
                        case "FL": BinaryPrimitives.WriteInt32LittleEndian(span, SingleBits((float)n.GetDouble())); break;
                        default: BinaryPrimitives.WriteInt64LittleEndian(span, BitConverter.DoubleToInt64Bits(n.GetDouble())); break;
                    }

                    if (!ok)
                    {
                        throw DicomWebException.BadAnswer(url, $"a value of {name} ({vr.Code}) is out of range");
                    }
                }

                return bytes;
            }

            // Text: values joined by backslashes, as in a file (null values are empty).
            return Encoding.UTF8.GetBytes(string.Join("\\", values.EnumerateArray().Select(s => s.ValueKind switch
            {
                JsonValueKind.String => s.GetString(),
                JsonValueKind.Number => s.GetRawText(),
                _ => string.Empty,
            })));
        }

        private static string PersonName(JsonElement name)
        {
            if (name.ValueKind == JsonValueKind.String)
            {
                return name.GetString() ?? string.Empty;
            }

            if (name.ValueKind != JsonValueKind.Object)
            {
                return string.Empty;
            }

            string Group(string key) => name.TryGetProperty(key, out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() ?? string.Empty : string.Empty;
            return (Group("Alphabetic") + "=" + Group("Ideographic") + "=" + Group("Phonetic")).TrimEnd('=');
        }

        private static int SingleBits(float f) => System.Runtime.CompilerServices.Unsafe.As<float, int>(ref f);
    }

    /// <summary>One data set of a DICOM JSON answer, with the BulkDataURIs of its top-level bulk data.</summary>
    public sealed class DicomJsonObject
    {
        internal DicomJsonObject(DicomDataset dataset, IReadOnlyDictionary<uint, string> bulkData)
        {
            Dataset = dataset;
            BulkData = bulkData;
        }

        /// <summary>The attributes.</summary>
        public DicomDataset Dataset { get; }

        /// <summary>BulkDataURI by tag value (for example 0x7FE00010 for Pixel Data); bulk data inside sequences under 0.</summary>
        public IReadOnlyDictionary<uint, string> BulkData { get; }

        /// <summary>True when attributes other than the pixel data were left out as bulk data (palettes, LUTs).</summary>
        public bool HasOtherBulkData => BulkData.Keys.Any(k => k != 0x7FE00010u);
    }
}
