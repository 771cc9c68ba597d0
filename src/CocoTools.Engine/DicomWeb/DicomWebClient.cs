using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>
    /// GET requests to a DICOMweb (or plain HTTP) server: HTTP/1.1 keep-alive connections, at most
    /// <see cref="DicomWebSettings.ThrottleLimit"/> requests at once, retries with back-off for 429, 502, 503, 504,
    /// time-outs and broken connections (Retry-After honoured, capped), and 401/403/404 reported at once. Every failure
    /// is a <see cref="DicomWebException"/> whose URL and message carry no credentials.
    /// </summary>
    public sealed class DicomWebClient : IDisposable
    {
        private readonly DicomWebSettings _settings;
        private readonly HttpClient _http;
        private readonly SemaphoreSlim _slots;
        private int _requests;

        /// <summary>Creates a client; <paramref name="handler"/> replaces the network (for tests).</summary>
        public DicomWebClient(DicomWebSettings settings, HttpMessageHandler? handler = null)
        {
            _settings = settings;
            if (handler == null)
            {
                var h = new HttpClientHandler
                {
                    MaxConnectionsPerServer = Math.Max(1, settings.ThrottleLimit),
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    AllowAutoRedirect = true,
                    UseCookies = false,
                    // Credentials go on each request as a header; never let the handler send them to a redirect target.
                    UseDefaultCredentials = false,
                };
                if (settings.SkipCertificateCheck)
                {
                    h.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
                }

                handler = h;
            }

            _http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            _slots = new SemaphoreSlim(Math.Max(1, settings.ThrottleLimit));
        }

        /// <summary>The settings this client uses.</summary>
        public DicomWebSettings Settings => _settings;

        /// <summary>How many HTTP requests were sent (retries included).</summary>
        public int RequestCount => Volatile.Read(ref _requests);

        /// <summary>GETs a URL with an Accept header, with retries; the answer is read whole.</summary>
        public async Task<HttpAnswer> GetAsync(Uri url, string accept, CancellationToken cancel = default)
        {
            string shown = UrlText.Redact(url);
            for (int attempt = 0; ; attempt++)
            {
                TimeSpan? wait;
                Exception? failure;
                int? status = null;
                await _slots.WaitAsync(cancel).ConfigureAwait(false);
                try
                {
                    Interlocked.Increment(ref _requests);
                    using var request = new HttpRequestMessage(HttpMethod.Get, WithoutUserInfo(url));
                    request.Headers.TryAddWithoutValidation("Accept", accept);
                    if (_settings.Authorization != null)
                    {
                        request.Headers.TryAddWithoutValidation("Authorization", _settings.Authorization);
                    }
                    else if (url.UserInfo.Length > 0)
                    {
                        // user:password@host in the URL itself: sent as Basic authentication, never shown.
                        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
                    }

                    foreach (var header in _settings.Headers)
                    {
                        request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }

                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                    timeout.CancelAfter(_settings.Timeout);
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode)
                    {
                        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                        if (response.Content.Headers.ContentLength is long declared && declared != body.Length)
                        {
                            throw new IOException($"the answer ended after {body.Length} of {declared} bytes");
                        }

                        _settings.Log?.Invoke($"GET {shown}: {status} {response.Content.Headers.ContentType?.MediaType}, {body.Length} bytes");
                        bool more = response.Headers.TryGetValues("Warning", out var warnings) && warnings.Any(w => w.TrimStart().StartsWith("299", StringComparison.Ordinal));
                        return new HttpAnswer(shown, status.Value, response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant(), response.Content.Headers.ContentType?.ToString(), body, more);
                    }

                    _settings.Log?.Invoke($"GET {shown}: {status} {response.ReasonPhrase}");
                    switch (status.Value)
                    {
                        case 401:
                            throw new DicomWebException(DicomWebFailure.Unauthorized, shown, 401, $"{shown}: 401 Unauthorized: the server wants {(_settings.Authorization == null ? "credentials (-Credential or -Token)" : "other credentials")}.");
                        case 403:
                            throw new DicomWebException(DicomWebFailure.Forbidden, shown, 403, $"{shown}: 403 Forbidden: these credentials may not read it.");
                        case 404:
                        case 410:
                            throw new DicomWebException(DicomWebFailure.NotFound, shown, status, $"{shown}: {status} Not Found: the server has no such study, series, instance or frame.");
                        case 400:
                        case 406:
                        case 415:
                        case 501:
                            throw new DicomWebException(DicomWebFailure.Refused, shown, status, $"{shown}: {status} {response.ReasonPhrase}: the server refused the request as asked.");
                        case 429:
                        case 502:
                        case 503:
                        case 504:
                            wait = RetryAfter(response);
                            failure = new DicomWebException(DicomWebFailure.Unavailable, shown, status, $"{shown}: {status} {response.ReasonPhrase} after {attempt + 1} attempt(s) (-MaxRetry {_settings.MaxRetry}).");
                            break;
                        default:
                            throw new DicomWebException(DicomWebFailure.Unavailable, shown, status, $"{shown}: {status} {response.ReasonPhrase}.");
                    }
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    wait = null;
                    failure = new DicomWebException(DicomWebFailure.Unavailable, shown, null, $"{shown}: no answer within {_settings.Timeout.TotalSeconds:0} s after {attempt + 1} attempt(s) (-MaxRetry {_settings.MaxRetry}).");
                }
                catch (InvalidOperationException e) when (!(e is ObjectDisposedException))
                {
                    // HttpClient refuses a request it cannot send (a URL it does not handle).
                    throw new DicomWebException(DicomWebFailure.InvalidUrl, shown, null, $"{shown}: cannot be requested ({e.Message.TrimEnd('.')}).");
                }
                catch (Exception e) when (e is HttpRequestException || e is IOException)
                {
                    // Messages of socket errors name the host and port only; the inner exception is kept out of the message.
                    wait = null;
                    failure = new DicomWebException(DicomWebFailure.ConnectionFailed, shown, status, $"{shown}: the connection failed after {attempt + 1} attempt(s) (-MaxRetry {_settings.MaxRetry}): {Describe(e)}.");
                    _settings.Log?.Invoke($"GET {shown}: connection failed: {Describe(e)}");
                }
                finally
                {
                    _slots.Release();
                }

                if (attempt >= _settings.MaxRetry)
                {
                    throw failure!;
                }

                var delay = wait ?? TimeSpan.FromMilliseconds(_settings.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt));
                if (delay > _settings.MaxRetryDelay)
                {
                    delay = _settings.MaxRetryDelay;
                }

                _settings.Log?.Invoke($"GET {shown}: retry {attempt + 1} of {_settings.MaxRetry} in {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
                await Task.Delay(delay, cancel).ConfigureAwait(false);
            }
        }

        /// <summary>Synchronous <see cref="GetAsync"/>.</summary>
        public HttpAnswer Get(Uri url, string accept) => GetAsync(url, accept).GetAwaiter().GetResult();

        private static Uri WithoutUserInfo(Uri url) =>
            url.UserInfo.Length == 0 ? url : new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri;

        private static TimeSpan? RetryAfter(HttpResponseMessage response)
        {
            var retry = response.Headers.RetryAfter;
            if (retry?.Delta is TimeSpan delta)
            {
                return delta;
            }

            if (retry?.Date is DateTimeOffset date)
            {
                var d = date - DateTimeOffset.UtcNow;
                return d > TimeSpan.Zero ? d : TimeSpan.Zero;
            }

            return null;
        }

        private static string Describe(Exception e)
        {
            // The innermost message says what happened (connection refused, reset by peer, certificate ...).
            var inner = e;
            while (inner.InnerException != null)
            {
                inner = inner.InnerException;
            }

            return inner.Message.TrimEnd('.');
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _http.Dispose();
            _slots.Dispose();
        }
    }
}
