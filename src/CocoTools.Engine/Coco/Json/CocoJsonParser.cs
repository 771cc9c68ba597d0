using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>
    /// One streaming parse of one COCO document. Records are parsed as they stream past; ids, references and
    /// the viewer flavour's repairs are resolved in one pass at the end, when everything has been seen.
    /// </summary>
    internal sealed partial class CocoJsonParser : IDisposable
    {
        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions { MaxDepth = 64 };

        private readonly JsonReadBuffer _buffer;
        private readonly JsonPointerTracker _pointer = new JsonPointerTracker();
        private readonly string? _sourcePath;
        private readonly bool _strict;
        private readonly CocoDataset _dataset = new CocoDataset();
        private readonly List<CocoImage> _images = new List<CocoImage>();
        private readonly List<CocoCategory> _categories = new List<CocoCategory>();
        private readonly List<CocoAnnotation> _annotations = new List<CocoAnnotation>();
        private readonly List<PanopticEntry> _panoptic = new List<PanopticEntry>();
        private readonly List<AttributeRecord> _attributeRecords = new List<AttributeRecord>();
        private readonly Dictionary<CocoImage, ViewerImageFacts> _viewerImages = new Dictionary<CocoImage, ViewerImageFacts>();
        private readonly Dictionary<CocoAnnotation, ViewerAnnotationFacts> _viewerAnnotations = new Dictionary<CocoAnnotation, ViewerAnnotationFacts>();
        private readonly List<Problem> _problems = new List<Problem>();
        private readonly List<double[]> _polygons = new List<double[]>();
        private readonly ICocoRecordSink? _sink;
        private double[] _numbers = new double[256];

        public CocoJsonParser(Stream stream, string? sourcePath, CocoReadOptions options)
        {
            _sourcePath = sourcePath;
            _strict = options.Strict;
            _buffer = options.BufferSize is int size ? new JsonReadBuffer(stream, ReaderOptions, size) : new JsonReadBuffer(stream, ReaderOptions);
            _buffer.Progress = options.Progress;
            _sink = options.RecordSink;
        }

        public void Dispose() => _buffer.Dispose();

        public CocoDataset Parse()
        {
            var reader = _buffer.CreateReader();
            try
            {
                ParseDocument(ref reader);
            }
            catch (JsonEncodingException e)
            {
                var at = TextLocator.Locate(_sourcePath, e.Offset);
                throw new CocoFormatException("JsonSyntax", "invalid JSON: " + e.Message + ".", _sourcePath, _pointer.ToString(), at?.Line, at?.Column, e);
            }
            catch (JsonException e)
            {
                int? line = e.LineNumber is long l ? (int)l + 1 : null;
                int? column = e.BytePositionInLine is long c ? (int)c + 1 : null;
                if (_buffer.EndsInsideValue())
                {
                    throw new CocoFormatException("JsonTruncated", "the file ends early (truncated?): the JSON is incomplete.", _sourcePath, _pointer.ToString(), line, column, e);
                }

                throw new CocoFormatException("JsonSyntax", "invalid JSON: " + TrimReaderMessage(e.Message), _sourcePath, _pointer.ToString(), line, column, e);
            }

            if (_sink == null)
            {
                Resolve();
            }
            else
            {
                ResolveStreamed();
            }

            if (_problems.Count > 0)
            {
                var first = _problems[0];
                long offset = first.Offset >= 0 ? first.Offset : JsonPointerLocator.Find(_sourcePath, first.Pointer) ?? -1;
                var at = TextLocator.Locate(_sourcePath, offset);
                string more = _problems.Count > 1 ? $" (and {_problems.Count - 1} more problem{(_problems.Count > 2 ? "s" : string.Empty)}; Test-CocoFile lists them all)" : string.Empty;
                throw new CocoFormatException(first.ErrorId, first.Message + more, _sourcePath, first.Pointer, at?.Line, at?.Column);
            }

            return _dataset;
        }

        private void ParseDocument(ref Utf8JsonReader reader)
        {
            if (_buffer.IsBlank || !_buffer.Read(ref reader))
            {
                throw Fail(ref reader, "EmptyFile", "the file is empty; a COCO file is a JSON object with images, annotations and categories.");
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                throw Fail(ref reader, "ResultsFileNotDataset", "the top level is an array: this is a results file (a list of detections), not a dataset. Check it with Test-CocoFile -Kind Results.");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Fail(ref reader, "JsonType", $"the top level must be a JSON object, found {Describe(ref reader)}.");
            }

            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("images"u8))
                {
                    ParseArray(ref reader, "images", ArrayKind.Images);
                }
                else if (reader.ValueTextEquals("annotations"u8))
                {
                    ParseArray(ref reader, "annotations", ArrayKind.Annotations);
                }
                else if (reader.ValueTextEquals("categories"u8))
                {
                    ParseArray(ref reader, "categories", ArrayKind.Categories);
                }
                else if (reader.ValueTextEquals("licenses"u8))
                {
                    ParseArray(ref reader, "licenses", ArrayKind.Licenses);
                }
                else if (reader.ValueTextEquals("info"u8))
                {
                    ParseInfo(ref reader);
                }
                else
                {
                    string name = reader.GetString()!;
                    _dataset.Extra.AddRaw(name, _buffer.ReadRawValue(ref reader));
                }
            }

            if (_buffer.Read(ref reader))
            {
                throw Fail(ref reader, "JsonSyntax", "invalid JSON: there is content after the end of the top-level object.");
            }
        }

        private enum ArrayKind
        {
            Images,
            Annotations,
            Categories,
            Licenses,
        }

        private void ParseArray(ref Utf8JsonReader reader, string name, ArrayKind kind)
        {
            _pointer.PushName(name);
            Next(ref reader);
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw TypeError(ref reader, $"an array of {name}");
            }

            _pointer.PushIndex(0);
            int index = 0;
            int start = kind switch
            {
                ArrayKind.Images => _images.Count,
                ArrayKind.Annotations => _annotations.Count + _panoptic.Count + _attributeRecords.Count,
                ArrayKind.Categories => _categories.Count,
                _ => _dataset.Licenses.Count,
            };
            while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                _pointer.SetIndex(index);
                switch (kind)
                {
                    case ArrayKind.Images:
                        ParseImage(ref reader, start + index);
                        break;
                    case ArrayKind.Annotations:
                        ParseAnnotation(ref reader, start + index);
                        break;
                    case ArrayKind.Categories:
                        ParseCategory(ref reader, start + index);
                        break;
                    default:
                        ParseLicense(ref reader);
                        break;
                }

                index++;
            }

            _pointer.Pop();
            _pointer.Pop();
        }

        private void ParseInfo(ref Utf8JsonReader reader)
        {
            _pointer.PushName("info");
            Next(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw TypeError(ref reader, "an object");
            }

            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                _dataset.Info.Members.AddRaw(name, _buffer.ReadRawValue(ref reader));
            }

            _pointer.Pop();
        }

        private void ParseLicense(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw TypeError(ref reader, "a license object");
            }

            long offset = _buffer.TokenOffset(ref reader);
            var license = new CocoLicense();
            bool hasId = false;
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    license.SetIdUnchecked(ReadInteger(ref reader, "id", "an integer id"));
                    hasId = true;
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    license.Name = ReadSoftString(ref reader, license);
                }
                else if (reader.ValueTextEquals("url"u8))
                {
                    license.Url = ReadSoftString(ref reader, license);
                }
                else
                {
                    AddExtra(ref reader, license.Extra);
                }
            }

            if (!hasId)
            {
                AddProblem("MissingId", "the license has no id.", _pointer.ToString(), offset);
                return;
            }

            if (_dataset.Licenses.Contains(license.Id))
            {
                AddProblem("DuplicateId", $"license id {license.Id} is used twice.", _pointer.With("id"), offset);
                return;
            }

            _dataset.Licenses.Add(license);
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private void ParseImage(ref Utf8JsonReader reader, int index)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw TypeError(ref reader, "an image object");
            }

            long offset = _buffer.TokenOffset(ref reader);
            var image = new CocoImage { SourceIndex = index };
            bool hasId = false;
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    _pointer.PushName("id");
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        _viewerImages[image] = new ViewerImageFacts(reader.GetString()!, _buffer.TokenOffset(ref reader));
                    }
                    else
                    {
                        image.SetIdUnchecked(ToInteger(ref reader, "an integer id"));
                    }

                    hasId = true;
                    _pointer.Pop();
                }
                else if (reader.ValueTextEquals("width"u8))
                {
                    image.Width = ReadOptionalInt32(ref reader, "width");
                }
                else if (reader.ValueTextEquals("height"u8))
                {
                    image.Height = ReadOptionalInt32(ref reader, "height");
                }
                else if (reader.ValueTextEquals("file_name"u8))
                {
                    image.FileName = ReadSoftString(ref reader, image);
                }
                else if (reader.ValueTextEquals("license"u8))
                {
                    image.License = ReadSoftInteger(ref reader, image);
                }
                else if (reader.ValueTextEquals("coco_url"u8))
                {
                    image.CocoUrl = ReadSoftString(ref reader, image);
                }
                else if (reader.ValueTextEquals("flickr_url"u8))
                {
                    image.FlickrUrl = ReadSoftString(ref reader, image);
                }
                else if (reader.ValueTextEquals("date_captured"u8))
                {
                    image.DateCaptured = ReadSoftString(ref reader, image);
                }
                else
                {
                    AddExtra(ref reader, image.Extra);
                }
            }

            if (!hasId)
            {
                AddProblem("MissingId", "the image has no id.", _pointer.ToString(), offset);
                return;
            }

            if (_sink != null && !_viewerImages.ContainsKey(image))
            {
                _sink.Image(image);
                return;
            }

            _images.Add(image);
        }

        private void ParseCategory(ref Utf8JsonReader reader, int index)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw TypeError(ref reader, "a category object");
            }

            long offset = _buffer.TokenOffset(ref reader);
            var category = new CocoCategory { SourceIndex = index };
            bool hasId = false;
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    category.SetIdUnchecked(ReadInteger(ref reader, "id", "an integer id"));
                    hasId = true;
                }
                else if (reader.ValueTextEquals("name"u8))
                {
                    category.Name = ReadString(ref reader, "name") ?? string.Empty;
                }
                else if (reader.ValueTextEquals("supercategory"u8))
                {
                    category.Supercategory = ReadSoftString(ref reader, category);
                }
                else if (reader.ValueTextEquals("keypoints"u8))
                {
                    category.Keypoints = ReadStringArray(ref reader, "keypoints");
                }
                else if (reader.ValueTextEquals("skeleton"u8))
                {
                    category.Skeleton = ReadSkeleton(ref reader);
                }
                else if (reader.ValueTextEquals("isthing"u8))
                {
                    category.IsThing = ReadOptionalInt32(ref reader, "isthing");
                }
                else if (reader.ValueTextEquals("color"u8))
                {
                    category.Color = ReadIntArray(ref reader, "color");
                }
                else
                {
                    AddExtra(ref reader, category.Extra);
                }
            }

            if (!hasId)
            {
                AddProblem("MissingId", "the category has no id.", _pointer.ToString(), offset);
                return;
            }

            _categories.Add(category);
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private void ParseAnnotation(ref Utf8JsonReader reader, int index)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw TypeError(ref reader, "an annotation object");
            }

            long offset = _buffer.TokenOffset(ref reader);
            var annotation = new CocoAnnotation { SourceIndex = index };
            ViewerAnnotationFacts? facts = null;
            bool hasId = false;
            bool hasImage = false;
            List<CocoPanopticSegment>? segments = null;
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    _pointer.PushName("id");
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        facts ??= new ViewerAnnotationFacts();
                        facts.Uid = reader.GetString();
                        facts.IdOffset = _buffer.TokenOffset(ref reader);
                    }
                    else
                    {
                        annotation.SetIdUnchecked(ToInteger(ref reader, "an integer id"));
                    }

                    hasId = true;
                    _pointer.Pop();
                }
                else if (reader.ValueTextEquals("image_id"u8))
                {
                    _pointer.PushName("image_id");
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        facts ??= new ViewerAnnotationFacts();
                        facts.ImageKey = reader.GetString();
                        facts.ImageOffset = _buffer.TokenOffset(ref reader);
                    }
                    else
                    {
                        annotation.ImageId = ToInteger(ref reader, "an integer image id");
                    }

                    hasImage = true;
                    _pointer.Pop();
                }
                else if (reader.ValueTextEquals("category_id"u8))
                {
                    _pointer.PushName("category_id");
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        facts ??= new ViewerAnnotationFacts();
                        facts.CategoryName = reader.GetString();
                        facts.CategoryOffset = _buffer.TokenOffset(ref reader);
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        annotation.CategoryId = ToInteger(ref reader, "an integer category id");
                    }

                    _pointer.Pop();
                }
                else if (reader.ValueTextEquals("segmentation"u8))
                {
                    _pointer.PushName("segmentation");
                    annotation.Segmentation = ParseSegmentation(ref reader, ref facts);
                    _pointer.Pop();
                }
                else if (reader.ValueTextEquals("bbox"u8))
                {
                    annotation.Bbox = ReadBox(ref reader);
                }
                else if (reader.ValueTextEquals("area"u8))
                {
                    annotation.Area = ReadOptionalDouble(ref reader, "area");
                }
                else if (reader.ValueTextEquals("iscrowd"u8))
                {
                    annotation.IsCrowd = ReadOptionalInt32(ref reader, "iscrowd");
                }
                else if (reader.ValueTextEquals("keypoints"u8))
                {
                    annotation.Keypoints = ReadNumberArray(ref reader, "keypoints");
                }
                else if (reader.ValueTextEquals("num_keypoints"u8))
                {
                    annotation.NumKeypoints = ReadOptionalInt32(ref reader, "num_keypoints");
                }
                else if (reader.ValueTextEquals("caption"u8))
                {
                    annotation.Caption = ReadString(ref reader, "caption");
                }
                else if (reader.ValueTextEquals("score"u8))
                {
                    annotation.Score = ReadOptionalDouble(ref reader, "score");
                }
                else if (reader.ValueTextEquals("segments_info"u8))
                {
                    segments = ReadSegmentsInfo(ref reader);
                }
                else if (reader.ValueTextEquals("annotations"u8))
                {
                    var raw = _buffer.ReadRawValue(ref reader);
                    if (IsEmptyArray(raw))
                    {
                        facts ??= new ViewerAnnotationFacts();
                        facts.HadEmptyNestedAnnotations = true;
                    }
                    else
                    {
                        annotation.Extra.AddRaw("annotations", raw);
                    }
                }
                else
                {
                    AddExtra(ref reader, annotation.Extra);
                }
            }

            if (segments != null)
            {
                AddPanoptic(annotation, facts, hasImage, segments, index, offset);
            }
            else if (!hasId && hasImage && TryAttributeRecord(annotation, facts, index, offset))
            {
                return;
            }
            else if (!hasId)
            {
                AddProblem("MissingId", "the annotation has no id.", _pointer.ToString(), offset);
            }
            else if (!hasImage)
            {
                AddProblem("MissingImageId", "the annotation has no image_id.", _pointer.ToString(), offset);
            }
            else
            {
                if (facts != null)
                {
                    _viewerAnnotations.Add(annotation, facts);
                }
                else if (_sink != null)
                {
                    _sink.Annotation(annotation);
                    return;
                }

                _annotations.Add(annotation);
            }
        }

        /// <summary>A viewer attribute record: no id, category or geometry; just name, value and image_id.</summary>
        private bool TryAttributeRecord(CocoAnnotation a, ViewerAnnotationFacts? facts, int index, long offset)
        {
            if (a.CategoryId != null || facts?.CategoryName != null || a.Segmentation != null || a.Bbox != null || a.Keypoints != null
                || a.Caption != null || a.ExtraOrNull == null || !a.Extra.TryGetString("name", out string name))
            {
                return false;
            }

            foreach (var member in a.Extra.Names)
            {
                if (member != "name" && member != "value")
                {
                    return false;
                }
            }

            _attributeRecords.Add(new AttributeRecord
            {
                SourceIndex = index,
                Offset = offset,
                ImageNumber = a.ImageId,
                ImageKey = facts?.ImageKey,
                Name = name,
                Value = a.Extra.TryGetRaw("value", out var raw) ? raw : null,
            });
            return true;
        }

        private void AddPanoptic(CocoAnnotation a, ViewerAnnotationFacts? facts, bool hasImage, List<CocoPanopticSegment> segments, int index, long offset)
        {
            var panoptic = new CocoPanopticAnnotation();
            panoptic.SegmentsInfo.AddRange(segments);
            if (a.ExtraOrNull != null)
            {
                foreach (var name in a.Extra.Names)
                {
                    a.Extra.TryGetRaw(name, out var raw);
                    if (name == "file_name" && a.Extra.TryGetString(name, out string fileName))
                    {
                        panoptic.FileName = fileName;
                    }
                    else
                    {
                        panoptic.Extra.AddRaw(name, raw);
                    }
                }
            }

            if (!hasImage || facts?.ImageKey != null)
            {
                AddProblem("MissingImageId", "the panoptic annotation needs an integer image_id.", _pointer.With("image_id"), offset);
                return;
            }

            panoptic.ImageId = a.ImageId;
            _panoptic.Add(new PanopticEntry { Annotation = panoptic, Index = index });
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private CocoSegmentation? ParseSegmentation(ref Utf8JsonReader reader, ref ViewerAnnotationFacts? facts)
        {
            Next(ref reader);
            long offset = _buffer.TokenOffset(ref reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.StartObject:
                    return ParseRle(ref reader);
                case JsonTokenType.StartArray:
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        return new CocoPolygonSegmentation(Array.Empty<double[]>());
                    }

                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        // The viewer's flat [x1, y1, x2, y2, ...]: one polygon without the enclosing list.
                        facts ??= new ViewerAnnotationFacts();
                        facts.FlatSegmentation = true;
                        facts.SegmentationOffset = offset;
                        return new CocoPolygonSegmentation(new[] { ReadNumbersFrom(ref reader, alreadyOnFirst: true) });
                    }

                    // Most annotations have one polygon: collect in a reused list, keep an exact-size array.
                    _polygons.Clear();
                    _pointer.PushIndex(0);
                    while (reader.TokenType != JsonTokenType.EndArray)
                    {
                        _pointer.SetIndex(_polygons.Count);
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            throw TypeError(ref reader, "a polygon (an array of numbers)");
                        }

                        _polygons.Add(ReadNumbersFrom(ref reader, alreadyOnFirst: false));
                        Next(ref reader);
                    }

                    _pointer.Pop();
                    return new CocoPolygonSegmentation(_polygons.ToArray());
                default:
                    throw TypeError(ref reader, "a list of polygons or an RLE object");
            }
        }

        private CocoRleSegmentation ParseRle(ref Utf8JsonReader reader)
        {
            long offset = _buffer.TokenOffset(ref reader);
            int[]? size = null;
            string? compressed = null;
            uint[]? counts = null;
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("size"u8))
                {
                    size = ReadIntArray(ref reader, "size");
                    if (size == null || size.Length != 2 || !RleRules.IsSide(size[0]) || !RleRules.IsSide(size[1]))
                    {
                        throw Fail(ref reader, "JsonType", "RLE size must be [height, width] with two positive integers.", _pointer.With("size"));
                    }
                }
                else if (reader.ValueTextEquals("counts"u8))
                {
                    _pointer.PushName("counts");
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        compressed = reader.GetString();
                    }
                    else if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        counts = ReadCounts(ref reader);
                    }
                    else
                    {
                        throw TypeError(ref reader, "an RLE counts string or an array of run lengths");
                    }

                    _pointer.Pop();
                }
                else
                {
                    // pycocotools ignores other members of an RLE object; so do we, but we keep nothing half-read.
                    _buffer.Skip(ref reader);
                }
            }

            if (size == null || (compressed == null && counts == null))
            {
                throw FailAt("JsonType", "an RLE segmentation needs both size and counts.", _pointer.ToString(), offset);
            }

            return compressed != null ? new CocoRleSegmentation(size[0], size[1], compressed) : new CocoRleSegmentation(size[0], size[1], counts!);
        }

        private uint[] ReadCounts(ref Utf8JsonReader reader)
        {
            var counts = new List<uint>();
            _pointer.PushIndex(0);
            while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                _pointer.SetIndex(counts.Count);
                long value = ToInteger(ref reader, "a non-negative run length");
                if (!RleRules.IsRun(value))
                {
                    throw Fail(ref reader, "JsonType", $"a run length must be a non-negative integer below 2^32, found {value}.");
                }

                counts.Add((uint)value);
            }

            _pointer.Pop();
            return counts.ToArray();
        }

        private List<CocoPanopticSegment> ReadSegmentsInfo(ref Utf8JsonReader reader)
        {
            _pointer.PushName("segments_info");
            Next(ref reader);
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw TypeError(ref reader, "an array of segments");
            }

            var segments = new List<CocoPanopticSegment>();
            _pointer.PushIndex(0);
            while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                _pointer.SetIndex(segments.Count);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw TypeError(ref reader, "a segment object");
                }

                var segment = new CocoPanopticSegment();
                while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("id"u8))
                    {
                        segment.Id = ReadInteger(ref reader, "id", "an integer segment id");
                    }
                    else if (reader.ValueTextEquals("category_id"u8))
                    {
                        segment.CategoryId = ReadInteger(ref reader, "category_id", "an integer category id");
                    }
                    else if (reader.ValueTextEquals("area"u8))
                    {
                        segment.Area = ReadOptionalDouble(ref reader, "area");
                    }
                    else if (reader.ValueTextEquals("bbox"u8))
                    {
                        segment.Bbox = ReadBox(ref reader);
                    }
                    else if (reader.ValueTextEquals("iscrowd"u8))
                    {
                        segment.IsCrowd = ReadOptionalInt32(ref reader, "iscrowd");
                    }
                    else
                    {
                        AddExtra(ref reader, segment.Extra);
                    }
                }

                segments.Add(segment);
            }

            _pointer.Pop();
            _pointer.Pop();
            return segments;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private bool Next(ref Utf8JsonReader reader) => reader.Read() || NextAfterRefill(ref reader);

        private bool NextAfterRefill(ref Utf8JsonReader reader)
        {
            if (!_buffer.Read(ref reader))
            {
                throw Fail(ref reader, "JsonTruncated", "the file ends early (truncated?): the JSON is incomplete.");
            }

            return true;
        }

        /// <summary>Records a problem; without an offset, the pointer is followed in the file to locate it if it is reported.</summary>
        private void AddProblem(string errorId, string message, string pointer, long offset = -1) =>
            _problems.Add(new Problem(errorId, message, pointer, offset));

        private CocoFormatException Fail(ref Utf8JsonReader reader, string errorId, string problem, string? pointer = null) =>
            FailAt(errorId, problem, pointer ?? _pointer.ToString(), _buffer.TokenOffset(ref reader));

        private CocoFormatException FailAt(string errorId, string problem, string pointer, long offset)
        {
            var at = TextLocator.Locate(_sourcePath, offset);
            return new CocoFormatException(errorId, problem, _sourcePath, pointer, at?.Line, at?.Column);
        }

        private CocoFormatException TypeError(ref Utf8JsonReader reader, string expected) =>
            Fail(ref reader, "JsonType", $"expected {expected}, found {Describe(ref reader)}.");

        private static string Describe(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    string s = reader.GetString() ?? string.Empty;
                    return "the string \"" + (s.Length > 40 ? s.Substring(0, 40) + "..." : s) + "\"";
                case JsonTokenType.Number:
                    return "the number " + System.Text.Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                case JsonTokenType.StartObject:
                    return "an object";
                case JsonTokenType.StartArray:
                    return "an array";
                case JsonTokenType.True:
                case JsonTokenType.False:
                    return "a boolean";
                case JsonTokenType.Null:
                    return "null";
                default:
                    return reader.TokenType.ToString();
            }
        }

        private static bool IsEmptyArray(byte[] raw)
        {
            var r = new Utf8JsonReader(raw);
            return r.Read() && r.TokenType == JsonTokenType.StartArray && r.Read() && r.TokenType == JsonTokenType.EndArray;
        }

        private static string TrimReaderMessage(string message)
        {
            // The reader appends its own "LineNumber: x | BytePositionInLine: y." which our location repeats.
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return cut > 0 ? message.Substring(0, cut) : message;
        }

        /// <summary>What an image entry had that standard COCO does not: a string id.</summary>
        private sealed class ViewerImageFacts
        {
            public ViewerImageFacts(string stringId, long idOffset)
            {
                StringId = stringId;
                IdOffset = idOffset;
            }

            public string StringId { get; }

            public long IdOffset { get; }
        }

        /// <summary>What an annotation entry had that standard COCO does not; allocated only when it had any.</summary>
        private sealed class ViewerAnnotationFacts
        {
            public string? Uid;
            public long IdOffset;
            public string? ImageKey;
            public long ImageOffset;
            public string? CategoryName;
            public long CategoryOffset;
            public bool FlatSegmentation;
            public long SegmentationOffset;
            public bool HadEmptyNestedAnnotations;
        }

        private sealed class AttributeRecord
        {
            public int SourceIndex;
            public long Offset;
            public long ImageNumber;
            public string? ImageKey;
            public string Name = string.Empty;
            public byte[]? Value;
        }

        private struct PanopticEntry
        {
            public CocoPanopticAnnotation Annotation;
            public int Index;
        }

        private readonly struct Problem
        {
            public Problem(string errorId, string message, string pointer, long offset)
            {
                ErrorId = errorId;
                Message = message;
                Pointer = pointer;
                Offset = offset;
            }

            public string ErrorId { get; }

            public string Message { get; }

            public string Pointer { get; }

            public long Offset { get; }
        }
    }
}
