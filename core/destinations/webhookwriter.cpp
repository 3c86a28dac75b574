#include "destinations/webhookwriter.h"

#include "net/pkce.h"
#include "secrets/secretstore.h"
#include "workspace/definitions.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace sluice {

namespace {

const char *const kCheckpointPrefix = "webhook-sync:";
constexpr std::size_t kBodyChars = 300; // of a receiver's answer, in messages

std::string statusText(long status)
{
    switch (status) {
    case 301:
        return "301 Moved Permanently";
    case 302:
        return "302 Found";
    case 307:
        return "307 Temporary Redirect";
    case 308:
        return "308 Permanent Redirect";
    case 400:
        return "400 Bad Request";
    case 401:
        return "401 Unauthorized";
    case 403:
        return "403 Forbidden";
    case 404:
        return "404 Not Found";
    case 405:
        return "405 Method Not Allowed";
    case 408:
        return "408 Request Timeout";
    case 409:
        return "409 Conflict";
    case 410:
        return "410 Gone";
    case 413:
        return "413 Payload Too Large";
    case 415:
        return "415 Unsupported Media Type";
    case 422:
        return "422 Unprocessable Entity";
    case 425:
        return "425 Too Early";
    case 429:
        return "429 Too Many Requests";
    case 500:
        return "500 Internal Server Error";
    case 502:
        return "502 Bad Gateway";
    case 503:
        return "503 Service Unavailable";
    case 504:
        return "504 Gateway Timeout";
    default:
        return std::to_string(status);
    }
}

// Cuts at most `max` bytes without splitting a UTF-8 sequence.
void truncateUtf8(std::string &text, std::size_t max)
{
    if (text.size() <= max)
        return;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80)
        --end;
    text.resize(end);
    text += "…";
}

// The salt of a checkpoint this writer made earlier, or a new one.
std::string saltFrom(const std::string &checkpoint)
{
    if (checkpoint.starts_with(kCheckpointPrefix) &&
        checkpoint.size() > std::string_view(kCheckpointPrefix).size())
        return checkpoint.substr(std::string_view(kCheckpointPrefix).size());
    auto random = net::randomUrlSafe(18);
    if (random)
        return *random;
    // Without randomness the sync still needs some distinct value; the time will do.
    return utcNowIso();
}

} // namespace

Result<std::unique_ptr<Writer>>
WebhookWriter::open(const WebhookConfig &config, const WriteSpec &spec,
                    std::function<void(const net::ClientStats &)> onClose)
{
    std::set<std::string> seen;
    for (const auto &f : spec.fields) {
        if (f.empty())
            return fail(ErrorKind::Invalid,
                        "A mapped field of the webhook's events has no name. Give every "
                        "mapped field a name.");
        if (f == "key")
            return fail(ErrorKind::Invalid,
                        "The webhook sends each record's key as \"key\" in its events already, "
                        "so no mapped field may be called \"key\". Rename that field (for "
                        "example to \"id\") or remove it from the mapping.");
        if (!seen.insert(f).second)
            return fail(ErrorKind::Invalid, "The field \"" + f +
                                                "\" is mapped twice. Each field of the webhook's "
                                                "events can hold one column only.");
    }
    std::optional<net::WebhookSigner> signer;
    if (!config.signingSecret.empty()) {
        auto s = net::WebhookSigner::fromSecret(config.signingSecret);
        if (!s)
            return std::unexpected(s.error());
        signer.emplace(std::move(*s));
    }
    // When the run saw the changes: every event's timestamp, and what ties events without a
    // previous one to this run.
    std::string runStartedAt = spec.runStartedAt.empty() ? utcNowIso() : spec.runStartedAt;
    return std::unique_ptr<Writer>(new WebhookWriter(config, spec, saltFrom(spec.checkpoint),
                                                     std::move(runStartedAt), std::move(signer),
                                                     std::move(onClose)));
}

