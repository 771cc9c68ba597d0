using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using CocoTools.Engine.Coco.Json;

namespace CocoTools.Engine.Validation
{
    /// <summary>
    /// One validation pass over one COCO document. The top level is streamed; each record (image, annotation,
    /// category, license, detection) is parsed on its own and checked at once; the facts the cross-record rules
    /// need are kept compactly and checked when the document has been read.
    /// </summary>
    internal sealed partial class CocoFileValidation : IDisposable
    {
        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions { MaxDepth = 64 };

        private readonly JsonReadBuffer _buffer;
        private readonly string? _name;
        private readonly CocoValidationOptions _options;
        private readonly FindingSink _sink;
        private readonly GroundTruthIds? _truth;

        private readonly Dictionary<long, ImageFacts> _images = new Dictionary<long, ImageFacts>();
        private readonly Dictionary<long, CategoryFacts> _categories = new Dictionary<long, CategoryFacts>();
        private readonly HashSet<long> _annotationIds = new HashSet<long>();
        private readonly HashSet<long> _licenseIds = new HashSet<long>();
        private readonly Dictionary<string, int> _fileNames = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _categoryNames = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<AnnotationFacts> _annotations = new List<AnnotationFacts>();
        private readonly List<PanopticFacts> _panoptic = new List<PanopticFacts>();
        private readonly List<ImageFacts> _imageList = new List<ImageFacts>();
        private bool _sawImages;
        private bool _sawCategories;
        private bool _sawLicenses;
        private bool _imagesComplete = true;
        private bool _categoriesComplete = true;

        public CocoFileValidation(Stream stream, string? name, CocoValidationOptions options, FindingSink sink, GroundTruthIds? truth)
        {
            _name = name;
            _options = options;
            _sink = sink;
            _truth = truth;
            _buffer = new JsonReadBuffer(stream, ReaderOptions) { Progress = options.Progress };
        }

        public void Dispose() => _buffer.Dispose();

        public void Run()
        {
            var reader = _buffer.CreateReader();
            try
            {
                if (_buffer.IsBlank || !_buffer.Read(ref reader))
                {
                    _sink.Add(CocoRules.Document, string.Empty, "the file is empty; a COCO file is a JSON object with images, annotations and categories.");
                    return;
                }

                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadRecords(ref reader, string.Empty, CheckResult);
                    return;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    _sink.Add(CocoRules.Document, string.Empty, $"the document is {Describe(ref reader)}, not a JSON object (or, for a results file, an array).");
                    return;
                }

                if (_options.Kind == CocoFileKind.Results)
                {
                    _sink.Add(CocoRules.Document, string.Empty, "a results file is an array of detections, and this document is an object.");
                }

                ReadSections(ref reader);
            }
            catch (JsonException e)
            {
                ReportSyntax(e);
                return;
            }

            CheckCrossReferences();
            CheckFiles();
        }

        private void ReadSections(ref Utf8JsonReader reader)
        {
            while (_buffer.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                string section = reader.GetString() ?? string.Empty;
                _buffer.Read(ref reader);
                switch (section)
                {
                    case "images":
                        _sawImages = true;
                        _imagesComplete &= ReadSection(ref reader, section, CheckImage);
                        break;
                    case "annotations":
                        ReadSection(ref reader, section, CheckAnnotation);
                        break;
                    case "categories":
                        _sawCategories = true;
                        _categoriesComplete &= ReadSection(ref reader, section, CheckCategory);
                        break;
                    case "licenses":
                        _sawLicenses = true;
                        ReadSection(ref reader, section, CheckLicense);
                        break;
                    case "info":
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            string kind = Describe(ref reader);
                            _sink.Add(CocoRules.Section, "/info", $"info is {kind}, not an object.");
                        }

                        _buffer.Skip(ref reader);
                        break;
                    default:
                        _buffer.Skip(ref reader);
                        break;
                }
            }

            bool captions = _options.Kind == CocoFileKind.Captions;
            if (!_sawImages)
            {
                _sink.Add(CocoRules.Section, string.Empty, "the file has no images array.");
            }

