using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using CocoTools.Engine.DicomWeb;
using Xunit;

namespace CocoTools.Engine.Tests.DicomWeb
{
    public class DicomWebQueryTests
    {
        private static string Instances(int from, int count) =>
            "[" + string.Join(",", Enumerable.Range(from, count).Select(n =>
                $"{{\"0020000D\":{{\"vr\":\"UI\",\"Value\":[\"1.2\"]}},\"0020000E\":{{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}},\"00080018\":{{\"vr\":\"UI\",\"Value\":[\"1.2.3.{n}\"]}},\"00200013\":{{\"vr\":\"IS\",\"Value\":[{n}]}}}}")) + "]";

        [Fact]
        public void Builds_the_page_url_with_escaped_filters_include_fields_limit_and_offset()
        {
            var query = new DicomWebQuery { BaseUri = new Uri("http://h:8042/dicom-web/"), Level = DicomWebLevel.Series };
            query.Filters.Add(new KeyValuePair<string, string>("PatientName", "Doe^J*"));
            query.Filters.Add(new KeyValuePair<string, string>("StudyDate", "20240101-20241231"));
            query.IncludeFields.Add("SeriesDescription");
            Assert.Equal("http://h:8042/dicom-web/series?PatientName=Doe%5EJ%2A&StudyDate=20240101-20241231&includefield=SeriesDescription&limit=50&offset=100", query.PageUri(100, 50).AbsoluteUri);
            Assert.Equal("http://h:8042/dicom-web/series?PatientName=Doe%5EJ%2A&StudyDate=20240101-20241231&includefield=SeriesDescription&limit=50", query.PageUri(0, 50).AbsoluteUri);
        }

        [Theory]
        [InlineData("20240131", "20240131")]
        [InlineData("2024-01-31", "20240131")]
        [InlineData("20240101-20241231", "20240101-20241231")]
        [InlineData("2024-01-01-2024-12-31", "20240101-20241231")]
        [InlineData("-20241231", "-20241231")]
        [InlineData("20240101-", "20240101-")]
        [InlineData("2024-13-01", null)]
        [InlineData("2024", null)]
        [InlineData("-", null)]
        [InlineData("2024013120240201", null)]
        public void Normalizes_dates_and_ranges(string text, string? expected) => Assert.Equal(expected, DicomWebQuery.NormalizeDateRange(text));

        [Fact]
        public void Pages_while_Warning_299_says_more_exist_and_stops_on_a_short_page()
        {
            var handler = new StubHandler((request, n) =>
            {
                var q = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
                int limit = int.Parse(q["limit"]!), offset = int.Parse(q["offset"] ?? "0");
                int count = Math.Min(Math.Min(limit, 5), 12 - offset);
                var response = StubHandler.Json(Instances(offset + 1, count));
                if (offset + count < 12 && count < limit)
                {
                    response.Headers.TryAddWithoutValidation("Warning", "299 h: \"There are more results\"");
                }

                return response;
            });
            var settings = new DicomWebSettings();
            using var client = new DicomWebClient(settings, handler);
            var query = new DicomWebQuery { BaseUri = new Uri("http://h/dw") };
            var all = DicomWebSearch.Run(client, query, new DicomWebServer(query.BaseUri, settings)).ToList();
            Assert.Equal(Enumerable.Range(1, 12), all.Select(r => r.InstanceNumber!.Value));
            Assert.Equal(3, handler.Requests.Count);
            Assert.Equal("http://h/dw/studies/1.2/series/1.2.3/instances/1.2.3.7", all[6].Url);
        }

        [Fact]
        public void Asks_for_no_more_than_the_limit_needs()
        {
            var handler = new StubHandler((request, n) =>
            {
                var q = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
                int limit = int.Parse(q["limit"]!), offset = int.Parse(q["offset"] ?? "0");
                return StubHandler.Json(Instances(offset + 1, limit));
            });
            var settings = new DicomWebSettings();
            using var client = new DicomWebClient(settings, handler);
            var query = new DicomWebQuery { BaseUri = new Uri("http://h/dw"), Limit = 25, PageSize = 10 };
            var all = DicomWebSearch.Run(client, query, new DicomWebServer(query.BaseUri, settings)).ToList();
            Assert.Equal(25, all.Count);
            Assert.Equal(new[] { "limit=10", "limit=10&offset=10", "limit=5&offset=20" }, handler.Requests.Select(r => r.RequestUri!.Query.TrimStart('?')));
        }

        [Fact]
        public void Stops_when_a_page_is_short_and_the_server_says_nothing_more()
        {
            var handler = new StubHandler((request, n) => StubHandler.Json(Instances(1, 3)));
            var settings = new DicomWebSettings();
            using var client = new DicomWebClient(settings, handler);
            var query = new DicomWebQuery { BaseUri = new Uri("http://h/dw") };
            Assert.Equal(3, DicomWebSearch.Run(client, query, new DicomWebServer(query.BaseUri, settings)).Count());
            Assert.Single(handler.Requests);
        }
    }
}
