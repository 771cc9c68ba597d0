using System;
using System.Collections.Generic;
using System.Text;
using CocoTools.Engine.Coco;

namespace CocoTools.Engine.Operations.Gallery
{
    /// <summary>Horizontal bar charts as inline SVG, and the box-size histogram they show.</summary>
    internal static class GalleryCharts
    {
        private const int Row = 18, LabelWidth = 240, BarWidth = 420;
        private const int MaxRows = 40;

        /// <summary>Boxes by the square root of their area in doubling buckets (under 8 px, 8-16, ... 512 and more).</summary>
        public static IReadOnlyList<(string Name, int Count, string Colour)> BoxSizes(IEnumerable<CocoAnnotation> annotations)
        {
            string[] names = { "< 8", "8-16", "16-32", "32-64", "64-128", "128-256", "256-512", ">= 512" };
            var counts = new int[names.Length];
            foreach (var a in annotations)
            {
                if (a.Bbox is CocoBox box && box.IsFinite && box.Width >= 0 && box.Height >= 0)
                {
                    double side = Math.Sqrt(box.Width * box.Height);
                    int bucket = side < 8 ? 0 : Math.Min(names.Length - 1, (int)Math.Floor(Math.Log(side / 8, 2)) + 1);
                    counts[bucket]++;
                }
            }

            var bars = new List<(string, int, string)>();
            for (int i = 0; i < names.Length; i++)
            {
                bars.Add((names[i], counts[i], "#f58231"));
            }

            return bars;
        }

        public static string Bars(string title, IReadOnlyList<(string Name, int Count, string Colour)> bars)
        {
            var svg = new StringBuilder();
            svg.Append("<h2>").Append(Html.Text(title)).Append("</h2>\n");
            if (bars.Count == 0)
            {
                return svg.Append("<p>none</p>\n").ToString();
            }

            int shown = Math.Min(bars.Count, MaxRows);
            int max = 1;
            foreach (var bar in bars)
            {
                max = Math.Max(max, bar.Count);
            }

            svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").Append(LabelWidth + BarWidth + 80).Append("\" height=\"").Append(shown * Row + 4).Append("\" font-size=\"12\">");
            for (int i = 0; i < shown; i++)
            {
                var (name, count, colour) = bars[i];
                int y = i * Row;
                double width = (double)count / max * BarWidth;
                string label = name.Length > 36 ? name.Substring(0, 16) + "…" + name.Substring(name.Length - 16) : name;
                svg.Append("<g data-name=\"").Append(Html.Text(name)).Append("\" data-count=\"").Append(count).Append("\"><text x=\"").Append(LabelWidth - 6).Append("\" y=\"").Append(y + 13)
                   .Append("\" text-anchor=\"end\">").Append(Html.Text(label)).Append("</text><rect x=\"").Append(LabelWidth).Append("\" y=\"").Append(y + 2)
                   .Append("\" width=\"").Append(Html.Number(Math.Round(width, 1))).Append("\" height=\"").Append(Row - 4).Append("\" fill=\"").Append(colour)
                   .Append("\"/><text x=\"").Append(Html.Number(LabelWidth + Math.Round(width, 1) + 4)).Append("\" y=\"").Append(y + 13).Append("\">").Append(count).Append("</text></g>");
            }

            svg.Append("</svg>\n");
            if (bars.Count > shown)
            {
                svg.Append("<p>and ").Append(bars.Count - shown).Append(" more</p>\n");
            }

            return svg.ToString();
        }
    }
}
