using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Tests.Support;

namespace CocoTools.Engine.Tests.Masks
{
    /// <summary>The 200 polygon/RLE cases with pycocotools' exact answers (../shared/mask-cases).</summary>
    internal static class MaskCases
    {
        private static readonly System.Lazy<Dictionary<string, JsonElement>> All = new System.Lazy<Dictionary<string, JsonElement>>(() =>
        {
            var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.Shared, "mask-cases", "cases.public.json")));
            return doc.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.Clone());
        });

        public static IEnumerable<object[]> Ids() => All.Value.Keys.Select(id => new object[] { id });

        public static JsonElement Get(string id) => All.Value[id];

        public static double[][] Polygons(JsonElement c) =>
            c.GetProperty("polygons").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

        public static string Sha256(byte[] bytes) =>
            System.Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();
    }
}