            if (!_sawAnnotations)
            {
                _sink.Add(CocoRules.Section, string.Empty, "the file has no annotations array.");
            }

            if (!_sawCategories && !captions && !_onlyCaptions)
            {
                _sink.Add(CocoRules.Section, string.Empty, "the file has no categories array.");
            }
        }

        private delegate void RecordCheck(JsonElement record, int index);

        /// <summary>Reads a section that must be an array of records; false when it was not one.</summary>
        private bool ReadSection(ref Utf8JsonReader reader, string section, RecordCheck check)
        {
            if (section == "annotations")
            {
                _sawAnnotations = true;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                string kind = Describe(ref reader);
                _sink.Add(CocoRules.Section, "/" + section, $"{section} is {kind}, not an array.");
                _buffer.Skip(ref reader);
                return false;
            }

            ReadRecords(ref reader, "/" + section, check);
            return true;
        }

        /// <summary>Reads the elements of the array the reader is on, each parsed on its own and checked.</summary>
        private void ReadRecords(ref Utf8JsonReader reader, string pointer, RecordCheck check)
        {
            int index = 0;
            while (true)
            {
                // The element's exact text (or "]" at the end of the array), refilled across buffer boundaries.
                byte[] raw = _buffer.ReadRawValue(ref reader);
                if (raw.Length == 1 && raw[0] == (byte)']')
                {
                    return;
                }

                using (var document = JsonDocument.Parse(raw))
                {
                    check(document.RootElement, index);
                }

                index++;
            }
        }

        private bool _sawAnnotations;
        private bool _onlyCaptions = true;

        private void ReportSyntax(JsonException e)
        {
            if (e is JsonEncodingException encoding)
            {
                var at = TextLocator.Locate(_name, encoding.Offset);
                if (_sink.Add(CocoRules.JsonSyntax, string.Empty, $"invalid JSON: {e.Message}; validation stops here.") is CocoFinding bad)
                {
                    bad.Line = at?.Line;
                    bad.Column = at?.Column;
                }

                return;
            }

            int? line = e.LineNumber is long l ? (int)l + 1 : null;
            int? column = e.BytePositionInLine is long c ? (int)c + 1 : null;
            string message = e.Message;
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message.Substring(0, cut);
            }

            // Python's json module writes NaN and Infinity by default; they are not JSON.
            bool nonFinite = message.Contains("'N'") || message.Contains("'I'");
            var rule = nonFinite ? CocoRules.NonFinite : CocoRules.JsonSyntax;
            string text = nonFinite
                ? "NaN or Infinity is not a JSON number (Python's json.dump writes them unless allow_nan=False); validation stops here."
                : _buffer.EndsInsideValue() ? "the file ends early (truncated?): the JSON is incomplete." : $"invalid JSON: {message.TrimEnd('.')}; validation stops here.";
            if (_sink.Add(rule, string.Empty, text) is CocoFinding finding)
            {
                finding.Line = line;
                finding.Column = column;
            }
        }

        private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => $"the string \"{Shorten(reader.GetString())}\"",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            _ => reader.TokenType.ToString(),
        };

        private static string Describe(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => $"the string \"{Shorten(e.GetString())}\"",
            JsonValueKind.Number => $"the number {e.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => e.ValueKind.ToString(),
        };

        private static string Shorten(string? text) => text == null ? string.Empty : text.Length <= 60 ? text : text.Substring(0, 57) + "...";

        private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        /// <summary>The ids a results file may name: those of its ground truth.</summary>
        internal sealed class GroundTruthIds
        {
            public HashSet<long> Images { get; } = new HashSet<long>();

            public HashSet<long> Categories { get; } = new HashSet<long>();
        }

        internal static GroundTruthIds ReadGroundTruth(string path)
        {
            var dataset = CocoJsonReader.ReadFile(path);
            var ids = new GroundTruthIds();
            foreach (var image in dataset.Images)
            {
                ids.Images.Add(image.Id);
            }

            foreach (var category in dataset.Categories)
            {
                ids.Categories.Add(category.Id);
            }

            return ids;
        }
    }
}
