using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using CocoTools.Engine.Coco;
using CocoTools.Engine.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using CocoTools.Engine.Pixels;

namespace CocoTools.Engine.Operations
{
    /// <summary>How <see cref="ImageExporter"/> writes training images.</summary>
    public sealed class ImageExportOptions
    {
        /// <summary>The folder the PNGs go to.</summary>
        public string OutputDirectory { get; set; } = string.Empty;

        /// <summary>Where the images' file_names are relative to.</summary>
        public string ImageRoot { get; set; } = Directory.GetCurrentDirectory();

        /// <summary>How grey-scale DICOM is windowed, and the output bit depth.</summary>
        public RenderOptions Render { get; set; } = new RenderOptions();

        /// <summary>Refuse to overwrite existing files.</summary>
        public bool NoClobber { get; set; }

        /// <summary>Where the pixels of images that are not on disk come from (a DICOMweb server); null: local files only.</summary>
        public IRemotePixelSource? Remote { get; set; }
    }

    /// <summary>One PNG to write: the image, where its source is and where the PNG goes.</summary>
    public sealed class ImageExportItem
    {
        internal ImageExportItem(CocoImage image, string source, string target)
        {
            Image = image;
            Source = source;
            Target = target;
        }

        /// <summary>The COCO image.</summary>
        public CocoImage Image { get; }

        /// <summary>Its source file.</summary>
        public string Source { get; }

        /// <summary>The PNG to write.</summary>
        public string Target { get; }

        /// <summary>The PNG's path relative to the output folder, with forward slashes: the image's new file_name.</summary>
        public string NewFileName => System.IO.Path.GetFileName(Target);
    }

    /// <summary>
    /// Writes one PNG per COCO image (per frame of multi-frame DICOM): DICOM pixels decoded exactly and windowed as
    /// PS3.3 defines, raster images converted as they are. Each PNG is written atomically, so a failure leaves no
    /// partial file; a frame is decoded, rendered and written before the next, so memory is bounded by one file's
    /// pixel data and one frame.
    /// </summary>
    public sealed class ImageExporter
    {
        private readonly ImageExportOptions _options;
        private readonly OutputFileNamer _namer = new OutputFileNamer(".png");

        /// <summary>Prepares an export.</summary>
        public ImageExporter(ImageExportOptions options)
        {
            _options = options;
            TempFiles.NewRun();
        }

        /// <summary>Where each image's PNG goes (names sanitized and unique within the output folder), in dataset order.</summary>
        public IReadOnlyList<ImageExportItem> Plan(IEnumerable<CocoImage> images)
        {
            var items = new List<ImageExportItem>();
            foreach (var image in images)
            {
                string source = System.IO.Path.Combine(_options.ImageRoot, (image.FileName ?? string.Empty).Replace('\\', '/'));
                var dicom = CocoImageDicom.Of(image);
                // Named as Export-CocoMask names the image's mask, so images and masks pair up by name.
                string name = _namer.NameFor(image.FileName, image.Id, dicom?.Frame);
                items.Add(new ImageExportItem(image, source, System.IO.Path.Combine(_options.OutputDirectory, name)));
            }

            return items;
        }

        /// <summary>
        /// Writes one item's PNG (thread-safe: items can be written in parallel). Throws a CocoToolsException naming
        /// the file and frame; what the file system or ImageSharp throws is wrapped into one (ImageReadFailed, ReadError).
        /// </summary>
        public void Write(ImageExportItem item)
        {
            try
            {
                WriteUnwrapped(item);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ImageFormatException || e is NotSupportedException)
            {
                throw new CocoToolsException("ImageReadFailed", FailureKind.ReadError, $"{item.Source}: {e.Message}", e);
            }
        }

        private void WriteUnwrapped(ImageExportItem item)
        {
            if (_options.Remote != null && _options.Remote.IsRemote(item.Image, item.Source))
            {
                var (remote, index) = _options.Remote.Get(item.Image);
                WriteDicom(item, remote, index);
                return;
            }

            if (!File.Exists(item.Source))
            {
                throw new CocoToolsException("ImageFileMissing", FailureKind.ObjectNotFound, $"{item.Source}: the source of image {item.Image.Id} does not exist (is -ImageRoot the folder its file_name is relative to?).") { Target = item.Image.Id };
            }

            // The dicom object Add-CocoImage writes says it is DICOM; without it (an imported file), the content does.
            // A PNG that Export-CocoImage wrote keeps its image's dicom object, so a PNG or JPEG signature wins.
            var dicom = CocoImageDicom.Of(item.Image);
            if (dicom == null ? !LooksLikeDicom(item.Source) : RasterExtension(item.Source) != null)
            {
                // A raster image: re-encoded as PNG, pixels unchanged.
                using var raster = Imaging.RasterHeader.Load(item.Source, InputLimits.MaxImagePixels);
                AtomicFile.Write(item.Target, stream => raster.SaveAsPng(stream), _options.NoClobber);
                return;
            }

            WriteDicom(item, FrameDecoder.ReadWithPixels(item.Source), (dicom?.Frame ?? 1) - 1);
        }

        private void WriteDicom(ImageExportItem item, Dicom.DicomHeader header, int frame)
        {
            var layout = PixelLayout.Of(header);
            // Frame-sized buffers are rented: a fresh megabyte per file costs more than decoding it (page faults, LOH GCs).
            var samples = ArrayPool<uint>.Shared.Rent(layout.SamplesPerFrame);
            RenderedFrame rendered;
            try
            {
                string photometric = FrameDecoder.Decode(header, layout, frame, samples);
                rendered = FrameRenderer.Render(header, layout, photometric, samples, _options.Render, pooled: true);
            }
            finally
            {
                ArrayPool<uint>.Shared.Return(samples);
            }

            try
            {
                if (item.Image.Width is int w && item.Image.Height is int h && (w != rendered.Width || h != rendered.Height))
                {
                    throw new CocoToolsException("ImageSizeMismatch", FailureKind.InvalidData, $"{item.Source}: the image is {rendered.Width}x{rendered.Height}, but the dataset says {w}x{h}; masks would not line up.") { Target = item.Image.Id };
                }

                AtomicFile.Write(item.Target, stream => Save(rendered, stream), _options.NoClobber);
            }
            finally
            {
                rendered.Release();
            }
        }

        /// <summary>
        /// ".png" or ".jpg" for a file that starts with a PNG (89 'PNG') or JPEG (FF D8 FF) signature, else null; a DICOM
        /// file starts with a preamble or a data set instead.
        /// </summary>
        public static string? RasterExtension(string path)
        {
            var head = new byte[4];
            int read;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                read = stream.Read(head, 0, head.Length);
            }

            if (read == 4 && head[0] == 0x89 && head[1] == (byte)'P' && head[2] == (byte)'N' && head[3] == (byte)'G')
            {
                return ".png";
            }

            return read >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF ? ".jpg" : null;
        }

        private static bool LooksLikeDicom(string path)
        {
            var head = new byte[132];
            int read;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                read = stream.Read(head, 0, head.Length);
            }

            return Dicom.DicomReader.LooksLikeDicom(new ReadOnlySpan<byte>(head, 0, read));
        }

        /// <summary>Writes a rendered frame as PNG: grey 8 or 16 bit, or RGB (see <see cref="PngWriter"/>).</summary>
        public static void Save(RenderedFrame frame, Stream stream) => PngWriter.Write(frame, stream);
    }
}
