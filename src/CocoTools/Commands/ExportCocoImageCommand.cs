using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CocoTools.Engine;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Operations;
using CocoTools.Engine.Operations.DicomWeb;
using CocoTools.Engine.Pixels;

namespace CocoTools.Commands
{
    /// <summary>
    /// Export-CocoImage: writes one training-ready PNG per COCO image (per DICOM frame), windowed as DICOM defines,
    /// rewrites each image's file_name to its PNG and emits the dataset, so it can be written next to the images.
    /// </summary>
    [Cmdlet(VerbsData.Export, "CocoImage", SupportsShouldProcess = true)]
    [OutputType(typeof(CocoDataset))]
    public sealed class ExportCocoImageCommand : DicomWebFetchCmdletBase
    {
        private string _directory = string.Empty;
        private RenderOptions _render = new RenderOptions();
        private DicomWebPixelSource? _remote;

        /// <summary>The folder the PNGs go to.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string OutputDirectory { get; set; } = string.Empty;

        /// <summary>The dataset, from the pipeline.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public CocoDataset? InputObject { get; set; }

        /// <summary>The folder the images' file_names are relative to (where Add-CocoImage ran, or its -BasePath).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ImageRoot { get; set; }

        /// <summary>The VOI window: center, width (40,400 or '40,400'), or MinMax; default the file's window (else MinMax).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Window { get; set; }

        /// <summary>Which of the file's windows, when it has several (0 is the first).</summary>
        [Parameter]
        [ValidateRange(0, 1000)]
        public int WindowIndex { get; set; }

        /// <summary>Bits per grey sample: 8 or 16.</summary>
        [Parameter]
        [ValidateSet("8", "16")]
        public int BitDepth { get; set; } = 8;

        /// <summary>How many files are decoded at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = Math.Min(Environment.ProcessorCount, 8);

        /// <summary>Do not overwrite existing PNGs.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            _directory = ResolveOutputPath(OutputDirectory);
            _render = new RenderOptions { BitDepth = BitDepth, WindowIndex = WindowIndex };
            if (Window != null)
            {
                string window = string.Join(",", Window);
                if (string.Equals(window, "MinMax", StringComparison.OrdinalIgnoreCase))
                {
                    _render.Window = WindowChoice.MinMax;
                }
                else
                {
                    var parts = window.Split(',');
                    double center = 0, width = 0;
                    if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out center)
                        || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out width) || !(width > 0))
                    {
                        ThrowParameterError("InvalidWindow", $"-Window '{window}' is not center,width (for example 40,400 for a CT soft-tissue window) or MinMax.", window);
                    }

                    _render.Window = WindowChoice.Explicit;
                    _render.Center = center;
                    _render.Width = width;
                }
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            var exporter = new ImageExporter(new ImageExportOptions
            {
                OutputDirectory = _directory,
                ImageRoot = ImageRoot != null ? ResolveOutputPath(ImageRoot) : SessionState.Path.CurrentFileSystemLocation.ProviderPath,
                Render = _render,
                NoClobber = NoClobber,
                Remote = _remote ??= new DicomWebPixelSource(CreateFetchSettings(RequestLimit)),
            });
            var items = exporter.Plan(InputObject.Images).Where(i => ShouldProcess(i.Target, $"Write image {i.Image.Id} as PNG")).ToList();
            var progress = new ProgressReporter(this, 7, "Export-CocoImage");
            int done = 0, written = 0;

            // Files are decoded in parallel, a batch at a time; results are reported (and file_names changed) in order.
            int size = Math.Max(ThrottleLimit * 4, 16);
            var batch = new ParallelBatch<ImageExportItem, ImageExportItem>(size, ThrottleLimit, item =>
            {
                exporter.Write(item);
                return item;
            }, (item, _, error) =>
            {
                done++;
                progress.Update(done, items.Count, item.Source);
                if (error != null)
                {
                    WriteItemError(error, item.Source);
                    return;
                }

                item.Image.FileName = item.NewFileName;
                written++;
            });

            // Images on a server: the next batch is fetched while this one is decoded.
            var fetching = _remote.PrefetchAsync(items.Take(size).Select(i => (i.Image, i.Source)).ToList());
            for (int start = 0; start < items.Count; start += size)
            {
                fetching.GetAwaiter().GetResult();
                fetching = _remote.PrefetchAsync(items.Skip(start + size).Take(size).Select(i => (i.Image, i.Source)).ToList());
                FlushDicomWebLog();
                foreach (var item in items.Skip(start).Take(size))
                {
                    batch.Add(item);
                }

                batch.Flush();
            }

            fetching.GetAwaiter().GetResult();
            progress.Complete();
            WriteVerbose($"{_directory}: wrote {written} PNG(s) of {items.Count} ({_remote.RequestCount} HTTP requests).");
            WriteObject(InputObject);
        }

        /// <inheritdoc />
        protected override void EndProcessing() => _remote?.Dispose();
    }
}
