using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CocoTools.Engine.Coco;
using CocoTools.Engine.DicomWeb;
using CocoTools.Engine.Imaging;

namespace CocoTools.Engine.Operations.DicomWeb
{
    /// <summary>
    /// Makes <see cref="ScannedFile"/>s (and so COCO images with the same fields as local files) from instances on
    /// DICOMweb and HTTP servers, reading only metadata for WADO-RS instances. The images' file_name is
    /// <c>study/series/instance.dcm</c> for WADO-RS and the URL's path for DICOM files by URL; coco_url is the URL
    /// without credentials (a <c>dicomweb://</c> URL keeps its scheme, as the viewer writes it).
    /// </summary>
    public sealed class DicomWebImageReader : IDisposable
    {
        private readonly WadoReader _reader;

        /// <summary>A reader with these settings (search results carry their own).</summary>
        public DicomWebImageReader(DicomWebSettings settings)
        {
            _reader = new WadoReader(settings);
        }

        /// <summary>HTTP requests sent so far.</summary>
        public int RequestCount => _reader.RequestCount;

        /// <summary>The reader underneath (for the pixels of the same instances).</summary>
        public WadoReader Wado => _reader;

        /// <summary>Reads a batch at once (up to the throttle limit in flight); each result is a ScannedFile or the CocoToolsException for that instance, in order.</summary>
        public IReadOnlyList<object> ScanBatch(IReadOnlyList<DicomWebInstanceRef> instances) => RunAll(instances, ScanAsync);

        /// <summary>
        /// Reads annotation objects (SEG, RTSTRUCT, SR) whole, pixel data included, up to the throttle limit in flight;
        /// each result is the object's <see cref="Dicom.DicomHeader"/> (its SourcePath the URL without credentials) or
        /// the CocoToolsException for that instance, in order.
        /// </summary>
        public IReadOnlyList<object> ReadWholeBatch(IReadOnlyList<DicomWebInstanceRef> instances) => RunAll(instances, async instance =>
        {
            try
            {
                return await _reader.ReadWholeAsync(instance).ConfigureAwait(false);
            }
            catch (CocoToolsException e)
            {
                return e;
            }
        });

        private static IReadOnlyList<object> RunAll(IReadOnlyList<DicomWebInstanceRef> instances, Func<DicomWebInstanceRef, Task<object>> read)
        {
            var tasks = instances.Select(read).ToArray();
            Task.WhenAll(tasks.Select(t => (Task)t)).ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
            return tasks.Select(t => t.GetAwaiter().GetResult()).ToList();
        }

        private async Task<object> ScanAsync(DicomWebInstanceRef instance)
        {
            try
            {
                var header = await _reader.ReadHeaderAsync(instance).ConfigureAwait(false);
                var file = ImageScanner.FromHeader(instance.Url, header);
                if (instance.IsWadoRs)
                {
                    file.FileName = $"{instance.StudyInstanceUid}/{instance.SeriesInstanceUid}/{instance.SopInstanceUid}.dcm";
                    file.CocoUrl = instance.Url;
                    file.TransferSyntaxUnknown = true;
                }
                else
                {
                    file.FileName = Uri.UnescapeDataString(instance.HttpUri.AbsolutePath.TrimStart('/'));
                    file.CocoUrl = instance.WrittenUrl;
                }

                return file;
            }
            catch (CocoToolsException e)
            {
                return e;
            }
        }

        /// <summary>
        /// The URL of a DICOM image on a server: its coco_url, else the dicomweb_url kept from a viewer export; null
        /// for other images. A plain http(s) coco_url counts only for images known to be DICOM (with a dicom object)
        /// or for WADO-RS URLs: the coco_url of an ordinary COCO image is a JPEG on the web, not to be fetched.
        /// </summary>
        public static string? UrlOf(CocoImage image)
        {
            bool dicom = CocoImageDicom.Of(image) != null;
            bool Fetchable(string url) =>
                UrlText.ToHttp(url) != null && (dicom || !url.StartsWith("http", StringComparison.OrdinalIgnoreCase) || url.IndexOf("/instances/", StringComparison.Ordinal) > 0);
            if (!string.IsNullOrEmpty(image.CocoUrl) && Fetchable(image.CocoUrl!))
            {
                return image.CocoUrl;
            }

            return image.ExtraOrNull is JsonMemberBag extra && extra.TryGetString("dicomweb_url", out string url) && Fetchable(url) ? url : null;
        }

        /// <inheritdoc />
        public void Dispose() => _reader.Dispose();
    }
}
