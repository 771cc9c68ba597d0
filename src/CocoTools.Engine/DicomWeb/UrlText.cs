using System;
using System.Linq;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>URLs as they may be shown or written: without user information and without secret query values.</summary>
    public static class UrlText
    {
        private static readonly string[] SecretQueryKeys = { "token", "access_token", "key", "apikey", "api_key", "sig", "signature", "password", "pwd", "secret", "auth", "code" };

        /// <summary>
        /// The URL without <c>user:password@</c> and with the values of query parameters that carry secrets (token, key,
        /// sig, password ...) replaced by <c>REDACTED</c>. Text that is not an absolute URL comes back unchanged.
        /// </summary>
        public static string Redact(string url)
        {
            // wadouri: and dicomweb: prefixes before a URL (Cornerstone image ids): the URL after them is redacted.
            foreach (var prefix in new[] { "wadouri:", "dicomweb:" })
            {
                if (url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !url.StartsWith("dicomweb://", StringComparison.OrdinalIgnoreCase))
                {
                    return url.Substring(0, prefix.Length) + Redact(url.Substring(prefix.Length));
                }
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https" && uri.Scheme != "dicomweb"))
            {
                return url;
            }

            return Redact(uri);
        }

        /// <summary>The URL without user information and secret query values.</summary>
        public static string Redact(Uri uri)
        {
            var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
            if (builder.Query.Length > 1)
            {
                var parts = builder.Query.Substring(1).Split('&').Select(p =>
                {
                    int eq = p.IndexOf('=');
                    string name = eq < 0 ? p : p.Substring(0, eq);
                    return eq >= 0 && SecretQueryKeys.Any(k => name.IndexOf(k, StringComparison.OrdinalIgnoreCase) >= 0) ? name + "=REDACTED" : p;
                });
                builder.Query = string.Join("&", parts);
            }

            // UriBuilder writes the default port explicitly; keep the URL as the user wrote it.
            string text = builder.Uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);
            return text;
        }

        /// <summary>
        /// The http(s) URL to fetch for a URL a user or viewer wrote: <c>dicomweb://host/path</c> and <c>wadouri:http://...</c>
        /// (Cornerstone's image ids for DICOM files over plain HTTP) become <c>http://host/path</c> and the URL after the
        /// prefix; http and https stay. Null when the text is none of these.
        /// </summary>
        public static Uri? ToHttp(string text)
        {
            string t = text.Trim();
            if (t.StartsWith("wadouri:", StringComparison.OrdinalIgnoreCase))
            {
                t = t.Substring("wadouri:".Length);
            }

            if (t.StartsWith("dicomweb://", StringComparison.OrdinalIgnoreCase))
            {
                t = "http://" + t.Substring("dicomweb://".Length);
            }
            else if (t.StartsWith("dicomweb:", StringComparison.OrdinalIgnoreCase))
            {
                t = t.Substring("dicomweb:".Length);
            }

            return Uri.TryCreate(t, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
        }
    }
}
