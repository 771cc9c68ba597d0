using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CocoTools.Completers;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Masks;

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
            try
            {
                for (int i = 0; i < images.Count; i++)
                {
                    var image = images[i];
                    string path = Path.Combine(_directory, exporter.FileNameFor(image));
                    progress.Update(i, images.Count, image.FileName ?? path);
                    if (!ShouldProcess(path, $"Write {Kind} mask of image {image.Id}"))
                    {
                        continue;
                    }

                    try
                    {
                        AllowOverwrite(path);
                        var file = exporter.ExportImage(image, path, e => WriteItemError(e, e.Target));
                        written.Add(file);
                        if (PassThru)
                        {
                            WriteObject(file);
                        }
                    }
                    catch (CocoToolsException e)
                    {
                        WriteItemError(e, image);
                    }
                }

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
            if (Force && File.Exists(path) && new FileInfo(path) is { IsReadOnly: true } info)
            {
                info.IsReadOnly = false;
            }
        }
    }
}
