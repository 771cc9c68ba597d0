using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>The QIDO-RS level searched.</summary>
    public enum DicomWebLevel
    {
        /// <summary>Studies (/studies).</summary>
        Study,
        /// <summary>Series (/series).</summary>
        Series,
        /// <summary>Instances (/instances).</summary>
        Instance,
    }

    /// <summary>A QIDO-RS search: level, attribute filters, extra fields and how many results at most.</summary>
    public sealed class DicomWebQuery
    {
        /// <summary>The DICOMweb root, for example http://127.0.0.1:8042/dicom-web (credentials are taken out when it is shown).</summary>
        public Uri BaseUri { get; set; } = new Uri("http://127.0.0.1/");

        /// <summary>Study, Series or Instance (default).</summary>
        public DicomWebLevel Level { get; set; } = DicomWebLevel.Instance;

        /// <summary>Matching keys: a keyword (or tag as ggggeeee) and its value (QIDO matching: * and ? wildcards, date ranges a-b, UID lists).</summary>
        public IList<KeyValuePair<string, string>> Filters { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>Attributes the results should carry beyond the defaults (includefield).</summary>
        public IList<string> IncludeFields { get; } = new List<string>();

        /// <summary>The most results in total; null for all.</summary>
        public long? Limit { get; set; }

        /// <summary>Results asked for per request (the server may send fewer and say so with Warning: 299).</summary>
        public int PageSize { get; set; } = 1000;

        /// <summary>The URL of the page starting at <paramref name="offset"/> with at most <paramref name="count"/> results.</summary>
        public Uri PageUri(long offset, int count)
        {
            var text = new StringBuilder(Root(BaseUri));
            text.Append(Level switch { DicomWebLevel.Study => "/studies", DicomWebLevel.Series => "/series", _ => "/instances" });
            var query = new List<string>();
            foreach (var filter in Filters)
            {
                query.Add(Uri.EscapeDataString(filter.Key) + "=" + Uri.EscapeDataString(filter.Value));
            }

            foreach (var field in IncludeFields)
            {
                query.Add("includefield=" + Uri.EscapeDataString(field));
            }

            query.Add("limit=" + count.ToString(CultureInfo.InvariantCulture));
            if (offset > 0)
            {
                query.Add("offset=" + offset.ToString(CultureInfo.InvariantCulture));
            }

            text.Append('?').Append(string.Join("&", query));
            return new Uri(text.ToString());
        }

        /// <summary>
        /// A date or range as QIDO matches it (yyyyMMdd, yyyyMMdd-yyyyMMdd, open ends allowed), from yyyyMMdd or
        /// yyyy-MM-dd dates; null when the text is not one.
        /// </summary>
        public static string? NormalizeDateRange(string text)
        {
            var m = System.Text.RegularExpressions.Regex.Match(text.Trim(), "^(?<a>\\d{8}|\\d{4}-\\d{2}-\\d{2})?(?<range>-)?(?<b>\\d{8}|\\d{4}-\\d{2}-\\d{2})?$");
            if (!m.Success || (!m.Groups["a"].Success && !m.Groups["b"].Success) || (m.Groups["b"].Success && m.Groups["a"].Success && !m.Groups["range"].Success))
            {
                return null;
            }

            string? Date(System.Text.RegularExpressions.Group g)
            {
                if (!g.Success)
                {
                    return string.Empty;
                }

                string d = g.Value.Replace("-", string.Empty);
                return DateTime.TryParseExact(d, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? d : null;
            }

            string? a = Date(m.Groups["a"]), b = Date(m.Groups["b"]);
            if (a == null || b == null)
            {
                return null;
            }

            return m.Groups["range"].Success ? a + "-" + b : a;
        }

        /// <summary>The root without a trailing slash (and without a query).</summary>
        internal static string Root(Uri baseUri)
        {
            string s = baseUri.GetComponents(UriComponents.SchemeAndServer | UriComponents.UserInfo | UriComponents.Path, UriFormat.UriEscaped);
            return s.TrimEnd('/');
        }
    }

    /// <summary>
    /// Runs a <see cref="DicomWebQuery"/> page by page with limit/offset: a full page asks for the next (unless the
    /// limit is reached); a shorter page ends the search unless the server said with <c>Warning: 299</c> that more
    /// results exist. No request is made beyond what the limit needs.
    /// </summary>
    public static class DicomWebSearch
    {
        /// <summary>The results, read lazily a page at a time.</summary>
        public static IEnumerable<DicomWebResult> Run(DicomWebClient client, DicomWebQuery query, DicomWebServer server)
        {
            long offset = 0, returned = 0;
            while (true)
            {
                long wanted = query.Limit is long limit ? limit - returned : long.MaxValue;
                if (wanted <= 0)
                {
                    yield break;
                }

                int count = (int)Math.Min(query.PageSize, wanted);
                var answer = client.Get(query.PageUri(offset, count), "application/dicom+json, application/json");
                IReadOnlyList<DicomJsonObject> page;
                if (answer.Status == 204 || answer.Body.Length == 0)
                {
                    page = Array.Empty<DicomJsonObject>();
                }
                else
                {
                    if (!answer.Is("application/dicom+json", "application/json"))
                    {
                        throw new DicomWebException(DicomWebFailure.BadAnswer, answer.Url, answer.Status, $"{answer.Url}: the answer is {answer.MediaType ?? "of no type"}, not DICOM JSON (is this the DICOMweb root?).");
                    }

                    page = DicomJsonReader.ReadArray(answer.Body, answer.Url);
                }

                foreach (var item in page.Take(count))
                {
                    returned++;
                    yield return DicomWebResult.From(query.Level, item.Dataset, server, query.IncludeFields);
                }

                offset += page.Count;
                bool more = page.Count >= count || (answer.MoreResults && page.Count > 0);
                if (!more)
                {
                    yield break;
                }
            }
        }
    }
}
