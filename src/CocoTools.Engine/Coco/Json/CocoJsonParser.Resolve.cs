using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>
    /// The end of a parse: integer ids, references, and the viewer flavour's repairs (or, with Strict, an error
    /// for each non-standard construct), all with the JSON pointer and offset of the entry concerned.
    /// </summary>
    internal sealed partial class CocoJsonParser
    {
        private void Resolve()
        {
            var repairs = new RepairLog();
            var imagesByKey = ResolveImages(repairs);
            ResolveCategories();
            var layout = ResolveAnnotations(imagesByKey, repairs);
            ResolvePanoptic();

            if (repairs.Any)
            {
                foreach (var annotation in _dataset.Annotations)
                {
                    if (annotation.Bbox == null && annotation.Segmentation is CocoPolygonSegmentation polygons && BoxOfVertices(polygons) is CocoBox box)
                    {
                        annotation.Bbox = box;
                        repairs.Add(RepairLog.ComputedBbox);
                    }
                }

                _dataset.SourceFlavor = CocoFlavor.Viewer;
                _dataset.ViewerLayout = layout;
            }

            _dataset.Repairs.AddRange(repairs.ToList());
        }

        private Dictionary<string, CocoImage> ResolveImages(RepairLog repairs)
        {
            var byKey = new Dictionary<string, CocoImage>(StringComparer.Ordinal);
            long next = 1;
            foreach (var entry in _images)
            {
                if (entry.StringId == null)
                {
                    next = Math.Max(next, entry.Image.Id + 1);
                }
            }

            foreach (var entry in _images)
            {
                string idPointer = "/images/" + Index(entry.Index) + "/id";
                if (entry.StringId != null)
                {
                    if (_strict)
                    {
                        AddProblem("ViewerFlavor", $"the image id is the string \"{entry.StringId}\"; COCO image ids are integers (Import-CocoJson without -Strict repairs this).", idPointer, entry.IdOffset);
                        continue;
                    }

                    if (byKey.ContainsKey(entry.StringId))
                    {
                        AddProblem("DuplicateId", $"image id \"{entry.StringId}\" is used twice.", idPointer, entry.IdOffset);
                        continue;
                    }

                    entry.Image.SetIdUnchecked(next++);
                    entry.Image.Extra.Set(OriginalImageIdMember(entry.StringId), entry.StringId);
                    byKey.Add(entry.StringId, entry.Image);
                    repairs.Add(RepairLog.StringImageId);
                }
                else if (_dataset.Images.Contains(entry.Image.Id))
                {
                    AddProblem("DuplicateId", $"image id {entry.Image.Id} is used twice.", idPointer, entry.IdOffset);
                    continue;
                }

                _dataset.Images.Add(entry.Image);
            }

            return byKey;
        }

        /// <summary>Where an image's original string id is kept: <c>dicomweb_url</c> for URLs, else <c>original_id</c>.</summary>
        internal static string OriginalImageIdMember(string stringId) =>
            stringId.IndexOf("://", StringComparison.Ordinal) > 0 ? "dicomweb_url" : "original_id";

        private void ResolveCategories()
        {
            foreach (var entry in _categories)
            {
                if (_dataset.Categories.Contains(entry.Category.Id))
                {
                    AddProblem("DuplicateId", $"category id {entry.Category.Id} is used twice.", "/categories/" + Index(entry.Index) + "/id", entry.Offset);
                    continue;
                }

                _dataset.Categories.Add(entry.Category);
            }
        }

        private List<ViewerEntry> ResolveAnnotations(Dictionary<string, CocoImage> imagesByKey, RepairLog repairs)
        {
            var layout = new List<ViewerEntry>();
            var byUid = new Dictionary<string, CocoAnnotation>(StringComparer.Ordinal);
            var categoriesByName = new Dictionary<string, CocoCategory>(StringComparer.Ordinal);
            foreach (var category in _dataset.Categories)
            {
                if (!categoriesByName.ContainsKey(category.Name))
                {
                    categoriesByName.Add(category.Name, category);
                }
            }

            var attributes = new Dictionary<CocoImage, List<KeyValuePair<string, byte[]?>>>();
            var attributeImages = new List<CocoImage>();
            long next = 1;
            foreach (var entry in _annotations)
            {
                if (entry.Annotation != null && entry.Uid == null)
                {
                    next = Math.Max(next, entry.Annotation.Id + 1);
                }
            }

            foreach (var entry in _annotations)
            {
                string at = "/annotations/" + Index(entry.Index);
                if (_strict && ReportViewerConstructs(entry, at))
                {
                    continue;
                }

                var image = ResolveImage(entry, imagesByKey, at);
                if (image == null)
                {
                    continue;
                }

                if (entry.AttributeName != null)
                {
                    if (!attributes.TryGetValue(image, out var list))
                    {
                        list = new List<KeyValuePair<string, byte[]?>>();
                        attributes.Add(image, list);
                        attributeImages.Add(image);
                    }

                    int valueIndex = list.FindAll(kv => kv.Key == entry.AttributeName).Count;
                    list.Add(new KeyValuePair<string, byte[]?>(entry.AttributeName, entry.AttributeValue));
                    layout.Add(new ViewerEntry(image, entry.AttributeName, valueIndex));
                    repairs.Add(RepairLog.AttributeRecord);
                    continue;
                }

                var annotation = entry.Annotation!;
                if (entry.HadEmptyNestedAnnotations)
                {
                    repairs.Add(RepairLog.EmptyNestedAnnotations);
                }

                if (entry.FlatSegmentation)
                {
                    repairs.Add(RepairLog.FlatSegmentation);
                }

                long? categoryId = ResolveCategory(entry, categoriesByName, repairs, at);
                if (entry.HasCategory && categoryId == null)
                {
                    continue;
                }

                annotation.SetReferencesUnchecked(image.Id, categoryId);
                if (entry.Uid != null)
                {
                    if (byUid.TryGetValue(entry.Uid, out var whole))
                    {
                        MergePart(whole, annotation, entry, at, layout, repairs);
                        continue;
                    }

                    annotation.SetIdUnchecked(next++);
                    annotation.Extra.Set("uid", entry.Uid);
                    byUid.Add(entry.Uid, annotation);
                    repairs.Add(RepairLog.StringAnnotationId);
                }
                else if (_dataset.Annotations.Contains(annotation.Id))
                {
                    AddProblem("DuplicateId", $"annotation id {annotation.Id} is used twice.", at + "/id", entry.IdOffset);
                    continue;
                }

                _dataset.Annotations.Add(annotation);
                layout.Add(new ViewerEntry(annotation, 0));
            }

            foreach (var image in attributeImages)
            {
                image.Extra.SetRaw("attributes", AttributesObject(image, attributes[image]));
            }

            return layout;
        }

        private CocoImage? ResolveImage(AnnotationEntry entry, Dictionary<string, CocoImage> imagesByKey, string at)
        {
            if (entry.ImageKey != null)
            {
                if (imagesByKey.TryGetValue(entry.ImageKey, out var byKey))
                {
                    return byKey;
                }

                AddProblem("UnknownImage", $"image_id \"{entry.ImageKey}\" matches no image.", at + "/image_id", entry.ImageOffset);
                return null;
            }

            var image = _dataset.Images.Find(entry.ImageNumber);
            if (image == null)
            {
                AddProblem("UnknownImage", $"image_id {entry.ImageNumber} matches no image.", at + "/image_id", entry.ImageOffset);
            }

            return image;
        }

        private long? ResolveCategory(AnnotationEntry entry, Dictionary<string, CocoCategory> byName, RepairLog repairs, string at)
        {
            if (!entry.HasCategory)
            {
                return null;
            }

            if (entry.CategoryName != null)
            {
                if (!byName.TryGetValue(entry.CategoryName, out var category))
                {
                    category = new CocoCategory { Name = entry.CategoryName };
                    _dataset.Categories.AddNew(category);
                    byName.Add(category.Name, category);
                }

                repairs.Add(RepairLog.CategoryName);
                return category.Id;
            }

            if (!_dataset.Categories.Contains(entry.CategoryNumber))
            {
                AddProblem("UnknownCategory", $"category_id {entry.CategoryNumber} matches no category.", at + "/category_id", entry.CategoryOffset);
                return null;
            }

            return entry.CategoryNumber;
        }

        private void MergePart(CocoAnnotation whole, CocoAnnotation part, AnnotationEntry entry, string at, List<ViewerEntry> layout, RepairLog repairs)
        {
            if (whole.ImageId != part.ImageId || whole.CategoryId != part.CategoryId)
            {
                AddProblem("AnnotationPartsDisagree", $"entries with annotation id \"{entry.Uid}\" name different images or categories, so they cannot be one annotation.", at, entry.Offset);
                return;
            }

            if (whole.Segmentation is not CocoPolygonSegmentation first || part.Segmentation is not CocoPolygonSegmentation next)
            {
                AddProblem("AnnotationPartsDisagree", $"entries with annotation id \"{entry.Uid}\" are not all polygons, so they cannot be merged into one annotation.", at + "/segmentation", entry.SegmentationOffset);
                return;
            }

            var polygons = new List<double[]>(first.Polygons.Count + next.Polygons.Count);
            polygons.AddRange(first.Polygons);
            layout.Add(new ViewerEntry(whole, polygons.Count));
            polygons.AddRange(next.Polygons);
            whole.Segmentation = new CocoPolygonSegmentation(polygons);
            repairs.Add(RepairLog.MergedAnnotationParts);
        }

        /// <summary>With Strict: one error per non-standard construct of an entry; true when there was any.</summary>
        private bool ReportViewerConstructs(AnnotationEntry entry, string at)
        {
            const string Repairable = " (Import-CocoJson without -Strict repairs this).";
            int before = _problems.Count;
            if (entry.AttributeName != null)
            {
                AddProblem("ViewerFlavor", $"an attribute record (\"{entry.AttributeName}\") sits among the annotations; it belongs to its image" + Repairable, at, entry.Offset);
                return true;
            }

            if (entry.Uid != null)
            {
                AddProblem("ViewerFlavor", $"the annotation id is the string \"{entry.Uid}\"; COCO annotation ids are integers" + Repairable, at + "/id", entry.IdOffset);
            }

            if (entry.ImageKey != null)
            {
                AddProblem("ViewerFlavor", $"image_id is the string \"{entry.ImageKey}\"; COCO image ids are integers" + Repairable, at + "/image_id", entry.ImageOffset);
            }

            if (entry.CategoryName != null)
            {
                AddProblem("ViewerFlavor", $"category_id is the name \"{entry.CategoryName}\"; COCO category ids are integers" + Repairable, at + "/category_id", entry.CategoryOffset);
            }

            if (entry.FlatSegmentation)
            {
                AddProblem("ViewerFlavor", "the segmentation is a flat array, not a list of polygons" + Repairable, at + "/segmentation", entry.SegmentationOffset);
            }

            if (entry.HadEmptyNestedAnnotations)
            {
                AddProblem("ViewerFlavor", "an empty nested annotations array is not a COCO member" + Repairable, at + "/annotations", entry.Offset);
            }

            return _problems.Count > before;
        }

        private void ResolvePanoptic()
        {
            foreach (var entry in _panoptic)
            {
                string at = "/annotations/" + Index(entry.Index);
                if (!_dataset.Images.Contains(entry.Annotation.ImageId))
                {
                    AddProblem("UnknownImage", $"image_id {entry.Annotation.ImageId} matches no image.", at + "/image_id", entry.Offset);
                    continue;
                }

                for (int i = 0; i < entry.Annotation.SegmentsInfo.Count; i++)
                {
                    long category = entry.Annotation.SegmentsInfo[i].CategoryId;
                    if (!_dataset.Categories.Contains(category))
                    {
                        AddProblem("UnknownCategory", $"category_id {category} matches no category.", at + "/segments_info/" + Index(i) + "/category_id", entry.Offset);
                    }
                }

                _dataset.PanopticAnnotations.Add(entry.Annotation);
            }
        }

        /// <summary>The image's <c>attributes</c> object: its existing members, then one per name (an array where a name repeats).</summary>
        private static byte[] AttributesObject(CocoImage image, List<KeyValuePair<string, byte[]?>> records)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                if (image.Extra.TryGetRaw("attributes", out var existing))
                {
                    var r = new Utf8JsonReader(existing);
                    if (r.Read() && r.TokenType == JsonTokenType.StartObject)
                    {
                        using var doc = JsonDocument.Parse(existing);
                        foreach (var member in doc.RootElement.EnumerateObject())
                        {
                            member.WriteTo(writer);
                        }
                    }
                }

                var names = new List<string>();
                foreach (var kv in records)
                {
                    if (!names.Contains(kv.Key))
                    {
                        names.Add(kv.Key);
                    }
                }

                foreach (var name in names)
                {
                    var values = records.FindAll(kv => kv.Key == name);
                    writer.WritePropertyName(name);
                    if (values.Count > 1)
                    {
                        writer.WriteStartArray();
                    }

                    foreach (var v in values)
                    {
                        if (v.Value == null)
                        {
                            writer.WriteNullValue();
                        }
                        else
                        {
                            writer.WriteRawValue(v.Value, skipInputValidation: true);
                        }
                    }

                    if (values.Count > 1)
                    {
                        writer.WriteEndArray();
                    }
                }

                writer.WriteEndObject();
            }

            return stream.ToArray();
        }

        internal static CocoBox? BoxOfVertices(CocoPolygonSegmentation segmentation)
        {
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            foreach (var polygon in segmentation.Polygons)
            {
                for (int i = 0; i + 1 < polygon.Length; i += 2)
                {
                    minX = Math.Min(minX, polygon[i]);
                    maxX = Math.Max(maxX, polygon[i]);
                    minY = Math.Min(minY, polygon[i + 1]);
                    maxY = Math.Max(maxY, polygon[i + 1]);
                }
            }

            return double.IsPositiveInfinity(minX) ? null : new CocoBox(minX, minY, maxX - minX, maxY - minY);
        }

        private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);

        /// <summary>Counts repairs by kind, reported in a fixed order.</summary>
        private sealed class RepairLog
        {
            public const string StringImageId = "StringImageId";
            public const string StringAnnotationId = "StringAnnotationId";
            public const string MergedAnnotationParts = "MergedAnnotationParts";
            public const string CategoryName = "CategoryName";
            public const string FlatSegmentation = "FlatSegmentation";
            public const string AttributeRecord = "AttributeRecord";
            public const string EmptyNestedAnnotations = "EmptyNestedAnnotations";
            public const string ComputedBbox = "ComputedBbox";

            private static readonly (string Kind, string Description)[] Kinds =
            {
                (StringImageId, "string image ids (DICOMweb URLs) replaced by integer ids from 1; the original kept on the image as dicomweb_url"),
                (StringAnnotationId, "UUID annotation ids replaced by integer ids from 1; the UUID kept on the annotation as uid"),
                (MergedAnnotationParts, "entries sharing one annotation id merged into that annotation, one polygon per entry"),
                (CategoryName, "category names in category_id replaced by the ids of categories created by name"),
                (FlatSegmentation, "flat segmentation arrays wrapped into a list of polygons"),
                (AttributeRecord, "attribute records (name/value/image_id) moved to their image's attributes"),
                (EmptyNestedAnnotations, "empty nested annotations arrays dropped"),
                (ComputedBbox, "bbox computed from the polygon vertices"),
            };

            private readonly Dictionary<string, int> _counts = new Dictionary<string, int>();

            public bool Any => _counts.Count > 0;

            public void Add(string kind) => _counts[kind] = _counts.TryGetValue(kind, out int n) ? n + 1 : 1;

            public List<CocoRepair> ToList()
            {
                var list = new List<CocoRepair>();
                foreach (var (kind, description) in Kinds)
                {
                    if (_counts.TryGetValue(kind, out int n))
                    {
                        list.Add(new CocoRepair(kind, n, description));
                    }
                }

                return list;
            }
        }
    }
}
