using System;
using System.Collections.Generic;
using System.Text.Json;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Validation
{
    // Checks of one annotations[] record: ids, kind (detection, keypoints, caption, panoptic), box, area, keypoints.
    internal sealed partial class CocoFileValidation
    {
        private void CheckAnnotation(JsonElement e, int index)
        {
            string at = $"/annotations/{index}";
            if (!IsObject(e, at, "an annotation"))
            {
                return;
            }

            var kind = KindOf(e);
            if (kind != CocoFileKind.Captions)
            {
                _onlyCaptions = false;
            }

            if (IsAttributeRecord(e))
            {
                _sink.Add(CocoRules.ViewerLayout, at, "an attribute record (name, value, image_id) in annotations: the viewer's way of storing image attributes.");
                return;
            }

            var facts = new AnnotationFacts { Index = index, KeypointTriples = -1 };
            if (kind != CocoFileKind.Panoptic && ReadId(e, at, "id", "annotations", out long id) && !_annotationIds.Add(id))
            {
                _sink.Add(CocoRules.DuplicateId, () => at + "/id", () => $"annotation id {id} is not unique.");
            }

            if (ReadReference(e, at, "image_id", required: true) is long imageId)
            {
                facts.ImageId = imageId;
            }

            switch (kind)
            {
                case CocoFileKind.Captions:
                    CheckCaption(e, at);
                    _annotations.Add(facts);
                    return;
                case CocoFileKind.Panoptic:
                    CheckPanoptic(e, at, index, facts.ImageId);
                    return;
            }

            if (ReadReference(e, at, "category_id", required: true) is long categoryId)
            {
                facts.CategoryId = categoryId;
            }

            if (e.TryGetProperty("annotations", out var nested) && nested.ValueKind == JsonValueKind.Array && nested.GetArrayLength() > 0)
            {
                _sink.Add(CocoRules.ViewerLayout, at + "/annotations", "annotations nested inside an annotation, as the viewer writes them; consumers ignore them.");
            }

            double? shoelace = null;
            long? pixels = null;
            if (e.TryGetProperty("segmentation", out var segmentation))
            {
                CheckSegmentation(segmentation, at + "/segmentation", ref facts, out shoelace, out pixels);
            }
            else if (kind == CocoFileKind.Stuff)
            {
                _sink.Add(CocoRules.RequiredField, at, "a stuff annotation has no segmentation.");
            }

            if (Member(e, at, "bbox", JsonValueKind.Array, required: kind == CocoFileKind.Detection || kind == CocoFileKind.Keypoints) is JsonElement bbox)
            {
                CheckBox(bbox, at + "/bbox", ref facts);
            }

            int crowd = 0;
            if (e.TryGetProperty("iscrowd", out var isCrowd))
            {
                if (!TryInteger(isCrowd, out long c) || (c != 0 && c != 1))
                {
                    _sink.Add(CocoRules.IsCrowdValue, () => at + "/iscrowd", () => $"iscrowd is {Describe(isCrowd)}; it must be 0 or 1.");
                }
                else
                {
                    crowd = (int)c;
                }
            }

            if (crowd == 1 && facts.HasPolygon)
            {
                _sink.Add(CocoRules.CrowdWithoutRle, at + "/segmentation", "iscrowd is 1 but the segmentation is polygons; COCO's crowd regions are RLE (pycocotools evaluates crowd regions as RLE).");
            }

            CheckArea(e, at, facts.HasBox || facts.HasPolygon || facts.RleHeight > 0, shoelace, pixels);

            if (e.TryGetProperty("keypoints", out var keypoints))
            {
                CheckKeypoints(e, keypoints, at, ref facts);
            }
            else if (kind == CocoFileKind.Keypoints)
            {
                _sink.Add(CocoRules.RequiredField, at, "a keypoint annotation has no keypoints.");
            }

            _annotations.Add(facts);
        }

        private CocoFileKind KindOf(JsonElement e)
        {
            if (_options.Kind != CocoFileKind.Auto && _options.Kind != CocoFileKind.Results)
            {
                return _options.Kind;
            }

            if (e.TryGetProperty("segments_info", out _))
            {
                return CocoFileKind.Panoptic;
            }

            if (e.TryGetProperty("caption", out _) && !e.TryGetProperty("category_id", out _))
            {
                return CocoFileKind.Captions;
            }

            return e.TryGetProperty("keypoints", out _) ? CocoFileKind.Keypoints : CocoFileKind.Detection;
        }

        private static bool IsAttributeRecord(JsonElement e)
        {
            if (!e.TryGetProperty("name", out _) || !e.TryGetProperty("value", out _))
            {
                return false;
            }

            foreach (var member in e.EnumerateObject())
            {
                if (member.Name != "name" && member.Name != "value" && member.Name != "image_id" && member.Name != "id")
                {
                    return false;
                }
            }

            return true;
        }

        private void CheckBox(JsonElement bbox, string at, ref AnnotationFacts facts)
        {
            if (bbox.GetArrayLength() != 4)
            {
                TypeError(at, "bbox", bbox, "[x, y, width, height], four numbers");
                return;
            }

            var v = new double[4];
            int i = 0;
            bool numbers = true;
            foreach (var value in bbox.EnumerateArray())
            {
                numbers &= ReadNumber(value, at, i, "a bbox value", out v[i]);
                i++;
            }

            if (!numbers)
            {
                return;
            }

            if (v[2] <= 0 || v[3] <= 0)
            {
                int side = v[2] <= 0 ? 2 : 3;
                _sink.Add(CocoRules.BboxSize, () => $"{at}/{side}", () => $"the bbox {side switch { 2 => "width", _ => "height" }} is {Number(v[side])}; width and height must be positive.");
            }

            facts.HasBox = true;
            facts.BoxX = v[0];
            facts.BoxY = v[1];
            facts.BoxWidth = v[2];
            facts.BoxHeight = v[3];
        }

        private void CheckArea(JsonElement e, string at, bool hasGeometry, double? shoelace, long? pixels)
        {
            if (!e.TryGetProperty("area", out var area))
            {
                if (hasGeometry)
                {
                    _sink.Add(CocoRules.AreaMissing, at, "the annotation has geometry but no area; COCOeval sorts objects into small, medium and large by area.");
                }

                return;
            }

            if (!ReadNumber(area, at + "/area", "area", out double value))
            {
                return;
            }

            if (value < 0)
            {
                _sink.Add(CocoRules.AreaMissing, () => at + "/area", () => $"area is {Number(value)}; it cannot be negative (COCOeval would drop the object from every area range).");
                return;
            }

            if (value == 0 && shoelace != 0 && pixels != 0 && (shoelace != null || pixels != null || hasGeometry))
            {
                _sink.Add(CocoRules.AreaInconsistent, () => at + "/area", () => shoelace is double s0 ? $"area is 0 but the polygons' shoelace area is {Number(Math.Round(s0, 3))}."
                    : pixels is long p0 ? $"area is 0 but the RLE covers {p0} pixels." : "area is 0 but the annotation has a box.");
                return;
            }

            if (shoelace is double s && s > 0 && Math.Abs(value - s) > (0.01 * s) + 1)
            {
                _sink.Add(CocoRules.AreaInconsistent, () => at + "/area", () => $"area is {Number(value)} but the polygons' shoelace area is {Number(Math.Round(s, 3))} (more than 1% + 1 px² apart): a wrong unit, or another field's value?");
            }
            else if (pixels is long count && count > 0 && (value > 1.5 * count || value * 1.5 < count))
            {
                _sink.Add(CocoRules.AreaInconsistent, () => at + "/area", () => $"area is {Number(value)} but the RLE covers {count} pixels (more than a factor of 1.5 apart): a wrong unit, or another field's value?");
            }
        }

        private void CheckKeypoints(JsonElement e, JsonElement keypoints, string at, ref AnnotationFacts facts)
        {
            if (keypoints.ValueKind != JsonValueKind.Array)
            {
                TypeError(at + "/keypoints", "keypoints", keypoints, "a list of x, y, v triples");
                return;
            }

            int n = keypoints.GetArrayLength();
            if (n % 3 != 0)
            {
                _sink.Add(CocoRules.KeypointsLength, at + "/keypoints", $"keypoints has {n} numbers, not x, y, v triples.");
            }
            else
            {
                facts.KeypointTriples = n / 3;
            }

            int labelled = 0, i = 0;
            string keypointsAt = at + "/keypoints";
            foreach (var value in keypoints.EnumerateArray())
            {
                if (ReadNumber(value, keypointsAt, i, "a keypoint value", out double v) && i % 3 == 2)
                {
                    if (v != 0 && v != 1 && v != 2)
                    {
                        int position = i;
                        _sink.Add(CocoRules.KeypointVisibility, () => $"{at}/keypoints/{position}", () => $"keypoint {(position / 3) + 1} has visibility {Number(v)}; it must be 0 (not labelled), 1 (labelled, not visible) or 2 (visible).");
                    }
                    else if (v > 0)
                    {
                        labelled++;
                    }
                }

                i++;
            }

            if (e.TryGetProperty("num_keypoints", out var num))
            {
                if (!TryInteger(num, out long count))
                {
                    TypeError(at + "/num_keypoints", "num_keypoints", num, "an integer");
                }
                else if (count != labelled)
                {
                    _sink.Add(CocoRules.NumKeypoints, () => at + "/num_keypoints", () => $"num_keypoints is {count} but {labelled} keypoint(s) have visibility above 0.");
                }
            }
        }

        private void CheckCaption(JsonElement e, string at)
        {
            if (Member(e, at, "caption", JsonValueKind.String, required: true) is JsonElement caption && string.IsNullOrWhiteSpace(caption.GetString()))
            {
                _sink.Add(CocoRules.CaptionEmpty, at + "/caption", "the caption is empty.");
            }
        }

        private void CheckPanoptic(JsonElement e, string at, int index, long? imageId)
        {
            var facts = new PanopticFacts { Index = index, ImageId = imageId };
            if (Member(e, at, "file_name", JsonValueKind.String, required: true) is JsonElement fileName)
            {
                facts.FileName = fileName.GetString();
            }

            if (Member(e, at, "segments_info", JsonValueKind.Array, required: true) is JsonElement segments)
            {
                var seen = new HashSet<long>();
                int i = 0;
                foreach (var segment in segments.EnumerateArray())
                {
                    string segmentAt = $"{at}/segments_info/{i}";
                    if (IsObject(segment, segmentAt, "a segment"))
                    {
                        long? category = ReadReference(segment, segmentAt, "category_id", required: true);
                        if (Member(segment, segmentAt, "id", JsonValueKind.Number, required: true) is JsonElement idElement)
                        {
                            if (!TryInteger(idElement, out long id) || id <= 0 || id > 0xFFFFFF)
                            {
                                _sink.Add(CocoRules.PanopticSegments, segmentAt + "/id", $"segment id {idElement.GetRawText()} is not a positive integer below 2^24 (R + 256 G + 256² B of the PNG; 0 is unlabelled).");
                            }
                            else if (!seen.Add(id))
                            {
                                _sink.Add(CocoRules.PanopticSegments, segmentAt + "/id", $"segment id {id} appears twice in this image's segments_info.");
                            }
                            else
                            {
                                facts.Segments.Add((id, category, i));
                            }
                        }

                        if (Member(segment, segmentAt, "bbox", JsonValueKind.Array, required: false) is JsonElement bbox)
                        {
                            var ignored = new AnnotationFacts();
                            CheckBox(bbox, segmentAt + "/bbox", ref ignored);
                        }

                        if (segment.TryGetProperty("area", out var area) && ReadNumber(area, segmentAt + "/area", "area", out double a) && a < 0)
                        {
                            _sink.Add(CocoRules.AreaMissing, segmentAt + "/area", $"area is {Number(a)}; it cannot be negative.");
                        }

                        if (segment.TryGetProperty("iscrowd", out var crowd) && !(TryInteger(crowd, out long c) && (c == 0 || c == 1)))
                        {
                            _sink.Add(CocoRules.IsCrowdValue, segmentAt + "/iscrowd", $"iscrowd is {Describe(crowd)}; it must be 0 or 1.");
                        }
                    }

                    i++;
                }
            }

            _panoptic.Add(facts);
        }
    }
}
