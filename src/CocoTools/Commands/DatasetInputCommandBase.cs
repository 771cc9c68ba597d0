using System;
using System.Collections.Generic;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;

namespace CocoTools.Commands
{
    /// <summary>
    /// For cmdlets that work on datasets: a dataset from the pipeline (-InputObject) or COCO files read from -Path.
    /// A file that cannot be read is a non-terminating error naming it; the others go on.
    /// </summary>
    public abstract class DatasetInputCommandBase : CocoCmdletBase
    {
        /// <summary>The parameter set of piped datasets.</summary>
        protected const string DatasetSet = "Dataset";

        /// <summary>The parameter set of COCO files.</summary>
        protected const string PathSet = "Path";

        /// <summary>A dataset, from the pipeline.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = DatasetSet)]
        public CocoDataset? InputObject { get; set; }

        /// <summary>COCO files (wildcards), read instead of a piped dataset.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>The datasets of this record: the piped one, or each file read.</summary>
        protected IEnumerable<CocoDataset> InputDatasets()
        {
            if (ParameterSetName == DatasetSet)
            {
                if (InputObject != null)
                {
                    yield return InputObject;
                }

                yield break;
            }

            foreach (var path in ResolveExistingPaths(Path, literal: false))
            {
                CocoDataset? dataset = null;
                try
                {
                    dataset = CocoJsonReader.ReadFile(path);
                }
                catch (CocoToolsException e)
                {
                    WriteItemError(e, path);
                }

                if (dataset != null)
                {
                    yield return dataset;
                }
            }
        }
    }
}