WebhookWriter::WebhookWriter(const WebhookConfig &config, const WriteSpec &spec, std::string salt,
                             std::string runStartedAt, std::optional<net::WebhookSigner> signer,
                             std::function<void(const net::ClientStats &)> onClose)
    : m_config(config), m_checkpoint(kCheckpointPrefix + salt), m_signer(std::move(signer)),
      m_payload(spec.fields, salt, runStartedAt, "run:" + runStartedAt),
      m_onClose(std::move(onClose)), m_cancel(spec.cancel), m_runLog(spec.log)
{
    // Longest first, so a secret that contains another is masked whole.
    for (const std::string &secret : {m_config.signingSecret, m_config.headerValue}) {
        if (secret.size() >= 4)
            m_secrets.push_back(secret);
    }
    if (m_config.signingSecret.starts_with("whsec_") && m_config.signingSecret.size() >= 10)
        m_secrets.push_back(m_config.signingSecret.substr(6));
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
    m_config.batchSize = std::max(1, m_config.batchSize);
    m_config.requestsInFlight = std::max(1, m_config.requestsInFlight);
    m_config.timeoutMs = std::clamp(m_config.timeoutMs, 1, kMaxTimeoutMs);
    net::ClientOptions options;
    options.maxInFlight = m_config.requestsInFlight;
    options.retry = m_config.retry;
    options.retry.maxTotalMs = std::min(options.retry.maxTotalMs, kMaxRetryMs);
    options.caFile = m_config.caFile;
    if (m_config.log || m_runLog) {
        // The client masks what looks secret by its name; the receiver might still echo the
        // extra header's value or the secret in a body.
        options.log = [this](const std::string &line) { log(line); };
    }
    m_http = std::make_unique<net::HttpClient>(std::move(options));
}

WebhookWriter::~WebhookWriter()
{
    if (m_onClose && m_http)
        m_onClose(m_http->stats());
    m_http.reset(); // its log hook reads the secrets below
    wipeSecret(m_config.signingSecret);
    wipeSecret(m_config.headerValue);
    for (auto &s : m_secrets)
        wipeSecret(s);
}

WriterStats WebhookWriter::stats() const
{
    const net::ClientStats s = m_http->stats();
    return WriterStats{s.requests, s.retries, s.rateLimitWaits, s.waited.count()};
}

void WebhookWriter::log(const std::string &line) const
{
    if (!m_config.log && !m_runLog)
        return;
    const std::string clean = scrub(line);
    if (m_config.log)
        m_config.log(clean);
    if (m_runLog)
        m_runLog(clean);
}

std::vector<WebhookWriter::Job> WebhookWriter::split(std::size_t count) const
{
    std::vector<Job> jobs;
    const auto size = static_cast<std::size_t>(m_config.batchSize);
    jobs.reserve((count + size - 1) / size);
    for (std::size_t start = 0; start < count; start += size) {
        Job job;
        const std::size_t end = std::min(count, start + size);
        job.rows.reserve(end - start);
        for (std::size_t i = start; i < end; ++i)
            job.rows.push_back(static_cast<std::uint32_t>(i));
        jobs.push_back(std::move(job));
    }
    return jobs;
}

std::vector<WebhookPayload::Batch> WebhookWriter::preview(std::span<const Change> batch)
{
    std::vector<WebhookPayload::Batch> out;
    for (const Job &job : split(batch.size())) {
        out.emplace_back();
        m_payload.build(batch, job.rows, out.back());
    }
    return out;
}

net::Request WebhookWriter::request(const WebhookPayload::Batch &batch) const
{
    net::Request r;
    r.method = "POST";
    r.url = m_config.url;
    r.timeoutMs = m_config.timeoutMs;
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    r.headers.reserve(6);
    r.headers.emplace_back("Content-Type", "application/json");
    r.headers.emplace_back("webhook-id", batch.messageId);
    r.headers.emplace_back("webhook-timestamp", std::to_string(now));
    if (m_signer)
        r.headers.emplace_back("webhook-signature",
                               m_signer->sign(batch.messageId, now, batch.body));
    if (!m_config.headerName.empty())
        r.headers.emplace_back(m_config.headerName, m_config.headerValue);
    r.body = batch.body;
    return r;
}

