using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CocoTools.Engine.IO;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>
    /// Writes a <see cref="CocoDataset"/> as COCO JSON with <see cref="Utf8JsonWriter"/>, streaming: the same
    /// dataset always gives the same bytes (fixed member order, invariant numbers, shortest round-trip doubles).
    /// </summary>
    public static class CocoJsonWriter
    {
        private const int FlushThreshold = 1 << 16;

        /// <summary>Writes the dataset to a file atomically (temporary file renamed over the target).</summary>
        public static CocoWriteReport WriteFile(CocoDataset dataset, string path, CocoWriteOptions? options = null, bool noClobber = false)
        {
            CocoWriteReport? report = null;
            TempFiles.NewRun();
            AtomicFile.Write(path, stream => report = Write(dataset, stream, options), noClobber);
            return report!;
        }

        /// <summary>Writes the dataset to a stream.</summary>
        public static CocoWriteReport Write(CocoDataset dataset, Stream stream, CocoWriteOptions? options = null)
        {
            options ??= new CocoWriteOptions();
            var report = new CocoWriteReport();
            using var writer = Open(stream, options);
            if (options.Flavor == CocoFlavor.Viewer)
            {
                new ViewerFlavorWriter(dataset, writer).Write();
            }
            else
            {
                WriteStandard(dataset, writer, options, report);
            }

            writer.Flush();
            return report;
        }

        /// <summary>The JSON writer every COCO write uses: one place for the layout and escaping that fix the bytes.</summary>
        internal static Utf8JsonWriter Open(Stream stream, CocoWriteOptions options) =>
            new Utf8JsonWriter(stream, new JsonWriterOptions
            {
                Indented = options.Indented,
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            });

        private static void WriteStandard(CocoDataset dataset, Utf8JsonWriter writer, CocoWriteOptions options, CocoWriteReport report)
        {
            WriteHead(writer, dataset.Info, dataset.Licenses, options);
            long written = 0, total = dataset.Images.Count + dataset.Annotations.Count;
            writer.WriteStartArray("images");
            foreach (var image in dataset.Images)
            {
                WriteRecord(writer, image);
                ReportProgress(options, ++written, total);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("annotations");
            foreach (var annotation in dataset.Annotations)
            {
                WriteRecord(writer, annotation, dataset, options, report);
                ReportProgress(options, ++written, total);
            }

            foreach (var panoptic in dataset.PanopticAnnotations)
            {
                WritePanoptic(writer, panoptic);
                FlushIfFull(writer);
            }

            writer.WriteEndArray();
            WriteTail(writer, dataset.Categories, dataset.Extra);
        }

        /// <summary>A standard file's start: the top-level object, info and licenses (the images array comes next).</summary>
        internal static void WriteHead(Utf8JsonWriter writer, CocoInfo info, IEnumerable<CocoLicense> licenses, CocoWriteOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("info");
            writer.WriteStartObject();
            if (options.Generator is string generator)
            {
                info.Members.WriteTo(writer, name => name == "generator");
                writer.WriteString("generator", generator);
            }
            else
            {
                info.Members.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("licenses");
            foreach (var license in licenses)
            {
                WriteLicense(writer, license);
            }

            writer.WriteEndArray();
        }

        /// <summary>One element of a standard file's images array, flushed to the stream when the writer's buffer is full.</summary>
        internal static void WriteRecord(Utf8JsonWriter writer, CocoImage image)
        {
            WriteImage(writer, image, viewerId: null);
            FlushIfFull(writer);
        }

        /// <summary>One element of a standard file's annotations array (<paramref name="dataset"/> finds its image for RLE conversion).</summary>
        internal static void WriteRecord(Utf8JsonWriter writer, CocoAnnotation annotation, CocoDataset dataset, CocoWriteOptions options, CocoWriteReport report)
        {
            WriteAnnotation(writer, annotation, dataset, options, report);
            FlushIfFull(writer);
        }

        /// <summary>A standard file's end, after the annotations array: categories, the other top-level members, the closing brace.</summary>
        internal static void WriteTail(Utf8JsonWriter writer, IEnumerable<CocoCategory> categories, JsonMemberBag extra)
        {
            writer.WriteStartArray("categories");
            foreach (var category in categories)
            {
                WriteCategory(writer, category);
            }

            writer.WriteEndArray();
            extra.WriteTo(writer);
            writer.WriteEndObject();
        }

        private static void WriteBag(Utf8JsonWriter writer, JsonMemberBag bag)
        {
            writer.WriteStartObject();
            bag.WriteTo(writer);
            writer.WriteEndObject();
        }

        private static void WriteLicense(Utf8JsonWriter writer, CocoLicense license)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", license.Id);
            WriteOptional(writer, "name", license.Name);
            WriteOptional(writer, "url", license.Url);
            license.ExtraOrNull?.WriteTo(writer);
            writer.WriteEndObject();
        }

        private static void WriteImage(Utf8JsonWriter writer, CocoImage image, string? viewerId)
        {
            writer.WriteStartObject();
            if (viewerId == null)
            {
                writer.WriteNumber("id", image.Id);
                WriteOptional(writer, "width", image.Width);
                WriteOptional(writer, "height", image.Height);
                WriteOptional(writer, "file_name", image.FileName);
                WriteOptional(writer, "license", image.License);
                WriteOptional(writer, "flickr_url", image.FlickrUrl);
                WriteOptional(writer, "coco_url", image.CocoUrl);
                WriteOptional(writer, "date_captured", image.DateCaptured);
                image.ExtraOrNull?.WriteTo(writer);
            }
            else
            {
                // The viewer's own member order.
                WriteOptional(writer, "coco_url", image.CocoUrl);
                WriteOptional(writer, "date_captured", image.DateCaptured);
                WriteOptional(writer, "file_name", image.FileName);
                WriteOptional(writer, "flickr_url", image.FlickrUrl);
                writer.WriteString("id", viewerId);
                WriteOptional(writer, "license", image.License);
                WriteOptional(writer, "height", image.Height);
                WriteOptional(writer, "width", image.Width);
                image.ExtraOrNull?.WriteTo(writer, ViewerFlavorWriter.IsViewerImageMember);
            }

            writer.WriteEndObject();
        }

        private static void WriteAnnotation(Utf8JsonWriter writer, CocoAnnotation a, CocoDataset dataset, CocoWriteOptions options, CocoWriteReport report)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", a.Id);
            writer.WriteNumber("image_id", a.ImageId);
            if (a.CategoryId is long category)
            {
                writer.WriteNumber("category_id", category);
            }

            if (a.Segmentation != null)
            {
                writer.WritePropertyName("segmentation");
                WriteSegmentation(writer, SegmentationToWrite(a, dataset, options, report), a.Id);
            }

            var area = a.Area;
            if (area == null && options.FillMissingGeometry && (area = CocoGeometry.Current.ComputeArea(a)) != null)
            {
                report.FilledArea++;
            }

            if (area is double areaValue)
            {
                writer.WritePropertyName("area");
                WriteNumber(writer, areaValue, "annotation", a.Id, "area");
            }

            var box = a.Bbox;
            if (box == null && options.FillMissingGeometry && (box = CocoGeometry.Current.ComputeBbox(a)) != null)
            {
                report.FilledBbox++;
            }

            if (box is CocoBox boxValue)
            {
                writer.WritePropertyName("bbox");
                WriteBox(writer, boxValue, "annotation", a.Id);
            }

            WriteOptional(writer, "iscrowd", a.IsCrowd);
            if (a.Keypoints != null)
            {
                writer.WritePropertyName("keypoints");
                WriteNumbers(writer, a.Keypoints, "annotation", a.Id, "keypoints");
            }

            WriteOptional(writer, "num_keypoints", a.NumKeypoints);
            WriteOptional(writer, "caption", a.Caption);
            if (a.Score is double score)
            {
                writer.WritePropertyName("score");
                WriteNumber(writer, score, "annotation", a.Id, "score");
            }

            a.ExtraOrNull?.WriteTo(writer);
            writer.WriteEndObject();
        }

        /// <summary>The segmentation as it is, or as compressed RLE when asked (unconverted, and reported, when it cannot be).</summary>
        private static CocoSegmentation SegmentationToWrite(CocoAnnotation a, CocoDataset dataset, CocoWriteOptions options, CocoWriteReport report)
        {
            var segmentation = a.Segmentation!;
            if (options.SegmentationFormat != CocoSegmentationFormat.Rle || (segmentation is CocoRleSegmentation stored && stored.IsCompressed))
            {
                return segmentation;
            }

            try
            {
                var image = dataset.Images.Find(a.ImageId);
                var counts = CocoGeometry.Current.ToCompressedRle(a, image)!;
                report.ConvertedToRle++;
                return new CocoRleSegmentation(image!.Height!.Value, image.Width!.Value, System.Text.Encoding.ASCII.GetString(counts));
            }
            catch (CocoToolsException e)
            {
                report.Failed++;
                options.OnAnnotationError?.Invoke(e);
                return segmentation;
            }
        }

        private static void ReportProgress(CocoWriteOptions options, long written, long total)
        {
            if (options.Progress != null && (written & 4095) == 0)
            {
                options.Progress(written, total);
            }
        }

        private static void WritePanoptic(Utf8JsonWriter writer, CocoPanopticAnnotation panoptic)
        {
            writer.WriteStartObject();
            writer.WriteNumber("image_id", panoptic.ImageId);
            writer.WriteString("file_name", panoptic.FileName);
            writer.WriteStartArray("segments_info");
            foreach (var s in panoptic.SegmentsInfo)
            {
                writer.WriteStartObject();
                writer.WriteNumber("id", s.Id);
                writer.WriteNumber("category_id", s.CategoryId);
                if (s.Area is double area)
                {
                    writer.WritePropertyName("area");
                    WriteNumber(writer, area, "segment", s.Id, "area");
                }

                if (s.Bbox is CocoBox box)
                {
                    writer.WritePropertyName("bbox");
                    WriteBox(writer, box, "segment", s.Id);
                }

                WriteOptional(writer, "iscrowd", s.IsCrowd);
                s.ExtraOrNull?.WriteTo(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            panoptic.ExtraOrNull?.WriteTo(writer);
            writer.WriteEndObject();
        }

        private static void WriteCategory(Utf8JsonWriter writer, CocoCategory c)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", c.Id);
            writer.WriteString("name", c.Name);
            WriteOptional(writer, "supercategory", c.Supercategory);
            if (c.Keypoints != null)
            {
                writer.WriteStartArray("keypoints");
                foreach (var name in c.Keypoints)
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }

            if (c.Skeleton != null)
            {
                writer.WritePropertyName("skeleton");
                var line = InlineArray.Open(writer);
                line.WriteStartArray();
                foreach (var edge in c.Skeleton)
                {
                    WriteInts(line, edge);
                }

                line.WriteEndArray();
                InlineArray.Close(writer, line);
            }

            WriteOptional(writer, "isthing", c.IsThing);
            if (c.Color != null)
            {
                writer.WritePropertyName("color");
                WriteInts(writer, c.Color);
            }

            c.ExtraOrNull?.WriteTo(writer);
            writer.WriteEndObject();
        }

        internal static void WriteSegmentation(Utf8JsonWriter writer, CocoSegmentation segmentation, long annotationId)
        {
            switch (segmentation)
            {
                case CocoPolygonSegmentation polygons:
                    // All polygons on one line: a raw value inside an indented array would not be indented.
                    var line = InlineArray.Open(writer);
                    line.WriteStartArray();
                    foreach (var polygon in polygons.Polygons)
                    {
                        WriteNumbers(line, polygon, "annotation", annotationId, "segmentation");
                    }

                    line.WriteEndArray();
                    InlineArray.Close(writer, line);
                    break;
                case CocoRleSegmentation rle:
                    writer.WriteStartObject();
                    writer.WritePropertyName("size");
                    WriteInts(writer, new[] { rle.Height, rle.Width });
                    if (rle.CompressedCounts != null)
                    {
                        writer.WriteString("counts", rle.CompressedCounts);
                    }
                    else
                    {
                        writer.WritePropertyName("counts");
                        var counts = InlineArray.Open(writer);
                        counts.WriteStartArray();
                        foreach (uint count in rle.Counts!)
                        {
                            counts.WriteNumberValue(count);
                        }

                        counts.WriteEndArray();
                        InlineArray.Close(writer, counts);
                    }

                    writer.WriteEndObject();
                    break;
            }
        }

        internal static void WriteNumbers(Utf8JsonWriter writer, double[] values, string entity, long id, string field)
        {
            var line = InlineArray.Open(writer);
            line.WriteStartArray();
            foreach (double v in values)
            {
                WriteNumber(line, v, entity, id, field);
            }

            line.WriteEndArray();
            InlineArray.Close(writer, line);
        }

        private static void WriteBox(Utf8JsonWriter writer, CocoBox box, string entity, long id)
        {
            var line = InlineArray.Open(writer);
            line.WriteStartArray();
            WriteNumber(line, box.X, entity, id, "bbox");
            WriteNumber(line, box.Y, entity, id, "bbox");
            WriteNumber(line, box.Width, entity, id, "bbox");
            WriteNumber(line, box.Height, entity, id, "bbox");
            line.WriteEndArray();
            InlineArray.Close(writer, line);
        }

        private static void WriteInts(Utf8JsonWriter writer, int[] values)
        {
            var line = InlineArray.Open(writer);
            line.WriteStartArray();
            foreach (int v in values)
            {
                line.WriteNumberValue(v);
            }

            line.WriteEndArray();
            InlineArray.Close(writer, line);
        }

        /// <summary>Writes a double, refusing NaN and infinities (JSON has no such numbers) with an error naming the record.</summary>
        internal static void WriteNumber(Utf8JsonWriter writer, double value, string entity, long id, string field)
        {
            if (!NumberText.IsFinite(value))
            {
                throw new CocoToolsException("NonFiniteNumber", FailureKind.InvalidData, $"{entity} {id}: {field} holds {NumberText.Format(value)}, which JSON cannot represent; fix or remove the {entity}.") { Target = id };
            }

            writer.WriteNumberValue(value);
        }

        private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
        {
            if (value != null)
            {
                writer.WriteString(name, value);
            }
        }

        private static void WriteOptional(Utf8JsonWriter writer, string name, long? value)
        {
            if (value is long v)
            {
                writer.WriteNumber(name, v);
            }
        }

        private static void WriteOptional(Utf8JsonWriter writer, string name, int? value)
        {
            if (value is int v)
            {
                writer.WriteNumber(name, v);
            }
        }

        private static void FlushIfFull(Utf8JsonWriter writer)
        {
            if (writer.BytesPending > FlushThreshold)
            {
                writer.Flush();
            }
        }

        /// <summary>
        /// Number arrays (bbox, polygons, keypoints, RLE size and counts, skeleton edges, colours) on one line in an
        /// indented document: one number per line made a 62 MB file 152 MB and unreadable. The array is written
        /// compactly by a second writer with the same number formatting, then copied in as one raw value, so the
        /// bytes of each number equal those of a compact (-Compress) write; compact documents bypass the copy.
        /// </summary>
        private sealed class InlineArray
        {
            [ThreadStatic]
            private static InlineArray? t_scratch;

            private readonly MemoryStream _buffer = new MemoryStream();
            private readonly Utf8JsonWriter _line;

            private InlineArray()
            {
                _line = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            }

            /// <summary>The writer to write one number array to: the target itself when it is compact.</summary>
            public static Utf8JsonWriter Open(Utf8JsonWriter target)
            {
                if (!target.Options.Indented)
                {
                    return target;
                }

                var scratch = t_scratch ??= new InlineArray();
                // Reset also discards a half-written array left by a number that was refused.
                scratch._buffer.SetLength(0);
                scratch._line.Reset(scratch._buffer);
                return scratch._line;
            }

            /// <summary>Copies the array written to <paramref name="line"/> into the target as one value.</summary>
            public static void Close(Utf8JsonWriter target, Utf8JsonWriter line)
            {
                if (ReferenceEquals(target, line))
                {
                    return;
                }

                line.Flush();
                var buffer = t_scratch!._buffer;
                target.WriteRawValue(new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length), skipInputValidation: true);
            }
        }

        /// <summary>
        /// The DICOM viewer's layout: string image ids, one entry per polygon sharing the annotation's UUID,
        /// category names in category_id, flat segmentations, attribute records after (or among) the entries.
        /// When the dataset came from such a file, its entry order is reproduced.
        /// </summary>
        private sealed class ViewerFlavorWriter
        {
            private static readonly byte[] EmptyArray = Encoding.UTF8.GetBytes("[]");
            private readonly CocoDataset _dataset;
            private readonly Utf8JsonWriter _writer;
            private readonly Dictionary<long, string> _imageKeys = new Dictionary<long, string>();

            public ViewerFlavorWriter(CocoDataset dataset, Utf8JsonWriter writer)
            {
                _dataset = dataset;
                _writer = writer;
            }

            public static bool IsViewerImageMember(string name) => name == "dicomweb_url" || name == "original_id" || name == "attributes";

            private static bool IsViewerAnnotationMember(string name) => name == "uid";

            public void Write()
            {
                _writer.WriteStartObject();
                _writer.WriteStartArray("images");
                foreach (var image in _dataset.Images)
                {
                    string key = ImageKey(image);
                    _imageKeys[image.Id] = key;
                    WriteImage(_writer, image, key);
                }

                _writer.WriteEndArray();
                _writer.WriteStartArray("categories");
                _writer.WriteEndArray();
                _writer.WriteStartArray("licenses");
                foreach (var license in _dataset.Licenses)
                {
                    WriteLicense(_writer, license);
                }

                _writer.WriteEndArray();
                _writer.WritePropertyName("info");
                WriteBag(_writer, _dataset.Info.Members);
                _dataset.Extra.WriteTo(_writer);
                _writer.WriteStartArray("annotations");
                WriteEntries();
                _writer.WriteEndArray();
                _writer.WriteEndObject();
            }

            private void WriteEntries()
            {
                var writtenParts = new HashSet<(CocoAnnotation, int)>();
                var writtenAttributes = new HashSet<(CocoImage, string, int)>();
                if (_dataset.ViewerLayout != null)
                {
                    foreach (var entry in _dataset.ViewerLayout)
                    {
                        if (entry.Annotation is CocoAnnotation a)
                        {
                            if (ReferenceEquals(_dataset.Annotations.Find(a.Id), a) && entry.Part < PartCount(a) && writtenParts.Add((a, entry.Part)))
                            {
                                WritePart(a, entry.Part);
                            }
                        }
                        else if (entry.Image is CocoImage image && ReferenceEquals(_dataset.Images.Find(image.Id), image))
                        {
                            var values = AttributeValues(image, entry.AttributeName!);
                            if (entry.ValueIndex < values.Count && writtenAttributes.Add((image, entry.AttributeName!, entry.ValueIndex)))
                            {
                                WriteAttribute(image, entry.AttributeName!, values[entry.ValueIndex]);
                            }
                        }
                    }
                }

                foreach (var a in _dataset.Annotations)
                {
                    for (int part = 0; part < PartCount(a); part++)
                    {
                        if (writtenParts.Add((a, part)))
                        {
                            WritePart(a, part);
                        }
                    }
                }

                foreach (var image in _dataset.Images)
                {
                    if (!image.Extra.TryGetRaw("attributes", out var raw))
                    {
                        continue;
                    }

                    using var doc = JsonDocument.Parse(raw);
                    if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    foreach (var member in doc.RootElement.EnumerateObject())
                    {
                        var values = AttributeValues(image, member.Name);
                        for (int i = 0; i < values.Count; i++)
                        {
                            if (writtenAttributes.Add((image, member.Name, i)))
                            {
                                WriteAttribute(image, member.Name, values[i]);
                            }
                        }
                    }
                }
            }

            /// <summary>An annotation is one entry per polygon; any other geometry is one entry.</summary>
            private static int PartCount(CocoAnnotation a) =>
                a.Segmentation is CocoPolygonSegmentation p && p.Polygons.Count > 0 ? p.Polygons.Count : 1;

            private void WritePart(CocoAnnotation a, int part)
            {
                _writer.WriteStartObject();
                _writer.WritePropertyName("segmentation");
                switch (a.Segmentation)
                {
                    case CocoPolygonSegmentation p when p.Polygons.Count > 0:
                        WriteNumbers(_writer, p.Polygons[part], "annotation", a.Id, "segmentation");
                        break;
                    case CocoRleSegmentation rle:
                        WriteSegmentation(_writer, rle, a.Id);
                        break;
                    default:
                        // The viewer draws a box as a four-point polygon.
                        if (a.Bbox is CocoBox b)
                        {
                            WriteNumbers(_writer, new[] { b.X, b.Y, b.Right, b.Y, b.Right, b.Bottom, b.X, b.Bottom }, "annotation", a.Id, "bbox");
                        }
                        else
                        {
                            _writer.WriteStartArray();
                            _writer.WriteEndArray();
                        }

                        break;
                }

                _writer.WritePropertyName("annotations");
                _writer.WriteRawValue(EmptyArray, skipInputValidation: true);
                _writer.WriteString("image_id", _imageKeys.TryGetValue(a.ImageId, out var key) ? key : NumberText.Format(a.ImageId));
                _writer.WriteNumber("iscrowd", a.IsCrowd ?? 0);
                _writer.WriteString("id", a.Extra.TryGetString("uid", out string uid) ? uid : DeterministicUuid(a));
                if (a.CategoryId is long c)
                {
                    _writer.WriteString("category_id", _dataset.Categories.Find(c)?.Name ?? NumberText.Format(c));
                }

                a.ExtraOrNull?.WriteTo(_writer, IsViewerAnnotationMember);
                _writer.WriteEndObject();
                FlushIfFull(_writer);
            }

            private void WriteAttribute(CocoImage image, string name, byte[]? value)
            {
                _writer.WriteStartObject();
                if (value != null)
                {
                    _writer.WritePropertyName("value");
                    _writer.WriteRawValue(value, skipInputValidation: true);
                }

                _writer.WriteString("name", name);
                _writer.WriteString("image_id", _imageKeys[image.Id]);
                _writer.WriteEndObject();
            }

            /// <summary>The raw values of one attribute: a repeated name was stored as an array of its values.</summary>
            private List<byte[]?> AttributeValues(CocoImage image, string name)
            {
                var values = new List<byte[]?>();
                if (!image.Extra.TryGetRaw("attributes", out var raw))
                {
                    return values;
                }

                using var doc = JsonDocument.Parse(raw);
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(name, out var value))
                {
                    return values;
                }

                bool repeated = value.ValueKind == JsonValueKind.Array && _dataset.ViewerLayout != null && CountLayoutValues(image, name) > 1;
                if (repeated)
                {
                    foreach (var item in value.EnumerateArray())
                    {
                        values.Add(item.ValueKind == JsonValueKind.Null ? null : Encoding.UTF8.GetBytes(item.GetRawText()));
                    }
                }
                else
                {
                    values.Add(Encoding.UTF8.GetBytes(value.GetRawText()));
                }

                return values;
            }

            private int CountLayoutValues(CocoImage image, string name)
            {
                int n = 0;
                foreach (var entry in _dataset.ViewerLayout!)
                {
                    if (ReferenceEquals(entry.Image, image) && entry.AttributeName == name)
                    {
                        n++;
                    }
                }

                return n;
            }

            private static string ImageKey(CocoImage image)
            {
                if (image.Extra.TryGetString("dicomweb_url", out string url) || image.Extra.TryGetString("original_id", out url))
                {
                    return url;
                }

                if (image.CocoUrl != null && image.CocoUrl.StartsWith("dicomweb://", StringComparison.OrdinalIgnoreCase))
                {
                    return image.CocoUrl;
                }

                return image.FileName ?? NumberText.Format(image.Id);
            }

            /// <summary>A stable UUID (name-based, SHA-1) for an annotation that never had one, so output stays deterministic.</summary>
            private string DeterministicUuid(CocoAnnotation a)
            {
                using var sha = SHA1.Create();
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes("cocotools-annotation:" + (_imageKeys.TryGetValue(a.ImageId, out var key) ? key : string.Empty) + ":" + NumberText.Format(a.Id)));
                hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
                hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
                var hex = BitConverter.ToString(hash, 0, 16).Replace("-", string.Empty).ToLowerInvariant();
                return $"{hex.Substring(0, 8)}-{hex.Substring(8, 4)}-{hex.Substring(12, 4)}-{hex.Substring(16, 4)}-{hex.Substring(20, 12)}";
            }
        }
    }
}
