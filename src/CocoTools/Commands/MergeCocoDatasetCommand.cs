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
        private readonly List<CocoDataset> _inputs = new List<CocoDataset>();

        /// <summary>Category renames applied while merging: @{ 'Nodule' = 'nodule' }.</summary>
        [Parameter]
        public Hashtable? CategoryMap { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord() => _inputs.AddRange(InputDatasets());

        /// <inheritdoc />
        protected override void EndProcessing()
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

            var (merged, report) = DatasetMerger.Merge(_inputs, map);
            foreach (var conflict in report.Conflicts)
            {
                WriteWarning(conflict);
            }

            WriteVerbose($"Merged {_inputs.Count} dataset(s) into {merged}: {report.DuplicateImages} image(s) found twice and kept once, {report.UnifiedCategories} category(ies) joined by name.");
            WriteObject(merged);
        }
    }
}
