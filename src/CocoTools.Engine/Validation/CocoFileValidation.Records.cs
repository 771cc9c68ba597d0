using System;
using System.Collections.Generic;
using System.Text.Json;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Validation
{
    internal sealed partial class CocoFileValidation
    {
        private const double MaxExactInteger = NumberText.MaxExactInteger;
        private const double Slack = 1.0;

        private double[] _coordinates = new double[256];

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

        private void CheckCategory(JsonElement e, int index)
        {
            string at = $"/categories/{index}";
            if (!IsObject(e, at, "a category"))
            {
                return;
            }

            var facts = new CategoryFacts { Index = index };
            bool hasId = ReadId(e, at, "id", "categories", out long id);
            facts.Id = id;
            if (hasId && id == 0)
            {
                _sink.Add(CocoRules.CategoryIdZero, at + "/id", "category id 0: detectron2, mmdetection and others take 0 for the background; number categories from 1.");
            }

            if (Member(e, at, "name", JsonValueKind.String, required: true) is JsonElement name)
            {
                string text = name.GetString() ?? string.Empty;
                if (_categoryNames.TryGetValue(text, out int first))
                {
                    _sink.Add(CocoRules.DuplicateCategoryName, () => at + "/name", () => $"category name \"{Shorten(text)}\" is also the name of /categories/{first}.");
                }
                else
                {
                    _categoryNames.Add(text, index);
                }
            }

            Member(e, at, "supercategory", JsonValueKind.String, required: false);
            if (Member(e, at, "isthing", JsonValueKind.Number, required: false) is JsonElement isThing && !(TryInteger(isThing, out long thing) && (thing == 0 || thing == 1)))
            {
                TypeError(at + "/isthing", "isthing", isThing, "0 or 1");
            }

            if (Member(e, at, "keypoints", JsonValueKind.Array, required: false) is JsonElement keypoints)
            {
                int count = 0;
                foreach (var k in keypoints.EnumerateArray())
                {
                    if (k.ValueKind != JsonValueKind.String)
                    {
                        TypeError($"{at}/keypoints/{count}", "a keypoint name", k, "a string");
                    }

                    count++;
                }

                facts.KeypointCount = count;
            }

            if (Member(e, at, "skeleton", JsonValueKind.Array, required: false) is JsonElement skeleton)
            {
                CheckSkeleton(skeleton, at, facts.KeypointCount ?? 0);
            }

            if (hasId)
            {
                if (_categories.TryGetValue(id, out var other))
                {
                    _sink.Add(CocoRules.DuplicateId, () => at + "/id", () => $"category id {id} is also the id of /categories/{other.Index}.");
                }
                else
                {
                    _categories.Add(id, facts);
                }
            }
        }

        private void CheckSkeleton(JsonElement skeleton, string at, int keypointCount)
        {
            int i = 0;
            foreach (var edge in skeleton.EnumerateArray())
            {
                string edgeAt = $"{at}/skeleton/{i}";
                if (edge.ValueKind != JsonValueKind.Array || edge.GetArrayLength() != 2)
                {
                    TypeError(edgeAt, "a skeleton edge", edge, "a pair [a, b] of keypoint indexes");
                }
                else
                {
                    int j = 0;
                    foreach (var end in edge.EnumerateArray())
                    {
                        if (!TryInteger(end, out long k) || k < 1 || k > keypointCount)
                        {
                            int position = j;
                            _sink.Add(CocoRules.SkeletonIndex, () => $"{edgeAt}/{position}", () => $"skeleton index {end.GetRawText()} is not a keypoint: the category has {keypointCount} keypoint name(s), indexed from 1.");
                        }

                        j++;
                    }
                }

                i++;
            }
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

        private void CheckSegmentation(JsonElement segmentation, string at, ref AnnotationFacts facts, out double? shoelace, out long? pixels)
        {
            shoelace = null;
            pixels = null;
            switch (segmentation.ValueKind)
            {
                case JsonValueKind.Array:
                    if (segmentation.GetArrayLength() == 0)
                    {
                        return;
                    }

                    foreach (var first in segmentation.EnumerateArray())
                    {
                        if (first.ValueKind == JsonValueKind.Number)
                        {
                            _sink.Add(CocoRules.FlatSegmentation, at, $"the segmentation is one flat list of {segmentation.GetArrayLength()} numbers; COCO wants a list of polygons, [[x1, y1, x2, y2, ...]].");
                            return;
                        }

                        break;
                    }

                    shoelace = CheckPolygons(segmentation, at, ref facts);
                    return;
                case JsonValueKind.Object:
                    pixels = CheckRle(segmentation, at, ref facts);
                    return;
                case JsonValueKind.Null:
                    return;
                default:
                    TypeError(at, "segmentation", segmentation, "a list of polygons or an RLE object {size, counts}");
                    return;
            }
        }

        /// <summary>Checks polygons; returns the summed shoelace area when every polygon is well formed.</summary>
        private double? CheckPolygons(JsonElement segmentation, string at, ref AnnotationFacts facts)
        {
            double area = 0;
            bool valid = true;
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            int p = 0;
            foreach (var polygon in segmentation.EnumerateArray())
            {
                string polygonAt = $"{at}/{p}";
                p++;
                if (polygon.ValueKind != JsonValueKind.Array)
                {
                    TypeError(polygonAt, "a polygon", polygon, "a list of numbers");
                    valid = false;
                    continue;
                }

                int n = polygon.GetArrayLength();
                if (_coordinates.Length < n)
                {
                    _coordinates = new double[Math.Max(n, _coordinates.Length * 2)];
                }

                int k = 0;
                bool numbers = true;
                foreach (var value in polygon.EnumerateArray())
                {
                    if (!ReadNumber(value, polygonAt, k, "a coordinate", out _coordinates[k]))
                    {
                        numbers = false;
                    }

                    k++;
                }

                if (n < 6)
                {
                    _sink.Add(CocoRules.PolygonTooShort, polygonAt, $"the polygon has {n} number(s); a polygon needs at least 6 (three points).");
                    valid = false;
                    continue;
                }

                if (n % 2 != 0)
                {
                    _sink.Add(CocoRules.PolygonOddCount, polygonAt, $"the polygon has an odd count of numbers ({n}); they must be x, y pairs.");
                    valid = false;
                    continue;
                }

                if (!numbers)
                {
                    valid = false;
                    continue;
                }

                double twice = 0;
                for (int i = 0; i < n; i += 2)
                {
                    double x = _coordinates[i], y = _coordinates[i + 1];
                    minX = Math.Min(minX, x);
                    maxX = Math.Max(maxX, x);
                    minY = Math.Min(minY, y);
                    maxY = Math.Max(maxY, y);
                    int j = (i + 2) % n;
                    twice += (x * _coordinates[j + 1]) - (_coordinates[j] * y);
                }

                area += Math.Abs(twice) / 2;
            }

            if (!double.IsPositiveInfinity(minX))
            {
                facts.HasPolygon = true;
                facts.MinX = minX;
                facts.MinY = minY;
                facts.MaxX = maxX;
                facts.MaxY = maxY;
            }

            return valid ? area : null;
        }

        /// <summary>Checks an RLE object by the rules of <see cref="RleRules"/>; returns its pixel count when it is well formed.</summary>
        private long? CheckRle(JsonElement rle, string at, ref AnnotationFacts facts)
        {
            int height = 0, width = 0;
            if (Member(rle, at, "size", JsonValueKind.Array, required: true) is JsonElement size)
            {
                var sides = new List<long>(2);
                foreach (var side in size.EnumerateArray())
                {
                    sides.Add(TryInteger(side, out long v) && RleRules.IsSide(v) ? v : -1);
                }

                if (sides.Count != 2 || sides[0] < 0 || sides[1] < 0)
                {
                    TypeError(at + "/size", "size", size, "[height, width], two positive integers");
                }
                else
                {
                    height = (int)sides[0];
                    width = (int)sides[1];
                    facts.RleHeight = height;
                    facts.RleWidth = width;
                }
            }

            if (!rle.TryGetProperty("counts", out var counts))
            {
                _sink.Add(CocoRules.RequiredField, at, "the RLE has no counts.");
                return null;
            }

            long total = 0, foreground = 0;
            if (counts.ValueKind == JsonValueKind.String)
            {
                string text = counts.GetString() ?? string.Empty;
                string? problem = Rle.CompressedStringProblem(text);
                if (problem != null)
                {
                    _sink.Add(CocoRules.RleString, at + "/counts", $"the compressed counts are not a valid RLE string: {problem}.");
                    return null;
                }

                var parsed = Rle.FromCompressedString(text, height, width);
                total = parsed.PixelTotal;
                foreground = parsed.Area;
            }
            else if (counts.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (var run in counts.EnumerateArray())
                {
                    if (!TryInteger(run, out long r) || !RleRules.IsRun(r))
                    {
                        int position = i;
                        TypeError($"{at}/counts/{position}", "a run length", run, "an integer from 0 to 2^32 - 1");
                        return null;
                    }

                    total += r;
                    foreground += i % 2 == 1 ? r : 0;
                    i++;
                }
            }
            else
            {
                TypeError(at + "/counts", "counts", counts, "a compressed string or a list of run lengths");
                return null;
            }

            if (height == 0)
            {
                return null;
            }

            var check = RleRules.CheckTotal(height, width, total, foreground);
            if (check.Problem == RleProblem.RunsTotal)
            {
                _sink.Add(CocoRules.RleCounts, () => at + "/counts", () => $"the runs add up to {total} pixels, not height x width = {height} x {width} = {(long)height * width}.");
                return null;
            }

            return foreground;
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

        private void CheckResult(JsonElement e, int index)
        {
            string at = $"/{index}";
            if (!IsObject(e, at, "a detection"))
            {
                return;
            }

            long? imageId = ReadReference(e, at, "image_id", required: true);
            bool caption = e.TryGetProperty("caption", out _);
            long? categoryId = caption ? null : ReadReference(e, at, "category_id", required: true);
            if (_truth != null)
            {
                if (imageId is long i && !_truth.Images.Contains(i))
                {
                    _sink.Add(CocoRules.ResultReference, () => at + "/image_id", () => $"image_id {i} is not an image of the ground truth.");
                }

                if (categoryId is long c && !_truth.Categories.Contains(c))
                {
                    _sink.Add(CocoRules.ResultReference, () => at + "/category_id", () => $"category_id {c} is not a category of the ground truth.");
                }
            }

            if (caption)
            {
                CheckCaption(e, at);
                return;
            }

            if (!e.TryGetProperty("score", out var score))
            {
                _sink.Add(CocoRules.ResultScore, at, "the detection has no score; COCOeval ranks detections by score.");
            }
            else if (score.ValueKind != JsonValueKind.Number || !score.TryGetDouble(out _))
            {
                _sink.Add(CocoRules.ResultScore, () => at + "/score", () => $"score is {Describe(score)}, not a finite number.");
            }

            var facts = new AnnotationFacts();
            bool geometry = false;
            if (e.TryGetProperty("bbox", out var bbox))
            {
                geometry = true;
                if (bbox.ValueKind == JsonValueKind.Array)
                {
                    CheckBox(bbox, at + "/bbox", ref facts);
                }
                else
                {
                    TypeError(at + "/bbox", "bbox", bbox, "[x, y, width, height]");
                }
            }

            if (e.TryGetProperty("segmentation", out var segmentation))
            {
                geometry = true;
                CheckSegmentation(segmentation, at + "/segmentation", ref facts, out _, out _);
            }

            if (e.TryGetProperty("keypoints", out var keypoints))
            {
                geometry = true;
                CheckKeypoints(e, keypoints, at, ref facts);
            }

            if (!geometry)
            {
                _sink.Add(CocoRules.RequiredField, at, "the detection has no bbox, segmentation or keypoints.");
            }
        }

        // ---- Field helpers ------------------------------------------------------------------------------------

        private bool IsObject(JsonElement e, string at, string what)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            _sink.Add(CocoRules.FieldType, () => at, () => $"{what} is {Describe(e)}, not an object.");
            return false;
        }

        /// <summary>A member of the expected JSON kind, or null (missing: a RequiredField finding if required; another kind: FieldType).</summary>
        private JsonElement? Member(JsonElement e, string at, string name, JsonValueKind kind, bool required)
        {
            if (!e.TryGetProperty(name, out var value))
            {
                if (required)
                {
                    _sink.Add(CocoRules.RequiredField, () => at, () => $"\"{name}\" is missing.");
                }

                return null;
            }

            if (value.ValueKind == kind)
            {
                return value;
            }

            if (value.ValueKind != JsonValueKind.Null || required)
            {
                TypeError($"{at}/{name}", name, value, kind switch
                {
                    JsonValueKind.String => "a string",
                    JsonValueKind.Number => "a number",
                    JsonValueKind.Array => "an array",
                    _ => "an object",
                });
            }

            return null;
        }

        /// <summary>Reads an integer id; a string id is the viewer's layout. False when there is no usable id.</summary>
        private bool ReadId(JsonElement e, string at, string name, string section, out long id)
        {
            id = 0;
            if (!e.TryGetProperty(name, out var value))
            {
                _sink.Add(CocoRules.RequiredField, () => at, () => $"\"{name}\" is missing.");
                return false;
            }

            if (TryInteger(value, out id))
            {
                return true;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                _sink.Add(CocoRules.ViewerLayout, () => $"{at}/{name}", () => $"the {section.TrimEnd('s')} id is the string \"{Shorten(value.GetString())}\"; COCO ids are integers.");
            }
            else
            {
                TypeError($"{at}/{name}", name, value, "an integer");
            }

            return false;
        }

        /// <summary>Reads image_id or category_id: an integer, or (viewer layout) a string; null when unusable.</summary>
        private long? ReadReference(JsonElement e, string at, string name, bool required)
        {
            if (!e.TryGetProperty(name, out var value))
            {
                if (required)
                {
                    _sink.Add(CocoRules.RequiredField, () => at, () => $"\"{name}\" is missing.");
                }

                return null;
            }

            if (TryInteger(value, out long id))
            {
                return id;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                _sink.Add(CocoRules.ViewerLayout, () => $"{at}/{name}", () => name == "category_id"
                    ? $"category_id is the category name \"{Shorten(value.GetString())}\"; COCO refers to categories by integer id."
                    : $"image_id is the string \"{Shorten(value.GetString())}\"; COCO refers to images by integer id.");
            }
            else
            {
                TypeError($"{at}/{name}", name, value, "an integer id");
            }

            return null;
        }

        /// <summary>Reads a finite number; reports FieldType or NonFinite otherwise.</summary>
        private bool ReadNumber(JsonElement value, string at, string what, out double number) => ReadNumber(value, at, -1, what, out number);

        /// <summary>
        /// Reads element <paramref name="index"/> of the array at <paramref name="parent"/> as a finite number (index -1:
        /// the value at <paramref name="parent"/> itself); the pointer text is built only for a finding.
        /// </summary>
        private bool ReadNumber(JsonElement value, string parent, int index, string what, out double number)
        {
            number = 0;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number))
            {
                return true;
            }

            string at = index < 0 ? parent : $"{parent}/{index}";
            if (value.ValueKind != JsonValueKind.Number)
            {
                TypeError(at, what, value, "a number");
            }
            else
            {
                _sink.Add(CocoRules.NonFinite, at, $"{what} is {value.GetRawText()}, too large for a double.");
            }

            return false;
        }

        private void TypeError(string at, string what, JsonElement value, string expected) =>
            _sink.Add(CocoRules.FieldType, () => at, () => $"{what} is {Describe(value)}; expected {expected}.");

        private static bool TryInteger(JsonElement value, out long integer)
        {
            integer = 0;
            if (value.ValueKind != JsonValueKind.Number)
            {
                return false;
            }

            if (value.TryGetInt64(out integer))
            {
                return true;
            }

            // 3.0 is an integer to Python, and so to pycocotools.
            if (value.TryGetDouble(out double d) && Math.Floor(d) == d && Math.Abs(d) <= MaxExactInteger)
            {
                integer = (long)d;
                return true;
            }

            return false;
        }
    }
}
