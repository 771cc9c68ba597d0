using System.Management.Automation;
using CocoTools.Engine.Operations.Gallery;

namespace CocoTools.Commands
{
    /// <summary>
    /// Export-CocoGallery: writes the dataset as a static HTML gallery (thumbnails with their annotations drawn
    /// over them, a legend that filters by category, one page per image with its annotation table, statistics)
    /// that opens from disk in any browser, offline.
    /// </summary>
    [Cmdlet(VerbsData.Export, "CocoGallery", SupportsShouldProcess = true)]
    [OutputType(typeof(GalleryResult))]
    public sealed class ExportCocoGalleryCommand : GalleryCommandBase
    {
        private string _directory = string.Empty;

        /// <summary>The gallery folder (replaced as a whole).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string OutputDirectory { get; set; } = string.Empty;

        /// <summary>Do not replace an existing folder.</summary>
        [Parameter]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Emit what was written (the index page's path and counts).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing() => _directory = ResolveOutputPath(OutputDirectory);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject == null || !ShouldProcess(_directory, "Write the gallery"))
            {
                return;
            }

            var result = WriteGallery(InputObject, _directory, NoClobber);
            if (result != null && PassThru)
            {
                WriteObject(result);
            }
        }
    }
}
