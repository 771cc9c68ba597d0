using System;
using System.Collections.Generic;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>
    /// A DICOMweb server as results remember it: its root URL without credentials, and (not public) the connection
    /// settings, so results piped on are fetched with the same credentials without showing them.
    /// </summary>
    public sealed class DicomWebServer
    {
        /// <summary>A server at <paramref name="baseUri"/> reached with <paramref name="settings"/>.</summary>
        public DicomWebServer(Uri baseUri, DicomWebSettings settings)
        {
            BaseUri = baseUri;
            Settings = settings;
            Url = UrlText.Redact(new Uri(DicomWebQuery.Root(baseUri)));
        }

        /// <summary>The DICOMweb root, credentials removed.</summary>
        public string Url { get; }

        internal Uri BaseUri { get; }

        internal DicomWebSettings Settings { get; }

        /// <summary>The WADO-RS URL of a study, series or instance (null UIDs end the path early).</summary>
        public Uri ResourceUri(string study, string? series, string? instance)
        {
            string url = DicomWebQuery.Root(BaseUri) + "/studies/" + Uri.EscapeDataString(study);
            if (series != null)
            {
                url += "/series/" + Uri.EscapeDataString(series);
                if (instance != null)
                {
                    url += "/instances/" + Uri.EscapeDataString(instance);
                }
            }

            return new Uri(url);
        }

        /// <inheritdoc />
        public override string ToString() => Url;
    }

    /// <summary>
    /// One QIDO-RS match, with its identifiers and the usual descriptive attributes as properties named by DICOM
    /// keyword, its WADO-RS URL (without credentials), and the attributes asked for with -IncludeField. Patient names
    /// and ids are not properties: they appear only under <see cref="Attributes"/> when asked for by name.
    /// </summary>
    public sealed class DicomWebResult
    {
        private static readonly DicomTag StudyTag = new DicomTag(0x0020, 0x000D);
        private static readonly DicomTag SeriesTag = new DicomTag(0x0020, 0x000E);
        private static readonly DicomTag SopTag = new DicomTag(0x0008, 0x0018);

        private DicomWebResult(DicomWebLevel level, DicomWebServer server, string url)
        {
            Level = level;
            Server = server;
            Url = url;
        }

#pragma warning disable CS1591 // Named as the DICOM attributes they hold.
        public DicomWebLevel Level { get; }

        public string? StudyInstanceUID { get; private set; }

        public string? SeriesInstanceUID { get; private set; }

        public string? SOPInstanceUID { get; private set; }

        public string? SOPClassUID { get; private set; }

        public string? Modality { get; private set; }

        public string[]? ModalitiesInStudy { get; private set; }

        public string? StudyDate { get; private set; }

        public string? SeriesDate { get; private set; }

        public int? SeriesNumber { get; private set; }

        public int? InstanceNumber { get; private set; }

        public int? NumberOfFrames { get; private set; }

        public int? Rows { get; private set; }

        public int? Columns { get; private set; }

        public int? NumberOfStudyRelatedSeries { get; private set; }

        public int? NumberOfStudyRelatedInstances { get; private set; }

        public int? NumberOfSeriesRelatedInstances { get; private set; }
#pragma warning restore CS1591

        /// <summary>The WADO-RS URL of the study, series or instance, credentials removed.</summary>
        public string Url { get; }

        /// <summary>The server it came from.</summary>
        public DicomWebServer Server { get; }

        /// <summary>The attributes asked for with includefield, by keyword.</summary>
        public IDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

        /// <summary>A result from a QIDO-RS data set; a match without the UIDs of its level is a bad answer.</summary>
        public static DicomWebResult From(DicomWebLevel level, DicomDataset d, DicomWebServer server, IEnumerable<string> includeFields)
        {
            string? study = d.GetString(StudyTag), series = d.GetString(SeriesTag), sop = d.GetString(SopTag);
            string where = server.Url;
            if (string.IsNullOrEmpty(study) || (level != DicomWebLevel.Study && string.IsNullOrEmpty(series)) || (level == DicomWebLevel.Instance && string.IsNullOrEmpty(sop)))
            {
                throw new DicomWebException(DicomWebFailure.BadAnswer, where, null, $"{where}: a {level.ToString().ToLowerInvariant()} in the search answer has no Study/Series/SOP Instance UID.");
            }

            var uri = server.ResourceUri(study!, level == DicomWebLevel.Study ? null : series, level == DicomWebLevel.Instance ? sop : null);
            var result = new DicomWebResult(level, server, UrlText.Redact(uri))
            {
                StudyInstanceUID = study,
                SeriesInstanceUID = level == DicomWebLevel.Study ? null : series,
                SOPInstanceUID = level == DicomWebLevel.Instance ? sop : null,
                SOPClassUID = d.GetString(new DicomTag(0x0008, 0x0016)),
                Modality = d.GetString(new DicomTag(0x0008, 0x0060)),
                StudyDate = d.GetString(new DicomTag(0x0008, 0x0020)),
                SeriesDate = d.GetString(new DicomTag(0x0008, 0x0021)),
                SeriesNumber = d.GetInt(new DicomTag(0x0020, 0x0011)),
                InstanceNumber = d.GetInt(new DicomTag(0x0020, 0x0013)),
                NumberOfFrames = d.GetInt(new DicomTag(0x0028, 0x0008)),
                Rows = d.GetInt(new DicomTag(0x0028, 0x0010)),
                Columns = d.GetInt(new DicomTag(0x0028, 0x0011)),
                NumberOfStudyRelatedSeries = d.GetInt(new DicomTag(0x0020, 0x1206)),
                NumberOfStudyRelatedInstances = d.GetInt(new DicomTag(0x0020, 0x1208)),
                NumberOfSeriesRelatedInstances = d.GetInt(new DicomTag(0x0020, 0x1209)),
            };
            var modalities = d.GetStrings(new DicomTag(0x0008, 0x0061));
            result.ModalitiesInStudy = modalities.Length > 0 ? modalities : null;
            foreach (var field in includeFields)
            {
                if (DicomKeywords.TryResolve(field, out var tag) && d[tag] != null)
                {
                    result.Attributes[tag.Keyword ?? tag.ToString()] = d.GetValue(tag);
                }
            }

            return result;
        }

        /// <inheritdoc />
        public override string ToString() => Url;
    }
}
