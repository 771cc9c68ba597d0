using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.IO;
using CocoTools.Engine.Pixels;
using SixLabors.ImageSharp.PixelFormats;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Operations
{
    /// <summary>What <see cref="MaskExporter"/> writes.</summary>
    public sealed class MaskExportOptions
    {
        /// <summary>The kind of mask.</summary>
        public MaskKind Kind { get; set; } = MaskKind.Semantic;

        /// <summary>Only annotations of these categories; null for all.</summary>
        public ICollection<long>? CategoryIds { get; set; }

        /// <summary>Refuse to replace existing files.</summary>
        public bool NoClobber { get; set; }

        /// <summary>The largest mask painted, in pixels (width x height); a larger image is a LimitsExceeded error (ImageTooLarge).</summary>
        public long MaxPixels { get; set; } = InputLimits.MaxImagePixels;
    }

    /// <summary>One mask PNG written for one image.</summary>
    public sealed class CocoMaskFile
    {
        internal CocoMaskFile(CocoImage image, string path, MaskKind kind)
        {
            ImageId = image.Id;
            SourceFileName = image.FileName;
            Path = path;
            Kind = kind;
        }

        /// <summary>The image.</summary>
        public long ImageId { get; }

        /// <summary>The image's file_name.</summary>
        public string? SourceFileName { get; }

        /// <summary>The PNG written.</summary>
        public string Path { get; }

        /// <summary>The kind of mask.</summary>
        public MaskKind Kind { get; }

        /// <summary>Annotations painted.</summary>
        public int AnnotationCount { get; internal set; }

        /// <summary>Annotations that could not be painted (each reported as an error).</summary>
        public int FailedCount { get; internal set; }

        /// <summary>Panoptic: the segments in the PNG, with the pixels each actually owns.</summary>
        public IReadOnlyList<CocoPanopticSegment> Segments { get; internal set; } = Array.Empty<CocoPanopticSegment>();

        /// <summary>Instance: the annotation id behind each pixel value (index 0 = value 1).</summary>
        public IReadOnlyList<long> InstanceAnnotationIds { get; internal set; } = Array.Empty<long>();

        /// <inheritdoc />
        public override string ToString() => Path;
    }

    /// <summary>
    /// Writes one mask PNG per image. Annotations are painted straight from their RLE runs into one reusable
    /// image-sized buffer, so memory is bounded by the largest image, not by the number of annotations.
    /// Overlaps: crowd regions are painted first, then stuff, then things, each from the largest to the smallest
    /// area (ties in dataset order); the last painted owns the pixel, so a small object is never hidden by a
    /// larger one. Semantic, Instance and Panoptic follow this one rule.
    /// </summary>
    public sealed class MaskExporter
    {
        private readonly CocoDataset _dataset;
        private readonly MaskExportOptions _options;
        private readonly OutputFileNamer _namer = new OutputFileNamer(".png");
        private readonly bool _semantic16;

        // Image-sized paint buffers, reused: one set per image being painted at once (images can be exported in parallel).
        private readonly ConcurrentBag<PaintBuffers> _buffers = new ConcurrentBag<PaintBuffers>();

        /// <summary>Prepares an export of <paramref name="dataset"/>.</summary>
        public MaskExporter(CocoDataset dataset, MaskExportOptions options)
        {
            _dataset = dataset;
            _options = options;
            _semantic16 = dataset.Categories.Any(c => c.Id > 255);
            TempFiles.NewRun();

            // The by-image index is built on first use: built here, before any parallel export reads it.
            dataset.Annotations.ForImage(0);
        }

        /// <summary>The file name this export gives an image (stable for the export; call once per image, in order).</summary>
        public string FileNameFor(CocoImage image) => _namer.NameFor(image.FileName, image.Id, CocoImageDicom.Of(image)?.Frame);

        /// <summary>
        /// Paints and writes the mask of one image to <paramref name="path"/> (atomically). Annotations that cannot
        /// be painted are reported to <paramref name="onAnnotationError"/> and left out; image-level problems throw.
        /// Thread-safe: images may be exported in parallel (each call reports on its own thread).
        /// </summary>
        public CocoMaskFile ExportImage(CocoImage image, string path, Action<CocoToolsException> onAnnotationError)
        {
            if (!_buffers.TryTake(out var buffers))
            {
                buffers = new PaintBuffers();
            }

            try
            {
                return ExportImage(image, path, onAnnotationError, buffers);
            }
            finally
            {
                _buffers.Add(buffers);
            }
        }

        private CocoMaskFile ExportImage(CocoImage image, string path, Action<CocoToolsException> onAnnotationError, PaintBuffers buffers)
        {
            if (image.Height is not int h || image.Width is not int w || h <= 0 || w <= 0)
            {
                throw new CocoToolsException("ImageSizeMissing", FailureKind.InvalidData, $"image {image.Id} ({image.FileName}): no positive width and height, so no mask can be drawn.") { Target = image.Id };
            }

            // Before any buffer or RLE of the image's size exists: a size declared in JSON costs nothing to write.
            InputLimits.CheckPixels(w, h, _options.MaxPixels, $"image {image.Id} ({image.FileName})", "raise the limit with Export-CocoMask -MaxPixels (or COCOTOOLS_MAX_IMAGE_PIXELS) if the image is real");
            if (_options.NoClobber && File.Exists(path))
            {
                throw new CocoToolsException("FileExists", FailureKind.ResourceExists, $"{path} already exists and -NoClobber was given.") { Target = path };
            }

            var result = new CocoMaskFile(image, path, _options.Kind);
            var items = Rasterize(image, onAnnotationError, result);
            int pixels = h * w;
            switch (_options.Kind)
            {
                case MaskKind.Binary:
                    Clear(ref buffers.Gray8, pixels);
                    foreach (var item in items)
                    {
                        Paint(item.Rle, buffers.Gray8, w, (byte)255);
                    }

                    Save(path, new RenderedFrame(w, h, false, 8, buffers.Gray8, null));
                    break;
                case MaskKind.Semantic when !_semantic16:
                    PaintInOrder(ref buffers.Gray8, items, pixels, w, item => (byte)item.Annotation.CategoryId!.Value);
                    Save(path, new RenderedFrame(w, h, false, 8, buffers.Gray8, null));
                    break;
                case MaskKind.Semantic:
                    PaintInOrder(ref buffers.Gray16, items, pixels, w, item => (ushort)item.Annotation.CategoryId!.Value);
                    Save(path, new RenderedFrame(w, h, false, 16, null, buffers.Gray16));
                    break;
                case MaskKind.Instance:
                    PaintInOrder(ref buffers.Gray16, items, pixels, w, item => (ushort)item.Index);
                    result.InstanceAnnotationIds = items.Select(i => i.Annotation.Id).ToArray();
                    Save(path, new RenderedFrame(w, h, false, 16, null, buffers.Gray16));
                    WriteInstanceSidecar(image, result, items);
                    break;
                case MaskKind.Panoptic:
                    var segments = PanopticSegments(items);
                    PaintInOrder(ref buffers.Rgb, items, pixels, w, item => new Rgb24((byte)item.Index, (byte)(item.Index >> 8), (byte)(item.Index >> 16)));

                    result.Segments = MeasurePanoptic(segments, buffers.Rgb, w, h);
                    Save(path, new RenderedFrame(w, h, true, 8, MemoryMarshal.Cast<Rgb24, byte>(buffers.Rgb.AsSpan(0, pixels)).ToArray(), null));
                    break;
            }

            result.AnnotationCount = items.Count;
            TestHangPoint.Reach("mask-exported");
            return result;
        }

        /// <summary>
        /// Writes the COCO panoptic JSON for the images exported (atomically): images, annotations with
        /// file_name and segments_info, categories with isthing and color.
        /// </summary>
        public void WritePanopticJson(string path, IReadOnlyList<CocoMaskFile> files)
        {
            var byImage = files.ToDictionary(f => f.ImageId);
            AtomicFile.Write(path, stream =>
            {
                using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                writer.WriteStartObject();
                writer.WritePropertyName("info");
                writer.WriteStartObject();
                _dataset.Info.Members.WriteTo(writer);
                writer.WriteEndObject();
                writer.WriteStartArray("images");
                foreach (var image in _dataset.Images.Where(i => byImage.ContainsKey(i.Id)))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("id", image.Id);
                    writer.WriteNumber("width", image.Width!.Value);
                    writer.WriteNumber("height", image.Height!.Value);
                    writer.WriteString("file_name", image.FileName);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteStartArray("annotations");
                foreach (var image in _dataset.Images.Where(i => byImage.ContainsKey(i.Id)))
                {
                    var file = byImage[image.Id];
                    writer.WriteStartObject();
                    writer.WriteNumber("image_id", image.Id);
                    writer.WriteString("file_name", System.IO.Path.GetFileName(file.Path));
                    writer.WriteStartArray("segments_info");
                    foreach (var s in file.Segments)
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("id", s.Id);
                        writer.WriteNumber("category_id", s.CategoryId);
                        writer.WriteNumber("area", s.Area!.Value);
                        var b = s.Bbox!.Value;
                        writer.WriteStartArray("bbox");
                        writer.WriteNumberValue(b.X);
                        writer.WriteNumberValue(b.Y);
                        writer.WriteNumberValue(b.Width);
                        writer.WriteNumberValue(b.Height);
                        writer.WriteEndArray();
                        writer.WriteNumber("iscrowd", s.IsCrowd ?? 0);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteStartArray("categories");
                foreach (var c in _dataset.Categories)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("id", c.Id);
                    writer.WriteString("name", c.Name);
                    if (c.Supercategory != null)
                    {
                        writer.WriteString("supercategory", c.Supercategory);
                    }

                    writer.WriteNumber("isthing", c.IsThing ?? 1);
                    writer.WriteStartArray("color");
                    foreach (int v in c.Color ?? DefaultColor(c.Id))
                    {
                        writer.WriteNumberValue(v);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            });
        }

        /// <summary>The image's annotations that have geometry (and the selected category), as RLEs; failures reported.</summary>
        private List<PaintItem> Rasterize(CocoImage image, Action<CocoToolsException> onAnnotationError, CocoMaskFile result)
        {
            var items = new List<PaintItem>();
            foreach (var annotation in _dataset.Annotations.ForImage(image.Id))
            {
                if (annotation.Segmentation == null && annotation.Bbox == null)
                {
                    continue;
                }

                if (_options.CategoryIds != null && (annotation.CategoryId is not long c || !_options.CategoryIds.Contains(c)))
                {
                    continue;
                }

                try
                {
                    CheckCategory(annotation);
                    var rle = AnnotationGeometry.ToRle(annotation, image, boxWhenNoSegmentation: true)!;
                    if (items.Count == ushort.MaxValue && _options.Kind == MaskKind.Instance)
                    {
                        throw new CocoToolsException("TooManyInstances", FailureKind.LimitsExceeded, $"annotation {annotation.Id}: image {image.Id} has more than 65535 annotations, more than a 16-bit instance mask can hold.") { Target = annotation.Id };
                    }

                    var category = annotation.CategoryId is long id ? _dataset.Categories.Find(id) : null;
                    int layer = annotation.IsCrowd == 1 ? 0 : category?.IsThing == 0 ? 1 : 2;
                    items.Add(new PaintItem(annotation, rle, items.Count + 1, layer));
                }
                catch (CocoToolsException e)
                {
                    result.FailedCount++;
                    onAnnotationError(e);
                }
            }

            return items;
        }

        private void CheckCategory(CocoAnnotation annotation)
        {
            if (_options.Kind != MaskKind.Semantic && _options.Kind != MaskKind.Panoptic)
            {
                return;
            }

            if (annotation.CategoryId is not long id || !_dataset.Categories.Contains(id))
            {
                throw new CocoToolsException("UnknownCategory", FailureKind.ObjectNotFound, $"annotation {annotation.Id}: its category {annotation.CategoryId} is not in the dataset, so it has no label to paint.") { Target = annotation.Id };
            }

            if (_options.Kind == MaskKind.Semantic && (id <= 0 || id > ushort.MaxValue))
            {
                throw new CocoToolsException("CategoryIdNotPaintable", FailureKind.InvalidData, $"annotation {annotation.Id}: category id {id} cannot be a semantic mask value (0 is background; at most 65535); renumber the categories.") { Target = annotation.Id };
            }
        }

        /// <summary>Crowd first, then stuff, then things; larger before smaller; dataset order on ties.</summary>
        private static IEnumerable<PaintItem> PaintOrder(List<PaintItem> items) =>
            items.OrderBy(i => i.Layer).ThenByDescending(i => i.Rle.Area).ThenBy(i => i.Index);

        /// <summary>One segment per thing annotation and one per stuff category; item indexes become segment ids.</summary>
        private List<CocoPanopticSegment> PanopticSegments(List<PaintItem> items)
        {
            var segments = new List<CocoPanopticSegment>();
            var stuffSegment = new Dictionary<long, CocoPanopticSegment>();
            for (int i = 0; i < items.Count; i++)
            {
                var item = items[i];
                long category = item.Annotation.CategoryId!.Value;
                if (item.Layer == 1)
                {
                    if (!stuffSegment.TryGetValue(category, out var merged))
                    {
                        merged = new CocoPanopticSegment { Id = segments.Count + 1, CategoryId = category, IsCrowd = 0 };
                        stuffSegment.Add(category, merged);
                        segments.Add(merged);
                    }

                    items[i] = item.WithIndex((int)merged.Id);
                }
                else
                {
                    var segment = new CocoPanopticSegment { Id = segments.Count + 1, CategoryId = category, IsCrowd = item.Annotation.IsCrowd == 1 ? 1 : 0 };
                    segments.Add(segment);
                    items[i] = item.WithIndex((int)segment.Id);
                }
            }

            return segments;
        }

        /// <summary>Area and bbox of each segment from the pixels it owns after painting; segments left with none are dropped.</summary>
        private static List<CocoPanopticSegment> MeasurePanoptic(List<CocoPanopticSegment> segments, Rgb24[] rgb, int w, int h)
        {
            int n = segments.Count + 1;
            var area = new long[n];
            var minX = Enumerable.Repeat(int.MaxValue, n).ToArray();
            var minY = Enumerable.Repeat(int.MaxValue, n).ToArray();
            var maxX = new int[n];
            var maxY = new int[n];
            for (int y = 0, i = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++, i++)
                {
                    var p = rgb[i];
                    int id = p.R | (p.G << 8) | (p.B << 16);
                    if (id == 0)
                    {
                        continue;
                    }

                    area[id]++;
                    minX[id] = Math.Min(minX[id], x);
                    maxX[id] = Math.Max(maxX[id], x);
                    minY[id] = Math.Min(minY[id], y);
                    maxY[id] = Math.Max(maxY[id], y);
                }
            }

            var kept = new List<CocoPanopticSegment>();
            foreach (var s in segments)
            {
                int id = (int)s.Id;
                if (area[id] == 0)
                {
                    continue;
                }

                s.Area = area[id];
                s.Bbox = new CocoBox(minX[id], minY[id], maxX[id] - minX[id] + 1, maxY[id] - minY[id] + 1);
                kept.Add(s);
            }

            return kept;
        }

        private void WriteInstanceSidecar(CocoImage image, CocoMaskFile result, List<PaintItem> items)
        {
            string sidecar = System.IO.Path.ChangeExtension(result.Path, ".json");
            AtomicFile.Write(sidecar, stream =>
            {
                using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                writer.WriteStartObject();
                writer.WriteNumber("image_id", image.Id);
                writer.WriteString("file_name", image.FileName);
                writer.WriteString("mask", System.IO.Path.GetFileName(result.Path));
                writer.WriteStartArray("instances");
                foreach (var item in items)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("value", item.Index);
                    writer.WriteNumber("annotation_id", item.Annotation.Id);
                    if (item.Annotation.CategoryId is long c)
                    {
                        writer.WriteNumber("category_id", c);
                        if (_dataset.Categories.Find(c) is CocoCategory category)
                        {
                            writer.WriteString("category", category.Name);
                        }
                    }

                    writer.WriteNumber("iscrowd", item.Annotation.IsCrowd ?? 0);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }, _options.NoClobber);
        }

        /// <summary>
        /// Written by the module's one PNG writer (the one Export-CocoImage uses): 4 to 6 times faster than ImageSharp's
        /// encoder on the same masks for 7% more bytes (bench/RESULTS.md, 2026-12-04).
        /// </summary>
        private void Save(string path, RenderedFrame frame) =>
            AtomicFile.Write(path, stream => PngWriter.Write(frame, stream), _options.NoClobber);

        /// <summary>Clears the buffer, then paints the items in the overlap order with the value each one gets.</summary>
        private static void PaintInOrder<T>(ref T[] buffer, List<PaintItem> items, int pixels, int w, Func<PaintItem, T> value)
        {
            Clear(ref buffer, pixels);
            foreach (var item in PaintOrder(items))
            {
                Paint(item.Rle, buffer, w, value(item));
            }
        }

        /// <summary>Paints the foreground of an RLE into a row-major buffer of width <paramref name="w"/>.</summary>
        private static void Paint<T>(Rle rle, T[] buffer, int w, T value)
        {
            rle.ForEachForegroundRun((x, y, length) =>
            {
                for (int i = (y * w) + x, end = i + (length * w); i < end; i += w)
                {
                    buffer[i] = value;
                }
            });
        }

        private static void Clear<T>(ref T[] buffer, int pixels)
        {
            if (buffer.Length < pixels)
            {
                buffer = new T[pixels];
            }
            else
            {
                Array.Clear(buffer, 0, pixels);
            }
        }

        /// <summary>A stable, distinct display colour for a category without one.</summary>
        private static int[] DefaultColor(long id)
        {
            uint v = unchecked((uint)id * 2654435761u);
            return new[] { (int)(v & 255), (int)((v >> 8) & 255), (int)((v >> 16) & 255) };
        }

        /// <summary>The image-sized buffers one painting uses.</summary>
        private sealed class PaintBuffers
        {
            public byte[] Gray8 = Array.Empty<byte>();
            public ushort[] Gray16 = Array.Empty<ushort>();
            public Rgb24[] Rgb = Array.Empty<Rgb24>();
        }

        private readonly struct PaintItem
        {
            public PaintItem(CocoAnnotation annotation, Rle rle, int index, int layer)
            {
                Annotation = annotation;
                Rle = rle;
                Index = index;
                Layer = layer;
            }

            public CocoAnnotation Annotation { get; }

            public Rle Rle { get; }

            /// <summary>1-based position among the image's painted annotations (the panoptic segment id once assigned).</summary>
            public int Index { get; }

            /// <summary>0 crowd, 1 stuff, 2 thing.</summary>
            public int Layer { get; }

            public PaintItem WithIndex(int index) => new PaintItem(Annotation, Rle, index, Layer);
        }
    }
}