Result<std::vector<RecordResult>> WebhookWriter::write(std::span<const Change> batch)
{
    std::vector<RecordResult> results(batch.size());
    std::vector<Job> pending = split(batch.size());
    // A round sends no more requests than may be in flight, signed just before they go: a
    // request queued behind others would carry an older webhook-timestamp.
    const auto perRound = static_cast<std::size_t>(m_config.requestsInFlight);
    std::vector<WebhookPayload::Batch> built;
    while (!pending.empty()) {
        const std::size_t n = std::min(perRound, pending.size());
        std::vector<Job> jobs(std::make_move_iterator(pending.begin()),
                              std::make_move_iterator(pending.begin() + n));
        pending.erase(pending.begin(), pending.begin() + n);

        built.resize(jobs.size());
        std::vector<net::Request> requests;
        requests.reserve(jobs.size());
        for (std::size_t k = 0; k < jobs.size(); ++k) {
            m_payload.build(batch, jobs[k].rows, built[k]);
            requests.push_back(request(built[k]));
        }
        auto responses = m_http->sendAll(std::move(requests), m_cancel);
        for (const auto &r : responses) {
            if (r && r->status >= 200 && r->status < 300)
                m_accepted = true;
        }
        std::vector<Job> next;
        for (std::size_t k = 0; k < jobs.size(); ++k) {
            if (auto r = handle(jobs[k], built[k], responses[k], results, next); !r)
                return std::unexpected(r.error());
        }
        // Halves of batches that were too large go first, while their neighbours wait.
        pending.insert(pending.begin(), std::make_move_iterator(next.begin()),
                       std::make_move_iterator(next.end()));
    }
    return results;
}

