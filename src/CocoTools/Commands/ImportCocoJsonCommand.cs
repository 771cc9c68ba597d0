using System.Diagnostics;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;

namespace CocoTools.Commands
{
    /// <summary>
    /// Import-CocoJson: reads COCO files (standard, or the DICOM viewer's flavour, which it repairs) into datasets.
    /// Each kind of repair is reported once as a warning with its count, and listed in the dataset's Repairs.
    /// </summary>
    [Cmdlet(VerbsData.Import, "CocoJson", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CocoDataset))]
    public sealed class ImportCocoJsonCommand : CocoCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Paths, with wildcards.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        /// <summary>Paths taken exactly as written.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        /// <summary>Refuse to repair non-standard files: report what would be repaired as errors.</summary>
        [Parameter]
        public SwitchParameter Strict { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (var path in ResolveExistingPaths(literal ? LiteralPath : Path, literal))
            {
                if (System.IO.Directory.Exists(path))
                {
                    WriteItemError("PathIsFolder", ErrorCategory.InvalidArgument, $"{path} is a folder; give a COCO JSON file.", path);
                    continue;
                }

                var clock = Stopwatch.StartNew();
                CocoDataset dataset;
                try
                {
                    var progress = new ProgressReporter(this, 5, "Import-CocoJson");
                    dataset = CocoJsonReader.ReadFile(path, new CocoReadOptions { Strict = Strict.IsPresent, Progress = (done, total) => progress.UpdateBytes(done, total, path) });
                    progress.Complete();
                }
                catch (CocoToolsException e)
                {
                    WriteItemError(e, path);
                    continue;
                }

                foreach (var repair in dataset.Repairs)
                {
                    WriteWarning($"{path}: repaired {repair.Count} x {repair.Kind}: {repair.Description}.");
                }

                WriteVerbose($"{path}: read {dataset} in {clock.ElapsedMilliseconds} ms.");
                WriteObject(dataset);
            }
        }
    }
}
