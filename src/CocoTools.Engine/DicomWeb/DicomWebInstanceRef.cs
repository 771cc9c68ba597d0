using System;
using System.Text.RegularExpressions;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>
    /// Where one DICOM instance is: a WADO-RS instance (a DICOMweb root and three UIDs), or a DICOM Part 10 file over
    /// HTTP (<c>dicomweb://</c>, <c>wadouri:</c> or a plain http(s) URL of a file).
    /// </summary>
    public sealed class DicomWebInstanceRef
    {
        private static readonly Regex WadoRs = new Regex("^(?<root>.*?)/studies/(?<study>[^/?#]+)/series/(?<series>[^/?#]+)/instances/(?<sop>[^/?#]+)/?$", RegexOptions.CultureInvariant);

        private DicomWebInstanceRef(Uri uri, DicomWebServer? server, string? study, string? series, string? sop, string? written = null)
        {
            HttpUri = uri;
            Url = UrlText.Redact(uri);
            WrittenUrl = written == null ? Url : UrlText.Redact(written);
            Server = server;
            StudyInstanceUid = study;
            SeriesInstanceUid = series;
            SopInstanceUid = sop;
        }

        /// <summary>The http(s) URL fetched (may hold credentials: never show it; show <see cref="Url"/>).</summary>
        internal Uri HttpUri { get; }

        /// <summary>The URL without credentials.</summary>
        public string Url { get; }

        /// <summary>The URL as the user or viewer wrote it (dicomweb://, wadouri: ...), without credentials.</summary>
        public string WrittenUrl { get; }

        /// <summary>The server, for WADO-RS instances.</summary>
        public DicomWebServer? Server { get; }

        /// <summary>The Study Instance UID of a WADO-RS instance.</summary>
        public string? StudyInstanceUid { get; }

        /// <summary>The Series Instance UID of a WADO-RS instance.</summary>
        public string? SeriesInstanceUid { get; }

        /// <summary>The SOP Instance UID of a WADO-RS instance.</summary>
        public string? SopInstanceUid { get; }

        /// <summary>True for a WADO-RS instance; false for a Part 10 file over HTTP.</summary>
        public bool IsWadoRs => SopInstanceUid != null;

        /// <summary>
        /// The instance a URL names: WADO-RS when its path ends in /studies/x/series/y/instances/z, else a DICOM file. A
        /// <c>dicomweb://</c> URL is always a file (the viewer's and Cornerstone's meaning). Throws InvalidUrl for anything else.
        /// </summary>
        public static DicomWebInstanceRef Parse(string text, DicomWebSettings settings)
        {
            string t = text.Trim();
            var uri = UrlText.ToHttp(t) ?? throw new DicomWebException(DicomWebFailure.InvalidUrl, UrlText.Redact(t), null, $"'{UrlText.Redact(t)}' is not an http, https, dicomweb:// or wadouri: URL.");
            bool file = t.StartsWith("dicomweb:", StringComparison.OrdinalIgnoreCase) || t.StartsWith("wadouri:", StringComparison.OrdinalIgnoreCase);
            var path = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.UserInfo | UriComponents.Path, UriFormat.UriEscaped);
            var match = WadoRs.Match(path);
            if (file || !match.Success || uri.Query.Length > 0)
            {
                return new DicomWebInstanceRef(uri, null, null, null, null, t);
            }

            var server = new DicomWebServer(new Uri(match.Groups["root"].Value + "/"), settings);
            return new DicomWebInstanceRef(uri, server, Uri.UnescapeDataString(match.Groups["study"].Value), Uri.UnescapeDataString(match.Groups["series"].Value), Uri.UnescapeDataString(match.Groups["sop"].Value));
        }

        /// <summary>The instance of an instance-level search result.</summary>
        public static DicomWebInstanceRef From(DicomWebResult result)
        {
            if (result.Level != DicomWebLevel.Instance || result.SOPInstanceUID == null)
            {
                throw new DicomWebException(DicomWebFailure.InvalidUrl, result.Url, null, $"{result.Url}: a {result.Level.ToString().ToLowerInvariant()}, not an instance; search with -Level Instance to add its images.");
            }

            var server = result.Server;
            return new DicomWebInstanceRef(server.ResourceUri(result.StudyInstanceUID!, result.SeriesInstanceUID, result.SOPInstanceUID), server, result.StudyInstanceUID, result.SeriesInstanceUID, result.SOPInstanceUID);
        }

        /// <inheritdoc />
        public override string ToString() => Url;
    }
}
