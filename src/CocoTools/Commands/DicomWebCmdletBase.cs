using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Security;
using CocoTools.Engine.DicomWeb;

namespace CocoTools.Commands
{
    /// <summary>
    /// The parameters of every cmdlet that talks to a DICOMweb server: authentication (-Credential for Basic,
    /// -Token for Bearer, -Header for anything else), -SkipCertificateCheck and -MaxRetry. Secrets stay in
    /// <see cref="DicomWebSettings"/>; request lines from any thread are queued and written as Verbose on the
    /// pipeline thread.
    /// </summary>
    public abstract class DicomWebCmdletBase : CocoCmdletBase
    {
        private readonly ConcurrentQueue<string> _log = new ConcurrentQueue<string>();

        /// <summary>User name and password for HTTP Basic authentication.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>A bearer token (OAuth 2.0 access token) for the Authorization header.</summary>
        [Parameter]
        public SecureString? Token { get; set; }

        /// <summary>Extra request headers, for example @{ 'X-Api-Key' = $key }; values are never shown.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Header { get; set; }

        /// <summary>Accept any server certificate (self-signed test servers), like Invoke-WebRequest -SkipCertificateCheck.</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>How often a request is retried after 429, 502, 503, 504, a time-out or a broken connection.</summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetry { get; set; } = 3;

        /// <summary>True when any connection parameter was given (then they override what search results carry).</summary>
        protected bool HasConnectionParameters => Credential != null || Token != null || Header != null || SkipCertificateCheck;

        /// <summary>Settings from the parameters; terminating for contradicting ones.</summary>
        protected DicomWebSettings CreateDicomWebSettings(int throttleLimit)
        {
            if (Credential != null && Token != null)
            {
                ThrowParameterError("CredentialAndToken", "Give -Credential (Basic) or -Token (Bearer), not both.", null);
            }

            var settings = new DicomWebSettings
            {
                SkipCertificateCheck = SkipCertificateCheck,
                MaxRetry = MaxRetry,
                ThrottleLimit = throttleLimit,
                Log = _log.Enqueue,
            };
            if (Credential != null)
            {
                settings.SetBasic(Credential.UserName, Credential.Password);
            }

            if (Token != null)
            {
                settings.SetBearer(Token);
            }

            foreach (DictionaryEntry entry in Header ?? new Hashtable())
            {
                string name = entry.Key?.ToString() ?? string.Empty;
                if (name.Length == 0 || name.IndexOfAny(new[] { ':', '\r', '\n', ' ' }) >= 0)
                {
                    ThrowParameterError("InvalidHeader", $"-Header: '{name}' is not a header name.", name);
                }

                var value = PSValue.Unwrap(entry.Value);
                settings.AddHeader(name, value is SecureString secure ? new System.Net.NetworkCredential(string.Empty, secure).Password : value?.ToString() ?? string.Empty);
            }

            return settings;
        }

        /// <summary>Writes the queued request and cache lines as Verbose (call on the pipeline thread).</summary>
        protected void FlushDicomWebLog()
        {
            while (_log.TryDequeue(out var line))
            {
                WriteVerbose(line);
            }
        }
    }
}
