#pragma once
// Writes one sync run's changes to a webhook receiver: each write() splits its changes into
// batches (one POST each, see webhookpayload.h for the body), signs them the Standard Webhooks
// way, sends up to `requestsInFlight` at once and reads the receiver's answer per batch: 2xx
// delivers every record of it, 410 stops the run (the receiver disabled the endpoint), other
// 4xx reject the batch's records with the receiver's words, 429/5xx/network failures are
// retried by the HTTP client and then handed back to the engine as "retry".

#include "destinations/destination.h"
#include "destinations/webhookpayload.h"
#include "net/httpclient.h"
#include "net/webhooksignature.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

struct WebhookConfig
{
    std::string url;           // https:// (http:// only for this computer); may hold a query
    std::string signingSecret; // "whsec_…" or raw; empty: requests are not signed
    std::string headerName;    // an extra header for receivers that want an API key; optional
    std::string headerValue;   // its value: a secret
    int batchSize = 100;       // records per POST
    int requestsInFlight = 4;
    int timeoutMs = 30'000; // per request
    net::RetryPolicy retry;
    std::string caFile;
    std::function<void(const std::string &line)> log; // request lines, secrets removed
};

class WebhookWriter final : public Writer
{
public:
    // Checks the sync's fields (one JSON key each; "key" is Sluice's own) and the signing
    // secret. `onClose` gets the HTTP client's statistics when the writer is destroyed.
    static Result<std::unique_ptr<Writer>>
    open(const WebhookConfig &config, const WriteSpec &spec,
         std::function<void(const net::ClientStats &)> onClose = {});
    ~WebhookWriter() override;

    Result<std::vector<RecordResult>> write(std::span<const Change> batch) override;
    // A random text kept with the sync's state, so the ids of its events differ from any other
    // sync's (two syncs may well send the same key with the same values to one receiver).
    std::string checkpoint() const override { return m_checkpoint; }
    Result<void> commit() override { return {}; } // a receiver keeps what it acknowledged
    void abort() override {}
    WriterStats stats() const override;

    // A retry may not take longer than this in the HTTP client: a request keeps the
    // webhook-timestamp it was signed with, and receivers refuse one older than 5 minutes.
    static constexpr int kMaxRetryMs = 150'000;
    static constexpr int kMaxTimeoutMs = 120'000;

    // The message id (webhook-id) and body of the POSTs the writer sends for `batch` (the same
    // split into requests as write()): for tests that check what a receiver must see.
    std::vector<WebhookPayload::Batch> preview(std::span<const Change> batch);
    net::HttpClient &http() { return *m_http; }

private:
    struct Job
    {
        std::vector<std::uint32_t> rows; // indexes into the batch
    };

    WebhookWriter(const WebhookConfig &config, const WriteSpec &spec, std::string salt,
                  std::string runStartedAt, std::optional<net::WebhookSigner> signer,
                  std::function<void(const net::ClientStats &)> onClose);

    std::vector<Job> split(std::size_t count) const;
    net::Request request(const WebhookPayload::Batch &batch) const;
    Result<void> handle(const Job &job, const WebhookPayload::Batch &sent,
                        const Result<net::Response> &response, std::vector<RecordResult> &results,
                        std::vector<Job> &next);
    void retry(const Job &job, const std::string &message, int afterMs,
               std::vector<RecordResult> &results) const;
    void reject(const Job &job, const std::string &message,
                std::vector<RecordResult> &results) const;
    // The receiver's answer for a message: "422 Unprocessable Entity: <body>", the body on one
    // line, shortened, with anything secret-looking masked.
    std::string said(const net::Response &response) const;
    std::string scrub(std::string text) const;
    std::string where() const; // the URL for messages, query values that look secret masked
    void log(const std::string &line) const;

    WebhookConfig m_config;
    std::vector<std::string> m_secrets; // masked in anything from the receiver or the client
    std::string m_checkpoint;
    std::optional<net::WebhookSigner> m_signer;
    std::unique_ptr<net::HttpClient> m_http;
    WebhookPayload m_payload;
    std::function<void(const net::ClientStats &)> m_onClose;
    CancelToken *m_cancel = nullptr;                   // Stop interrupts requests in flight
    std::function<void(const std::string &)> m_runLog; // the engine's run log
    // Whether the receiver accepted a batch in this run: until it has, a 401/403/404/405 means
    // the URL or the credentials are wrong (stop the run and say so); after, it concerns one
    // batch only (reject its records and carry on).
    bool m_accepted = false;
};

} // namespace sluice
