#include "net/httpclient.h"

#include "net/httptext.h"
#include "net/ratelimiter.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <queue>
#include <random>
#include <sstream>

namespace sluice::net {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;
using text::iequals;
using text::isSpace;
using text::toUpper;
using text::trim;

// The longest a single wait in the loop may last; cancel wakes the loop anyway, this only
// bounds the damage if a wake-up were ever missed.
constexpr int kMaxPollMs = 1000;
// How much of an error answer's body goes to the log.
constexpr std::size_t kLogBodyChars = 500;

void initCurlOnce()
{
    static const bool initialised = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)initialised;
}

std::string formatDuration(milliseconds ms)
{
    char buffer[32];
    if (ms.count() < 1000)
        std::snprintf(buffer, sizeof buffer, "%lld ms", static_cast<long long>(ms.count()));
    else
        std::snprintf(buffer, sizeof buffer, "%.1f s", static_cast<double>(ms.count()) / 1000.0);
    return buffer;
}

std::string formatSeconds(double seconds)
{
    char buffer[32];
    if (seconds < 10)
        std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
    else
        std::snprintf(buffer, sizeof buffer, "%.0f s", seconds);
    return buffer;
}

// The host of a URL for messages; the redacted URL when it does not parse.
std::string hostOf(const std::string &url)
{
    std::string host;
    CURLU *parsed = curl_url();
    if (parsed && curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
        char *part = nullptr;
        if (curl_url_get(parsed, CURLUPART_HOST, &part, 0) == CURLUE_OK && part) {
            host = part;
            curl_free(part);
        }
    }
    curl_url_cleanup(parsed);
    return host.empty() ? redact(url) : host;
}

bool retryableStatus(long status)
{
    // 501 and 505 say the server will never do this; every other 5xx may pass.
    return status >= 500 && status <= 599 && status != 501 && status != 505;
}

bool retryableTransport(CURLcode code, long osErrno)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    case CURLE_SSL_CONNECT_ERROR:
        // A handshake cut by the network is worth another try; a handshake the server
        // refuses (wrong protocol, no common cipher) is not.
        return osErrno == ECONNRESET || osErrno == EPIPE;
    default:
        return false;
    }
}

// Up to `limit` bytes, cut at a UTF-8 character boundary.
std::string truncateUtf8(std::string text, std::size_t limit)
{
    if (text.size() <= limit)
        return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    text.resize(cut);
    text += "…";
    return text;
}

std::string bodyForLog(const std::string &body)
{
    // Redact a prefix comfortably longer than what is kept, so a secret cut in half by the
    // truncation was already masked as a whole.
    std::string redacted = redact(std::string_view(body).substr(0, kLogBodyChars * 8));
    for (char &c : redacted) {
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    }
    return truncateUtf8(std::move(redacted), kLogBodyChars);
}

// ---- transfers --------------------------------------------------------------------------------

std::size_t onBody(char *data, std::size_t size, std::size_t count, void *user)
{
    static_cast<Response *>(user)->body.append(data, size * count);
    return size * count;
}

std::size_t onHeader(char *data, std::size_t size, std::size_t count, void *user)
{
    auto *response = static_cast<Response *>(user);
    const std::size_t length = size * count;
    std::string_view line(data, length);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
        // A new status line: an interim answer (100 Continue) or curl's own retry on a
        // fresh connection; only the final answer's headers are kept.
        response->headers.clear();
        return length;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return length;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    response->headers.emplace_back(std::string(name), std::string(value));
    if (iequals(name, "content-length")) {
        const long long declared = std::atoll(std::string(value).c_str());
        if (declared > 0 && declared < 64ll * 1024 * 1024)
            response->body.reserve(static_cast<std::size_t>(declared));
    }
    return length;
}

// One attempt of one request on one easy handle; reused across attempts and calls.
struct Transfer
{
    CURL *easy = nullptr;
    curl_slist *headers = nullptr;
    std::size_t index = 0;
    Response response;
    Clock::time_point startedAt;
    char errorBuffer[CURL_ERROR_SIZE] = {};