Result<void> WebhookWriter::handle(const Job &job, const WebhookPayload::Batch &sent,
                                   const Result<net::Response> &response,
                                   std::vector<RecordResult> &results, std::vector<Job> &next)
{
    if (!response) {
        const Error &e = response.error();
        if (e.kind == ErrorKind::Cancelled)
            return std::unexpected(e);
        if (e.kind == ErrorKind::Invalid)
            return std::unexpected(Error{ErrorKind::Invalid,
                                         "Sluice cannot send to the webhook URL " + where() + ": " +
                                             scrub(e.message) +
                                             " Check the URL in the connection settings.",
                                         scrub(e.detail)});
        // The network failed even after the client's retries: the engine sends these again.
        retry(job, "Could not reach the webhook receiver: " + scrub(e.message), 0, results);
        log("Batch " + sent.messageId + " (" + std::to_string(job.rows.size()) +
            " records) will be sent again: " + e.message);
        return {};
    }
    const net::Response &r = *response;
    const long status = r.status;
    if (status >= 200 && status < 300) {
        for (std::size_t k = 0; k < job.rows.size(); ++k) {
            RecordResult &res = results[job.rows[k]];
            res = RecordResult{};
            // The event's id: the record's previous event when it changes next (see
            // webhookpayload.h), and what a receiver's owner can look the delivery up by.
            res.destId = sent.eventIds[k];
        }
        return {};
    }
    const std::string detail = statusText(status) + " from POST " + where() + " (webhook-id " +
                               sent.messageId + "): " + said(r);
    if (status >= 300 && status < 400) {
        const std::string location = r.header("Location");
        return std::unexpected(Error{
            ErrorKind::Destination,
            "The webhook URL " + where() + " redirects" +
                (location.empty() ? std::string() : " to " + scrub(net::redact(location))) + " (" +
                statusText(status) +
                "). Sluice does not follow redirects when it sends data: enter the receiver's "
                "current address in the connection settings.",
            detail});
    }
    if (status == 410)
        return std::unexpected(
            Error{ErrorKind::Destination,
                  "The receiver has disabled this endpoint: " + where() + " answered " + said(r) +
                      ". Nothing more is sent there. Ask the receiver's owner for its new "
                      "address and enter it in the connection settings.",
                  detail});
    if ((status == 401 || status == 403) && !m_accepted)
        return std::unexpected(
            Error{ErrorKind::Destination,
                  "The webhook receiver at " + where() + " refused Sluice's request (" + said(r) +
                      "). Check the signing secret (it must be the one the receiver shows, "
                      "usually starting with whsec_)" +
                      (m_config.headerName.empty()
                           ? std::string(" in the connection settings, and whether the receiver "
                                         "wants an API key in an extra header.")
                           : " and the extra header " + m_config.headerName +
                                 " in the connection settings."),
                  detail});
    if ((status == 404 || status == 405) && !m_accepted)
        return std::unexpected(Error{ErrorKind::Destination,
                                     "There is no webhook receiver at " + where() + " (" + said(r) +
                                         "). Check the URL in the connection settings.",
                                     detail});
    if (status == 408 || status == 409 || status == 425 || status == 429 || status >= 500 ||
        status < 200) {
        const int asked =
            net::retryAfterMs(r.header("Retry-After"), std::chrono::system_clock::now());
        retry(job, "The webhook receiver answered " + said(r), std::max(0, asked), results);
        log("Batch " + sent.messageId + " (" + std::to_string(job.rows.size()) +
            " records) will be sent again: " + said(r));
        return {};
    }
    if (status == 413 && job.rows.size() > 1) {
        log("Batch " + sent.messageId + " (" + std::to_string(job.rows.size()) +
            " records) was too large for the receiver; sending it in two halves.");
        const auto half = static_cast<std::ptrdiff_t>(job.rows.size() / 2);
        next.push_back(Job{{job.rows.begin(), job.rows.begin() + half}});
        next.push_back(Job{{job.rows.begin() + half, job.rows.end()}});
        return {};
    }
    if (status == 413) {
        reject(job,
               "This record is too large for the webhook receiver (" + said(r) +
                   "). Map fewer or shorter columns, or ask the receiver's owner to accept "
                   "larger requests.",
               results);
        return {};
    }
    log("Batch " + sent.messageId + " (" + std::to_string(job.rows.size()) +
        " records) was refused: " + said(r));
    reject(job,
           job.rows.size() == 1
               ? "The webhook receiver refused this record: " + said(r)
               : "The webhook receiver refused the batch of " + std::to_string(job.rows.size()) +
                     " records this one was sent in: " + said(r),
           results);
    return {};
}

void WebhookWriter::retry(const Job &job, const std::string &message, int afterMs,
                          std::vector<RecordResult> &results) const
{
    for (auto row : job.rows) {
        results[row].status = RecordResult::Status::Retry;
        results[row].message = message;
        results[row].retryAfterMs = afterMs;
    }
}

void WebhookWriter::reject(const Job &job, const std::string &message,
                           std::vector<RecordResult> &results) const
{
    for (auto row : job.rows) {
        results[row].status = RecordResult::Status::Rejected;
        results[row].message = message;
    }
}

std::string WebhookWriter::said(const net::Response &response) const
{
    // Masked before shortening, so a secret cut in half was already masked whole.
    std::string body =
        scrub(net::redact(std::string_view(response.body).substr(0, kBodyChars * 8)));
    for (char &c : body) {
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    }
    const auto first = body.find_first_not_of(' ');
    body.erase(0, first == std::string::npos ? body.size() : first);
    while (!body.empty() && body.back() == ' ')
        body.pop_back();
    truncateUtf8(body, kBodyChars);
    const std::string status = statusText(response.status);
    return body.empty() ? status : status + ": " + body;
}

std::string WebhookWriter::scrub(std::string text) const
{
    for (const std::string &secret : m_secrets) {
        for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
            text.replace(pos, secret.size(), "[secret]");
    }
    return text;
}

std::string WebhookWriter::where() const
{
    return scrub(net::redact(m_config.url));
}

} // namespace sluice
