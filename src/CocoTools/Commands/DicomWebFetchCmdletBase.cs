using System.Management.Automation;
using CocoTools.Engine.DicomWeb;

namespace CocoTools.Commands
{
    /// <summary>DICOMweb parameters of cmdlets that fetch instances: the cache too.</summary>
    public abstract class DicomWebFetchCmdletBase : DicomWebCmdletBase
    {
        /// <summary>Where fetched metadata, frames and files are kept (default: the per-user cache folder).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CacheDirectory { get; set; }

        /// <summary>Neither read nor write the cache.</summary>
        [Parameter]
        public SwitchParameter NoCache { get; set; }

        /// <summary>
        /// Requests in flight at once: -ThrottleLimit when given, else 4 (the cmdlets' own default follows the
        /// processor count, which suits decoding, not waiting on a server).
        /// </summary>
        protected int RequestLimit => MyInvocation.BoundParameters.TryGetValue("ThrottleLimit", out var limit) && limit is int n ? n : 4;

        /// <summary>
        /// The instance of a search result: fetched with the credentials of its search, unless this command was given
        /// its own connection parameters (then with those, from the result's URL).
        /// </summary>
        protected DicomWebInstanceRef InstanceOf(DicomWebResult result, DicomWebSettings settings) =>
            HasConnectionParameters ? DicomWebInstanceRef.Parse(result.Url, settings) : DicomWebInstanceRef.From(result);

        /// <summary>Settings with the cache folder resolved against $PWD.</summary>
        protected DicomWebSettings CreateFetchSettings(int throttleLimit)
        {
            var settings = CreateDicomWebSettings(throttleLimit);
            settings.NoCache = NoCache;
            if (CacheDirectory != null)
            {
                settings.CacheDirectory = ResolveOutputPath(CacheDirectory);
            }

            return settings;
        }
    }
}