    Transfer() : easy(curl_easy_init()) {}
    ~Transfer()
    {
        curl_slist_free_all(headers);
        if (easy)
            curl_easy_cleanup(easy);
    }
    Transfer(const Transfer &) = delete;
    Transfer &operator=(const Transfer &) = delete;
};

// Per request of one sendAll call.
struct RequestState
{
    Clock::time_point firstStart{};
    int attempts = 0;    // sends so far
    int failures = 0;    // network errors and retried 5xx
    int rateLimited = 0; // 429s
    bool started = false;
};

std::string readWholeFile(const std::string &path, bool &ok)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ok = false;
        return {};
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    ok = static_cast<bool>(in) || in.eof();
    return buffer.str();
}

} // namespace

// ---- Response --------------------------------------------------------------------------------

std::string Response::header(std::string_view name) const
{
    for (const auto &[key, value] : headers) {
        if (iequals(key, name))
            return value;
    }
    return {};
}

// ---- the client ------------------------------------------------------------------------------

struct HttpClient::Impl
{
    ClientOptions options;
    CURLM *multi = nullptr;
    std::vector<std::unique_ptr<Transfer>> idle;
    std::string caBundle; // the system bundle plus caFile, when caFile is set
    std::optional<Error> setupError;
    RateLimiter limiter;
    std::mt19937_64 random{std::random_device{}()};

    mutable std::mutex statsMutex;
    ClientStats stats;

    explicit Impl(ClientOptions o);
    ~Impl();

    void loadCaBundle();
    void log(const std::string &line) const
    {
        if (options.log)
            options.log(line);
    }
    void addStats(const ClientStats &delta);

    std::unique_ptr<Transfer> takeTransfer();
    void configure(Transfer &transfer, const Request &request, int timeoutMs);
    void release(std::unique_ptr<Transfer> transfer);

    milliseconds backoff(int failures, bool rateLimit);
    Error transportError(CURLcode code, Transfer &transfer, const Request &request,
                         int attempts) const;

    std::vector<Result<Response>> sendAll(std::vector<Request> &requests, CancelToken *cancel);
};

HttpClient::Impl::Impl(ClientOptions o)
    : options(std::move(o)), limiter(options.rateLimit.requests, options.rateLimit.perMs)
{
    initCurlOnce();
    options.maxInFlight = std::max(1, options.maxInFlight);
    options.retry.maxAttempts = std::max(1, options.retry.maxAttempts);
    options.retry.baseDelayMs = std::max(0, options.retry.baseDelayMs);
    options.retry.maxDelayMs = std::max(options.retry.baseDelayMs, options.retry.maxDelayMs);
    multi = curl_multi_init();
    if (!multi) {
        setupError = Error{ErrorKind::Internal, "Could not start the HTTP client.",
                           "curl_multi_init failed"};
        return;
    }
    // Keep a few more idle connections than transfers in flight so that none is closed
    // between two calls that use all of them.
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(options.maxInFlight + 4));
    loadCaBundle();
}

HttpClient::Impl::~Impl()
{
    idle.clear();
    if (multi)
        curl_multi_cleanup(multi);
}

void HttpClient::Impl::loadCaBundle()
{
    if (options.caFile.empty())
        return;
    bool ok = true;
    const std::string extra = readWholeFile(options.caFile, ok);
    if (!ok || extra.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        setupError = Error{ErrorKind::Invalid,
                           "The CA certificate file " + options.caFile +
                               " could not be read or holds no PEM certificate.",
                           "caFile"};
        return;
    }
    // CURLOPT_CAINFO would replace the system's trust store; a blob of both adds to it.
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    std::string system;
    if (info && info->cainfo) {
        bool systemOk = true;
        system = readWholeFile(info->cainfo, systemOk);
    }
    caBundle = system;
    if (!caBundle.empty() && caBundle.back() != '\n')
        caBundle += '\n';
    caBundle += extra;
}

