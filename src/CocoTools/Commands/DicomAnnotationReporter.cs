using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations.DicomAnnotations;

namespace CocoTools.Commands
{
    /// <summary>
    /// What Add-CocoAnnotation -DicomPath and Add-CocoImage tell the user about DICOM annotation objects: a verbose line
    /// for each file passed over, a non-terminating error per object that failed or whose images are missing (stable
    /// ids from one table), a warning for what else could not be placed, and the summary at the end.
    /// </summary>
    internal sealed class DicomAnnotationReporter
    {
        /// <summary>The stable error id and category of each kind of problem.</summary>
        private static readonly Dictionary<DicomAnnotationErrorKind, (string Id, ErrorCategory Category)> Errors = new Dictionary<DicomAnnotationErrorKind, (string, ErrorCategory)>
        {
            [DicomAnnotationErrorKind.ImageMissing] = ("DicomAnnotationImageMissing", ErrorCategory.ObjectNotFound),
            [DicomAnnotationErrorKind.FrameSizeMismatch] = ("DicomAnnotationFrameSizeMismatch", ErrorCategory.InvalidData),
            [DicomAnnotationErrorKind.OffPlane] = ("DicomAnnotationOffPlane", ErrorCategory.InvalidData),
            [DicomAnnotationErrorKind.Broken] = ("DicomAnnotationBroken", ErrorCategory.InvalidData),
            [DicomAnnotationErrorKind.Truncated] = ("DicomAnnotationTruncated", ErrorCategory.InvalidData),
            [DicomAnnotationErrorKind.Unsupported] = ("DicomAnnotationUnsupported", ErrorCategory.NotImplemented),
            [DicomAnnotationErrorKind.NotPlaceable] = ("DicomAnnotationNotPlaceable", ErrorCategory.ObjectNotFound),
            [DicomAnnotationErrorKind.ReadFailed] = ("DicomAnnotationReadFailed", ErrorCategory.ReadError),
        };

        private readonly PSCmdlet _cmdlet;
        private readonly DicomAnnotationImporter _importer;

        public DicomAnnotationReporter(PSCmdlet cmdlet, CocoDataset dataset, DicomAnnotationOptions options)
        {
            _cmdlet = cmdlet;
            _importer = new DicomAnnotationImporter(dataset, options);
        }

        /// <summary>The stable error id of a kind of problem.</summary>
        public static string ErrorIdOf(DicomAnnotationErrorKind kind) => Errors[kind].Id;

        /// <summary>Imports one file and reports what became of it; returns the annotations added.</summary>
        public IReadOnlyList<CocoAnnotation> Import(string path) => Report(_importer.Import(path));

        /// <summary>Imports one object already read and reports what became of it; returns the annotations added.</summary>
        public IReadOnlyList<CocoAnnotation> Import(Engine.Dicom.DicomHeader header) => Report(_importer.Import(header));

        /// <summary>The summary line, as a verbose message.</summary>
        public void WriteSummary() => _cmdlet.WriteVerbose(_importer.Summary.ToString());

        private IReadOnlyList<CocoAnnotation> Report(DicomImportOutcome outcome)
        {
            switch (outcome.Status)
            {
                case DicomImportStatus.NotAnnotationObject:
                    _cmdlet.WriteVerbose($"{outcome.Path}: passed over, {outcome.PassedOverReason}.");
                    break;
                case DicomImportStatus.Failed:
                    var (id, category) = Errors[outcome.ErrorKind ?? DicomAnnotationErrorKind.Broken];
                    _cmdlet.WriteError(new ErrorRecord(outcome.Error ?? new CocoToolsException(id, FailureKind.InvalidData, outcome.Path), id, category, outcome.Path));
                    break;
                default:
                    foreach (var note in outcome.Notes)
                    {
                        _cmdlet.WriteWarning($"{outcome.Path}: {note}");
                    }

                    if (outcome.NotPlacedMessage is string message)
                    {
                        if (outcome.NotPlaced.Any(n => n.Reason == DicomAnnotationErrorKind.ImageMissing))
                        {
                            var (missingId, missingCategory) = Errors[DicomAnnotationErrorKind.ImageMissing];
                            var error = new CocoToolsException(missingId, FailureKind.ObjectNotFound, message + " Add those images first (Add-CocoImage); everything else of the object was added.") { SourcePath = outcome.Path, Target = outcome.Path };
                            _cmdlet.WriteError(new ErrorRecord(error, missingId, missingCategory, outcome.Path));
                        }
                        else
                        {
                            _cmdlet.WriteWarning(message);
                        }
                    }

                    _cmdlet.WriteVerbose($"{outcome.Path}: {outcome.ObjectKind} {outcome.SopInstanceUid}: {outcome.Added.Count} annotation(s) added{(outcome.CategoriesAdded.Count > 0 ? $", categories created: {string.Join(", ", outcome.CategoriesAdded.Select(c => c.Name))}" : string.Empty)}.");
                    break;
            }

            return outcome.Added;
        }

        /// <summary>The files of the paths given: a folder's files with its subfolders', in ordinal order.</summary>
        public static IEnumerable<string> FilesOf(string path) =>
            (File.GetAttributes(path) & FileAttributes.Directory) != 0
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal)
                : new[] { path };
    }
}
