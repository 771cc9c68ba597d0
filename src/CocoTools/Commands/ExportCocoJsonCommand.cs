using System.IO;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.IO;

namespace CocoTools.Commands
{
    /// <summary>
    /// Export-CocoJson: writes a dataset as COCO JSON (standard or the viewer's flavour), atomically: the file
    /// appears complete or not at all, and a failure leaves any previous file as it was.
    /// </summary>
    [Cmdlet(VerbsData.Export, "CocoJson", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportCocoJsonCommand : CocoCmdletBase
    {
        private string _fullPath = string.Empty;
        private int _written;

        /// <summary>The file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The dataset, usually from the pipeline.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public CocoDataset? InputObject { get; set; }

        /// <summary>Write without indentation.</summary>
        [Parameter]
        public SwitchParameter Compress { get; set; }

        /// <summary>Standard COCO (default) or the DICOM viewer's layout.</summary>
        [Parameter]
        public CocoFlavor Flavor { get; set; } = CocoFlavor.Standard;

        /// <summary>Keep segmentations (default) or write every one as compressed RLE, as pycocotools would.</summary>
        [Parameter]
        public CocoSegmentationFormat SegmentationFormat { get; set; } = CocoSegmentationFormat.Keep;

        /// <summary>Do not overwrite an existing file.</summary>
        [Parameter]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Overwrite a read-only file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the written file.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Write "generator": "CocoTools &lt;version&gt;" into info (standard flavour), so the file says what wrote it.</summary>
        [Parameter]
        public SwitchParameter IncludeToolVersion { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing() => _fullPath = ResolveOutputPath(Path);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            if (_written > 0)
            {
                WriteItemError("MultipleDatasetsForOneFile", ErrorCategory.InvalidOperation, $"Export-CocoJson received more than one dataset for {_fullPath}; the first was written and this one was not. Merge them first or export each to its own file.", InputObject);
                return;
            }

            if (!ShouldProcess(_fullPath, "Write COCO JSON"))
            {
                return;
            }

            try
            {
                if (Force)
                {
                    AtomicFile.ClearReadOnly(_fullPath);
                }

                var options = new CocoWriteOptions
                {
                    Indented = !Compress,
                    Flavor = Flavor,
                    SegmentationFormat = SegmentationFormat,
                    OnAnnotationError = e => WriteItemError(e, e.Target),
                    Generator = IncludeToolVersion ? ToolVersion.Generator : null,
                };
                var progress = new ProgressReporter(this, 4, "Export-CocoJson");
                options.Progress = (done, total) => progress.Update(done, total, $"{_fullPath}: images and annotations written");
                var report = CocoJsonWriter.WriteFile(InputObject, _fullPath, options, NoClobber);
                progress.Complete();
                _written++;
                WriteVerbose($"{_fullPath}: wrote {InputObject}; filled area for {report.FilledArea} and bbox for {report.FilledBbox} annotations; {report.ConvertedToRle} segmentations converted to RLE, {report.Failed} kept as they were.");
                if (PassThru)
                {
                    WriteObject(new FileInfo(_fullPath));
                }
            }
            catch (CocoToolsException e)
            {
                WriteItemError(e, _fullPath);
            }
        }
    }
}
