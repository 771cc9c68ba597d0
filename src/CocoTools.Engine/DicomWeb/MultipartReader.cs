using System;
using System.Collections.Generic;
using System.Text;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>One part of a multipart/related answer.</summary>
    public sealed class MultipartPart
    {
        internal MultipartPart(string? contentType, byte[] body)
        {
            ContentType = contentType;
            Body = body;
        }

        /// <summary>The part's Content-Type header, when it has one.</summary>
        public string? ContentType { get; }

        /// <summary>The part's bytes.</summary>
        public byte[] Body { get; }
    }

    /// <summary>
    /// Splits a multipart/related body (RFC 2046, as WADO-RS sends frames and instances) into its parts. A body that
    /// ends before the closing boundary is truncated and refused, so a half-received frame is never decoded or cached.
    /// </summary>
    public static class MultipartReader
    {
        /// <summary>The parts of <paramref name="body"/>, by the boundary of <paramref name="contentType"/>.</summary>
        public static IReadOnlyList<MultipartPart> Read(byte[] body, string? contentType, string url)
        {
            string? boundary = Parameter(contentType, "boundary");
            if (boundary == null || boundary.Length == 0 || boundary.Length > 200)
            {
                throw DicomWebException.BadAnswer(url, $"the answer is {contentType ?? "without a content type"}, not multipart/related with a boundary");
            }

            var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
            var parts = new List<MultipartPart>();
            int at = IndexOf(body, delimiter, 0);
            if (at < 0)
            {
                throw DicomWebException.BadAnswer(url, "the multipart answer has no part");
            }

            while (true)
            {
                int after = at + delimiter.Length;
                if (after + 2 <= body.Length && body[after] == '-' && body[after + 1] == '-')
                {
                    return parts;
                }

                // Headers end at the first empty line.
                int headersEnd = IndexOf(body, new[] { (byte)'\r', (byte)'\n', (byte)'\r', (byte)'\n' }, after);
                if (headersEnd < 0)
                {
                    throw DicomWebException.BadAnswer(url, $"the multipart answer is truncated in the headers of part {parts.Count + 1}");
                }

                string headers = Encoding.ASCII.GetString(body, after, headersEnd - after);
                int start = headersEnd + 4;
                int next = IndexOf(body, delimiter, start);
                if (next < 0)
                {
                    throw DicomWebException.BadAnswer(url, $"the multipart answer is truncated: part {parts.Count + 1} has no closing boundary");
                }

                // The CRLF before a delimiter belongs to the delimiter.
                int end = next >= 2 && body[next - 2] == '\r' && body[next - 1] == '\n' ? next - 2 : next;
                if (end < start)
                {
                    throw DicomWebException.BadAnswer(url, $"part {parts.Count + 1} of the multipart answer is malformed");
                }

                var content = new byte[end - start];
                Buffer.BlockCopy(body, start, content, 0, content.Length);
                parts.Add(new MultipartPart(Header(headers, "Content-Type"), content));
                at = next;
            }
        }

        /// <summary>A parameter of a header value such as <c>multipart/related; type="application/octet-stream"; boundary=x</c>; quotes removed.</summary>
        public static string? Parameter(string? headerValue, string name)
        {
            if (headerValue == null)
            {
                return null;
            }

            int i = 0;
            while (i < headerValue.Length)
            {
                int semi = NextSeparator(headerValue, i);
                string piece = headerValue.Substring(i, semi - i).Trim();
                int eq = piece.IndexOf('=');
                if (eq > 0 && string.Equals(piece.Substring(0, eq).Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return piece.Substring(eq + 1).Trim().Trim('"');
                }

                i = semi + 1;
            }

            return null;
        }

        /// <summary>The transfer syntax a frame's content type names (<c>transfer-syntax=...</c>, also inside a quoted type parameter).</summary>
        public static string? TransferSyntax(string? contentType)
        {
            if (Parameter(contentType, "transfer-syntax") is string ts)
            {
                return ts;
            }

            return Parameter(contentType, "type") is string type && type.IndexOf(';') >= 0 ? Parameter(type.Substring(type.IndexOf(';') + 1), "transfer-syntax") : null;
        }

        private static int NextSeparator(string text, int from)
        {
            bool quoted = false;
            for (int i = from; i < text.Length; i++)
            {
                if (text[i] == '"')
                {
                    quoted = !quoted;
                }
                else if (text[i] == ';' && !quoted)
                {
                    return i;
                }
            }

            return text.Length;
        }

        private static string? Header(string headers, string name)
        {
            foreach (var line in headers.Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries))
            {
                int colon = line.IndexOf(':');
                if (colon > 0 && string.Equals(line.Substring(0, colon).Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return line.Substring(colon + 1).Trim();
                }
            }

            return null;
        }

        private static int IndexOf(byte[] haystack, byte[] needle, int from)
        {
            if (needle.Length == 0)
            {
                return from;
            }

            int last = haystack.Length - needle.Length;
            byte first = needle[0];
            for (int i = Math.Max(0, from); i <= last; i++)
            {
                i = Array.IndexOf(haystack, first, i, last - i + 1);
                if (i < 0)
                {
                    return -1;
                }

                int k = 1;
                while (k < needle.Length && haystack[i + k] == needle[k])
                {
                    k++;
                }

                if (k == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
