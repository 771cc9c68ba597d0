using System.IO;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations.Gallery;

namespace CocoTools.Commands
{
    /// <summary>What Export-CocoGallery and Show-CocoDataset share: the dataset, where its pictures are, the page size.</summary>
    public abstract class GalleryCommandBase : CocoCmdletBase
    {
        /// <summary>The dataset, from the pipeline.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public CocoDataset? InputObject { get; set; }

        /// <summary>The folder the images' file_names are relative to; default the folder of the JSON file the dataset came from, else the current folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ImageRoot { get; set; }

        /// <summary>Draw the annotations over blank images of the right size instead of the pictures.</summary>
        [Parameter]
        public SwitchParameter NoImage { get; set; }

        /// <summary>Thumbnails per index page.</summary>
        [Parameter]
        [ValidateRange(1, 10000)]
        public int PageSize { get; set; } = 100;

        /// <summary>The heading of the pages; default the dataset's description.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Title { get; set; }

        /// <summary>Writes the gallery of <see cref="InputObject"/> into <paramref name="directory"/>; null when it could not be written (reported).</summary>
        protected GalleryResult? WriteGallery(CocoDataset dataset, string directory, bool noClobber)
        {
            var progress = new ProgressReporter(this, 9, "Writing the gallery");
            var options = new GalleryOptions
            {
                ImageRoot = NoImage ? null : ImageRoot != null ? ResolveOutputPath(ImageRoot) : DefaultImageRoot(dataset),
                PageSize = PageSize,
                Title = Title,
                NoClobber = noClobber,
                OnItemError = e => WriteItemError(e, e.Target),
                Progress = (done, total) => progress.Update(done, total, directory),
            };
            try
            {
                var result = GalleryWriter.Write(dataset, directory, options);
                WriteVerbose($"{result.Directory}: {result.Images} images on {result.Pages} page(s), {result.Pictures} with their picture, {result.Annotations} annotations drawn.");
                return result;
            }
            catch (CocoToolsException e)
            {
                WriteItemError(e, directory);
                return null;
            }
            finally
            {
                progress.Complete();
            }
        }

        private string DefaultImageRoot(CocoDataset dataset) =>
            dataset.SourcePath != null && Path.GetDirectoryName(dataset.SourcePath) is string folder && folder.Length > 0
                ? folder
                : SessionState.Path.CurrentFileSystemLocation.ProviderPath;
    }
}
