using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Imaging;
using CocoTools.Engine.Operations.DicomAnnotations;

namespace CocoTools.Engine.Tests.Support
{
    /// <summary>The SEG test inputs: shared files, synthetic objects written by pydicom, and the pydicom + numpy + pycocotools oracle.</summary>
    internal static class SegFixtures
    {
        public static string Shared => Path.Combine(TestPaths.Shared, "dicom-annotations");

        public static string Python(string script) => Path.Combine(TestPaths.RepoRoot, "tests", "CocoTools.Engine.Tests", "Support", "python", script);

        /// <summary>A dataset of DICOM images (one per frame), file names relative to their folder.</summary>
        public static CocoDataset DatasetOf(IEnumerable<string> paths)
        {
            var ds = new CocoDataset();
            foreach (var path in paths)
            {
                foreach (var image in ImageScanner.ToImages(ImageScanner.Scan(path), new ImageScanOptions { BasePath = Path.GetDirectoryName(path)! }))
                {
                    ds.Images.AddNew(image);
                }
            }

            return ds;
        }

        public static CocoDataset SharedDataset(params string[] names) => DatasetOf(names.Select(n => Path.Combine(Shared, n)));

        /// <summary>Writes the DICOM files a spec describes (see make_dicom.py) into <paramref name="folder"/>.</summary>
        public static void Make(string folder, object spec)
        {
            var json = JsonSerializer.Serialize(spec);
            string specPath = Path.Combine(folder, "spec-" + Guid.NewGuid().ToString("N").Substring(0, 6) + ".json");
            File.WriteAllText(specPath, json.Replace("\"__OUT__\"", JsonSerializer.Serialize(folder)));
            var result = PythonOracle.Run("/usr/bin/python3", new[] { Python("make_dicom.py"), specPath }, null, TimeSpan.FromMinutes(5));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("make_dicom.py failed: " + result.StdErr);
            }
        }

        /// <summary>The oracle's verdict on a COCO file's annotations of one SEG.</summary>
        public sealed record Verdict(int Compared, int Unplaced, string[] Problems);

        /// <summary>Writes the dataset to JSON and has pydicom + numpy + pycocotools compare its masks with the SEG's.</summary>
        public static Verdict Check(CocoDataset ds, string segPath, string folder, double threshold = 0.5, bool polygons = false)
        {
            string json = Path.Combine(folder, "check-" + Guid.NewGuid().ToString("N").Substring(0, 6) + ".json");
            CocoJsonWriter.WriteFile(ds, json);
            var args = new List<string> { segPath, json, threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture) };
            if (polygons)
            {
                args.Add("polygon");
            }

            var script = File.ReadAllText(Python("seg_oracle.py"));
            var result = PythonOracle.RunPython(script, args.ToArray());
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("seg_oracle.py failed: " + result.StdErr);
            }

            var doc = JsonDocument.Parse(result.StdOut.Trim().Split('\n').Last()).RootElement;
            return new Verdict(doc.GetProperty("compared").GetInt32(), doc.GetProperty("unplaced").GetInt32(), doc.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToArray());
        }

        public static DicomImportOutcome Import(CocoDataset ds, string path, DicomAnnotationOptions? options = null) =>
            new DicomAnnotationImporter(ds, options).Import(path);
    }
}
