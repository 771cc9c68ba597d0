using System;
using System.IO;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations;

namespace CocoTools.Commands
{
    /// <summary>
    /// Split-CocoDataset: a deterministic split that never puts two images of one patient, study, series or image
    /// into different splits; emits one dataset per split, or writes them as files with -OutputDirectory.
    /// </summary>
    [Cmdlet(VerbsCommon.Split, "CocoDataset", DefaultParameterSetName = DatasetSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CocoDataset), typeof(FileInfo))]
    public sealed class SplitCocoDatasetCommand : DatasetInputCommandBase
    {
        /// <summary>The share of images per split.</summary>
        [Parameter(Position = 0)]
        [ValidateCount(2, 20)]
        public double[] Ratio { get; set; } = { 0.8, 0.1, 0.1 };

        /// <summary>The splits' names.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>What stays together in one split.</summary>
        [Parameter]
        public SplitGrouping GroupBy { get; set; } = SplitGrouping.Study;

        /// <summary>The seed of the deterministic shuffle.</summary>
        [Parameter]
        public int Seed { get; set; }

        /// <summary>Balance each group's main category across the splits.</summary>
        [Parameter]
        public SwitchParameter Stratify { get; set; }

        /// <summary>Write each split as &lt;name&gt;.json here instead of emitting datasets.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutputDirectory { get; set; }

        /// <summary>With -OutputDirectory: do not overwrite existing files.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var options = new DatasetSplitOptions { Ratios = Ratio, Names = Name, GroupBy = GroupBy, Seed = Seed, Stratify = Stratify };
            foreach (var dataset in InputDatasets())
            {
                System.Collections.Generic.IReadOnlyList<CocoDataset> splits;
                try
                {
                    splits = DatasetSplitter.Split(dataset, options);
                }
                catch (CocoToolsException e)
                {
                    ThrowTerminatingError(ToErrorRecord(e, Ratio));
                    return;
                }

                foreach (var split in splits)
                {
                    WriteVerbose($"{split.Name}: {split}.");
                    if (OutputDirectory == null)
                    {
                        WriteObject(split);
                    }
                }

                if (OutputDirectory == null)
                {
                    continue;
                }

                // The splits are one set: written together, all-or-nothing, under names that cannot leave the folder.
                string directory = ResolveOutputPath(OutputDirectory);
                var names = DatasetSplitter.FileNames(splits);
                if (!ShouldProcess(directory, $"Write the splits as {string.Join(", ", names)}"))
                {
                    continue;
                }

                try
                {
                    foreach (var path in DatasetSplitter.WriteFiles(splits, directory, NoClobber))
                    {
                        WriteObject(new FileInfo(path));
                    }
                }
                catch (CocoToolsException e)
                {
                    WriteItemError(e, directory);
                }
            }
        }
    }
}
