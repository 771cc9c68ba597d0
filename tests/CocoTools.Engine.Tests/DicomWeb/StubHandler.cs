using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CocoTools.Engine.Tests.DicomWeb
{
    /// <summary>An HttpMessageHandler answering from a function, recording each request (URL and headers).</summary>
    internal sealed class StubHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, int, HttpResponseMessage> _answer;

        public StubHandler(Func<HttpRequestMessage, int, HttpResponseMessage> answer)
        {
            _answer = answer;
        }

        public List<HttpRequestMessage> Requests { get; } = new List<HttpRequestMessage>();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
                return Task.FromResult(_answer(request, Requests.Count));
            }
        }

        public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK)
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(json) };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/dicom+json");
            return response;
        }
    }
}
