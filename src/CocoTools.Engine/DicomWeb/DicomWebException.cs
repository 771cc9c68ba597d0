using System;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>What went wrong talking to a DICOMweb server (or a plain HTTP server serving DICOM files).</summary>
    public enum DicomWebFailure
    {
        /// <summary>401: no or wrong credentials.</summary>
        Unauthorized,
        /// <summary>403: the credentials do not allow this.</summary>
        Forbidden,
        /// <summary>404 (or 410): the study, series, instance or frame is not there.</summary>
        NotFound,
        /// <summary>The server refused the request as asked (400, 406, 415, 501): for frames, the whole instance is tried instead.</summary>
        Refused,
        /// <summary>429, 5xx or a time-out that went on after every retry.</summary>
        Unavailable,
        /// <summary>The connection failed or broke off (refused, reset, TLS, DNS).</summary>
        ConnectionFailed,
        /// <summary>The answer is not what was asked for: HTML instead of JSON, truncated multipart, JSON without required tags, another instance.</summary>
        BadAnswer,
        /// <summary>The URL cannot be used (not http, https, dicomweb or wadouri).</summary>
        InvalidUrl,
    }

    /// <summary>A DICOMweb failure about one URL (always without credentials), with the HTTP status when there was one.</summary>
    public sealed class DicomWebException : CocoToolsException
    {
        /// <summary>Creates the exception; <paramref name="url"/> must already be redacted.</summary>
        public DicomWebException(DicomWebFailure failure, string url, int? status, string message, Exception? inner = null)
            : base("DicomWeb" + failure, KindOf(failure), message, inner)
        {
            Failure = failure;
            Url = url;
            Status = status;
            Target = url;
        }

        /// <summary>What went wrong.</summary>
        public DicomWebFailure Failure { get; }

        /// <summary>The URL asked for, credentials removed.</summary>
        public string Url { get; }

        /// <summary>The HTTP status code, when the server answered.</summary>
        public int? Status { get; }

        /// <summary>An answer that is not what was asked for: "url: what".</summary>
        internal static DicomWebException BadAnswer(string url, string what) =>
            new DicomWebException(DicomWebFailure.BadAnswer, url, null, $"{url}: {what}.");

        private static FailureKind KindOf(DicomWebFailure failure) => failure switch
        {
            DicomWebFailure.Unauthorized => FailureKind.ReadError,
            DicomWebFailure.Forbidden => FailureKind.ReadError,
            DicomWebFailure.NotFound => FailureKind.ObjectNotFound,
            DicomWebFailure.Refused => FailureKind.NotImplemented,
            DicomWebFailure.BadAnswer => FailureKind.InvalidData,
            DicomWebFailure.InvalidUrl => FailureKind.InvalidArgument,
            _ => FailureKind.ReadError,
        };
    }
}
