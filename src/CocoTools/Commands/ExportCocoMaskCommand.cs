using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CocoTools.Completers;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Operations;
using CocoTools.Engine.IO;

namespace CocoTools.Commands
{
    /// <summary>
    /// Export-CocoMask: one PNG mask per image (Semantic, Instance, Binary or Panoptic), pixel-exact with
    /// pycocotools' decoding of the same annotations. Files are written atomically; an annotation that cannot be
    /// painted is an error naming it, and the rest of the image and of the dataset go on.
    /// </summary>
    [Cmdlet(VerbsData.Export, "CocoMask", SupportsShouldProcess = true)]
    [OutputType(typeof(CocoMaskFile))]
    public sealed class ExportCocoMaskCommand : CocoCmdletBase
    {
        private string _directory = string.Empty;

        /// <summary>The folder for the PNGs (created when missing).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string OutputDirectory { get; set; } = string.Empty;

        /// <summary>The dataset, usually from the pipeline.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public CocoDataset? InputObject { get; set; }

        /// <summary>The kind of mask.</summary>
        [Parameter(Mandatory = true)]
        public MaskKind Kind { get; set; }

        /// <summary>Only these images.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public long[]? ImageId { get; set; }

        /// <summary>Only annotations of these categories (names).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CategoryNameCompleter))]
        public string[]? Category { get; set; }

        /// <summary>Do not replace existing files.</summary>
        [Parameter]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Replace read-only files.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The largest mask painted, in pixels (width x height); larger images are refused (ImageTooLarge). Default 2^28.</summary>
        [Parameter]
        [ValidateRange(1L, InputLimits.MaxArrayElements)]
        public long MaxPixels { get; set; } = InputLimits.MaxImagePixels;

        /// <summary>Emit one object per written PNG.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many masks are painted and written at once (default: the processor count); output and errors come in image order.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int ThrottleLimit { get; set; } = Parallelism.DefaultThrottle;

        /// <inheritdoc />
        protected override void BeginProcessing() =>
            _directory = ResolveOutputPath(OutputDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            var dataset = InputObject;
            var options = new MaskExportOptions { Kind = Kind, NoClobber = NoClobber, CategoryIds = ResolveCategories(dataset), MaxPixels = MaxPixels };
            var exporter = new MaskExporter(dataset, options);
            var images = SelectImages(dataset);
            var written = new List<CocoMaskFile>();
            var progress = new ProgressReporter(this, 1, $"Export-CocoMask ({Kind})");
            int done = 0;

            // Masks are painted and written in parallel; each image's errors and file are reported in image order.
            var batch = new ParallelBatch<(CocoImage Image, string Path), MaskOutcome>(ThrottleLimit, item => Paint(exporter, item.Image, item.Path), (item, outcome, _) =>
            {
                progress.Update(++done, images.Count, item.Image.FileName ?? item.Path);
                foreach (var error in outcome!.AnnotationErrors)
                {
                    WriteItemError(error, error.Target);
                }

                if (outcome.Error != null)
                {
                    WriteItemError(outcome.Error, item.Image);
                    return;
                }

                written.Add(outcome.File!);
                if (PassThru)
                {
                    WriteObject(outcome.File);
                }
            });
            try
            {
                foreach (var image in images)
                {
                    string path = Path.Combine(_directory, exporter.FileNameFor(image));
                    if (ShouldProcess(path, $"Write {Kind} mask of image {image.Id}"))
                    {
                        batch.Add((image, path));
                    }
                }

                batch.Flush();
                if (Kind == MaskKind.Panoptic && written.Count > 0)
                {
                    string json = _directory + ".json";
                    if (ShouldProcess(json, "Write the panoptic JSON"))
                    {
                        try
                        {
                            AllowOverwrite(json);
                            exporter.WritePanopticJson(json, written);
                        }
                        catch (CocoToolsException e)
                        {
                            WriteItemError(e, json);
                        }
                    }
                }
            }
            finally
            {
                progress.Complete();
            }

            WriteVerbose($"{_directory}: wrote {written.Count} {Kind} masks ({written.Sum(f => f.AnnotationCount)} annotations painted, {written.Sum(f => f.FailedCount)} refused).");
        }

        /// <summary>One image's mask (on a worker thread): its file, or the error that stopped it, and the annotations refused.</summary>
        private MaskOutcome Paint(MaskExporter exporter, CocoImage image, string path)
        {
            var outcome = new MaskOutcome();
            try
            {
                AllowOverwrite(path);
                outcome.File = exporter.ExportImage(image, path, outcome.AnnotationErrors.Add);
            }
            catch (CocoToolsException e)
            {
                outcome.Error = e;
            }

            return outcome;
        }

        private List<CocoImage> SelectImages(CocoDataset dataset)
        {
            if (ImageId == null)
            {
                return dataset.Images.ToList();
            }

            var images = new List<CocoImage>();
            foreach (long id in ImageId)
            {
                if (dataset.Images.Find(id) is CocoImage image)
                {
                    images.Add(image);
                }
                else
                {
                    WriteItemError("ImageNotFound", ErrorCategory.ObjectNotFound, $"The dataset has no image with id {id}.", id);
                }
            }

            return images;
        }

        private ICollection<long>? ResolveCategories(CocoDataset dataset)
        {
            if (Category == null)
            {
                return null;
            }

            var ids = new HashSet<long>();
            foreach (var name in Category)
            {
                var category = dataset.Categories.FindByName(name);
                if (category == null)
                {
                    ThrowParameterError("CategoryNotFound", $"The dataset has no category named '{name}'. Its categories: {string.Join(", ", dataset.Categories.Select(c => c.Name))}.", name);
                }

                ids.Add(category!.Id);
            }

            return ids;
        }

        private void AllowOverwrite(string path)
        {
            if (Force)
            {
                AtomicFile.ClearReadOnly(path);
            }
        }

        private sealed class MaskOutcome
        {
            public List<CocoToolsException> AnnotationErrors { get; } = new List<CocoToolsException>();

            public CocoMaskFile? File { get; set; }

            public CocoToolsException? Error { get; set; }
        }
    }
}
