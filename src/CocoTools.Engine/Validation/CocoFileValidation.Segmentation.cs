using System;
using System.Collections.Generic;
using System.Text.Json;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Validation
{
    // Checks of an annotation's segmentation: polygons (with their shoelace area) and RLE (with its pixel count).
    internal sealed partial class CocoFileValidation
    {
        private double[] _coordinates = new double[256];

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
    }
}
