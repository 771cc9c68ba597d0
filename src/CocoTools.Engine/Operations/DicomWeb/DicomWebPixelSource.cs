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
        private readonly HashSet<string> _wholeSeries = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>How many instances of one series, not yet cached, an export must need for the series to be retrieved whole in one request.</summary>
        public const int WholeSeriesThreshold = 8;

        /// <summary>The most pixel bytes (estimated from the images' sizes, 2 bytes a pixel) a series retrieved whole may hold.</summary>
        public const long WholeSeriesMaxBytes = 256L << 20;

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

        /// <summary>
        /// Looks at everything an export will fetch: a series of which it needs at least
        /// <see cref="WholeSeriesThreshold"/> instances that are not cached (and no more than
        /// <see cref="WholeSeriesMaxBytes"/> of pixels) is retrieved whole with one request when its first image is
        /// fetched, instead of one frame request per image. Only with a cache (the series is kept there, not in memory).
        /// </summary>
        public void Plan(IReadOnlyList<(CocoImage Image, string LocalPath)> items)
        {
            if (_settings.NoCache)
            {
                return;
            }

            var remote = new List<(string Series, string Sop, long Bytes)>();
            foreach (var (image, localPath) in items)
            {
                if (!IsRemote(image, localPath) || !TryParse(image, out var instance) || !instance!.IsWadoRs || _reader.IsCached(instance, CocoImageDicom.Of(image)?.Frame ?? 1))
                {
                    continue;
                }

                remote.Add((SeriesKey(instance), instance.SopInstanceUid!, (image.Width ?? 0L) * (image.Height ?? 0L) * 2));
            }

            foreach (var series in remote.GroupBy(r => r.Series))
            {
                if (series.Select(r => r.Sop).Distinct().Count() >= WholeSeriesThreshold && series.Sum(r => r.Bytes) <= WholeSeriesMaxBytes)
                {
                    _wholeSeries.Add(series.Key);
                }
            }
        }

        private static string SeriesKey(DicomWebInstanceRef instance) => instance.Url.Substring(0, instance.Url.LastIndexOf("/instances/", StringComparison.Ordinal));

        private bool TryParse(CocoImage image, out DicomWebInstanceRef? instance)
        {
            try
            {
                instance = DicomWebInstanceRef.Parse(DicomWebImageReader.UrlOf(image)!, _settings);
                return true;
            }
            catch (CocoToolsException)
            {
                instance = null;
                return false;
            }
        }

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
                if (instance.IsWadoRs && _wholeSeries.Contains(SeriesKey(instance)))
                {
                    await _reader.ReadSeriesWholeAsync(instance).ConfigureAwait(false);
                }

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

            return result is CocoToolsException e ? throw e : ((DicomHeader, int))result;
        }

        /// <inheritdoc />
        public void Dispose() => _reader.Dispose();
    }
}
