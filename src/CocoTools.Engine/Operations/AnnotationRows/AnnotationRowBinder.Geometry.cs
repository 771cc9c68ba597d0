using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Tabular;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    // Geometry cells: boxes, polygons, RLE and EncodedPixels, keypoints, iscrowd.
    public sealed partial class AnnotationRowBinder
    {
        /// <summary>The row's mask or polygons (Kaggle EncodedPixels, COCO RLE, polygon columns), or null.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private CocoSegmentation? ReadSegmentation(in Row row, CocoImage image)
        {
            if (row.Cell(AnnotationColumnRole.EncodedPixels) is object encoded)
            {
                return EncodedPixels(CellValues.Text(encoded), image, row.Column(AnnotationColumnRole.EncodedPixels), row.Where);
            }

            if (row.Cell(AnnotationColumnRole.Rle) is object rle)
            {
                return RleCell(rle, image, row.Column(AnnotationColumnRole.Rle), row.Where, kaggleIfNumeric: true);
            }

            if (row.Cell(AnnotationColumnRole.RleCounts) is object counts)
            {
                return RleCell(counts, image, row.Column(AnnotationColumnRole.RleCounts), row.Where, kaggleIfNumeric: false);
            }

            if (row.Cell(AnnotationColumnRole.Segmentation) is object polygon)
            {
                var polygons = CellValues.Polygons(polygon, row.Column(AnnotationColumnRole.Segmentation));
                if (AnnotationGeometry.PolygonsProblem(polygons, out string errorId) is string problem)
                {
                    throw RowError(errorId, row.Where, $"{row.Column(AnnotationColumnRole.Segmentation)}: {problem}");
                }

                return new CocoPolygonSegmentation(polygons);
            }

            return null;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static CocoBox? ReadBox(in Row row, CocoImage image)
        {
            var where = row.Where;
            CocoBox box;
            string name;
            if (row.Cell(AnnotationColumnRole.Bbox) is object bbox)
            {
                name = row.Column(AnnotationColumnRole.Bbox);
                var v = CellValues.Box(bbox, name);
                box = new CocoBox(v[0], v[1], v[2], v[3]);
            }
            else if (row.Has(AnnotationColumnRole.X) || row.Has(AnnotationColumnRole.Width))
            {
                name = "x, y, width, height";
                box = new CocoBox(row.Number(AnnotationColumnRole.X), row.Number(AnnotationColumnRole.Y), row.Number(AnnotationColumnRole.Width), row.Number(AnnotationColumnRole.Height));
            }
            else if (row.Has(AnnotationColumnRole.XMin) || row.Has(AnnotationColumnRole.XMax))
            {
                name = "x_min, y_min, x_max, y_max";
                box = CocoBox.FromCorners(row.Number(AnnotationColumnRole.XMin), row.Number(AnnotationColumnRole.YMin), row.Number(AnnotationColumnRole.XMax), row.Number(AnnotationColumnRole.YMax));
            }
            else
            {
                return null;
            }

            if (box.Width <= 0 || box.Height <= 0)
            {
                throw RowError("NegativeBoxSize", where, $"the box ({name}) {box} has {(box.Width <= 0 ? "width" : "height")} {(box.Width <= 0 ? box.Width : box.Height)}; it must be positive");
            }

            if (image.Width is int w && image.Height is int h
                && (box.X < -Tolerance || box.Y < -Tolerance || box.Right > w + Tolerance || box.Bottom > h + Tolerance))
            {
                throw RowError("BoxOutsideImage", where, $"the box {box} reaches outside its image ({w}x{h}, {image.FileName})");
            }

            return box;
        }

        private CocoSegmentation EncodedPixels(string text, CocoImage image, string column, RowLocation where)
        {
            if (image.Height is not int h || image.Width is not int w)
            {
                throw RowError("ImageSizeMissing", where, $"{column} needs the size of its image, and {image.FileName} has none");
            }

            var rle = CellValues.EncodedPixels(text, h, w, _options.PixelOrder, column);
            return new CocoRleSegmentation(h, w, rle.ToCompressedString());
        }

        private CocoSegmentation RleCell(object value, CocoImage image, string column, RowLocation where, bool kaggleIfNumeric)
        {
            if (value is IDictionary dictionary)
            {
                return RleFromObject(JsonValueConversion.ToJson(dictionary), image, column, where);
            }

            string text = CellValues.Text(value);
            if (text.StartsWith("{", StringComparison.Ordinal))
            {
                return RleFromObject(Encoding.UTF8.GetBytes(text), image, column, where);
            }

            if (image.Height is not int h || image.Width is not int w)
            {
                throw RowError("ImageSizeMissing", where, $"{column} needs the size of its image, and {image.FileName} has none");
            }

            bool numeric = text.All(ch => char.IsDigit(ch) || ch == ' ' || ch == ',' || ch == '[' || ch == ']');
            if (numeric && kaggleIfNumeric)
            {
                var rle = CellValues.EncodedPixels(text, h, w, _options.PixelOrder, column);
                return new CocoRleSegmentation(h, w, rle.ToCompressedString());
            }

            if (numeric)
            {
                var counts = CellValues.Numbers(text, column).Select(n => RleRules.IsRun((long)n) && Math.Floor(n) == n ? (uint)n : throw new CellException($"{column} has the run length {n}")).ToArray();
                CheckRle(RleReader.Check(h, w, counts, out _), h, w, column, where);
                return new CocoRleSegmentation(h, w, counts);
            }

            CheckRle(RleReader.Check(h, w, text, out _), h, w, column, where);
            return new CocoRleSegmentation(h, w, text);
        }

        private CocoSegmentation RleFromObject(byte[] json, CocoImage image, string column, RowLocation where)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                var root = doc.RootElement;
                var size = root.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()).ToArray();
                var counts = root.GetProperty("counts");
                if (size.Length != 2)
                {
                    throw new CellException($"{column}: an RLE size is [height, width]");
                }

                string? compressed = counts.ValueKind == JsonValueKind.String ? counts.GetString()! : null;
                uint[]? runs = compressed == null ? counts.EnumerateArray().Select(v => v.GetUInt32()).ToArray() : null;
                if (image.Height is int h && image.Width is int w && (size[0] != h || size[1] != w))
                {
                    throw RowError("RleSizeMismatch", where, $"{column}: the RLE size is {size[0]}x{size[1]} but its image is {h}x{w}");
                }

                var check = compressed != null ? RleReader.Check(size[0], size[1], compressed, out _) : RleReader.Check(size[0], size[1], runs!, out _);
                CheckRle(check, size[0], size[1], column, where);
                return compressed != null
                    ? new CocoRleSegmentation(size[0], size[1], compressed)
                    : new CocoRleSegmentation(size[0], size[1], runs!);
            }
            catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException || e is FormatException)
            {
                throw RowError("InvalidRle", where, $"{column} is not a COCO RLE object {{\"size\": [h, w], \"counts\": ...}} ({e.Message})");
            }
        }

        /// <summary>Throws InvalidRle naming what <see cref="RleReader"/> found wrong.</summary>
        private static void CheckRle(RleValidation check, int h, int w, string column, RowLocation where)
        {
            switch (check.Problem)
            {
                case RleProblem.None:
                    return;
                case RleProblem.Size:
                    throw RowError("InvalidRle", where, $"{column}: an RLE size is [height, width], two positive integers, not [{h}, {w}]");
                case RleProblem.CompressedString:
                    throw RowError("InvalidRle", where, $"{column}: the compressed counts are not a valid RLE string: {check.Detail}");
                default:
                    throw RowError("InvalidRle", where, $"{column}: the runs add up to {check.Total}, not height x width = {(long)h * w}");
            }
        }

        private static bool HasKeypointColumns(in Row row, IReadOnlyList<string> keypointNames)
        {
            foreach (var name in keypointNames)
            {
                string n = AnnotationColumns.Normalize(name);
                if (row.HasAt(row.Header.Find(n + "x")) || row.HasAt(row.Header.Find(n)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Keypoints from a keypoints column (x, y, v triples) or from per-name columns (name_x, name_y, name_v, or name as "x y v").</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static double[]? ReadKeypoints(in Row row, CocoCategory category)
        {
            var header = row.Header;
            var where = row.Where;
            double[]? keypoints = null;
            if (row.Cell(AnnotationColumnRole.Keypoints) is object k)
            {
                keypoints = CellValues.Numbers(k, header.Names[header[AnnotationColumnRole.Keypoints]]);
                if (category.Keypoints == null && keypoints.Length % 3 != 0)
                {
                    throw RowError("InvalidKeypoints", where, $"{keypoints.Length} keypoint numbers are not x, y, v triples");
                }
            }
            else if (category.Keypoints != null && HasKeypointColumns(row, category.Keypoints))
            {
                keypoints = new double[category.Keypoints.Count * 3];
                for (int i = 0; i < category.Keypoints.Count; i++)
                {
                    string n = AnnotationColumns.Normalize(category.Keypoints[i]);
                    var whole = row.CellAt(header.Find(n));
                    if (whole != null)
                    {
                        var triple = CellValues.Numbers(whole, category.Keypoints[i]);
                        if (triple.Length < 2 || triple.Length > 3)
                        {
                            throw RowError("InvalidKeypoints", where, $"keypoint '{category.Keypoints[i]}' is '{CellValues.Text(whole)}', not x y [v]");
                        }

                        keypoints[3 * i] = triple[0];
                        keypoints[(3 * i) + 1] = triple[1];
                        keypoints[(3 * i) + 2] = triple.Length == 3 ? triple[2] : 2;
                        continue;
                    }

                    var x = row.CellAt(header.Find(n + "x"));
                    var y = row.CellAt(header.Find(n + "y"));
                    var v = row.CellAt(header.Find(n + "v")) ?? row.CellAt(header.Find(n + "visibility"));
                    if (x != null && y != null)
                    {
                        keypoints[3 * i] = CellValues.Number(x, category.Keypoints[i] + "_x");
                        keypoints[(3 * i) + 1] = CellValues.Number(y, category.Keypoints[i] + "_y");
                        keypoints[(3 * i) + 2] = v != null ? CellValues.Number(v, category.Keypoints[i] + "_v") : 2;
                    }
                }
            }

            if (keypoints == null)
            {
                return null;
            }

            if (category.Keypoints != null && keypoints.Length != 3 * category.Keypoints.Count)
            {
                throw RowError("InvalidKeypoints", where, $"category '{category.Name}' has {category.Keypoints.Count} keypoints, so 3 x {category.Keypoints.Count} = {3 * category.Keypoints.Count} numbers are needed, not {keypoints.Length}");
            }

            for (int i = 2; i < keypoints.Length; i += 3)
            {
                if (keypoints[i] != 0 && keypoints[i] != 1 && keypoints[i] != 2)
                {
                    throw RowError("InvalidKeypoints", where, $"keypoint {(i / 3) + 1} has visibility {keypoints[i]}; it must be 0 (not labelled), 1 (labelled, hidden) or 2 (visible)");
                }
            }

            return keypoints;
        }

        /// <summary>The box around the labelled keypoints (v &gt; 0), when no box or segmentation was given.</summary>
        private static CocoBox? KeypointBox(double[] keypoints)
        {
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            for (int i = 0; i + 2 < keypoints.Length; i += 3)
            {
                if (keypoints[i + 2] > 0)
                {
                    minX = Math.Min(minX, keypoints[i]);
                    maxX = Math.Max(maxX, keypoints[i]);
                    minY = Math.Min(minY, keypoints[i + 1]);
                    maxY = Math.Max(maxY, keypoints[i + 1]);
                }
            }

            return double.IsPositiveInfinity(minX) ? null : CocoBox.FromCorners(minX, minY, maxX, maxY);
        }

        private static int IsCrowd(object value, string column)
        {
            string t = CellValues.Text(value).ToLowerInvariant();
            return t switch
            {
                "1" or "true" or "yes" => 1,
                "0" or "false" or "no" => 0,
                _ => throw new CellException($"{column} is '{t}'; iscrowd is 0 or 1"),
            };
        }
    }
}
