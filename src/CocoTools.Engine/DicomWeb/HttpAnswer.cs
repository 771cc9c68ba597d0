using System;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>A successful HTTP answer, read whole.</summary>
    public sealed class HttpAnswer
    {
        internal HttpAnswer(string url, int status, string? mediaType, string? contentType, byte[] body, bool moreResults)
        {
            Url = url;
            Status = status;
            MediaType = mediaType;
            ContentType = contentType;
            Body = body;
            MoreResults = moreResults;
        }

        /// <summary>The URL, credentials removed.</summary>
        public string Url { get; }

        /// <summary>The status code (2xx).</summary>
        public int Status { get; }

        /// <summary>The media type of Content-Type, lower case, without parameters.</summary>
        public string? MediaType { get; }

        /// <summary>The whole Content-Type header.</summary>
        public string? ContentType { get; }

        /// <summary>The body.</summary>
        public byte[] Body { get; }

        /// <summary>True when a <c>Warning: 299</c> header says there are more results than this answer holds.</summary>
        public bool MoreResults { get; }

        /// <summary>True when the media type is one of <paramref name="types"/>.</summary>
        public bool Is(params string[] types) => MediaType != null && Array.IndexOf(types, MediaType) >= 0;
    }
}
