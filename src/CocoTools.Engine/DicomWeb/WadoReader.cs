using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>
    /// Reads instances from DICOMweb servers and HTTP file servers, through the cache: WADO-RS metadata as a header
    /// without pixels; one frame's pixels (WADO-RS frames in the stored transfer syntax when the module decodes it,
    /// else the server's default, and the whole instance when the server refuses frames); DICOM files by URL whole.
    /// Every answer is checked (content type, JSON shape, the instance asked for) before it is used or cached.
    /// </summary>
    public sealed class WadoReader : IDisposable
    {
        private static readonly DicomTag SopTag = new DicomTag(0x0008, 0x0018);
        private static readonly DicomTag NumberOfFramesTag = new DicomTag(0x0028, 0x0008);
        private static readonly DicomTag PixelDataTag = new DicomTag(0x7FE0, 0x0010);
        private static readonly HashSet<string> Decodable = new HashSet<string>(StringComparer.Ordinal)
        {
            "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.1.98",
            "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
        };

        private readonly DicomWebSettings _settings;
        private readonly Dictionary<DicomWebSettings, DicomWebClient> _clients = new Dictionary<DicomWebSettings, DicomWebClient>();
        private readonly DicomWebCache? _cache;
        private readonly System.Net.Http.HttpMessageHandler? _handler;

        /// <summary>A reader using <paramref name="settings"/> for URLs, and each search result's own settings for results.</summary>
        public WadoReader(DicomWebSettings settings)
            : this(settings, null)
        {
        }

        /// <summary>A reader whose requests go to <paramref name="handler"/> (for tests).</summary>
        internal WadoReader(DicomWebSettings settings, System.Net.Http.HttpMessageHandler? handler)
        {
            _settings = settings;
            _handler = handler;
            _cache = settings.NoCache ? null : new DicomWebCache(settings.CacheDirectory, settings.Log);
        }

        /// <summary>HTTP requests sent so far (retries included), over all servers.</summary>
        public int RequestCount
        {
            get
            {
                lock (_clients)
                {
                    return _clients.Values.Sum(c => c.RequestCount);
                }
            }
        }

        /// <summary>The header of an instance without its pixels (WADO-RS metadata, or the DICOM file read by URL).</summary>
        public async Task<DicomHeader> ReadHeaderAsync(DicomWebInstanceRef instance)
        {
            if (!instance.IsWadoRs)
            {
                var file = await ReadFileAsync(instance).ConfigureAwait(false);
                return DicomReader.ReadHeader(new MemoryStream(file, writable: false), instance.Url);
            }

            var (header, _) = await ReadMetadataAsync(instance).ConfigureAwait(false);
            return header;
        }

        /// <summary>The header with the pixel data of frame <paramref name="frame"/> (1-based), and the 0-based frame index to decode in it.</summary>
        public async Task<(DicomHeader Header, int FrameIndex)> ReadFrameAsync(DicomWebInstanceRef instance, int frame)
        {
            if (!instance.IsWadoRs)
            {
                var file = await ReadFileAsync(instance).ConfigureAwait(false);
                return (DicomReader.ReadHeader(new MemoryStream(file, writable: false), instance.Url, new DicomReadOptions { ReadPixelData = true }), frame - 1);
            }

            string sop = instance.SopInstanceUid!;
            string framePath = _cache?.PathFor(sop, $"frame-{frame}.bin") ?? string.Empty;
            if (CachedInstance(instance) is DicomHeader cachedWhole)
            {
                return (cachedWhole, frame - 1);
            }

            var (metadata, json) = await ReadMetadataAsync(instance).ConfigureAwait(false);
            var client = ClientFor(instance);
            if (json.HasOtherBulkData)
            {
                // Palettes or LUTs the rendering needs are bulk data: the whole instance has them, exactly as stored.
                _settings.Log?.Invoke($"{instance.Url}: the metadata leaves palette or LUT data out; fetching the whole instance");
                return (await ReadWholeAsync(client, instance).ConfigureAwait(false), frame - 1);
            }

            if (_cache?.TryRead(framePath) is byte[] packed && DicomWebCache.UnpackFrame(packed) is (string cachedSyntax, byte[] cachedFrame))
            {
                return WithFrame(metadata, cachedSyntax, cachedFrame, frame);
            }

            var frameUri = new Uri(instance.HttpUri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped).TrimEnd('/') + "/frames/" + frame);
            try
            {
                var answer = await client.GetAsync(frameUri, "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*").ConfigureAwait(false);
                var (syntax, bytes) = OneFrame(answer);
                if (!Decodable.Contains(syntax))
                {
                    // Stored in a syntax the module does not decode: the server's default (uncompressed) instead.
                    answer = await client.GetAsync(frameUri, "multipart/related; type=\"application/octet-stream\"").ConfigureAwait(false);
                    (syntax, bytes) = OneFrame(answer);
                }

                var result = WithFrame(metadata, syntax, bytes, frame);
                _cache?.Write(framePath, DicomWebCache.PackFrame(syntax, bytes));
                return result;
            }
            catch (DicomWebException e) when (e.Failure == DicomWebFailure.Refused || e.Status == 500)
            {
                // Orthanc 1.10 answers 400 for JPEG Lossless and 500 for big endian objects asked for as stored.
                _settings.Log?.Invoke($"{instance.Url}: frames refused ({e.Status}); fetching the whole instance");
            }

            return (await ReadWholeAsync(client, instance).ConfigureAwait(false), frame - 1);
        }

        /// <summary>
        /// The whole instance with its pixel data (WADO-RS instance as application/dicom, or the DICOM file by URL),
        /// through the cache: for objects whose content is needed in full, such as SEG, RTSTRUCT and SR.
        /// </summary>
        public async Task<DicomHeader> ReadWholeAsync(DicomWebInstanceRef instance)
        {
            if (!instance.IsWadoRs)
            {
                var file = await ReadFileAsync(instance).ConfigureAwait(false);
                return DicomReader.ReadHeader(new MemoryStream(file, writable: false), instance.Url, new DicomReadOptions { ReadPixelData = true });
            }

            return CachedInstance(instance) ?? await ReadWholeAsync(ClientFor(instance), instance).ConfigureAwait(false);
        }

        private DicomHeader? CachedInstance(DicomWebInstanceRef instance) =>
            _cache?.PathFor(instance.SopInstanceUid!, "instance.dcm") is string path && _cache.TryRead(path) is byte[] whole ? ReadInstance(whole, instance) : null;

        private async Task<DicomHeader> ReadWholeAsync(DicomWebClient client, DicomWebInstanceRef instance)
        {
            var whole = await GetInstanceAsync(client, instance).ConfigureAwait(false);
            var header = ReadInstance(whole, instance);
            if (_cache != null)
            {
                _cache.Write(_cache.PathFor(instance.SopInstanceUid!, "instance.dcm"), whole);
            }

            return header;
        }

        private async Task<byte[]> GetInstanceAsync(DicomWebClient client, DicomWebInstanceRef instance)
        {
            HttpAnswer answer;
            try
            {
                answer = await client.GetAsync(instance.HttpUri, "multipart/related; type=\"application/dicom\"; transfer-syntax=*").ConfigureAwait(false);
            }
            catch (DicomWebException e) when (e.Failure == DicomWebFailure.Refused)
            {
                answer = await client.GetAsync(instance.HttpUri, "multipart/related; type=\"application/dicom\"").ConfigureAwait(false);
            }

            if (answer.Is("application/dicom"))
            {
                return answer.Body;
            }

            var parts = MultipartReader.Read(answer.Body, answer.ContentType, answer.Url);
            if (parts.Count != 1)
            {
                throw DicomWebException.BadAnswer(answer.Url, $"the instance came as {parts.Count} parts, not one DICOM file");
            }

            return parts[0].Body;
        }

        private DicomHeader ReadInstance(byte[] file, DicomWebInstanceRef instance)
        {
            if (!DicomReader.LooksLikeDicom(file.AsSpan(0, Math.Min(file.Length, 132))))
            {
                throw DicomWebException.BadAnswer(instance.Url, "the answer is not a DICOM file");
            }

            var header = DicomReader.ReadHeader(new MemoryStream(file, writable: false), instance.Url, new DicomReadOptions { ReadPixelData = true });
            if (header.SopInstanceUid != instance.SopInstanceUid)
            {
                throw DicomWebException.BadAnswer(instance.Url, $"the server sent another instance ({header.SopInstanceUid ?? "without a SOP Instance UID"})");
            }

            return header;
        }

        private static (string Syntax, byte[] Bytes) OneFrame(HttpAnswer answer)
        {
            if (!answer.Is("multipart/related"))
            {
                throw DicomWebException.BadAnswer(answer.Url, $"the answer is {answer.MediaType ?? "of no type"}, not multipart/related frames");
            }

            var parts = MultipartReader.Read(answer.Body, answer.ContentType, answer.Url);
            if (parts.Count != 1)
            {
                throw DicomWebException.BadAnswer(answer.Url, $"{parts.Count} parts for one frame");
            }

            string syntax = MultipartReader.TransferSyntax(parts[0].ContentType) ?? MultipartReader.TransferSyntax(answer.ContentType) ?? DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
            return (syntax, parts[0].Body);
        }

        /// <summary>A header with one frame's bytes as its pixel data: native bytes as frame 0, a compressed frame as the only fragment of its frame.</summary>
        private static (DicomHeader, int) WithFrame(DicomHeader metadata, string syntax, byte[] bytes, int frame)
        {
            var transferSyntax = DicomTransferSyntax.Lookup(syntax);
            int frames = metadata.Dataset.GetInt(NumberOfFramesTag) is int n && n > 0 ? n : 1;
            if (frame < 1 || frame > frames)
            {
                throw new CocoToolsException("FrameOutOfRange", FailureKind.InvalidArgument, $"{metadata.SourcePath}: the instance has {frames} frame(s), not {frame}.");
            }

            var element = metadata.Dataset[PixelDataTag];
            var vr = element?.VR ?? DicomVR.OW;
            DicomPixelDataInfo info;
            int index;
            if (transferSyntax.Encapsulated)
            {
                var fragments = new byte[frames][];
                for (int i = 0; i < frames; i++)
                {
                    fragments[i] = i == frame - 1 ? bytes : Array.Empty<byte>();
                }

                info = new DicomPixelDataInfo(PixelDataTag, DicomVR.OB, 0, -1, false) { Fragments = fragments };
                index = frame - 1;
            }
            else
            {
                info = new DicomPixelDataInfo(PixelDataTag, vr, 0, bytes.Length, false) { Value = bytes };
                index = 0;
            }

            return (new DicomHeader(metadata.SourcePath, transferSyntax, false, false, null, metadata.Dataset, info, new List<string>()), index);
        }

        private async Task<(DicomHeader, DicomJsonObject)> ReadMetadataAsync(DicomWebInstanceRef instance)
        {
            string sop = instance.SopInstanceUid!;
            string? path = _cache?.PathFor(sop, "metadata.json");
            string url = instance.Url + "/metadata";
            if (path != null && _cache!.TryRead(path) is byte[] cached)
            {
                try
                {
                    return ToHeader(cached, instance, url);
                }
                catch (DicomWebException)
                {
                    // A cache file that does not read is fetched again.
                }
            }

            var answer = await ClientFor(instance).GetAsync(new Uri(instance.HttpUri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped).TrimEnd('/') + "/metadata"), "application/dicom+json, application/json").ConfigureAwait(false);
            if (!answer.Is("application/dicom+json", "application/json"))
            {
                throw DicomWebException.BadAnswer(answer.Url, $"the answer is {answer.MediaType ?? "of no type"}, not DICOM JSON metadata");
            }

            var result = ToHeader(answer.Body, instance, answer.Url);
            if (path != null)
            {
                _cache!.Write(path, answer.Body);
            }

            return result;
        }

        private static (DicomHeader, DicomJsonObject) ToHeader(byte[] json, DicomWebInstanceRef instance, string url)
        {
            var items = DicomJsonReader.ReadArray(json, url);
            if (items.Count != 1)
            {
                throw DicomWebException.BadAnswer(url, $"the metadata holds {items.Count} data sets, not one instance");
            }

            var d = items[0].Dataset;
            if (d.GetString(SopTag) != instance.SopInstanceUid)
            {
                throw DicomWebException.BadAnswer(url, $"the metadata is of another instance ({d.GetString(SopTag) ?? "without a SOP Instance UID"})");
            }

            if (d.GetString(new DicomTag(0x0020, 0x000D)) is null || d.GetString(new DicomTag(0x0020, 0x000E)) is null)
            {
                throw DicomWebException.BadAnswer(url, "the metadata has no Study or Series Instance UID");
            }

            // Orthanc 1.10 leaves encapsulated Pixel Data out of metadata altogether: an image's attributes say it has pixels.
            bool image = d.GetInt(new DicomTag(0x0028, 0x0010)) > 0 && d.GetInt(new DicomTag(0x0028, 0x0011)) > 0 && d.GetInt(new DicomTag(0x0028, 0x0100)) > 0;
            DicomPixelDataInfo? pixels = d[PixelDataTag] != null || items[0].BulkData.ContainsKey(PixelDataTag.Value) || image
                ? new DicomPixelDataInfo(PixelDataTag, d[PixelDataTag]?.VR ?? DicomVR.OW, 0, 0, false)
                : null;
            return (new DicomHeader(url, DicomTransferSyntax.ExplicitVRLittleEndian, false, false, null, d, pixels, new List<string>()), items[0]);
        }

        private async Task<byte[]> ReadFileAsync(DicomWebInstanceRef instance)
        {
            string? path = _cache?.PathForUrl(instance.Url);
            if (path != null && _cache!.TryRead(path) is byte[] cached)
            {
                return cached;
            }

            var answer = await ClientFor(instance).GetAsync(instance.HttpUri, "application/dicom, application/octet-stream, */*").ConfigureAwait(false);
            var body = answer.Body;
            if (answer.Is("multipart/related"))
            {
                var parts = MultipartReader.Read(body, answer.ContentType, answer.Url);
                body = parts.Count == 1 ? parts[0].Body : throw DicomWebException.BadAnswer(answer.Url, $"{parts.Count} parts, not one DICOM file");
            }

            if (!DicomReader.LooksLikeDicom(body.AsSpan(0, Math.Min(body.Length, 132))))
            {
                throw DicomWebException.BadAnswer(answer.Url, $"the answer ({answer.MediaType ?? "of no type"}, {body.Length} bytes) is not a DICOM file");
            }

            if (path != null)
            {
                _cache!.Write(path, body);
            }

            return body;
        }

        private DicomWebClient ClientFor(DicomWebInstanceRef instance)
        {
            var settings = instance.Server?.Settings ?? _settings;
            lock (_clients)
            {
                if (!_clients.TryGetValue(settings, out var client))
                {
                    client = new DicomWebClient(settings == _settings ? settings : settings.ForFetcher(_settings), _handler);
                    _clients.Add(settings, client);
                }

                return client;
            }
        }


        /// <inheritdoc />
        public void Dispose()
        {
            lock (_clients)
            {
                foreach (var client in _clients.Values)
                {
                    client.Dispose();
                }

                _clients.Clear();
            }
        }
    }
}
