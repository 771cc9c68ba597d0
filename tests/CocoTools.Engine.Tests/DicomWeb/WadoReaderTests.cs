using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using CocoTools.Engine.DicomWeb;
using CocoTools.Engine.Tests.Dicom;
using Xunit;

namespace CocoTools.Engine.Tests.DicomWeb
{
    public sealed class WadoReaderTests : IDisposable
    {
        private const string Study = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
        private const string Series = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";
        private const string Sop = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
        private readonly string _cache = Path.Combine(Path.GetTempPath(), "cocotools-wado-" + Guid.NewGuid().ToString("N").Substring(0, 8));

        public void Dispose()
        {
            if (Directory.Exists(_cache))
            {
                Directory.Delete(_cache, true);
            }
        }

        private static string Metadata(string sop) =>
            $"[{{\"0020000D\":{{\"vr\":\"UI\",\"Value\":[\"{Study}\"]}},\"0020000E\":{{\"vr\":\"UI\",\"Value\":[\"{Series}\"]}},\"00080018\":{{\"vr\":\"UI\",\"Value\":[\"{sop}\"]}}," +
            "\"00280010\":{\"vr\":\"US\",\"Value\":[128]},\"00280011\":{\"vr\":\"US\",\"Value\":[128]},\"00280100\":{\"vr\":\"US\",\"Value\":[16]},\"00280101\":{\"vr\":\"US\",\"Value\":[16]}," +
            "\"00280102\":{\"vr\":\"US\",\"Value\":[15]},\"00280103\":{\"vr\":\"US\",\"Value\":[1]},\"00280002\":{\"vr\":\"US\",\"Value\":[1]},\"00280004\":{\"vr\":\"CS\",\"Value\":[\"MONOCHROME2\"]}}]";

        private static HttpResponseMessage Multipart(byte[] part, string type)
        {
            var body = Encoding.ASCII.GetBytes($"--b\r\nContent-Type: {type}\r\n\r\n").Concat(part).Concat(Encoding.ASCII.GetBytes("\r\n--b--\r\n")).ToArray();
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
            response.Content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"{type.Split(';')[0]}\"; boundary=b");
            return response;
        }

        private (WadoReader Reader, StubHandler Handler) Reader(Func<HttpRequestMessage, int, HttpResponseMessage> answer)
        {
            var handler = new StubHandler(answer);
            return (new WadoReader(new DicomWebSettings { CacheDirectory = _cache, RetryDelay = TimeSpan.FromMilliseconds(1) }, handler), handler);
        }

        private static DicomWebInstanceRef Instance() =>
            DicomWebInstanceRef.Parse($"http://h/dw/studies/{Study}/series/{Series}/instances/{Sop}", new DicomWebSettings());

        [Fact]
        public async System.Threading.Tasks.Task Refuses_metadata_of_another_instance_and_caches_nothing()
        {
            var (reader, _) = Reader((r, n) => StubHandler.Json(Metadata("1.2.3")));
            var e = await Assert.ThrowsAsync<DicomWebException>(() => reader.ReadHeaderAsync(Instance()));
            Assert.Equal(DicomWebFailure.BadAnswer, e.Failure);
            Assert.Contains("another instance (1.2.3)", e.Message);
            Assert.False(Directory.Exists(_cache) && Directory.EnumerateFiles(_cache, "*", SearchOption.AllDirectories).Any());
        }

