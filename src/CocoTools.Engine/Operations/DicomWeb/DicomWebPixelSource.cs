using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.DicomWeb;
using CocoTools.Engine.Pixels;

namespace CocoTools.Engine.Operations.DicomWeb
{
    /// <summary>
    /// The pixels of images that are not on disk but on a server (coco_url or the viewer's dicomweb_url): fetched a
    /// batch at a time before the batch is decoded, so decoding never waits on the network with a thread held.
    /// </summary>
    public sealed class DicomWebPixelSource : IRemotePixelSource, IDisposable
    {
        private readonly WadoReader _reader;
        private readonly DicomWebSettings _settings;
        private readonly ConcurrentDictionary<long, object> _fetched = new ConcurrentDictionary<long, object>();

        /// <summary>A source with these settings.</summary>
        public DicomWebPixelSource(DicomWebSettings settings)
        {
            _settings = settings;
            _reader = new WadoReader(settings);
        }

        /// <summary>HTTP requests sent so far.</summary>
        public int RequestCount => _reader.RequestCount;

        /// <inheritdoc />
        public bool IsRemote(CocoImage image, string localPath) => !File.Exists(localPath) && DicomWebImageReader.UrlOf(image) != null;

        /// <inheritdoc />
        public Task PrefetchAsync(IReadOnlyList<(CocoImage Image, string LocalPath)> items) =>
            Task.WhenAll(items.Where(i => IsRemote(i.Image, i.LocalPath)).Select(i => FetchAsync(i.Image)).ToArray());

        private async Task FetchAsync(CocoImage image)
        {
            object result;
            try
            {
                var instance = DicomWebInstanceRef.Parse(DicomWebImageReader.UrlOf(image)!, _settings);
                int frame = CocoImageDicom.Of(image)?.Frame ?? 1;
                result = await _reader.ReadFrameAsync(instance, frame).ConfigureAwait(false);
            }
            catch (CocoToolsException e)
            {
                result = e;
            }

            _fetched[image.Id] = result;
        }

        /// <inheritdoc />
        public (DicomHeader Header, int FrameIndex) Get(CocoImage image)
        {
            // Each fetched frame is handed out once, so memory holds only the batches in flight.
            if (!_fetched.TryRemove(image.Id, out var result))
            {
                FetchAsync(image).GetAwaiter().GetResult();
                _fetched.TryRemove(image.Id, out result);
            }

            // FetchAsync always stores an entry for the image (the frame or its error), so the second TryRemove finds it.
            return result is CocoToolsException e ? throw e : ((DicomHeader, int))result!;
        }

        /// <inheritdoc />
        public void Dispose() => _reader.Dispose();
    }
}