void HttpClient::Impl::addStats(const ClientStats &delta)
{
    std::lock_guard lock(statsMutex);
    stats.requests += delta.requests;
    stats.retries += delta.retries;
    stats.rateLimitWaits += delta.rateLimitWaits;
    stats.networkErrors += delta.networkErrors;
    stats.connectionsOpened += delta.connectionsOpened;
    stats.waited += delta.waited;
}

std::unique_ptr<Transfer> HttpClient::Impl::takeTransfer()
{
    if (!idle.empty()) {
        auto transfer = std::move(idle.back());
        idle.pop_back();
        return transfer;
    }
    auto transfer = std::make_unique<Transfer>();
    if (!transfer->easy)
        return nullptr;
    return transfer;
}

void HttpClient::Impl::release(std::unique_ptr<Transfer> transfer)
{
    curl_slist_free_all(transfer->headers);
    transfer->headers = nullptr;
    transfer->response = Response{};
    idle.push_back(std::move(transfer));
}

void HttpClient::Impl::configure(Transfer &t, const Request &request, int timeoutMs)
{
    CURL *e = t.easy;
    curl_easy_reset(e);
    t.errorBuffer[0] = '\0';
    t.response = Response{};
    curl_slist_free_all(t.headers);
    t.headers = nullptr;

    curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errorBuffer);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &onBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t.response);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t.response);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(e, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    // With HTTP/2, wait for a connection that can multiplex instead of opening more.
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); // whatever libcurl can decode
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!caBundle.empty()) {
        curl_blob blob{caBundle.data(), caBundle.size(), CURL_BLOB_NOCOPY};
        curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
    }
    if (!options.userAgent.empty())
        curl_easy_setopt(e, CURLOPT_USERAGENT, options.userAgent.c_str());
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max(1, timeoutMs)));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::max(1, std::min(options.connectTimeoutMs, timeoutMs))));

    std::string line;
    for (const auto &[name, value] : request.headers) {
        line.assign(name);
        if (value.empty()) {
            line += ';'; // curl's way to send a header with an empty value
        } else {
            line += ": ";
            line += value;
        }
        t.headers = curl_slist_append(t.headers, line.c_str());
    }
    // No "Expect: 100-continue" round trip before large bodies.
    t.headers = curl_slist_append(t.headers, "Expect:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);

    const std::string method = toUpper(request.method.empty() ? "GET" : request.method);
    if (method == "HEAD") {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if ((method == "GET" || method == "DELETE") && request.body.empty()) {
        if (method == "DELETE")
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
        else
            curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        // The body is not copied: the request outlives the transfer.
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        if (method != "POST")
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
}

milliseconds HttpClient::Impl::backoff(int failures, bool rateLimit)
{
    const RetryPolicy &p = options.retry;
    const int exponent = std::clamp(failures - 1, 0, 30);
    const double ceiling = std::min<double>(p.maxDelayMs, static_cast<double>(p.baseDelayMs) *
                                                              std::ldexp(1.0, exponent));
    // Full jitter spreads clients apart after a shared failure. A 429 without Retry-After
    // gets at least half the ceiling: retrying a rate limit at once only earns another 429.
    std::uniform_real_distribution<double> pick(rateLimit ? ceiling / 2 : 0.0, ceiling);
    return milliseconds(static_cast<long long>(std::llround(pick(random))));
}

Error HttpClient::Impl::transportError(CURLcode code, Transfer &t, const Request &request,
                                       int attempts) const
{
    const std::string host = hostOf(request.url);
    long osErrno = 0;
    curl_easy_getinfo(t.easy, CURLINFO_OS_ERRNO, &osErrno);
    double connectSeconds = 0;
    curl_easy_getinfo(t.easy, CURLINFO_CONNECT_TIME, &connectSeconds);
    const double elapsed = std::chrono::duration<double>(Clock::now() - t.startedAt).count();

    ErrorKind kind = ErrorKind::Destination;
    std::string message;
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
        message = "Could not find " + host +
                  ": the name does not resolve. Check the address, and that this computer is "
                  "online.";
        break;
    case CURLE_COULDNT_RESOLVE_PROXY:
        message = "Could not find the proxy server for " + host +
                  ": its name does not resolve. Check the proxy settings (http_proxy, "
                  "https_proxy).";
        break;
    case CURLE_COULDNT_CONNECT:
        if (osErrno == ECONNREFUSED)
            message = "Could not reach " + host + ": the connection was refused.";
        else if (osErrno == ENETUNREACH || osErrno == EHOSTUNREACH)
            message = "Could not reach " + host +
                      ": the network is unreachable. Check that this computer is online.";
        else
            message = "Could not reach " + host + ": the connection could not be made.";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        if (connectSeconds <= 0)
            message = "Could not reach " + host + ": connecting timed out after " +
                      formatSeconds(elapsed) + ".";
        else
            message = host + " did not answer in time: the request timed out after " +
                      formatSeconds(elapsed) + ".";
        break;
    case CURLE_SEND_ERROR:
        message = osErrno == ECONNRESET || osErrno == EPIPE
                      ? "The connection to " + host + " was reset while sending the request."
                      : "The connection to " + host + " failed while sending the request.";
        break;
    case CURLE_RECV_ERROR:
        message = osErrno == ECONNRESET
                      ? "The connection to " + host + " was reset while waiting for the answer."
                      : "The connection to " + host + " failed while receiving the answer.";
        break;
    case CURLE_GOT_NOTHING:
        message = host + " closed the connection without answering.";
        break;
    case CURLE_PARTIAL_FILE:
        message = host + " closed the connection before the whole answer arrived.";
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        message = "The TLS certificate of " + host +
                  " could not be verified, so no data was sent. If your network inspects "
                  "HTTPS traffic, its CA certificate must be added to the trusted ones.";
        break;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        message = "The trusted CA certificates could not be loaded, so " + host +
                  " could not be verified.";
        break;
    case CURLE_SSL_CONNECT_ERROR:
        message = "Could not set up a secure (TLS) connection to " + host + ".";
        break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        kind = ErrorKind::Invalid;
        message = "\"" + redact(request.url) +
                  "\" is not a valid web address; use an http:// or https:// URL.";
        break;
    default:
        message = "The request to " + host + " failed: " + curl_easy_strerror(code) + ".";
        break;
    }
    if (attempts > 1)
        message += " Tried " + std::to_string(attempts) + " times.";
    std::string detail = "curl error " + std::to_string(static_cast<int>(code)) + " (" +
                         curl_easy_strerror(code) + ")";
    if (t.errorBuffer[0])
        detail += ": " + redact(t.errorBuffer);
    detail += "; " + toUpper(request.method) + " " + redact(request.url);
    return Error{kind, std::move(message), std::move(detail)};
}

std::vector<Result<Response>> HttpClient::Impl::sendAll(std::vector<Request> &requests,
                                                        CancelToken *cancel)
{
    const std::size_t n = requests.size();
    std::vector<std::optional<Result<Response>>> results(n);
    auto collect = [&results] {
        std::vector<Result<Response>> out;
        out.reserve(results.size());
        for (auto &r : results)
            out.push_back(std::move(*r));
        return out;
    };
    if (setupError) {
        for (auto &r : results)
            r = std::unexpected(*setupError);
        return collect();
    }

    CURLM *m = multi;
    CancelHook hook(cancel, [m] { curl_multi_wakeup(m); });

    std::vector<RequestState> state(n);
    using Due = std::pair<Clock::time_point, std::size_t>;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> retryQueue;
    std::size_t nextFresh = 0;
    std::size_t finished = 0;
    std::vector<std::unique_ptr<Transfer>> active;
    active.reserve(static_cast<std::size_t>(options.maxInFlight));
    std::optional<Clock::time_point> heldSince; // since when a start has been held back
    // After a 429 the server has said "slow down" to the whole client, not to one request:
    // nothing new starts before this, so the other requests do not earn 429s of their own.
    Clock::time_point pausedUntil{};
    ClientStats delta;
    const RetryPolicy &policy = options.retry;

    auto finish = [&](std::size_t index, Result<Response> result) {
        results[index] = std::move(result);
        ++finished;
    };

    auto start = [&](std::size_t index, Clock::time_point now) -> bool {
        RequestState &s = state[index];
        const Request &request = requests[index];
        if (!s.started) {
            s.started = true;
            s.firstStart = now;
            // A line break would end the header early and let the rest pass as headers of
            // its own: refuse rather than send something else than asked.
            for (const auto &[name, value] : request.headers) {
                if (name.empty() || name.find_first_of("\r\n:") != std::string::npos ||
                    value.find_first_of("\r\n") != std::string::npos) {
                    finish(index, fail(ErrorKind::Invalid,
                                       "The request header \"" + redact(name) +
                                           "\" is not valid: a name must be non-empty and "
                                           "without ':', and neither name nor value may "
                                           "contain a line break.",
                                       toUpper(request.method) + " " + redact(request.url)));
                    return false;
                }
            }
        }
        auto transfer = takeTransfer();
        if (!transfer) {
            finish(index, fail(ErrorKind::Internal, "Could not start an HTTP request.",
                               "curl_easy_init failed"));
            return false;
        }
        int timeoutMs = std::max(1, request.timeoutMs);
        if (s.attempts > 0) {
            // A retry may not run past the request's bound on total retry time, but gets at
            // least a second (or its own timeout when shorter) to be worth sending.
            const auto left =
                milliseconds(policy.maxTotalMs) - duration_cast<milliseconds>(now - s.firstStart);
            timeoutMs = std::min<long long>(
                timeoutMs, std::max<long long>(left.count(), std::min(timeoutMs, 1000)));
        }
        configure(*transfer, request, timeoutMs);
        transfer->index = index;
        transfer->startedAt = now;
        ++s.attempts;
        if (curl_multi_add_handle(multi, transfer->easy) != CURLM_OK) {
            finish(index, fail(ErrorKind::Internal, "Could not start an HTTP request.",
                               "curl_multi_add_handle failed"));
            release(std::move(transfer));
            return false;
        }
        active.push_back(std::move(transfer));
        return true;
    };

    // Decides what a finished attempt means: a final result, or a retry at some later time.
    auto complete = [&](std::unique_ptr<Transfer> t, CURLcode code) {
        const std::size_t index = t->index;
        RequestState &s = state[index];
        const Request &request = requests[index];
        const Clock::time_point now = Clock::now();
        const auto took = duration_cast<milliseconds>(now - t->startedAt);
        const auto spent = duration_cast<milliseconds>(now - s.firstStart);
        const std::string what = toUpper(request.method) + " " + redact(request.url);
        long connects = 0;
        curl_easy_getinfo(t->easy, CURLINFO_NUM_CONNECTS, &connects);
        delta.connectionsOpened += connects;

        auto retryAt = [&](milliseconds delay) {
            retryQueue.emplace(now + delay, index);
            delta.waited += delay;
        };
        auto withinBound = [&](milliseconds delay) {
            return spent + delay < milliseconds(policy.maxTotalMs);
        };

        if (code == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
            t->response.status = status;
            const int retryAfter = (status == 429 || retryableStatus(status))
                                       ? retryAfterMs(t->response.header("Retry-After"),
                                                      std::chrono::system_clock::now())
                                       : -1;
            const milliseconds asked(std::min(retryAfter, policy.maxDelayMs));
            const bool vendorSaysFinal = (status == 429 || retryableStatus(status)) &&
                                         options.notRetryable && options.notRetryable(t->response);
            if (vendorSaysFinal) {
                // Falls through to the result below.
            } else if (status == 429) {
                const milliseconds delay = retryAfter >= 0 ? asked : backoff(++s.rateLimited, true);
                if (withinBound(delay)) {
                    ++delta.rateLimitWaits;
                    pausedUntil = std::max(pausedUntil, now + delay);
                    log(what + ": 429 rate limited; waiting " + formatDuration(delay) +
                        (retryAfter >= 0 ? " as asked by Retry-After" : "") + " (attempt " +
                        std::to_string(s.attempts) + ")");
                    retryAt(delay);
                    release(std::move(t));
                    return;
                }
            } else if (retryableStatus(status)) {
                ++s.failures;
                const milliseconds delay = retryAfter >= 0 ? asked : backoff(s.failures, false);
                if (s.failures < policy.maxAttempts && withinBound(delay)) {
                    ++delta.retries;
                    log(what + ": " + std::to_string(status) + " in " + formatDuration(took) +
                        "; retry " + std::to_string(s.failures) + " of " +
                        std::to_string(policy.maxAttempts - 1) + " in " + formatDuration(delay) +
                        "; body: " + bodyForLog(t->response.body));
                    retryAt(delay);
                    release(std::move(t));
                    return;
                }
            }
            Response response = std::move(t->response);
            response.attempts = s.attempts;
            ++delta.requests;
            std::string line = what + ": " + std::to_string(status) + " in " + formatDuration(took);
            if (s.attempts > 1)
                line += " (attempt " + std::to_string(s.attempts) + ")";
            if (status >= 400)
                line += "; body: " + bodyForLog(response.body);
            log(line);
            release(std::move(t));
            finish(index, std::move(response));
            return;
        }

        ++delta.networkErrors;
        long osErrno = 0;
        curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &osErrno);
        if (retryableTransport(code, osErrno)) {
            ++s.failures;
            const milliseconds delay = backoff(s.failures, false);
            if (s.failures < policy.maxAttempts && withinBound(delay)) {
                ++delta.retries;
                const Error e = transportError(code, *t, request, 1);
                log(what + ": " + e.message + " [" + e.detail + "]; retry " +
                    std::to_string(s.failures) + " of " + std::to_string(policy.maxAttempts - 1) +
                    " in " + formatDuration(delay));
                retryAt(delay);
                release(std::move(t));
                return;
            }
        }
        Error e = transportError(code, *t, request, s.attempts);
        log(what + ": failed after " + formatDuration(spent) + ": " + e.message + " [" + e.detail +
            "]");
        release(std::move(t));
        finish(index, std::unexpected(std::move(e)));
    };

    while (finished < n) {
        if (cancel && cancel->cancelled())
            break;

        // Start what may start: due retries first (they are older), then new requests.
        Clock::time_point now = Clock::now();
        std::optional<Clock::time_point> wakeAt;
        auto wakeNoLaterThan = [&wakeAt](Clock::time_point t) {
            if (!wakeAt || t < *wakeAt)
                wakeAt = t;
        };
        while (active.size() < static_cast<std::size_t>(options.maxInFlight)) {
            const bool retryDue = !retryQueue.empty() && retryQueue.top().first <= now;
            if (!retryDue && nextFresh >= n)
                break;
            const Clock::time_point allowed = std::max(limiter.nextStart(now), pausedUntil);
            if (allowed > now) {
                if (!heldSince)
                    heldSince = now;
                wakeNoLaterThan(allowed);
                break;
            }
            if (heldSince) {
                delta.waited += duration_cast<milliseconds>(now - *heldSince);
                heldSince.reset();
            }
            std::size_t index = 0;
            if (retryDue) {
                index = retryQueue.top().second;
                retryQueue.pop();
            } else {
                index = nextFresh++;
            }
            limiter.started(now);
            start(index, now);
        }
        if (!retryQueue.empty())
            wakeNoLaterThan(retryQueue.top().first);
        if (finished >= n)
            break;

        int running = 0;
        curl_multi_perform(multi, &running);
        bool completedAny = false;
        int queued = 0;
        while (CURLMsg *message = curl_multi_info_read(multi, &queued)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            CURL *easy = message->easy_handle;
            const CURLcode code = message->data.result;
            curl_multi_remove_handle(multi, easy);
            auto it = std::find_if(active.begin(), active.end(),
                                   [easy](const auto &t) { return t->easy == easy; });
            if (it == active.end())
                continue;
            std::unique_ptr<Transfer> transfer = std::move(*it);
            active.erase(it);
            complete(std::move(transfer), code);
            completedAny = true;
        }
        if (completedAny) {
            addStats(delta); // live, for progress shown while the call runs
            delta = ClientStats{};
            continue; // start the next ones before waiting
        }

        long curlTimeout = -1;
        curl_multi_timeout(multi, &curlTimeout);
        long waitMs = kMaxPollMs;
        if (curlTimeout >= 0)
            waitMs = std::min(waitMs, curlTimeout);
        if (wakeAt) {
            const auto until = duration_cast<milliseconds>(*wakeAt - Clock::now()).count() + 1;
            waitMs = std::min<long>(waitMs, std::max<long long>(0, until));
        }
        if (waitMs > 0)
            curl_multi_poll(multi, nullptr, 0, static_cast<int>(waitMs), nullptr);
    }

    if (finished < n) {
        // Cancelled: abort what is in flight and give up on what has not finished.
        for (auto &t : active) {
            curl_multi_remove_handle(multi, t->easy);
            release(std::move(t));
        }
        active.clear();
        for (std::size_t i = 0; i < n; ++i) {
            if (!results[i]) {
                results[i] = fail(ErrorKind::Cancelled, "Stopped.",
                                  "request to " + hostOf(requests[i].url) + " cancelled");
            }
        }
        log("Stopped: " + std::to_string(n - finished) + " of " + std::to_string(n) +
            " requests were not finished.");
    }
    if (heldSince)
        delta.waited += duration_cast<milliseconds>(Clock::now() - *heldSince);
    addStats(delta);
    return collect();
}

