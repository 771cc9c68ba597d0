using System;
using System.Collections;
using System.Management.Automation;
using CocoTools.Completers;
using CocoTools.Engine;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.DicomWeb;

namespace CocoTools.Commands
{
    /// <summary>
    /// Find-CocoDicomWeb: searches a DICOMweb server (QIDO-RS) for studies, series or instances and emits one object
    /// per match with its identifiers as DICOM keyword properties and its WADO-RS URL, ready for Add-CocoImage.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "CocoDicomWeb")]
    [OutputType(typeof(DicomWebResult))]
    public sealed class FindCocoDicomWebCommand : DicomWebCmdletBase
    {
        private DicomWebQuery _query = new DicomWebQuery();
        private DicomWebSettings _settings = new DicomWebSettings();
        private Engine.Operations.ShardSpec? _shard;

        /// <summary>The DICOMweb root, for example http://127.0.0.1:8042/dicom-web.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Uri { get; set; } = string.Empty;

        /// <summary>Study, Series or Instance (default).</summary>
        [Parameter]
        public DicomWebLevel Level { get; set; } = DicomWebLevel.Instance;

        /// <summary>Patient ID to match (sent to the server; never shown in output).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PatientID { get; set; }

        /// <summary>Study Instance UID(s) to match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? StudyInstanceUID { get; set; }

        /// <summary>Series Instance UID(s) to match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? SeriesInstanceUID { get; set; }

        /// <summary>Accession number to match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AccessionNumber { get; set; }

        /// <summary>Modality to match (CT, MR, SEG ...); at study level, ModalitiesInStudy.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Modality { get; set; }

        /// <summary>A study date (20240131 or 2024-01-31) or range (20240101-20241231, -20241231, 20240101-).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StudyDate { get; set; }

        /// <summary>Any other matching keys: @{ SOPClassUID = '1.2.840.10008.5.1.4.1.1.66.4'; SeriesDescription = 'T1*' }.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Filter { get; set; }

        /// <summary>Attributes to return beyond the defaults, by keyword or tag; they appear under Attributes.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DicomKeywordCompleter))]
        public string[]? IncludeField { get; set; }

        /// <summary>The most results in total (default: all).</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long Limit { get; set; }

        /// <summary>
        /// Only shard i of n ("i/n"): the matches whose StudyInstanceUID hashes to it, by the rule of Add-CocoImage
        /// -Shard; without it, the shard of a Slurm array or Kubernetes Indexed Job. -Limit counts before the shard.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Shard { get; set; }

        /// <summary>Requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            var baseUri = UrlText.ToHttp(Uri);
            if (baseUri == null)
            {
                ThrowParameterError("InvalidDicomWebUri", $"'{UrlText.Redact(Uri)}' is not an http or https URL such as http://127.0.0.1:8042/dicom-web.", UrlText.Redact(Uri));
            }

            _shard = ResolveShard(Shard);
            _settings = CreateDicomWebSettings(ThrottleLimit);
            _query = new DicomWebQuery { BaseUri = baseUri!, Level = Level, Limit = MyInvocation.BoundParameters.ContainsKey(nameof(Limit)) ? Limit : (long?)null };
            void Add(string keyword, string? value)
            {
                if (value != null)
                {
                    _query.Filters.Add(new System.Collections.Generic.KeyValuePair<string, string>(keyword, value));
                }
            }

            Add("PatientID", PatientID);
            Add("StudyInstanceUID", StudyInstanceUID == null ? null : string.Join(",", StudyInstanceUID));
            Add("SeriesInstanceUID", SeriesInstanceUID == null ? null : string.Join(",", SeriesInstanceUID));
            Add("AccessionNumber", AccessionNumber);
            Add(Level == DicomWebLevel.Study ? "ModalitiesInStudy" : "Modality", Modality);
            if (StudyDate != null)
            {
                Add("StudyDate", DicomWebQuery.NormalizeDateRange(StudyDate) ?? Fail("InvalidStudyDate", $"-StudyDate '{StudyDate}' is not a date (20240131, 2024-01-31) or range (20240101-20241231).", StudyDate));
            }

            foreach (DictionaryEntry entry in Filter ?? new Hashtable())
            {
                string key = entry.Key?.ToString() ?? string.Empty;
                if (!DicomKeywords.TryResolve(key, out var tag))
                {
                    Fail("UnknownDicomKeyword", $"-Filter: '{key}' is neither a DICOM keyword nor a tag such as (0008,103E).", key);
                }

                Add(tag.Keyword ?? tag.Value.ToString("X8", System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(PSValue.Unwrap(entry.Value), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            }

            foreach (var field in IncludeField ?? new string[0])
            {
                if (!DicomKeywords.TryResolve(field, out var tag))
                {
                    Fail("UnknownDicomKeyword", $"-IncludeField: '{field}' is neither a DICOM keyword nor a tag such as (0008,103E).", field);
                }

                _query.IncludeFields.Add(tag.Keyword ?? tag.Value.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var server = new DicomWebServer(_query.BaseUri, _settings);
            var progress = new ProgressReporter(this, 18, "Find-CocoDicomWeb");
            int found = 0, left = 0;
            using var client = new DicomWebClient(_settings);
            try
            {
                foreach (var result in DicomWebSearch.Run(client, _query, server))
                {
                    FlushDicomWebLog();
                    if (_shard != null && !_shard.KeepsStudy(result.StudyInstanceUID!))
                    {
                        left++;
                        continue;
                    }

                    found++;
                    progress.Update(found, _query.Limit ?? 0, result.Url);
                    WriteObject(result);
                }
            }
            catch (CocoToolsException e)
            {
                FlushDicomWebLog();
                WriteItemError(e, server.Url);
            }

            FlushDicomWebLog();
            progress.Complete();
            WriteVerbose($"{server.Url}: {found} {Level.ToString().ToLowerInvariant()}(s) in {client.RequestCount} request(s){(_shard != null ? $"; {left} of other shards left out" : string.Empty)}.");
        }

        private string Fail(string id, string message, string target)
        {
            ThrowParameterError(id, message, target);
            return string.Empty;
        }
    }
}
