using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.IO;

namespace CocoTools.Engine.Validation
{
    /// <summary>
    /// Validates COCO files: one streaming pass that checks every record as it goes by and keeps only the
    /// compact facts the cross-record rules need; findings are located (line, column) in one more pass at the
    /// end, only when there are findings.
    /// </summary>
    public static class CocoValidator
    {
        /// <summary>Validates a file.</summary>
        public static IReadOnlyList<CocoFinding> ValidateFile(string path, CocoValidationOptions options)
        {
            // A failure reading the file itself (opening, reading, or locating findings in it afterwards) names the file;
            // one reading the ground truth has already been reported by its reader, naming that file.
            IReadOnlyList<CocoFinding> findings;
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan))
                {
                    findings = Validate(stream, path, options);
                }

                Locate(path, findings);
            }
            catch (Exception e) when (FileFailure.Is(e))
            {
                throw FileFailure.Read(path, e);
            }

            return findings;
        }

        /// <summary>
        /// Validates a dataset in memory with the same rules, as <c>Export-CocoJson</c> would write it (pointers index
        /// its collections; there are no lines).
        /// </summary>
        public static IReadOnlyList<CocoFinding> ValidateDataset(CocoDataset dataset, CocoValidationOptions options)
        {
            using var stream = new MemoryStream();
            CocoJsonWriter.Write(dataset, stream);
            stream.Position = 0;
            return Validate(stream, null, options);
        }

        /// <summary>Validates JSON from a stream; <paramref name="name"/> is the file named in findings.</summary>
        public static IReadOnlyList<CocoFinding> Validate(Stream stream, string? name, CocoValidationOptions options)
        {
            var sink = new FindingSink(name, options);
            CocoFileValidation.GroundTruthIds? truth = null;
            if (options.GroundTruth != null)
            {
                truth = CocoFileValidation.ReadGroundTruth(options.GroundTruth);
            }

            try
            {
                using var validation = new CocoFileValidation(stream, name, options, sink, truth);
                validation.Run();
            }
            catch (CocoToolsException e) when (e.ErrorId == "JsonNotUtf8" || e.ErrorId == "JsonValueTooLarge")
            {
                sink.Add(CocoRules.JsonSyntax, string.Empty, e.Message);
            }

            return sink.Finish();
        }

        /// <summary>Fills in the line and column of findings from their pointers: one pass to find the offsets, one to count lines.</summary>
        private static void Locate(string path, IReadOnlyList<CocoFinding> findings)
        {
            var unlocated = findings.Where(f => f.Line == null && f.Pointer.Length > 0).ToList();
            if (unlocated.Count == 0)
            {
                return;
            }

            var offsets = JsonPointerLocator.FindMany(path, unlocated.Select(f => f.Pointer).Distinct(StringComparer.Ordinal));
            var places = TextLocator.LocateMany(path, offsets.Values.Distinct());
            foreach (var finding in unlocated)
            {
                if (offsets.TryGetValue(finding.Pointer, out long offset) && places.TryGetValue(offset, out var place))
                {
                    finding.Line = place.Line;
                    finding.Column = place.Column;
                }
            }
        }
    }
}
