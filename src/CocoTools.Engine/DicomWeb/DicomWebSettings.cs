using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>
    /// How to talk to a DICOMweb server: authentication, TLS, retries, parallel requests and the cache. Secrets (the
    /// password, the token, header values) are kept here and put on requests only; they are never part of a URL,
    /// a message, a log line or a cache path.
    /// </summary>
    public sealed class DicomWebSettings
    {
        private readonly Dictionary<string, string> _headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The Authorization header value (Basic or Bearer), when set.</summary>
        internal string? Authorization { get; private set; }

        /// <summary>Extra request headers (values may be secrets).</summary>
        internal IReadOnlyDictionary<string, string> Headers => _headers;

        /// <summary>Names of the extra headers (their values are not shown).</summary>
        public IEnumerable<string> HeaderNames => _headers.Keys;

        /// <summary>Accept any server certificate (like Invoke-WebRequest -SkipCertificateCheck); by default the system trust store decides.</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>How many times a request is retried after 429, 502, 503, 504, a time-out or a broken connection.</summary>
        public int MaxRetry { get; set; } = 3;

        /// <summary>Requests in flight at once.</summary>
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>How long one request may take.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The longest wait before a retry, whatever Retry-After says.</summary>
        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The first back-off delay (doubled on each retry) when the server gives no Retry-After.</summary>
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>The cache folder (see <see cref="DefaultCacheDirectory"/>).</summary>
        public string CacheDirectory { get; set; } = DefaultCacheDirectory;

        /// <summary>Neither read nor write the cache.</summary>
        public bool NoCache { get; set; }

        /// <summary>Receives one line per request and per cache hit (URLs without credentials); called from any thread.</summary>
        public Action<string>? Log { get; set; }

        /// <summary>
        /// These connection settings (authentication, headers, TLS, retries, time-outs) with the request limit and the
        /// log of <paramref name="fetcher"/>: a search result fetched by another command talks to its server as its
        /// search did, at the pace and into the Verbose stream of the command fetching it.
        /// </summary>
        internal DicomWebSettings ForFetcher(DicomWebSettings fetcher)
        {
            var copy = (DicomWebSettings)MemberwiseClone();
            copy.ThrottleLimit = fetcher.ThrottleLimit;
            copy.Log = fetcher.Log;
            return copy;
        }

        /// <summary>Basic authentication (the password is read only when requests are made).</summary>
        public void SetBasic(string userName, SecureString password)
        {
            string plain = new NetworkCredential(string.Empty, password).Password;
            Authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(userName + ":" + plain));
        }

        /// <summary>Bearer token authentication.</summary>
        public void SetBearer(SecureString token)
        {
            Authorization = "Bearer " + new NetworkCredential(string.Empty, token).Password;
        }

        /// <summary>Adds a request header sent with every request (for example an API key).</summary>
        public void AddHeader(string name, string value)
        {
            if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                Authorization = value;
                return;
            }

            _headers[name] = value;
        }

        /// <summary>
        /// The per-user cache folder: <c>%LOCALAPPDATA%\CocoTools\Cache\DicomWeb</c> on Windows,
        /// <c>~/Library/Caches/CocoTools/DicomWeb</c> on macOS, <c>$XDG_CACHE_HOME/CocoTools/DicomWeb</c> (default
        /// <c>~/.cache/CocoTools/DicomWeb</c>) elsewhere.
        /// </summary>
        public static string DefaultCacheDirectory
        {
            get
            {
                string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                if (Path.DirectorySeparatorChar == '\\')
                {
                    return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CocoTools", "Cache", "DicomWeb");
                }

                if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX))
                {
                    return Path.Combine(home, "Library", "Caches", "CocoTools", "DicomWeb");
                }

                string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".cache") : xdg!, "CocoTools", "DicomWeb");
            }
        }
    }
}
