using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>
    /// The viewer flavour's repairs at the end of a parse: attribute records moved onto their image, annotation parts
    /// with one string id merged, and with Strict one error per non-standard construct instead; the repair counts.
    /// </summary>
    internal sealed partial class CocoJsonParser
    {
        private void ResolveAttributeRecord(AttributeRecord record, Dictionary<string, CocoImage> imagesByKey, Dictionary<CocoImage, List<KeyValuePair<string, byte[]?>>> attributes, List<CocoImage> attributeImages, List<ViewerEntry> layout, RepairLog repairs)
        {
            string at = "/annotations/" + Index(record.SourceIndex);
            if (_strict)
            {
                AddProblem("ViewerFlavor", $"an attribute record (\"{record.Name}\") sits among the annotations; it belongs to its image (Import-CocoJson without -Strict repairs this).", at, record.Offset);
                return;
            }

            var image = ResolveImage(record.ImageKey, record.ImageNumber, imagesByKey, at + "/image_id", -1);
            if (image == null)
            {
                return;
            }

            if (!attributes.TryGetValue(image, out var list))
            {
                list = new List<KeyValuePair<string, byte[]?>>();
                attributes.Add(image, list);
                attributeImages.Add(image);
            }

            int valueIndex = list.FindAll(kv => kv.Key == record.Name).Count;
            list.Add(new KeyValuePair<string, byte[]?>(record.Name, record.Value));
            layout.Add(new ViewerEntry(image, record.Name, valueIndex));
            repairs.Add(RepairLog.AttributeRecord);
        }

        private void MergePart(CocoAnnotation whole, CocoAnnotation part, ViewerAnnotationFacts facts, string at, List<ViewerEntry> layout, RepairLog repairs)
        {
            if (whole.ImageId != part.ImageId || whole.CategoryId != part.CategoryId)
            {
                AddProblem("AnnotationPartsDisagree", $"entries with annotation id \"{facts.Uid}\" name different images or categories, so they cannot be one annotation.", at);
                return;
            }

            if (whole.Segmentation is not CocoPolygonSegmentation first || part.Segmentation is not CocoPolygonSegmentation next)
            {
                AddProblem("AnnotationPartsDisagree", $"entries with annotation id \"{facts.Uid}\" are not all polygons, so they cannot be merged into one annotation.", at + "/segmentation");
                return;
            }

            var polygons = new List<double[]>(first.Polygons.Count + next.Polygons.Count);
            polygons.AddRange(first.Polygons);
            layout.Add(new ViewerEntry(whole, polygons.Count));
            polygons.AddRange(next.Polygons);
            whole.Segmentation = new CocoPolygonSegmentation(polygons);
            repairs.Add(RepairLog.MergedAnnotationParts);
        }

        /// <summary>With Strict: one error per non-standard construct of an annotation entry.</summary>
        private void ReportViewerConstructs(ViewerAnnotationFacts facts, string at)
        {
            const string Repairable = " (Import-CocoJson without -Strict repairs this).";
            if (facts.Uid != null)
            {
                AddProblem("ViewerFlavor", $"the annotation id is the string \"{facts.Uid}\"; COCO annotation ids are integers" + Repairable, at + "/id", facts.IdOffset);
            }

            if (facts.ImageKey != null)
            {
                AddProblem("ViewerFlavor", $"image_id is the string \"{facts.ImageKey}\"; COCO image ids are integers" + Repairable, at + "/image_id", facts.ImageOffset);
            }

            if (facts.CategoryName != null)
            {
                AddProblem("ViewerFlavor", $"category_id is the name \"{facts.CategoryName}\"; COCO category ids are integers" + Repairable, at + "/category_id", facts.CategoryOffset);
            }

            if (facts.FlatSegmentation)
            {
                AddProblem("ViewerFlavor", "the segmentation is a flat array, not a list of polygons" + Repairable, at + "/segmentation", facts.SegmentationOffset);
            }

            if (facts.HadEmptyNestedAnnotations)
            {
                AddProblem("ViewerFlavor", "an empty nested annotations array is not a COCO member" + Repairable, at + "/annotations");
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
            public const string ComputedArea = "ComputedArea";

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
                (ComputedArea, "area computed as the polygons' shoelace area (as the official COCO files do)"),
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