HttpClient::HttpClient(ClientOptions options) : m_impl(std::make_unique<Impl>(std::move(options)))
{
}

HttpClient::~HttpClient() = default;

std::vector<Result<Response>> HttpClient::sendAll(std::vector<Request> requests,
                                                  CancelToken *cancel)
{
    return m_impl->sendAll(requests, cancel);
}

Result<Response> HttpClient::send(Request request, CancelToken *cancel)
{
    std::vector<Request> one;
    one.push_back(std::move(request));
    auto results = m_impl->sendAll(one, cancel);
    return std::move(results.front());
}

ClientStats HttpClient::stats() const
{
    std::lock_guard lock(m_impl->statsMutex);
    return m_impl->stats;
}

// ---- free functions --------------------------------------------------------------------------

int retryAfterMs(std::string_view value, std::chrono::system_clock::time_point now)
{
    value = trim(value);
    if (value.empty())
        return -1;
    if (value.front() >= '0' && value.front() <= '9') {
        // delta-seconds; a fraction is not in the standard but costs nothing to accept.
        double seconds = 0;
        std::size_t i = 0;
        while (i < value.size() && value[i] >= '0' && value[i] <= '9') {
            seconds = seconds * 10 + (value[i] - '0');
            ++i;
        }
        if (i < value.size() && value[i] == '.') {
            double scale = 0.1;
            ++i;
            while (i < value.size() && value[i] >= '0' && value[i] <= '9') {
                seconds += (value[i] - '0') * scale;
                scale /= 10;
                ++i;
            }
        }
        if (i != value.size())
            return -1;
        const double ms = seconds * 1000.0;
        return ms >= std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                     : static_cast<int>(std::llround(ms));
    }
    initCurlOnce();
    const std::string date(value);
    const time_t when = curl_getdate(date.c_str(), nullptr);
    if (when == static_cast<time_t>(-1))
        return -1;
    const auto target = std::chrono::system_clock::from_time_t(when);
    const long long ms = duration_cast<milliseconds>(target - now).count();
    if (ms <= 0)
        return 0;
    return ms >= std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                 : static_cast<int>(ms);
}

std::string urlEncode(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0x0F];
        }
    }
    return out;
}

std::string formEncode(const std::vector<std::pair<std::string, std::string>> &fields)
{
    std::string out;
    for (const auto &[name, value] : fields) {
        if (!out.empty())
            out += '&';
        out += urlEncode(name);
        out += '=';
        out += urlEncode(value);
    }
    return out;
}

} // namespace sluice::net