        [Fact]
        public async System.Threading.Tasks.Task Falls_back_to_the_whole_instance_when_frames_are_refused_and_checks_it_is_the_one_asked_for()
        {
            var file = File.ReadAllBytes(DicomSamples.PathOf("pydicom_CT_small.dcm"));
            var (reader, handler) = Reader((r, n) =>
                r.RequestUri!.AbsolutePath.EndsWith("/metadata", StringComparison.Ordinal) ? StubHandler.Json(Metadata(Sop))
                : r.RequestUri.AbsolutePath.EndsWith("/frames/1", StringComparison.Ordinal) ? new HttpResponseMessage(HttpStatusCode.BadRequest)
                : Multipart(file, "application/dicom"));
            var (header, index) = await reader.ReadFrameAsync(Instance(), 1);
            Assert.Equal(0, index);
            Assert.Equal(Sop, header.SopInstanceUid);
            Assert.NotNull(header.PixelData!.Value);
            Assert.Equal(new[] { "/metadata", "/frames/1", "/" + Sop }, handler.Requests.Select(r => "/" + r.RequestUri!.AbsolutePath.Split('/').Last()).Select(p => p == "/1" ? "/frames/1" : p));
            Assert.True(File.Exists(Path.Combine(_cache, Sop, "instance.dcm")));

            // Second time: from the cache, no request.
            int before = handler.Requests.Count;
            await reader.ReadFrameAsync(Instance(), 1);
            Assert.Equal(before, handler.Requests.Count);
        }

        [Fact]
        public async System.Threading.Tasks.Task Refuses_a_whole_instance_that_is_another_one()
        {
            var file = File.ReadAllBytes(DicomSamples.PathOf("pydicom_MR_small.dcm"));
            var (reader, _) = Reader((r, n) =>
                r.RequestUri!.AbsolutePath.EndsWith("/metadata", StringComparison.Ordinal) ? StubHandler.Json(Metadata(Sop))
                : r.RequestUri.AbsolutePath.EndsWith("/frames/1", StringComparison.Ordinal) ? new HttpResponseMessage(HttpStatusCode.NotAcceptable)
                : Multipart(file, "application/dicom"));
            var e = await Assert.ThrowsAsync<DicomWebException>(() => reader.ReadFrameAsync(Instance(), 1));
            Assert.Contains("another instance", e.Message);
            Assert.False(File.Exists(Path.Combine(_cache, Sop, "instance.dcm")));
        }

        [Fact]
        public async System.Threading.Tasks.Task Keeps_a_compressed_frame_as_its_frame_fragment_with_the_syntax_the_server_named()
        {
            var (reader, _) = Reader((r, n) =>
                r.RequestUri!.AbsolutePath.EndsWith("/metadata", StringComparison.Ordinal) ? StubHandler.Json(Metadata(Sop))
                : Multipart(new byte[] { 0xFF, 0xD8, 1, 2 }, "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.70"));
            var (header, index) = await reader.ReadFrameAsync(Instance(), 1);
            Assert.Equal("1.2.840.10008.1.2.4.70", header.TransferSyntax.Uid);
            Assert.Equal(0, index);
            Assert.Equal(new byte[] { 0xFF, 0xD8, 1, 2 }, header.PixelData!.Fragments[0]);
            var cached = DicomWebCache.UnpackFrame(File.ReadAllBytes(Path.Combine(_cache, Sop, "frame-1.bin")))!.Value;
            Assert.Equal("1.2.840.10008.1.2.4.70", cached.TransferSyntax);
        }
    

        [Fact]
        public async System.Threading.Tasks.Task Reads_an_annotation_object_whole_with_its_pixel_data_and_then_from_the_cache()
        {
            var file = File.ReadAllBytes(DicomSamples.PathOf("pydicom_CT_small.dcm"));
            var (reader, handler) = Reader((r, n) => Multipart(file, "application/dicom"));
            var header = await reader.ReadWholeAsync(Instance());
            Assert.Equal(Sop, header.SopInstanceUid);
            Assert.NotNull(header.PixelData!.Value);
            Assert.Contains("type=\"application/dicom\"", string.Join(",", handler.Requests[0].Headers.GetValues("Accept")));
            var again = await reader.ReadWholeAsync(Instance());
            Assert.Equal(header.PixelData.Value, again.PixelData!.Value);
            Assert.Single(handler.Requests);
        }
    }
}
