#pragma once
// Local stand-ins for the vendors' HTTP APIs, for tests. A vendor emulator is a plain class
// (an Emulator) that turns one request into one reply and keeps its records in memory; an
// EmulatorServer serves it over real HTTP on 127.0.0.1 (QAbstractHttpServer on a thread of
// its own, so a test may block in the engine while the server answers) and injects faults
// when a test asks: 429 with or without Retry-After, 500/503, hung or slow replies, and
// connection resets before or after the request took effect.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sluice::emu {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct EmuRequest
{
    std::string method; // upper case
    std::string path;   // decoded path, no query
    std::map<std::string, std::string> query;
    Headers headers; // names in lower case
    std::string body;
    std::string header(const std::string &lowerName) const; // "" when absent
};

struct EmuReply
{
    int status = 200; // a status Qt HttpServer knows; anything else is sent as a 500
    Headers headers;  // Content-Type included when there is a body; Content-Length is added
    std::string body;
    static EmuReply json(int status, const nlohmann::json &body);
    static EmuReply text(int status, std::string body, std::string contentType = "text/plain");
};

class Emulator
{
public:
    virtual ~Emulator() = default;
    // Called on the server thread with the server's lock held. An exception becomes a 500
    // whose body names it (a bug in the emulator, not a vendor behaviour).
    virtual EmuReply handle(const EmuRequest &request) = 0;
    // The vendor's own bodies for injected faults; the defaults are a generic JSON error.
    // rateLimited(true) must carry Retry-After.
    virtual EmuReply rateLimited(bool withRetryAfter);
    virtual EmuReply serverError(int status);
};

enum class Fault : std::uint8_t
{
    RateLimit,           // 429 without Retry-After
    RateLimitRetryAfter, // 429 with Retry-After: 1
    ServerError,         // 500
    Unavailable,         // 503
    ResetBeforeHandling, // connection reset; the request never took effect
    ResetAfterHandling,  // the request took effect, then the connection was reset
    Hang,                // no reply for hangMs, then the connection is closed
    Slow,                // the real reply (handled at once), sent after slowMs
};

const char *faultName(Fault fault);

struct FaultMix
{
    double share = 0;         // of requests that get a fault, 0..1
    std::vector<Fault> kinds; // chosen uniformly
    int hangMs = 30'000;      // also used by queued Hang faults
    int slowMs = 2'000;       // also used by queued Slow faults
    std::uint32_t seed = 1;
};

struct ServerStats
{
    long requests = 0;    // requests received (faulted or not)
    long connections = 0; // TCP connections accepted; keep-alive keeps this low
    long faults = 0;
    std::map<Fault, long> faultsByKind;
};

struct ServerOptions
{
    std::uint16_t port = 0; // 0: a free port
    // HTTPS when both are set (PEM, e.g. from makeTestCertificates()); plain HTTP otherwise.
    std::string tlsCertificatePem;
    std::string tlsPrivateKeyPem;
};

class EmulatorServer
{
public:
    // Serves on 127.0.0.1 (see ServerOptions). Throws std::runtime_error when the port cannot
    // be bound or the TLS key is unusable. baseUrl() and port() are valid once it returns.
    explicit EmulatorServer(std::unique_ptr<Emulator> emulator, ServerOptions options = {});
    ~EmulatorServer(); // stops the server and its thread
    EmulatorServer(const EmulatorServer &) = delete;
    EmulatorServer &operator=(const EmulatorServer &) = delete;

    std::string baseUrl() const; // "http://127.0.0.1:<port>" (https:// with TLS)
    std::uint16_t port() const;

    void setFaults(FaultMix mix);
    void queueFault(Fault fault, int count = 1); // the next `count` requests, before the mix
    void clearFaults();                          // drops queued faults and the mix
    // Adds ms to every reply (handled at once, answered later; other connections are served
    // meanwhile), like a remote API's round trip. 0 turns it off.
    void setLatency(int ms);

    // Runs f on the emulator under the server's lock (to look at or seed its records).
    template <class E, class F> auto inspect(F &&f)
    {
        std::lock_guard lock(m_mutex);
        return f(static_cast<E &>(*m_emulator));
    }
    ServerStats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    mutable std::mutex m_mutex;
    std::unique_ptr<Emulator> m_emulator;
};

} // namespace sluice::emu
