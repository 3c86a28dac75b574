#pragma once
// HTTP for the SaaS destinations, over libcurl's multi interface: one client per destination
// writer keeps its connections alive, sends up to maxInFlight requests at once, retries what
// is worth retrying (network errors, 5xx, 429 honouring Retry-After) with exponential backoff
// and jitter inside a bound on total retry time, paces requests with a token-bucket rate limit,
// and writes a redacted line per request to the run log. TLS verification is always on; a test
// CA may be added (caFile), never verification turned off. Proxies come from the environment
// (http_proxy, https_proxy, no_proxy), as everywhere else on Linux.

#include "util/cancel.h"
#include "util/error.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request
{
    std::string method = "GET"; // GET, POST, PUT, PATCH, DELETE
    std::string url;
    Headers headers;  // e.g. {"Authorization", "Bearer …"}, {"Content-Type", "application/json"}
    std::string body; // sent as-is
    int timeoutMs = 60'000; // whole request, connect included
};

struct Response
{
    long status = 0;
    Headers headers; // names as received; header() looks them up case-insensitively
    std::string body;
    int attempts = 1; // how many times the request was sent
    std::string header(std::string_view name) const;
};

struct RetryPolicy
{
    int maxAttempts = 8;          // failures (network, 5xx) per request; 429 waits do not count
    int baseDelayMs = 500;        // first backoff; doubles per failure, full jitter
    int maxDelayMs = 30'000;      // cap of one backoff or one Retry-After wait
    int maxTotalMs = 10 * 60'000; // bound on the time one request may spend retrying
};

// At most `requests` requests started in any rolling window of `perMs` ms (0 = unlimited), the
// way vendors state their limits ("190 requests per 10 seconds"). Retries count as starts.
struct RateLimit
{
    int requests = 0;
    int perMs = 0;
};

struct ClientOptions
{
    int maxInFlight = 4;
    RetryPolicy retry;
    RateLimit rateLimit;
    // Extra CA certificates (PEM file) trusted in addition to the system's bundle, e.g. for a
    // company proxy that inspects HTTPS. Verification itself is never turned off.
    std::string caFile;
    std::string userAgent = "Sluice/" SLUICE_VERSION;
    int connectTimeoutMs = 15'000;
    // One line per finished request (method, redacted URL, status, ms, attempt) and per retry
    // (why, how long it waits). Called on the thread that called send()/sendAll().
    std::function<void(const std::string &line)> log;
    // A 429 or 5xx the vendor says will not get better by waiting (e.g. HubSpot's daily limit):
    // when this returns true the response is returned at once instead of retried.
    std::function<bool(const Response &response)> notRetryable;
};

struct ClientStats
{
    long requests = 0;          // requests completed with an HTTP status (any status)
    long retries = 0;           // re-sends after a network error or 5xx
    long rateLimitWaits = 0;    // re-sends after a 429
    long networkErrors = 0;     // attempts that failed below HTTP (retried or not)
    long connectionsOpened = 0; // new connections; keep-alive keeps this far below requests
    // Time spent waiting: each retry's backoff or Retry-After delay, plus the time new starts
    // were held back by the client's own rate limit or the pause after a 429.
    std::chrono::milliseconds waited{0};
};

class HttpClient
{
public:
    explicit HttpClient(ClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    // Sends every request, up to maxInFlight at once, retrying per the policy, and returns one
    // result per request in the same order. Any HTTP status that is not retried (2xx, 3xx, 4xx
    // other than 429, or the last 5xx/429 once retries are exhausted) is a Response, not an
    // error. An error is a transport failure after the retries (ErrorKind::Destination, with a
    // message naming the host and what failed: DNS, refused, TLS, timeout, reset), a URL that
    // is not http(s) (ErrorKind::Invalid) or a cancel (ErrorKind::Cancelled). Cancel takes
    // effect within ~100 ms, aborting requests in flight. Redirects are not followed.
    // Retried: connection refused/reset, send/receive errors, an empty or cut-off answer,
    // timeouts, 429 and 5xx except 501/505. Not retried: DNS failures, TLS certificate
    // problems, malformed URLs. A backoff delays only its own request; a 429 also holds back
    // every new start for its wait (the server asked the client to slow down). Connections stay
    // open across calls (keep-alive). One call at a time per client; stats() may be read from
    // any thread.
    std::vector<Result<Response>> sendAll(std::vector<Request> requests,
                                          CancelToken *cancel = nullptr);
    Result<Response> send(Request request, CancelToken *cancel = nullptr);

    ClientStats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Masks secrets for logs: Authorization/Proxy-Authorization/Cookie/X-*-Key header values,
// query and form parameters named like token, key, secret, password, assertion, code,
// client_secret, refresh_token, access_token, signature, JSON values under such names (also in
// JSON escaped inside a JSON string), "Bearer …"/"Basic …", JWTs and PEM private keys.
// Over-masks rather than leaks: a field named e.g. "token_type" is masked too.
std::string redact(std::string_view text);
Headers redactHeaders(const Headers &headers);

// Parses Retry-After (delta seconds or an HTTP date); -1 when absent or unparsable.
int retryAfterMs(std::string_view value, std::chrono::system_clock::time_point now);

// Percent-encodes for a URL path segment or a query/form value (RFC 3986 unreserved kept).
std::string urlEncode(std::string_view text);
std::string formEncode(const std::vector<std::pair<std::string, std::string>> &fields);

} // namespace sluice::net
