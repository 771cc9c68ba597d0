using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.DicomObjects;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Pixels;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>
    /// Segmentation Storage and Label Map Segmentation Storage (PS3.3 C.8.20): one COCO annotation per (segment,
    /// source image), the mask as compressed RLE of the source image's size (or traced polygons), area the pixel
    /// count, bbox pycocotools' toBbox. Frames are read one at a time, in any order; each goes to the image its
    /// Derivation Image Sequence names, else the image of the same Frame of Reference whose plane holds it.
    /// </summary>
    public sealed class SegmentationConverter : IDicomAnnotationConverter
    {
        /// <summary>Segmentation Storage.</summary>
        public const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";

        /// <summary>Label Map Segmentation Storage.</summary>
        public const string LabelMapSegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.7";

        /// <summary>Polygons must cover the mask this well (intersection over union of pycocotools' rasterization) or it stays RLE.</summary>
        public const double MinimumPolygonIou = 0.98;

        /// <inheritdoc />
        public string ObjectKind => "SEG";

        /// <inheritdoc />
        public bool CanConvert(string sopClassUid) => sopClassUid == SegmentationStorage || sopClassUid == LabelMapSegmentationStorage;

        /// <inheritdoc />
        public DicomConversion Convert(DicomHeader header, DicomAnnotationContext context)
        {
            string path = header.SourcePath ?? "<stream>";
            SegmentationObject seg;
            try
            {
                seg = SegmentationObject.Read(header);
            }
            catch (DicomObjectException e)
            {
                throw DicomAnnotationException.From(e, path);
            }

            var result = new DicomConversion();
            var targets = Place(seg, context.Placement, result);
            var masks = new SortedDictionary<(int Segment, long ImageId), Accumulated>();
            var undescribed = new SortedSet<int>();
            using (var reader = OpenFrames(header, seg, path))
            {
                var samples = ArrayPool<uint>.Shared.Rent(seg.Rows * seg.Columns);
                var labels = ArrayPool<ushort>.Shared.Rent(seg.Rows * seg.Columns);
                var encoder = new LabelRleEncoder();
                var bitEncoder = new PackedBitRleEncoder();
                try
                {
                    foreach (var frame in seg.Frames)
                    {
                        if (!targets.TryGetValue(frame.Number, out var target))
                        {
                            continue;
                        }

                        if (seg.Type == SegmentationType.Binary)
                        {
                            // Straight from the packed bits to the RLE: no pixel-by-pixel image of the frame.
                            var bits = reader.ReadBits(frame.Number - 1, out long firstBit);
                            if (bitEncoder.Encode(bits, firstBit, seg.Rows, seg.Columns) is Rle rle)
                            {
                                Collect(masks, (frame.SegmentNumber ?? 0, target.Image.Id), target, rle, frame.Number);
                            }

                            continue;
                        }

                        var frameLabels = Labels(reader, seg, frame, samples, labels, context.Options.FractionalThreshold);
                        foreach (var pair in encoder.Encode(frameLabels, seg.Rows, seg.Columns))
                        {
                            if (!seg.Segments.ContainsKey(pair.Key))
                            {
                                undescribed.Add(pair.Key);
                            }

                            Collect(masks, (pair.Key, target.Image.Id), target, pair.Value, frame.Number);
                        }
                    }
                }
                finally
                {
                    ArrayPool<uint>.Shared.Return(samples);
                    ArrayPool<ushort>.Shared.Return(labels);
                }
            }

            if (undescribed.Count > 0)
            {
                result.Notes.Add($"pixel value(s) {string.Join(", ", undescribed)} of the LABELMAP name no segment of the Segment Sequence; their categories are named \"Segment N\".");
            }

            var categories = new Dictionary<int, DicomCategorySpec>();
            foreach (var pair in masks)
            {
                int number = pair.Key.Segment;
                if (!categories.TryGetValue(number, out var category))
                {
                    category = CategoryOf(seg, number);
                    categories.Add(number, category);
                }

                result.Annotations.Add(new DicomNewAnnotation(AnnotationOf(seg, number, pair.Value, context.Options, result), category));
            }

            return result;
        }

        private static void Collect(SortedDictionary<(int Segment, long ImageId), Accumulated> masks, (int Segment, long ImageId) key, PlacedImage target, Rle mask, int frame)
        {
            if (masks.TryGetValue(key, out var earlier))
            {
                earlier.Add(mask, frame);
            }
            else
            {
                masks.Add(key, new Accumulated(target, mask, frame));
            }
        }

        /// <summary>The image each frame goes to; frames without one are recorded as not placed. A size mismatch spoils the object.</summary>
        private static Dictionary<int, PlacedImage> Place(SegmentationObject seg, ImagePlacementIndex placement, DicomConversion result)
        {
            var targets = new Dictionary<int, PlacedImage>();
            foreach (var frame in seg.Frames)
            {
                PlacedImage? target = null;
                string? missing = null;
                foreach (var (uid, number) in frame.Sources)
                {
                    target = placement.FindBySop(uid, number);
                    if (target != null)
                    {
                        break;
                    }

                    missing ??= uid;
                }

                target ??= ByPlane(seg, frame, placement);
                string item = "frame " + frame.Number.ToString(CultureInfo.InvariantCulture);
                if (target == null)
                {
                    result.NotPlaced.Add(new DicomNotPlaced(item, missing != null ? DicomAnnotationErrorKind.ImageMissing : DicomAnnotationErrorKind.NotPlaceable, missing));
                    continue;
                }

                if ((target.Image.Width is int w && w != seg.Columns) || (target.Image.Height is int h && h != seg.Rows))
                {
                    throw new DicomAnnotationException(DicomAnnotationErrorKind.FrameSizeMismatch, seg.SourcePath, item, $"the frame is {seg.Columns}x{seg.Rows} but its source image (image {target.Image.Id}, {target.SopInstanceUid}) is {target.Image.Width}x{target.Image.Height}; the mask cannot be placed pixel for pixel.");
                }

                targets.Add(frame.Number, target);
            }

            return targets;
        }

        /// <summary>
        /// The image of the SEG's Frame of Reference whose plane holds the frame's Image Position (Patient), when that
        /// image's pixel grid is the frame's: same orientation and the frame's first pixel on the image's first pixel.
        /// </summary>
        private static PlacedImage? ByPlane(SegmentationObject seg, SegmentationFrame frame, ImagePlacementIndex placement)
        {
            var position = frame.Geometry.ImagePositionPatient;
            if (position == null)
            {
                return null;
            }

            var found = placement.FindByPoints(seg.FrameOfReferenceUid, position);
            var plane = found?.Plane;
            if (plane == null)
            {
                return null;
            }

            var (i, j) = plane.ToPixelIndex(position[0], position[1], position[2]);
            var own = ImagePlane.Create(position, frame.Geometry.ImageOrientationPatient, frame.Geometry.PixelSpacing ?? new[] { plane.RowSpacing, plane.ColumnSpacing }, seg.Rows, seg.Columns, null);
            bool sameGrid = Math.Abs(i) <= 0.5 && Math.Abs(j) <= 0.5 && (own == null || own.IsParallelTo(plane));
            return sameGrid ? found : null;
        }

        private static FrameReader OpenFrames(DicomHeader header, SegmentationObject seg, string path)
        {
            FrameReader reader;
            try
            {
                reader = new FrameReader(header);
            }
            catch (DicomException e)
            {
                throw new DicomAnnotationException(DicomAnnotationErrorKind.Unsupported, path, null, e.Message, e);
            }

            if (reader.Layout.Frames != seg.Frames.Count || reader.Layout.SamplesPerPixel != 1)
            {
                reader.Dispose();
                throw new DicomAnnotationException(DicomAnnotationErrorKind.Broken, path, null, $"the pixel data has {reader.Layout.Frames} frame(s) of {reader.Layout.SamplesPerPixel} sample(s) a pixel; the functional groups describe {seg.Frames.Count} single-sample frames.");
            }

            return reader;
        }

        /// <summary>
        /// A FRACTIONAL or LABELMAP frame's pixels as segment numbers (0 = none; BINARY frames go from their bits to RLE).
        /// Native frames go from the bytes as stored straight to labels (a little-endian 16-bit LABELMAP frame is its own
        /// label image); others through the decoded samples.
        /// </summary>
        [MethodImpl(HotPath.Optimize)] // no unoptimized first tier for a quarter million pixels
        private static ReadOnlySpan<ushort> Labels(FrameReader reader, SegmentationObject seg, SegmentationFrame frame, uint[] samples, ushort[] labels, double threshold)
        {
            int count = seg.Rows * seg.Columns;
            var into = new Span<ushort>(labels, 0, count);
            ushort segment = (ushort)(frame.SegmentNumber ?? 0);
            double cut = threshold * seg.MaximumFractionalValue;
            if (reader.Streams && BitConverter.IsLittleEndian && !reader.BigEndian)
            {
                var raw = reader.ReadNative(frame.Number - 1, out _);
                switch (seg.Type)
                {
                    case SegmentationType.Labelmap when seg.BitsAllocated == 16:
                        return MemoryMarshal.Cast<byte, ushort>(raw).Slice(0, count);
                    case SegmentationType.Labelmap:
                        for (int p = 0; p < count; p++)
                        {
                            into[p] = raw[p];
                        }

                        return into;
                    default:
                        for (int p = 0; p < count; p++)
                        {
                            into[p] = raw[p] >= cut && raw[p] != 0 ? segment : (ushort)0;
                        }

                        return into;
                }
            }

            reader.Read(frame.Number - 1, samples);
            for (int p = 0; p < count; p++)
            {
                uint v = samples[p];
                into[p] = seg.Type == SegmentationType.Fractional ? (v >= cut && v != 0 ? segment : (ushort)0)
                    : (ushort)v;
            }

            return into;
        }

        private static DicomCategorySpec CategoryOf(SegmentationObject seg, int number)
        {
            if (!seg.Segments.TryGetValue(number, out var segment))
            {
                return new DicomCategorySpec("Segment " + number.ToString(CultureInfo.InvariantCulture));
            }

            var category = new DicomCategorySpec(segment.Label)
            {
                Supercategory = segment.PropertyCategory?.Meaning,
                Color = segment.Color,
            };
            var dicom = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            if (segment.PropertyCategory != null)
            {
                dicom["SegmentedPropertyCategory"] = segment.PropertyCategory.ToDictionary();
            }

            if (segment.PropertyType != null)
            {
                dicom["SegmentedPropertyType"] = segment.PropertyType.ToDictionary();
            }

            if (segment.AlgorithmType != null)
            {
                dicom["SegmentAlgorithmType"] = segment.AlgorithmType;
            }

            if (segment.AlgorithmName != null)
            {
                dicom["SegmentAlgorithmName"] = segment.AlgorithmName;
            }

            if (dicom.Count > 0)
            {
                category.Members["dicom"] = dicom;
            }

            return category;
        }

        private static CocoAnnotation AnnotationOf(SegmentationObject seg, int number, Accumulated mask, DicomAnnotationOptions options, DicomConversion result)
        {
            var rle = mask.Mask;
            var bbox = rle.ToBbox();
            var annotation = new CocoAnnotation
            {
                ImageId = mask.Target.Image.Id,
                Area = rle.Area,
                Bbox = new CocoBox(bbox[0], bbox[1], bbox[2], bbox[3]),
                IsCrowd = 0,
                Segmentation = new CocoRleSegmentation(rle.Height, rle.Width, rle.ToCompressedString()),
            };
            if (options.SegmentationFormat == DicomSegmentationFormat.Polygon)
            {
                var polygons = Polygons(rle, result);
                if (polygons != null)
                {
                    annotation.Segmentation = new CocoPolygonSegmentation(polygons);
                }
            }

            var attributes = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["SegmentNumber"] = number,
                ["SegmentationSOPInstanceUID"] = seg.SopInstanceUid,
                ["SegmentationFrameNumber"] = mask.Frames.Count == 1 ? mask.Frames[0] : (object)mask.Frames.ToArray(),
            };
            if (seg.Segments.TryGetValue(number, out var segment))
            {
                if (segment.TrackingId != null)
                {
                    attributes["TrackingID"] = segment.TrackingId;
                }

                if (segment.TrackingUid != null)
                {
                    attributes["TrackingUID"] = segment.TrackingUid;
                }
            }

            annotation.Extra.Set("attributes", attributes);
            return annotation;
        }

        /// <summary>The mask's traced polygons, or null (counted) when it has holes or they would not cover it well enough.</summary>
        private static List<double[]>? Polygons(Rle rle, DicomConversion result)
        {
            var pixels = new byte[rle.Height * rle.Width];
            rle.TryDecodeRowMajor(pixels);
            var traced = MaskTracer.Trace(pixels, rle.Height, rle.Width);
            if (traced.HasHoles)
            {
                result.Count("masks kept as RLE (holes)");
                return null;
            }

            var drawn = RleSetOperations.Merge(traced.Polygons.Select(p => PolygonRasterizer.FromPolygon(p, rle.Height, rle.Width)).ToList());
            double iou = RleSetOperations.Iou(new[] { drawn }, new[] { rle }, null)[0, 0];
            if (iou < MinimumPolygonIou)
            {
                result.Count("masks kept as RLE (polygons cover them less well)");
                return null;
            }

            return traced.Polygons.ToList();
        }

        /// <summary>The mask of one (segment, image) so far, and the SEG frames it came from.</summary>
        private sealed class Accumulated
        {
            public Accumulated(PlacedImage target, Rle mask, int frame)
            {
                Target = target;
                Mask = mask;
                Frames.Add(frame);
            }

            public PlacedImage Target { get; }

            public Rle Mask { get; private set; }

            public List<int> Frames { get; } = new List<int>();

            public void Add(Rle mask, int frame)
            {
                Mask = RleSetOperations.Merge(new[] { Mask, mask });
                Frames.Add(frame);
                Frames.Sort();
            }
        }
    }
}
