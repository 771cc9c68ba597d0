using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using CocoTools.Engine.DicomWeb;
using Xunit;

namespace CocoTools.Engine.Tests.DicomWeb
{
    public class DicomWebClientTests
    {
        private static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (char c in text)
            {
                s.AppendChar(c);
            }

            return s;
        }

        private static DicomWebSettings Fast(List<string>? log = null) => new DicomWebSettings
        {
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
            Log = log == null ? null : (Action<string>)(line => { lock (log) { log.Add(line); } }),
        };

        [Fact]
        public void Retries_503_and_429_honouring_Retry_After_up_to_the_cap()
        {
            var log = new List<string>();
            var handler = new StubHandler((request, n) =>
            {
                if (n <= 2)
                {
                    var busy = new HttpResponseMessage(n == 1 ? HttpStatusCode.ServiceUnavailable : (HttpStatusCode)429);
                    busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(60));
                    return busy;
                }

                return StubHandler.Json("[]");
            });
            using var client = new DicomWebClient(Fast(log), handler);
            var answer = client.Get(new Uri("http://h/dw/studies"), "application/dicom+json");
            Assert.Equal(200, answer.Status);
            Assert.Equal(3, handler.Requests.Count);
            Assert.Contains(log, l => l.EndsWith("retry 1 of 3 in 0.005 s", StringComparison.Ordinal));
        }

        [Fact]
        public void Gives_up_after_MaxRetry_with_the_status()
        {
            var handler = new StubHandler((request, n) => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
            var settings = Fast();
            settings.MaxRetry = 2;
            using var client = new DicomWebClient(settings, handler);
            var e = Assert.Throws<DicomWebException>(() => client.Get(new Uri("http://h/dw/studies"), "application/dicom+json"));
            Assert.Equal(DicomWebFailure.Unavailable, e.Failure);
            Assert.Equal(503, e.Status);
            Assert.Equal(3, handler.Requests.Count);
        }

        [Theory]
        [InlineData(401, DicomWebFailure.Unauthorized)]
        [InlineData(403, DicomWebFailure.Forbidden)]
        [InlineData(404, DicomWebFailure.NotFound)]
        [InlineData(400, DicomWebFailure.Refused)]
        public void Reports_401_403_404_and_refusals_at_once(int status, DicomWebFailure failure)
        {
            var handler = new StubHandler((request, n) => new HttpResponseMessage((HttpStatusCode)status));
            using var client = new DicomWebClient(Fast(), handler);
            var e = Assert.Throws<DicomWebException>(() => client.Get(new Uri("http://h/dw/x"), "*/*"));
            Assert.Equal(failure, e.Failure);
            Assert.Equal(status, e.Status);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public void Sends_credentials_as_headers_and_never_shows_them()
        {
            var log = new List<string>();
            var handler = new StubHandler((request, n) => new HttpResponseMessage(HttpStatusCode.Unauthorized));
            var settings = Fast(log);
            settings.SetBasic("user", Secure("pa55-word"));
            settings.AddHeader("X-Api-Key", "key-123");
            using var client = new DicomWebClient(settings, handler);
            var e = Assert.Throws<DicomWebException>(() => client.Get(new Uri("http://user:pa55-word@h/dw/x?access_token=tok-9&a=1"), "*/*"));
            var sent = handler.Requests[0];
            Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("user:pa55-word")), sent.Headers.GetValues("Authorization").Single());
            Assert.Equal("key-123", sent.Headers.GetValues("X-Api-Key").Single());
            Assert.Equal("", sent.RequestUri!.UserInfo);
            string shown = e.Message + e.Url + string.Join("\n", log);
            Assert.DoesNotContain("pa55-word", shown);
            Assert.DoesNotContain("tok-9", shown);
            Assert.Contains("http://h/dw/x?access_token=REDACTED&a=1", shown);
        }

        [Fact]
        public void Bearer_token_goes_on_the_Authorization_header()
        {
            var handler = new StubHandler((request, n) => StubHandler.Json("[]"));
            var settings = Fast();
            settings.SetBearer(Secure("abc.def"));
            using var client = new DicomWebClient(settings, handler);
            client.Get(new Uri("http://h/dw/studies"), "application/dicom+json");
            Assert.Equal("Bearer abc.def", handler.Requests[0].Headers.GetValues("Authorization").Single());
        }

        [Theory]
        [InlineData("http://u:p@h:8/a/b?key=1&x=2", "http://h:8/a/b?key=REDACTED&x=2")]
        [InlineData("dicomweb://u:p@h:8000/a/000045.dcm", "dicomweb://h:8000/a/000045.dcm")]
        [InlineData("wadouri:https://u:p@h/a.dcm", "wadouri:https://h/a.dcm")]
        [InlineData("not a url", "not a url")]
        public void Redacts_user_information_and_secret_query_values(string url, string expected) => Assert.Equal(expected, UrlText.Redact(url));

        [Theory]
        [InlineData("dicomweb://h:8000/a/000045.dcm", "http://h:8000/a/000045.dcm")]
        [InlineData("wadouri:http://h/a.dcm", "http://h/a.dcm")]
        [InlineData("dicomweb:http://h/a.dcm", "http://h/a.dcm")]
        [InlineData("https://h/dw", "https://h/dw")]
        [InlineData("ftp://h/a.dcm", null)]
        public void Turns_viewer_and_Cornerstone_ids_into_http(string text, string? expected) => Assert.Equal(expected, UrlText.ToHttp(text)?.AbsoluteUri);

        [Fact]
        public void Cache_frames_carry_their_transfer_syntax_and_paths_are_safe()
        {
            var packed = DicomWebCache.PackFrame("1.2.840.10008.1.2.4.70", new byte[] { 1, 2, 10 });
            var (ts, frame) = DicomWebCache.UnpackFrame(packed)!.Value;
            Assert.Equal("1.2.840.10008.1.2.4.70", ts);
            Assert.Equal(new byte[] { 1, 2, 10 }, frame);
            Assert.Null(DicomWebCache.UnpackFrame(new byte[] { 1, 2, 3 }));
            var cache = new DicomWebCache("/c");
            Assert.Equal(System.IO.Path.Combine("/c", "1.2.3", "metadata.json"), cache.PathFor("1.2.3", "metadata.json"));
            Assert.DoesNotContain("..", cache.PathFor("../../etc", "metadata.json"));
            Assert.Matches("^[0-9a-f]{64}\\.dcm$", System.IO.Path.GetFileName(cache.PathForUrl("http://h/a.dcm")));
        }
    }
}
