using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations;

namespace CocoTools.Commands
{
    /// <summary>
    /// Merge-CocoDataset: merges datasets (piped) or COCO files (-Path) into one new dataset, emitted at the end:
    /// ids renumbered, categories unified by name, the same image kept once, conflicts reported as warnings.
    /// </summary>
    [Cmdlet(VerbsData.Merge, "CocoDataset", DefaultParameterSetName = DatasetSet)]
    [OutputType(typeof(CocoDataset))]
    public sealed class MergeCocoDatasetCommand : DatasetInputCommandBase
    {
        private DatasetMerger? _merger;
        private int _inputs;

        /// <summary>Category renames applied while merging: @{ 'Nodule' = 'nodule' }.</summary>
        [Parameter]
        public Hashtable? CategoryMap { get; set; }

        /// <summary>Input (default: as the inputs come) or FileName: images by file_name, ids 1..N in that order, so merged shards equal the unsharded run.</summary>
        [Parameter]
        public MergeOrder OrderBy { get; set; } = MergeOrder.Input;

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

            _merger = new DatasetMerger(map, OrderBy);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
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
            var (merged, report) = _merger!.Finish();
            foreach (var conflict in report.Conflicts)
            {
                WriteWarning(conflict);
            }

            WriteVerbose($"Merged {_inputs} dataset(s) into {merged}: {report.DuplicateImages} image(s) found twice and kept once, {report.UnifiedCategories} category(ies) joined by name.");
            WriteObject(merged);
        }
    }
}
