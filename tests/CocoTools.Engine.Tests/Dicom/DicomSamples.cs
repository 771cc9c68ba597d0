using System.Collections.Generic;
using System.IO;
using System.Linq;
using CocoTools.Engine.Tests.Support;

namespace CocoTools.Engine.Tests.Dicom
{
    /// <summary>The 60 shared DICOM samples and dcmtk's view of each (MANIFEST.tsv).</summary>
    internal static class DicomSamples
    {
        public static string Folder => Path.Combine(TestPaths.Shared, "dicom-samples");

        private static readonly System.Lazy<List<Dictionary<string, string>>> Rows = new System.Lazy<List<Dictionary<string, string>>>(() =>
        {
            var lines = File.ReadAllLines(Path.Combine(Folder, "MANIFEST.tsv"));
            var header = lines[0].Split('\t');
            return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
            {
                var cells = l.Split('\t');
                return header.Select((h, i) => (h, v: i < cells.Length ? cells[i] : string.Empty)).ToDictionary(x => x.h, x => x.v);
            }).ToList();
        });

        public static IReadOnlyList<Dictionary<string, string>> Manifest => Rows.Value;

        public static Dictionary<string, string> Row(string file) => Manifest.Single(r => r["file"] == file);

        public static string PathOf(string file) => Path.Combine(Folder, file);

        public static IEnumerable<object[]> ReadableByDcmtk() => Manifest.Where(r => r["dcmdump_exit"] == "0").Select(r => new object[] { r["file"] });

        public static IEnumerable<object[]> All() => Manifest.Select(r => new object[] { r["file"] });
    }
}
