using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Tabular
{
    /// <summary>How a Kaggle-style EncodedPixels list numbers the pixels.</summary>
    public enum PixelOrder
    {
        /// <summary>Top to bottom, then left to right (most Kaggle segmentation challenges; also COCO's RLE order).</summary>
        ColumnMajor,
        /// <summary>Left to right, then top to bottom.</summary>
        RowMajor,
    }

    /// <summary>
    /// Reads the values of annotation-list cells: text from CSV files, or the numbers, arrays and text of
    /// PowerShell objects. Every failure is a <see cref="CellException"/> naming what was expected.
    /// </summary>
    internal static class CellValues
    {
        /// <summary>True when a cell is absent, null or blank text.</summary>
        public static bool IsEmpty(object? value) => value == null || (value is string s && s.Trim().Length == 0);

        public static string Text(object? value) => LooseValue.ToText(value)?.Trim() ?? string.Empty;

        /// <summary>A finite number; the column is named in the error.</summary>
        public static double Number(object? value, string column)
        {
            switch (value)
            {
                case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                    double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (NumberText.IsFinite(d))
                    {
                        return d;
                    }

                    break;
                default:
                    if (NumberText.TryParseFinite(Text(value), out double parsed))
                    {
                        return parsed;
                    }

                    break;
            }

            throw new CellException($"{column} is '{Text(value)}', not a number");
        }

        /// <summary>An integer (integral number or text), by the one rule of <see cref="LooseValue.TryToInt64"/>.</summary>
        public static long Integer(object? value, string column) =>
            LooseValue.TryToInt64(value, out long l) ? l : throw new CellException($"{column} is '{Text(value)}', not an integer");

        /// <summary>
        /// A flat list of numbers from an array, or from text: JSON "[1, 2, 3]", or numbers separated by commas,
        /// spaces or both ("1,2 3,4").
        /// </summary>
        public static double[] Numbers(object? value, string column)
        {
            if (value is string text)
            {
                string t = text.Trim().TrimStart('[').TrimEnd(']');
                var parts = t.Split(new[] { ',', ' ', '\t', ';' }, StringSplitOptions.RemoveEmptyEntries);
                var result = new double[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                {
                    result[i] = NumberText.TryParseFinite(parts[i], out double d) ? d : throw new CellException($"{column} has '{parts[i]}' where a number belongs");
                }

                return result;
            }

            if (value is IEnumerable items)
            {
                var result = new List<double>();
                foreach (var item in items)
                {
                    if (item is IEnumerable && item is not string)
                    {
                        throw new CellException($"{column} is a list of lists where a flat list of numbers belongs");
                    }

                    result.Add(Number(item, column));
                }

                return result.ToArray();
            }

            return new[] { Number(value, column) };
        }

        /// <summary>
        /// Polygons: a list of lists, a flat list (one polygon), JSON text of either, "x1,y1 x2,y2 ..." text, or flat
        /// numbers; several polygons in text separated by ';' or as JSON lists.
        /// </summary>
        public static double[][] Polygons(object? value, string column)
        {
            if (value is string text)
            {
                string t = text.Trim();
                if (t.StartsWith("[[", StringComparison.Ordinal))
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(t);
                        return doc.RootElement.EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
                    }
                    catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is FormatException)
                    {
                        throw new CellException($"{column} is not a valid JSON list of polygons ({e.Message})");
                    }
                }

                return t.Split(';').Where(p => p.Trim().Length > 0).Select(p => Numbers(p, column)).ToArray();
            }

            if (value is IEnumerable items)
            {
                var list = items.Cast<object?>().ToList();
                if (list.Count > 0 && list.All(i => i is IEnumerable && i is not string))
                {
                    return list.Select(p => Numbers(p, column)).ToArray();
                }

                return new[] { Numbers(value, column) };
            }

            throw new CellException($"{column} is '{Text(value)}', not a polygon");
        }

        /// <summary>A box [x, y, w, h] from four numbers in any list form.</summary>
        public static double[] Box(object? value, string column)
        {
            var v = Numbers(value, column);
            if (v.Length != 4)
            {
                throw new CellException($"{column} has {v.Length} numbers; a box is [x, y, width, height]");
            }

            return v;
        }

        /// <summary>
        /// A Kaggle EncodedPixels value (1-based start, length pairs) as a COCO RLE of an h x w image, exactly: column-major
        /// starts map straight onto COCO's pixel order; row-major ones are painted and re-encoded.
        /// </summary>
        public static Rle EncodedPixels(string text, int height, int width, PixelOrder order, string column)
        {
            var numbers = Numbers(text, column);
            if (numbers.Length % 2 != 0)
            {
                throw new CellException($"{column} has an odd count of numbers ({numbers.Length}); it must be start, length pairs");
            }

            long size = (long)height * width;
            var pairs = new List<(long Start, long Length)>(numbers.Length / 2);
            for (int i = 0; i < numbers.Length; i += 2)
            {
                long start = (long)numbers[i], length = (long)numbers[i + 1];
                if (numbers[i] != start || numbers[i + 1] != length || start < 1 || length < 1)
                {
                    throw new CellException($"{column} pair {(i / 2) + 1} ({numbers[i]} {numbers[i + 1]}) is not a 1-based start and a positive length");
                }

                if (start - 1 + length > size)
                {
                    throw new CellException($"{column} pair {(i / 2) + 1} runs to pixel {start - 1 + length}, past the image's {size} ({height}x{width})");
                }

                pairs.Add((start - 1, length));
            }

            if (order == PixelOrder.RowMajor)
            {
                var mask = new byte[size];
                foreach (var (start, length) in pairs)
                {
                    for (long p = start; p < start + length; p++)
                    {
                        mask[p] = 1;
                    }
                }

                return Rle.EncodeRowMajor(mask, height, width);
            }

            pairs.Sort((a, b) => a.Start.CompareTo(b.Start));
            var counts = new List<uint>(pairs.Count * 2 + 1);
            long position = 0;
            foreach (var (start, length) in pairs)
            {
                if (start < position)
                {
                    throw new CellException($"{column} has overlapping runs at pixel {start + 1}");
                }

                if (start == position && counts.Count > 0)
                {
                    counts[counts.Count - 1] += (uint)length;
                }
                else
                {
                    counts.Add((uint)(start - position));
                    counts.Add((uint)length);
                }

                position = start + length;
            }

            if (counts.Count == 0)
            {
                counts.Add(0);
            }

            if (size > position)
            {
                counts.Add((uint)(size - position));
            }

            return new Rle(height, width, counts.ToArray());
        }
    }

    /// <summary>A cell that cannot be read; the binder adds the file and row.</summary>
    internal sealed class CellException : Exception
    {
        public CellException(string message)
            : base(message)
        {
        }
    }
}
