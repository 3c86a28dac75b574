// The HTTP layer against a real local server (EmulatorServer + EchoEmulator): round trips,
// keep-alive, requests in flight, every injected fault recovered, retry limits and the bound on
// total retry time, cancel, readable transport errors, the client's own rate limit, proxies from
// the environment, CA files, and the helpers (redact, Retry-After, URL and form encoding).
#include "net/httpclient.h"
#include "net/ratelimiter.h"

#include "echoemulator.h"
#include "emulator.h"
#include "testcertificates.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using namespace sluice;
using namespace sluice::net;
using namespace std::chrono_literals;
using emu::EchoEmulator;
using emu::EmulatorServer;
using emu::Fault;
using nlohmann::json;

Q_DECLARE_METATYPE(sluice::emu::Fault)

namespace {

ClientOptions fastOptions()
{
    ClientOptions options;
    options.retry.baseDelayMs = 10;
    options.retry.maxDelayMs = 100;
    options.retry.maxAttempts = 5;
    options.retry.maxTotalMs = 10'000;
    options.connectTimeoutMs = 2'000;
    return options;
}

Request get(const std::string &url, int timeoutMs = 5'000)
{
    Request request;
    request.url = url;
    request.timeoutMs = timeoutMs;
    return request;
}

json echoOf(const Response &response)
{
    return json::parse(response.body);
}

long handledBy(EmulatorServer &server)
{
    return server.inspect<EchoEmulator>([](EchoEmulator &e) { return e.handled; });
}

std::unique_ptr<EmulatorServer> makeServer()
{
    return std::make_unique<EmulatorServer>(std::make_unique<EchoEmulator>());
}

// A port nothing listens on: bound once, then released.
quint16 deadPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 1;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

qint64 since(const QElapsedTimer &timer)
{
    return timer.elapsed();
}

// Sets an environment variable for the scope of one test.
class EnvVar
{
public:
    EnvVar(const char *name, const QByteArray &value)
        : m_name(name), m_had(qEnvironmentVariableIsSet(name)), m_old(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~EnvVar()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

} // namespace

class TestHttpClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Tests talk to 127.0.0.1 only, whatever proxy the machine has.
        qputenv("no_proxy", "127.0.0.1,localhost");
        qputenv("NO_PROXY", "127.0.0.1,localhost");
    }

    void getAndPostRoundTrip()
    {
        auto server = makeServer();
        HttpClient client(fastOptions());

        Request request = get(server->baseUrl() + "/v1/items?limit=10&name=" + urlEncode("a b&c"));
        request.headers = {{"X-Custom", "Value 1"}, {"Accept", "application/json"}};
        auto got = client.send(request);
        QVERIFY2(got.has_value(), got ? "" : got.error().message.c_str());
        QCOMPARE(got->status, 200L);
        QCOMPARE(got->attempts, 1);
        QCOMPARE(got->header("content-type"), std::string("application/json"));
        QCOMPARE(got->header("CONTENT-TYPE"), std::string("application/json"));
        QCOMPARE(got->header("x-missing"), std::string());
        json echo = echoOf(*got);
        QCOMPARE(echo["method"], "GET");
        QCOMPARE(echo["path"], "/v1/items");
        QCOMPARE(echo["query"]["limit"], "10");
        QCOMPARE(echo["query"]["name"], "a b&c");
        QCOMPARE(echo["headers"]["x-custom"], "Value 1");
        QVERIFY(echo["headers"]["user-agent"].get<std::string>().starts_with("Sluice/"));
        QVERIFY(!echo["headers"].contains("expect")); // no 100-continue round trips

        // A body with NUL bytes and non-ASCII text arrives byte for byte, for every method.
        const std::string body = std::string("{\"name\":\"Zoë\",\"nul\":\"") + '\0' + "\"}";
        for (const char *method : {"POST", "PUT", "PATCH", "DELETE"}) {
            Request post;
            post.method = method;
            post.url = server->baseUrl() + "/v1/items";
            post.headers = {{"Content-Type", "application/json"}};
            post.body = body;
            got = client.send(post);
            QVERIFY(got.has_value());
            echo = echoOf(*got);
            QCOMPARE(echo["method"], method);
            QCOMPARE(echo["body"].get<std::string>(), body);
            QCOMPARE(echo["headers"]["content-type"], "application/json");
        }

        // An empty POST says Content-Length: 0.
        Request empty;
        empty.method = "post";
        empty.url = server->baseUrl() + "/empty";
        got = client.send(empty);
        QVERIFY(got.has_value());
        QCOMPARE(echoOf(*got)["method"], "POST");
        QCOMPARE(echoOf(*got)["headers"]["content-length"], "0");
    }

    void largeBodiesBothWays()
    {
        auto server = makeServer();
        HttpClient client(fastOptions());
        Request post;
        post.method = "POST";
        post.url = server->baseUrl() + "/upload";
        post.body.assign(3 * 1024 * 1024, 'a');
        post.body[12345] = 'b';
        QElapsedTimer timer;
        timer.start();
        auto got = client.send(post);
        QVERIFY(got.has_value());
        QCOMPARE(echoOf(*got)["body"].get<std::string>(), post.body);
        // Without "Expect: 100-continue" there is no 1 s pause before a large body.
        QVERIFY2(since(timer) < 900, std::to_string(since(timer)).c_str());

        got = client.send(get(server->baseUrl() + "/bytes/5000000"));
        QVERIFY(got.has_value());
        QCOMPARE(got->body.size(), std::size_t(5'000'000));
    }

    void keepAliveReusesConnections()
    {
        auto server = makeServer();
        HttpClient client(fastOptions());
        for (int i = 0; i < 30; ++i) {
            auto got = client.send(get(server->baseUrl() + "/seq/" + std::to_string(i)));
            QVERIFY(got.has_value());
            QCOMPARE(got->status, 200L);
        }
        // Across sendAll calls too.
        std::vector<Request> batch;
        for (int i = 0; i < 10; ++i)
            batch.push_back(get(server->baseUrl() + "/batch"));
        for (auto &r : client.sendAll(batch))
            QVERIFY(r.has_value());
        // 40 requests; the batch may open up to maxInFlight connections, never one per request.
        QVERIFY2(server->stats().connections <= 4,
                 std::to_string(server->stats().connections).c_str());
        QCOMPARE(server->stats().requests, 40L);
        QCOMPARE(client.stats().connectionsOpened, server->stats().connections);
        QCOMPARE(client.stats().requests, 40L);
    }

    void requestsInFlightRunConcurrently()
    {
        auto server = makeServer();
        server->setLatency(300);
        ClientOptions options = fastOptions();
        options.maxInFlight = 4;
        HttpClient client(options);
        std::vector<Request> requests;
        for (int i = 0; i < 8; ++i)
            requests.push_back(get(server->baseUrl() + "/r/" + std::to_string(i)));
        QElapsedTimer timer;
        timer.start();
        auto results = client.sendAll(requests);
        const qint64 ms = since(timer);
        // Two rounds of 4, not 8 one after the other (2,400 ms) nor all at once (300 ms).
        QVERIFY2(ms >= 580 && ms < 1400, std::to_string(ms).c_str());
        QCOMPARE(results.size(), std::size_t(8));
        for (int i = 0; i < 8; ++i) {
            QVERIFY(results[i].has_value());
            QCOMPARE(echoOf(*results[i])["path"], "/r/" + std::to_string(i)); // same order
        }
    }

    void everyFaultRecovers_data()
    {
        QTest::addColumn<Fault>("fault");
        QTest::addColumn<int>("retries");
        QTest::addColumn<int>("rateLimitWaits");
        QTest::addColumn<int>("networkErrors");
        QTest::addColumn<int>("handled"); // how often the request took effect
        QTest::addColumn<int>("minMs");
        QTest::newRow("429") << Fault::RateLimit << 0 << 1 << 0 << 1 << 0;
        QTest::newRow("429 Retry-After: 1")
            << Fault::RateLimitRetryAfter << 0 << 1 << 0 << 1 << 950;
        QTest::newRow("500") << Fault::ServerError << 1 << 0 << 0 << 1 << 0;
        QTest::newRow("503") << Fault::Unavailable << 1 << 0 << 0 << 1 << 0;
        QTest::newRow("reset before") << Fault::ResetBeforeHandling << 1 << 0 << 1 << 1 << 0;
        QTest::newRow("reset after") << Fault::ResetAfterHandling << 1 << 0 << 1 << 2 << 0;
        QTest::newRow("hang") << Fault::Hang << 1 << 0 << 1 << 1 << 300;
        QTest::newRow("slow") << Fault::Slow << 0 << 0 << 0 << 1 << 200;
    }

    void everyFaultRecovers()
    {
        QFETCH(Fault, fault);
        QFETCH(int, retries);
        QFETCH(int, rateLimitWaits);
        QFETCH(int, networkErrors);
        QFETCH(int, handled);
        QFETCH(int, minMs);
        auto server = makeServer();
        server->setFaults({.share = 0, .hangMs = 3'000, .slowMs = 200});
        server->queueFault(fault);
        ClientOptions options = fastOptions();
        options.retry.maxDelayMs = 2'000; // so Retry-After: 1 is honoured, not capped
        std::vector<std::string> log;
        options.log = [&log](const std::string &line) { log.push_back(line); };
        HttpClient client(options); // a fresh connection: curl's own silent re-send is not used

        QElapsedTimer timer;
        timer.start();
        auto got = client.send(get(server->baseUrl() + "/x", 300));
        const qint64 ms = since(timer);
        QVERIFY2(got.has_value(), got ? "" : got.error().message.c_str());
        QCOMPARE(got->status, 200L);
        QCOMPARE(got->attempts, 1 + retries + rateLimitWaits);
        QVERIFY2(ms >= minMs, std::to_string(ms).c_str());
        QVERIFY2(ms < minMs + 1'500, std::to_string(ms).c_str());

        const ClientStats stats = client.stats();
        QCOMPARE(stats.retries, long(retries));
        QCOMPARE(stats.rateLimitWaits, long(rateLimitWaits));
        QCOMPARE(stats.networkErrors, long(networkErrors));
        QCOMPARE(stats.requests, 1L);
        QCOMPARE(handledBy(*server), long(handled));
        QCOMPARE(server->stats().faults, 1L);
        QCOMPARE(server->stats().faultsByKind[fault], 1L);
        if (fault == Fault::RateLimitRetryAfter)
            QVERIFY(stats.waited >= 1000ms);
        // One line per retry or wait, one for the result.
        QCOMPARE(log.size(), std::size_t(1 + retries + rateLimitWaits));
        QVERIFY(log.back().find(": 200 in ") != std::string::npos);
    }

    void mixedFaultsEveryRequestDelivered()
    {
        // A fifth of requests fail in every way at once, 8 in flight: every request still
        // gets its own answer, in order, and the stats show the retries.
        auto server = makeServer();
        server->setFaults(
            {.share = 0.2,
             .kinds = {Fault::RateLimit, Fault::RateLimitRetryAfter, Fault::ServerError,
                       Fault::Unavailable, Fault::ResetBeforeHandling, Fault::ResetAfterHandling,
                       Fault::Hang, Fault::Slow},
             .hangMs = 2'000,
             .slowMs = 50,
             .seed = 7});
        ClientOptions options = fastOptions();
        options.maxInFlight = 8;
        options.retry.maxAttempts = 10;
        HttpClient client(options);
        std::vector<Request> requests;
        for (int i = 0; i < 300; ++i) {
            Request r = get(server->baseUrl() + "/item/" + std::to_string(i), 300);
            r.method = "PUT";
            r.body = std::to_string(i);
            requests.push_back(std::move(r));
        }
        auto results = client.sendAll(requests);
        for (int i = 0; i < 300; ++i) {
            QVERIFY2(results[i].has_value(), results[i] ? "" : results[i].error().message.c_str());
            QCOMPARE(results[i]->status, 200L);
            QCOMPARE(echoOf(*results[i])["body"], std::to_string(i));
        }
        const ClientStats stats = client.stats();
        const emu::ServerStats served = server->stats();
        QCOMPARE(stats.requests, 300L);
        QVERIFY(served.faults >= 40);
        // Every fault but Slow costs one more send (curl may re-send a request itself on a
        // reused connection that was reset, which the server counts but the client does not).
        const long slow =
            served.faultsByKind.count(Fault::Slow) ? served.faultsByKind.at(Fault::Slow) : 0;
        QVERIFY(stats.retries + stats.rateLimitWaits <= served.faults - slow);
        QVERIFY(stats.retries + stats.rateLimitWaits > 0);
        QCOMPARE(served.requests, 300 + served.faults - slow);
    }

    void backoffDelaysOnlyItsOwnRequest()
    {
        auto server = makeServer();
        ClientOptions options = fastOptions();
        options.maxInFlight = 1;
        options.retry.maxAttempts = 2;
        options.retry.maxDelayMs = 2'000;
        QElapsedTimer timer;
        std::vector<std::pair<std::string, qint64>> finished;
        options.log = [&](const std::string &line) {
            finished.emplace_back(line, timer.elapsed());
        };
        HttpClient client(options);
        std::vector<Request> requests = {get(server->baseUrl() + "/status/503?retryAfter=1"),
                                         get(server->baseUrl() + "/b"),
                                         get(server->baseUrl() + "/c")};
        timer.start();
        auto results = client.sendAll(requests);
        QCOMPARE(results[0]->status, 503L);
        QCOMPARE(results[1]->status, 200L);
        QCOMPARE(results[2]->status, 200L);
        // With one request in flight, /b and /c ran during the 503's one-second wait.
        QCOMPARE(finished.size(), std::size_t(4)); // the retry, /b, /c, the final 503
        QVERIFY(finished[1].first.find("/b: 200") != std::string::npos);
        QVERIFY(finished[2].first.find("/c: 200") != std::string::npos);
        QVERIFY2(finished[2].second < 500, std::to_string(finished[2].second).c_str());
        QVERIFY(finished[3].first.find("503") != std::string::npos);
        QVERIFY(finished[3].second >= 950);
    }

    void rateLimitPausesEveryNewStart()
    {
        auto server = makeServer();
        server->queueFault(Fault::RateLimitRetryAfter);
        ClientOptions options = fastOptions();
        options.maxInFlight = 1;
        options.retry.maxDelayMs = 2'000;
        QElapsedTimer timer;
        std::vector<std::pair<std::string, qint64>> lines;
        options.log = [&](const std::string &line) { lines.emplace_back(line, timer.elapsed()); };
        HttpClient client(options);
        std::vector<Request> requests(3, get(server->baseUrl() + "/x"));
        timer.start();
        for (auto &r : client.sendAll(requests))
            QCOMPARE(r->status, 200L);
        // The 429 asked for a second: nothing else was sent meanwhile, so no more 429s.
        QCOMPARE(lines.size(), std::size_t(4));
        QVERIFY(lines[0].first.find("429") != std::string::npos);
        for (std::size_t i = 1; i < lines.size(); ++i)
            QVERIFY2(lines[i].second >= 950, std::to_string(lines[i].second).c_str());
        QCOMPARE(server->stats().requests, 4L);
    }

    void serverErrorsExhaustRetries()
    {
        auto server = makeServer();
        server->queueFault(Fault::ServerError, 10);
        ClientOptions options = fastOptions();
        options.retry.maxAttempts = 3;
        HttpClient client(options);
        auto got = client.send(get(server->baseUrl() + "/x"));
        QVERIFY(got.has_value()); // the last 5xx is an answer, not a transport error
        QCOMPARE(got->status, 500L);
        QCOMPARE(got->attempts, 3);
        QCOMPARE(client.stats().retries, 2L);
        QCOMPARE(server->stats().requests, 3L);
    }

    void clientErrorsAreNotRetried()
    {
        auto server = makeServer();
        HttpClient client(fastOptions());
        for (long status : {400L, 401L, 404L, 409L, 501L}) {
            auto got = client.send(get(server->baseUrl() + "/status/" + std::to_string(status)));
            QVERIFY(got.has_value());
            QCOMPARE(got->status, status);
            QCOMPARE(got->attempts, 1);
        }
        QCOMPARE(server->stats().requests, 5L);
        QCOMPARE(client.stats().retries, 0L);
    }

    void resetsExhaustRetriesWithAClearMessage()
    {
        auto server = makeServer();
        server->queueFault(Fault::ResetBeforeHandling, 10);
        ClientOptions options = fastOptions();
        options.retry.maxAttempts = 3;
        HttpClient client(options);
        auto got = client.send(get(server->baseUrl() + "/x"));
        QVERIFY(!got.has_value());
        QCOMPARE(got.error().kind, ErrorKind::Destination);
        const std::string &message = got.error().message;
        QVERIFY2(message.find("127.0.0.1") != std::string::npos, message.c_str());
        QVERIFY2(message.find("reset") != std::string::npos ||
                     message.find("closed the connection") != std::string::npos,
                 message.c_str());
        QVERIFY2(message.find("Tried 3 times") != std::string::npos, message.c_str());
        QVERIFY(got.error().detail.find("curl error") != std::string::npos);
        QCOMPARE(server->stats().requests, 3L);
        QCOMPARE(handledBy(*server), 0L);
    }

    void retryAfterOn503IsHonoured()
    {
        auto server = makeServer();
        ClientOptions options = fastOptions();
        options.retry.maxDelayMs = 5'000;
        options.retry.maxAttempts = 2;
        HttpClient client(options);
        QElapsedTimer timer;
        timer.start();
        // Every attempt is a 503 asking for 1 s: one wait, then the final 503.
        auto got = client.send(get(server->baseUrl() + "/status/503?retryAfter=1"));
        QVERIFY(got.has_value());
        QCOMPARE(got->status, 503L);
        QCOMPARE(got->attempts, 2);
        QVERIFY2(since(timer) >= 950, std::to_string(since(timer)).c_str());

        // maxDelayMs caps what Retry-After asks.
        ClientOptions capped = fastOptions();
        capped.retry.maxDelayMs = 50;
        capped.retry.maxAttempts = 2;
        HttpClient cappedClient(capped);
        timer.restart();
        got = cappedClient.send(get(server->baseUrl() + "/status/503?retryAfter=30"));
        QVERIFY(got.has_value());
        QCOMPARE(got->attempts, 2);
        QVERIFY2(since(timer) < 1'000, std::to_string(since(timer)).c_str());
    }

    void totalRetryTimeIsBounded()
    {
        auto server = makeServer();
        ClientOptions options = fastOptions();
        options.retry.maxAttempts = 1000;
        options.retry.baseDelayMs = 100;
        options.retry.maxDelayMs = 100;
        options.retry.maxTotalMs = 600;
        HttpClient client(options);

        QElapsedTimer timer;
        timer.start();
        auto got = client.send(get(server->baseUrl() + "/status/503"));
        QVERIFY(got.has_value());
        QCOMPARE(got->status, 503L);
        QVERIFY2(since(timer) < 1'000, std::to_string(since(timer)).c_str());
        QVERIFY(got->attempts >= 3);

        // Rate-limit waits are bounded by the same budget.
        timer.restart();
        got = client.send(get(server->baseUrl() + "/status/429"));
        QVERIFY(got.has_value());
        QCOMPARE(got->status, 429L);
        QVERIFY2(since(timer) < 1'000, std::to_string(since(timer)).c_str());

        // And a server that never answers: each retry's timeout is cut to what is left.
        server->setFaults({.share = 1, .kinds = {Fault::Hang}, .hangMs = 5'000});
        timer.restart();
        got = client.send(get(server->baseUrl() + "/hang", 250));
        QVERIFY(!got.has_value());
        QVERIFY2(got.error().message.find("timed out") != std::string::npos,
                 got.error().message.c_str());
        QVERIFY2(since(timer) < 1'500, std::to_string(since(timer)).c_str());
    }

    void cancelStopsRequestsInFlight()
    {
        auto server = makeServer();
        server->setFaults({.share = 1, .kinds = {Fault::Hang}, .hangMs = 5'000});
        HttpClient client(fastOptions());
        std::vector<Request> requests;
        for (int i = 0; i < 10; ++i)
            requests.push_back(get(server->baseUrl() + "/slow", 10'000));
        CancelToken cancel;
        std::thread stopper([&cancel] {
            std::this_thread::sleep_for(200ms);
            cancel.cancel();
        });
        QElapsedTimer timer;
        timer.start();
        auto results = client.sendAll(requests, &cancel);
        const qint64 ms = since(timer);
        stopper.join();
        QVERIFY2(ms < 350, std::to_string(ms).c_str());
        for (auto &r : results) {
            QVERIFY(!r.has_value());
            QCOMPARE(r.error().kind, ErrorKind::Cancelled);
        }
        QCOMPARE(client.stats().requests, 0L);

        // Already cancelled: nothing is sent.
        server->clearFaults();
        const long before = server->stats().requests;
        auto again = client.send(get(server->baseUrl() + "/x"), &cancel);
        QVERIFY(!again.has_value());
        QCOMPARE(again.error().kind, ErrorKind::Cancelled);
        QCOMPARE(server->stats().requests, before);

        // The client still works afterwards.
        auto fine = client.send(get(server->baseUrl() + "/x"));
        QVERIFY(fine.has_value());
        QCOMPARE(fine->status, 200L);
    }

    void cancelDuringBackoff()
    {
        auto server = makeServer();
        ClientOptions options = fastOptions();
        options.retry.maxDelayMs = 30'000;
        options.retry.maxTotalMs = 60'000;
        HttpClient client(options);
        CancelToken cancel;
        std::thread stopper([&cancel] {
            std::this_thread::sleep_for(200ms);
            cancel.cancel();
        });
        QElapsedTimer timer;
        timer.start();
        // Retry-After: 20 puts the request in a 20 s wait, with nothing in flight.
        auto got = client.send(get(server->baseUrl() + "/status/503?retryAfter=20"), &cancel);
        stopper.join();
        QVERIFY(!got.has_value());
        QCOMPARE(got.error().kind, ErrorKind::Cancelled);
        QVERIFY2(since(timer) < 350, std::to_string(since(timer)).c_str());
    }

    void hookIsClearedAfterReturn()
    {
        auto server = makeServer();
        CancelToken cancel;
        {
            HttpClient client(fastOptions());
            QVERIFY(client.send(get(server->baseUrl() + "/x"), &cancel).has_value());
        }
        // The client (and its curl handle) is gone: cancelling must not call into it.
        cancel.cancel();
        QVERIFY(cancel.cancelled());
    }

    void connectionRefusedNamesTheHost()
    {
        ClientOptions options = fastOptions();
        options.retry.maxAttempts = 2;
        std::vector<std::string> log;
        options.log = [&log](const std::string &line) { log.push_back(line); };
        HttpClient client(options);
        auto got = client.send(get("http://127.0.0.1:" + std::to_string(deadPort()) + "/x"));
        QVERIFY(!got.has_value());
        QCOMPARE(got.error().kind, ErrorKind::Destination);
        QVERIFY2(got.error().message.starts_with(
                     "Could not reach 127.0.0.1: the connection was refused."),
                 got.error().message.c_str());
        QCOMPARE(client.stats().networkErrors, 2L);
        QCOMPARE(client.stats().retries, 1L);
        QCOMPARE(log.size(), std::size_t(2)); // the retry, then the failure
    }

    void unknownHostNamesTheHost()
    {
        HttpClient client(fastOptions());
        auto got = client.send(get("http://sluice-test-host.invalid/x", 3'000));
        QVERIFY(!got.has_value());
        const std::string &message = got.error().message;
        QVERIFY2(message.find("sluice-test-host.invalid") != std::string::npos, message.c_str());
        if (message.starts_with("Could not find"))
            QCOMPARE(client.stats().retries, 0L); // a name that does not resolve is not retried
    }

    void badUrlsAreInvalid()
    {
        HttpClient client(fastOptions());
        for (const char *url : {"ftp://example.com/file", "not a url", ""}) {
            auto got = client.send(get(url));
            QVERIFY2(!got.has_value(), url);
            QCOMPARE(got.error().kind, ErrorKind::Invalid);
            QVERIFY2(got.error().message.find("http") != std::string::npos,
                     got.error().message.c_str());
        }
    }

    void headersWithLineBreaksAreRefused()
    {
        auto server = makeServer();
        HttpClient client(fastOptions());
        for (const Headers &headers :
             {Headers{{"Authorization", "Bearer a\r\nX-Evil: 1"}}, Headers{{"X-Bad\nName", "v"}},
              Headers{{"", "v"}}, Headers{{"A:B", "v"}}}) {
            Request request = get(server->baseUrl() + "/x");
            request.headers = headers;
            auto got = client.send(request);
            QVERIFY(!got.has_value());
            QCOMPARE(got.error().kind, ErrorKind::Invalid);
            QVERIFY(got.error().message.find("line break") != std::string::npos);
        }
        QCOMPARE(server->stats().requests, 0L);
        // An empty value is fine and arrives empty.
        Request request = get(server->baseUrl() + "/x");
        request.headers = {{"X-Empty", ""}};
        auto got = client.send(request);
        QVERIFY(got.has_value());
        QCOMPARE(echoOf(*got)["headers"]["x-empty"], "");
    }

    void rateLimitPacesStarts()
    {
        auto server = makeServer();
        ClientOptions options = fastOptions();
        options.maxInFlight = 10;
        options.rateLimit = {5, 200};
        HttpClient client(options);
        std::vector<Request> requests(10, get(server->baseUrl() + "/x"));
        QElapsedTimer timer;
        timer.start();
        auto results = client.sendAll(requests);
        const qint64 ms = since(timer);
        for (auto &r : results)
            QVERIFY(r.has_value());
        QVERIFY2(ms >= 195 && ms < 600, std::to_string(ms).c_str());
        QVERIFY(client.stats().waited >= 150ms);

        // The window carries over to the next call: 5 more must wait for the first 5 to age.
        timer.restart();
        std::vector<Request> more(5, get(server->baseUrl() + "/x"));
        for (auto &r : client.sendAll(more))
            QVERIFY(r.has_value());
        QVERIFY2(since(timer) >= 150, std::to_string(since(timer)).c_str());
    }

    void rateLimiterWindow()
    {
        using Clock = RateLimiter::Clock;
        const Clock::time_point t0{};
        RateLimiter limiter(3, 100);
        QVERIFY(!limiter.unlimited());
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(limiter.nextStart(t0), t0);
            limiter.started(t0);
        }
        QCOMPARE(limiter.nextStart(t0 + 10ms), t0 + 100ms);
        limiter.started(t0 + 100ms);
        // Two of the first three are still inside (0, 150]: the next start waits for 200.
        limiter.started(t0 + 100ms);
        limiter.started(t0 + 150ms);
        QCOMPARE(limiter.nextStart(t0 + 150ms), t0 + 200ms);
        QCOMPARE(limiter.nextStart(t0 + 300ms), t0 + 300ms);

        RateLimiter unlimited(0, 1000);
        QVERIFY(unlimited.unlimited());
        unlimited.started(t0);
        QCOMPARE(unlimited.nextStart(t0), t0);
    }

    void proxyComesFromTheEnvironment()
    {
        auto server = makeServer();
        {
            // Through a proxy (the emulator plays it): it receives the absolute URL.
            EnvVar proxy("http_proxy", QByteArray::fromStdString(server->baseUrl()));
            EnvVar noProxy("no_proxy", "");
            EnvVar noProxyUpper("NO_PROXY", "");
            HttpClient client(fastOptions());
            auto got = client.send(get("http://sluice-proxy-test.invalid/via-proxy"));
            QVERIFY2(got.has_value(), got ? "" : got.error().message.c_str());
            QCOMPARE(echoOf(*got)["headers"]["host"], "sluice-proxy-test.invalid");
            QCOMPARE(echoOf(*got)["path"], "/via-proxy");
        }
        {
            // no_proxy=127.0.0.1 skips a proxy that would refuse everything.
            EnvVar proxy("http_proxy",
                         QByteArray("http://127.0.0.1:") + QByteArray::number(deadPort()));
            EnvVar noProxy("no_proxy", "127.0.0.1,localhost");
            HttpClient client(fastOptions());
            auto got = client.send(get(server->baseUrl() + "/direct"));
            QVERIFY2(got.has_value(), got ? "" : got.error().message.c_str());
            QCOMPARE(echoOf(*got)["path"], "/direct");
        }
    }

    void caFileMustBeReadable()
    {
        auto server = makeServer();
        QTemporaryDir dir;
        const std::string notPem = dir.path().toStdString() + "/ca.txt";
        QFile f(QString::fromStdString(notPem));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a certificate");
        f.close();
        for (const std::string &path : {dir.path().toStdString() + "/missing.pem", notPem}) {
            ClientOptions options = fastOptions();
            options.caFile = path;
            HttpClient client(options);
            auto got = client.send(get(server->baseUrl() + "/x"));
            QVERIFY(!got.has_value());
            QCOMPARE(got.error().kind, ErrorKind::Invalid);
            QVERIFY2(got.error().message.find(path) != std::string::npos,
                     got.error().message.c_str());
        }
        QCOMPARE(server->stats().requests, 0L);
    }

    void tlsIsVerifiedAgainstTheAddedCa()
    {
        const emu::TestCertificates certs = emu::makeTestCertificates("127.0.0.1");
        EmulatorServer server(
            std::make_unique<EchoEmulator>(),
            {.tlsCertificatePem = certs.serverCertPem, .tlsPrivateKeyPem = certs.serverKeyPem});
        QVERIFY(server.baseUrl().starts_with("https://127.0.0.1:"));

        // Not signed by anyone the system trusts: refused, said plainly, not retried.
        {
            HttpClient client(fastOptions());
            auto got = client.send(get(server.baseUrl() + "/x"));
            QVERIFY(!got.has_value());
            QCOMPARE(got.error().kind, ErrorKind::Destination);
            QVERIFY2(got.error().message.starts_with(
                         "The TLS certificate of 127.0.0.1 could not be verified"),
                     got.error().message.c_str());
            QCOMPARE(client.stats().retries, 0L);
            QCOMPARE(handledBy(server), 0L);
        }

        // With the test CA added, it is trusted, and the TLS connection is kept alive.
        QTemporaryDir dir;
        const std::string caPath = dir.path().toStdString() + "/test-ca.pem";
        {
            QFile f(QString::fromStdString(caPath));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(certs.caPem.data(), qint64(certs.caPem.size()));
        }
        ClientOptions options = fastOptions();
        options.caFile = caPath;
        {
            HttpClient client(options);
            for (int i = 0; i < 5; ++i) {
                auto got = client.send(get(server.baseUrl() + "/secure"));
                QVERIFY2(got.has_value(), got ? "" : got.error().detail.c_str());
                QCOMPARE(got->status, 200L);
                QCOMPARE(echoOf(*got)["path"], "/secure");
            }
            QCOMPARE(client.stats().connectionsOpened, 1L);
        }

        // The same CA vouching for another name does not do: the host name is checked too.
        const emu::TestCertificates other = emu::makeTestCertificates("localhost");
        EmulatorServer wrongName(
            std::make_unique<EchoEmulator>(),
            {.tlsCertificatePem = other.serverCertPem, .tlsPrivateKeyPem = other.serverKeyPem});
        {
            QFile f(QString::fromStdString(caPath));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(other.caPem.data(), qint64(other.caPem.size()));
        }
        HttpClient client(options);
        auto got = client.send(get(wrongName.baseUrl() + "/x"));
        QVERIFY(!got.has_value());
        QVERIFY2(got.error().message.starts_with("The TLS certificate of 127.0.0.1"),
                 got.error().message.c_str());
    }

    void logLinesAreRedacted()
    {
        auto server = makeServer();
        ClientOptions options = fastOptions();
        std::vector<std::string> log;
        options.log = [&log](const std::string &line) { log.push_back(line); };
        HttpClient client(options);
        Request request = get(server->baseUrl() + "/status/400?hapikey=SECRET111&limit=5");
        request.headers = {{"Authorization", "Bearer SECRET222"}};
        request.method = "POST";
        request.body = R"({"password":"SECRET333"})";
        auto got = client.send(request);
        QVERIFY(got.has_value());
        QCOMPARE(got->status, 400L);
        // The echo body holds all three secrets; the caller still gets it unredacted.
        QVERIFY(got->body.find("SECRET222") != std::string::npos);
        QCOMPARE(log.size(), std::size_t(1));
        const std::string &line = log.front();
        QVERIFY2(line.find("POST http://127.0.0.1:") == 0, line.c_str());
        QVERIFY2(line.find("hapikey=***&limit=5") != std::string::npos, line.c_str());
        QVERIFY2(line.find(": 400 in ") != std::string::npos, line.c_str());
        QVERIFY2(line.find("body: ") != std::string::npos, line.c_str());
        for (const char *secret : {"SECRET111", "SECRET222", "SECRET333"})
            QVERIFY2(line.find(secret) == std::string::npos, line.c_str());
        QVERIFY(line.size() < 800); // the body is cut

        // A 200's body is never logged.
        log.clear();
        QVERIFY(client.send(get(server->baseUrl() + "/ok?token=SECRET444")).has_value());
        QCOMPARE(log.size(), std::size_t(1));
        QVERIFY2(log.front().find("body") == std::string::npos, log.front().c_str());
        QVERIFY2(log.front().find("SECRET444") == std::string::npos, log.front().c_str());
    }

    void redactMasksSecrets_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("query") << "https://api.hubapi.com/x?hapikey=abc123&limit=10"
                               << "https://api.hubapi.com/x?hapikey=***&limit=10";
        QTest::newRow("query key + access_token")
            << "/v4/spreadsheets?key=AIzaXYZ&access_token=ya29.a0Af#frag"
            << "/v4/spreadsheets?key=***&access_token=***#frag";
        QTest::newRow("oauth code in redirect")
            << "http://127.0.0.1:5000/cb?code=4/0Adeu5&state=xyz"
            << "http://127.0.0.1:5000/cb?code=***&state=xyz";
        QTest::newRow("form body")
            << "grant_type=refresh_token&refresh_token=1//"
               "0gabc&client_id=123.apps&client_secret=GOCSPX-s"
            << "grant_type=refresh_token&refresh_token=***&client_id=123.apps&client_secret=***";
        QTest::newRow("jwt-bearer assertion")
            << "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=abc.def."
               "ghi"
            << "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=***";
        QTest::newRow("password form") << "username=me&password=p%40ss&x=1"
                                       << "username=me&password=***&x=1";
        QTest::newRow("json token response")
            << R"({"access_token":"ya29.abc","expires_in":3599,"scope":"s","refresh_token" : "1//xyz"})"
            << R"({"access_token":"***","expires_in":3599,"scope":"s","refresh_token" : "***"})";
        // (A plain literal: moc misreads a raw string holding \".)
        QTest::newRow("json escaped quote in secret")
            << "{\"client_secret\":\"a\\\"b,c\",\"name\":\"n\"}"
            << "{\"client_secret\":\"***\",\"name\":\"n\"}";
        QTest::newRow("json inside a json string")
            << "{\"body\":\"{\\\"password\\\":\\\"p\\\\\\\"w\\\",\\\"n\\\":1}\"}"
            << "{\"body\":\"{\\\"password\\\":\\\"***\\\",\\\"n\\\":1}\"}";
        QTest::newRow("json number password") << R"({"password": 12345, "id": 7})"
                                              << R"({"password": ***, "id": 7})";
        QTest::newRow("json error code kept")
            << R"({"code":"INVALID_EMAIL","message":"bad","key":"k1"})"
            << R"({"code":"INVALID_EMAIL","message":"bad","key":"***"})";
        QTest::newRow("json nested object kept")
            << R"({"secrets":{"a":"1"},"webhook_secret":"whsec_x"})"
            << R"({"secrets":{"a":"1"},"webhook_secret":"***"})";
        QTest::newRow("header lines")
            << "Authorization: Bearer abc.def\nContent-Type: application/json\nX-Api-Key: "
               "k\r\nCookie: sid=1"
            << "Authorization: ***\nContent-Type: application/json\nX-Api-Key: ***\r\nCookie: ***";
        QTest::newRow("bearer in prose") << "sent bearer eyJhbGciOiJSUzI1NiJ9xyz to the server"
                                         << "sent bearer *** to the server";
        QTest::newRow("jwt anywhere") << "id eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl end"
                                      << "id *** end";
        QTest::newRow("pem private key")
            << "key: -----BEGIN PRIVATE KEY-----\nMIIEv\nQ==\n-----END PRIVATE KEY-----\nafter"
            << "key: ***\nafter";
        QTest::newRow("nothing secret") << "GET https://example.com/a?limit=5&after=abc: 200"
                                        << "GET https://example.com/a?limit=5&after=abc: 200";
        QTest::newRow("zip code kept") << "zipcode=12345&postcode=9"
                                       << "zipcode=12345&postcode=9";
    }

    void redactMasksSecrets()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(redact(input.toStdString())), expected);
    }

    void redactHeadersMasksCredentials()
    {
        const Headers in = {{"Authorization", "Bearer abc"},
                            {"Content-Type", "application/json"},
                            {"X-HubSpot-Key", "k"},
                            {"x-goog-api-key", "k2"},
                            {"Cookie", "a=b"},
                            {"webhook-signature", "v1,abc="},
                            {"webhook-id", "msg_1"},
                            {"Location", "https://x/cb?code=c1&state=s"}};
        const Headers out = redactHeaders(in);
        QCOMPARE(out.size(), in.size());
        QCOMPARE(out[0].second, std::string("***"));
        QCOMPARE(out[0].first, std::string("Authorization")); // names are kept
        QCOMPARE(out[1].second, std::string("application/json"));
        QCOMPARE(out[2].second, std::string("***"));
        QCOMPARE(out[3].second, std::string("***"));
        QCOMPARE(out[4].second, std::string("***"));
        QCOMPARE(out[5].second, std::string("***"));
        QCOMPARE(out[6].second, std::string("msg_1"));
        QCOMPARE(out[7].second, std::string("https://x/cb?code=***&state=s"));
    }

    void retryAfterParsing()
    {
        const auto now =
            std::chrono::system_clock::from_time_t(1445412480); // 21 Oct 2015 07:28 GMT
        QCOMPARE(retryAfterMs("3", now), 3000);
        QCOMPARE(retryAfterMs(" 0 ", now), 0);
        QCOMPARE(retryAfterMs("1.5", now), 1500);
        QCOMPARE(retryAfterMs("120", now), 120'000);
        QCOMPARE(retryAfterMs("", now), -1);
        QCOMPARE(retryAfterMs("soon", now), -1);
        QCOMPARE(retryAfterMs("-1", now), -1);
        QCOMPARE(retryAfterMs("3s", now), -1);
        QCOMPARE(retryAfterMs("99999999999", now), std::numeric_limits<int>::max());
        // The three HTTP date formats, 90 s after `now`.
        QCOMPARE(retryAfterMs("Wed, 21 Oct 2015 07:29:30 GMT", now), 90'000);
        QCOMPARE(retryAfterMs("Wednesday, 21-Oct-15 07:29:30 GMT", now), 90'000);
        QCOMPARE(retryAfterMs("Wed Oct 21 07:29:30 2015", now), 90'000);
        // A date in the past means now.
        QCOMPARE(retryAfterMs("Wed, 21 Oct 2015 07:00:00 GMT", now), 0);
    }

    void encoding()
    {
        QCOMPARE(urlEncode("abcXYZ019-._~"), std::string("abcXYZ019-._~"));
        QCOMPARE(urlEncode("a b&c=d/e?f+g#h%"), std::string("a%20b%26c%3Dd%2Fe%3Ff%2Bg%23h%25"));
        QCOMPARE(urlEncode("Zoë 😀"), std::string("Zo%C3%AB%20%F0%9F%98%80"));
        QCOMPARE(urlEncode(std::string("a\0b", 3)), std::string("a%00b"));
        QCOMPARE(urlEncode(""), std::string());
        QCOMPARE(formEncode({{"grant_type", "client_credentials"},
                             {"scope", "crm.objects.contacts.write oauth"},
                             {"redirect_uri", "http://127.0.0.1:8080/cb"}}),
                 std::string("grant_type=client_credentials&scope=crm.objects.contacts.write%"
                             "20oauth&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcb"));
        QCOMPARE(formEncode({}), std::string());
        QCOMPARE(formEncode({{"empty", ""}}), std::string("empty="));

        // What formEncode writes, the server reads back unchanged.
        auto server = makeServer();
        HttpClient client(fastOptions());
        const std::string tricky = "a b+c&d=e/é%";
        auto got = client.send(get(server->baseUrl() + "/q?" + formEncode({{"v", tricky}})));
        QVERIFY(got.has_value());
        QCOMPARE(echoOf(*got)["query"]["v"].get<std::string>(), tricky);
    }

    void emulatorServerStopsWithOpenConnections()
    {
        // A server destroyed while a client holds keep-alive connections and a reply is
        // still pending stops cleanly; the client sees a transport error, not a hang.
        auto server = makeServer();
        const std::string url = server->baseUrl() + "/x";
        ClientOptions options = fastOptions();
        options.retry.maxAttempts = 3;
        HttpClient client(options);
        QVERIFY(client.send(get(url)).has_value());
        server->setFaults({.share = 1, .kinds = {Fault::Hang}, .hangMs = 60'000});
        std::thread destroyer([&server] {
            std::this_thread::sleep_for(150ms);
            server.reset();
        });
        QElapsedTimer timer;
        timer.start();
        auto got = client.send(get(url, 10'000));
        destroyer.join();
        QVERIFY(!got.has_value());
        QCOMPARE(got.error().kind, ErrorKind::Destination);
        QVERIFY2(since(timer) < 2'000, std::to_string(since(timer)).c_str());
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "testhttpclient.moc"
