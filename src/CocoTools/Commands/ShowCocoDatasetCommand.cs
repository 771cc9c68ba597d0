using System;
using System.IO;
using System.Management.Automation;
using CocoTools.Engine.IO;
using CocoTools.Engine.Operations.Gallery;

namespace CocoTools.Commands
{
    /// <summary>
    /// Show-CocoDataset: writes the dataset's gallery to a new temporary folder and opens it in the default browser;
    /// where there is none (a server, CI), it says so and the gallery's path is the output.
    /// </summary>
    [Cmdlet(VerbsCommon.Show, "CocoDataset")]
    [OutputType(typeof(GalleryResult))]
    public sealed class ShowCocoDatasetCommand : GalleryCommandBase
    {
        /// <summary>Write the gallery and output its path without opening a browser.</summary>
        [Parameter]
        public SwitchParameter NoBrowser { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            string directory = Path.Combine(Path.GetTempPath(), "CocoTools-gallery-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            var result = WriteGallery(InputObject, directory, noClobber: true);
            if (result == null)
            {
                return;
            }

            if (NoBrowser || !DefaultBrowser.TryOpen(result.Path))
            {
                WriteWarning($"No browser to open here; the gallery is {result.Path}");
            }

            WriteObject(result);
        }
    }
}
