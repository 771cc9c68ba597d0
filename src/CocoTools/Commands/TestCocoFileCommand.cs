using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using CocoTools.Completers;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Validation;

namespace CocoTools.Commands
{
    /// <summary>
    /// Test-CocoFile: validates COCO files (or a dataset in memory) and emits one finding per problem, located by
    /// JSON pointer, line and column; -Quiet emits one boolean per file instead.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CocoFile", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CocoFinding), typeof(bool))]
    public sealed class TestCocoFileCommand : CocoCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string DatasetSet = "Dataset";

        private CocoValidationOptions? _options;
        private ParallelBatch<string, IReadOnlyList<CocoFinding>>? _batch;
        private ProgressReporter? _progress;
        private long[]? _bytes;
        private string _current = string.Empty;
        private int _files;

        /// <summary>COCO files, with wildcards.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>COCO files taken exactly as written.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>A dataset in memory, checked as Export-CocoJson would write it.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = DatasetSet)]
        public CocoDataset? InputObject { get; set; }

        /// <summary>One true/false per file (true: no Error finding) instead of the findings.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>The kind of file expected; Auto decides per annotation.</summary>
        [Parameter]
        public CocoFileKind Kind { get; set; } = CocoFileKind.Auto;

        /// <summary>Where the image files are: checks that they exist and that their real size is width x height.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ImageRoot { get; set; }

        /// <summary>Where the panoptic PNGs are: checks them against segments_info.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PanopticRoot { get; set; }

        /// <summary>For results files: the ground truth whose image and category ids they must use.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? GroundTruth { get; set; }

        /// <summary>Only these rules (ids or names).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RuleIdCompleter))]
        public string[]? Rule { get; set; }

        /// <summary>Rules (ids or names) not to check.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RuleIdCompleter))]
        public string[]? ExcludeRule { get; set; }

        /// <summary>Findings below this severity are not reported.</summary>
        [Parameter]
        public FindingSeverity MinimumSeverity { get; set; } = FindingSeverity.Info;

        /// <summary>At most this many findings per rule and file; the rest are counted in one summary finding.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxPerRule { get; set; } = 20;

        /// <summary>How many files are validated at once (default: the processor count); findings come out in input order.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateRange(1, int.MaxValue)]
        public int ThrottleLimit { get; set; } = Parallelism.DefaultThrottle;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            foreach (var id in (Rule ?? Array.Empty<string>()).Concat(ExcludeRule ?? Array.Empty<string>()))
            {
                if (CocoRules.Find(id) == null)
                {
                    ThrowParameterError("UnknownRule", $"'{id}' is not a rule id or name; rules are {string.Join(", ", CocoRules.All.Select(r => r.Id))} (Tab completes them).", id);
                }
            }

            _options = new CocoValidationOptions
            {
                Kind = Kind,
                ImageRoot = ImageRoot == null ? null : ResolveOutputPath(ImageRoot),
                PanopticRoot = PanopticRoot == null ? null : ResolveOutputPath(PanopticRoot),
                Rules = Rule,
                ExcludeRules = ExcludeRule,
                MinimumSeverity = MinimumSeverity,
                MaxFindingsPerRule = MaxPerRule,
            };
            if (GroundTruth != null)
            {
                string truth = ResolveExistingPaths(new[] { GroundTruth }, literal: true).FirstOrDefault() ?? string.Empty;
                if (truth.Length == 0)
                {
                    ThrowParameterError("GroundTruthNotFound", $"The ground truth {GroundTruth} was not found.", GroundTruth);
                }

                _options.GroundTruth = truth;
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == DatasetSet)
            {
                if (InputObject != null)
                {
                    Emit(InputObject.ToString(), () => CocoValidator.ValidateDataset(InputObject, _options!));
                }

                return;
            }

            bool literal = ParameterSetName == LiteralPathSet;
            _batch ??= new ParallelBatch<string, IReadOnlyList<CocoFinding>>(ThrottleLimit, ValidateFile, (path, findings, error) =>
            {
                _progress!.Update(++_files, 0, path);
                if (error != null)
                {
                    WriteItemError(error, path);
                    return;
                }

                Report(path, findings!);
            });
            _progress ??= new ProgressReporter(this, 6, "Test-CocoFile");
            if (ThrottleLimit == 1)
            {
                // One file at a time on this thread: the progress follows its bytes.
                _options!.Progress = (done, total) => _progress.UpdateBytes(done, total, $"file {_files + 1}: {_current}");
            }
            else if (_bytes == null)
            {
                // Workers record the bytes read; this thread shows them while it waits for the file in turn.
                _options!.Progress = (done, total) => Volatile.Write(ref _bytes, new[] { done, total });
                _bytes = new long[2];
                _batch.Waiting = path =>
                {
                    var bytes = Volatile.Read(ref _bytes);
                    if (bytes[1] > 0)
                    {
                        _progress.UpdateBytes(bytes[0], bytes[1], $"file {_files + 1}: {path}");
                    }
                };
            }

            foreach (var path in ResolveExistingPaths(literal ? LiteralPath : Path, literal))
            {
                _batch.Add(path);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            _batch?.Flush();
            _progress?.Complete();
        }

        /// <summary>One file's findings (on a worker thread when -ThrottleLimit is above 1); a failure to read it is its error.</summary>
        private IReadOnlyList<CocoFinding> ValidateFile(string path)
        {
            _current = path;   // for the progress of -ThrottleLimit 1 (read on this same thread)
            if (System.IO.Directory.Exists(path))
            {
                throw new CocoToolsException("PathIsFolder", FailureKind.InvalidArgument, $"{path} is a folder; give COCO JSON files (Get-ChildItem *.json | Test-CocoFile).") { Target = path };
            }

            try
            {
                return CocoValidator.ValidateFile(path, _options!);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException("FileReadFailed", FailureKind.ReadError, $"{path}: {e.Message}", e) { Target = path };
            }
        }

        private void Emit(string target, Func<IReadOnlyList<CocoFinding>> validate)
        {
            IReadOnlyList<CocoFinding> findings;
            try
            {
                findings = validate();
            }
            catch (CocoToolsException e)
            {
                WriteItemError(e, target);
                return;
            }

            Report(target, findings);
        }

        private void Report(string target, IReadOnlyList<CocoFinding> findings)
        {
            if (Quiet)
            {
                WriteObject(!findings.Any(f => f.Severity == FindingSeverity.Error));
                return;
            }

            foreach (var finding in findings)
            {
                WriteObject(finding);
            }

            WriteVerbose($"{target}: {findings.Count(f => f.Severity == FindingSeverity.Error)} error(s), {findings.Count(f => f.Severity == FindingSeverity.Warning)} warning(s), {findings.Count(f => f.Severity == FindingSeverity.Info)} info finding(s) listed.");
        }
    }
}
