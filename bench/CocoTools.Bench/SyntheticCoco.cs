using System.Globalization;
using System.Text;

namespace CocoTools.Bench
{
    /// <summary>Deterministic COCO-like JSON in memory (star polygons, 10-40 vertices, coordinates with 2 decimals).</summary>
    internal static class SyntheticCoco
    {
        public static byte[] Generate(int images, int annotations)
        {
            var random = new System.Random(7);
            var sb = new StringBuilder();
            sb.Append("{\"images\":[");
            for (int i = 1; i <= images; i++)
            {
                sb.Append(i > 1 ? "," : string.Empty).Append("{\"id\":").Append(i).Append(",\"file_name\":\"").Append(i.ToString("D12", CultureInfo.InvariantCulture)).Append(".jpg\",\"height\":480,\"width\":640}");
            }

            sb.Append("],\"annotations\":[");
            for (int a = 1; a <= annotations; a++)
            {
                int n = random.Next(10, 41);
                double cx = random.NextDouble() * 500 + 70, cy = random.NextDouble() * 340 + 70, r = random.NextDouble() * 60 + 4;
                sb.Append(a > 1 ? "," : string.Empty).Append("{\"id\":").Append(a).Append(",\"image_id\":").Append((a % images) + 1).Append(",\"category_id\":").Append(random.Next(1, 81)).Append(",\"segmentation\":[[");
                for (int v = 0; v < n; v++)
                {
                    double angle = 2 * System.Math.PI * v / n, rr = r * (0.45 + random.NextDouble() * 0.55);
                    sb.Append(v > 0 ? "," : string.Empty)
                        .Append(System.Math.Round(cx + rr * System.Math.Cos(angle), 2).ToString(CultureInfo.InvariantCulture)).Append(',')
                        .Append(System.Math.Round(cy + rr * System.Math.Sin(angle), 2).ToString(CultureInfo.InvariantCulture));
                }

                sb.Append("]],\"area\":100.5,\"bbox\":[1,2,3,4],\"iscrowd\":0}");
            }

            sb.Append("],\"categories\":[");
            for (int c = 1; c <= 80; c++)
            {
                sb.Append(c > 1 ? "," : string.Empty).Append("{\"id\":").Append(c).Append(",\"name\":\"cat").Append(c).Append("\"}");
            }

            sb.Append("]}");
            return Encoding.UTF8.GetBytes(sb.ToString());
        }
    }
}
