using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Operations;

namespace CocoTools.Commands
{
    /// <summary>
    /// Merge-CocoDataset: merges datasets (piped) or COCO files (-Path) into one new dataset, emitted at the end:
    /// ids renumbered, categories unified by name, the same image kept once, conflicts reported as warnings.
    /// With -OutFile the files are merged straight into a file as they are read (bounded memory), in the canonical order.
    /// </summary>
    [Cmdlet(VerbsData.Merge, "CocoDataset", DefaultParameterSetName = DatasetSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CocoDataset), typeof(FileInfo))]
    public sealed class MergeCocoDatasetCommand : DatasetInputCommandBase
    {
        private readonly List<string> _files = new List<string>();
        private DatasetMerger? _merger;
        private Dictionary<string, string>? _map;
        private string? _outFile;
        private int _inputs;

        /// <summary>Category renames applied while merging: @{ 'Nodule' = 'nodule' }.</summary>
        [Parameter]
        public Hashtable? CategoryMap { get; set; }

        /// <summary>Input (default: as the inputs come) or FileName: images by file_name, ids 1..N in that order, so merged shards equal the unsharded run.</summary>
        [Parameter]
        public MergeOrder OrderBy { get; set; } = MergeOrder.Input;

        /// <summary>Merge the -Path files straight into this COCO file, streaming (needs -OrderBy FileName); emits the file.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        /// <summary>With -OutFile: write without indentation, as Export-CocoJson -Compress.</summary>
        [Parameter(ParameterSetName = PathSet)]
        public SwitchParameter Compress { get; set; }

        /// <summary>With -OutFile: do not overwrite an existing file.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            Dictionary<string, string>? map = null;
            if (CategoryMap != null)
            {
                map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in CategoryMap)
                {
                    map[LooseValue.ToText(PSValue.Unwrap(entry.Key)) ?? string.Empty] = LooseValue.ToText(PSValue.Unwrap(entry.Value)) ?? string.Empty;
                }
            }

            _map = map;
            if (OutFile != null)
            {
                if (OrderBy != MergeOrder.FileName)
                {
                    ThrowParameterError("OutFileNeedsFileNameOrder", "Merge-CocoDataset -OutFile streams the merge in the canonical order: add -OrderBy FileName (or pipe the merge to Export-CocoJson for the input order).", OutFile);
                }

                _outFile = ResolveOutputPath(OutFile);
                return;
            }

            _merger = new DatasetMerger(map, OrderBy);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (_outFile != null)
            {
                // Only named here: the files are read twice, as they stream, in EndProcessing.
                _files.AddRange(ResolveExistingPaths(Path, literal: false));
                return;
            }

            // One input at a time: a file read from -Path is merged and dropped before the next is read.
            foreach (var input in InputDatasets())
            {
                _merger!.Add(input);
                _inputs++;
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_outFile != null)
            {
                MergeToFile(_outFile);
                return;
            }

            var (merged, report) = _merger!.Finish();
            foreach (var conflict in report.Conflicts)
            {
                WriteWarning(conflict);
            }

            WriteVerbose($"Merged {_inputs} dataset(s) into {merged}: {report.DuplicateImages} image(s) found twice and kept once, {report.UnifiedCategories} category(ies) joined by name.");
            WriteObject(merged);
        }

        private void MergeToFile(string outFile)
        {
            if (!ShouldProcess(outFile, $"Merge {_files.Count} COCO file(s) into"))
            {
                return;
            }

            try
            {
                var options = new CocoWriteOptions { Indented = !Compress };
                var result = StreamingMerger.MergeFiles(_files, outFile, _map, options, NoClobber);
                foreach (var conflict in result.Report.Conflicts)
                {
                    WriteWarning(conflict);
                }

                if (result.InMemoryReason != null)
                {
                    WriteVerbose($"Merged in memory, not streaming: {result.InMemoryReason}.");
                }

                WriteVerbose($"{outFile}: merged {_files.Count} file(s) into {result.Images} image(s) and {result.Annotations} annotation(s), {(result.Streamed ? "streaming" : "in memory")}: {result.Report.DuplicateImages} image(s) found twice and kept once, {result.Report.UnifiedCategories} category(ies) joined by name; filled area for {result.Written.FilledArea} and bbox for {result.Written.FilledBbox} annotations.");
                WriteObject(new FileInfo(outFile));
            }
            catch (CocoToolsException e)
            {
                WriteItemError(e, e.SourcePath ?? outFile);
            }
            catch (System.Exception e) when (e is IOException || e is System.UnauthorizedAccessException)
            {
                WriteItemError("FileWriteFailed", ErrorCategory.WriteError, $"{outFile}: {e.Message}", outFile);
            }
        }
    }
}
