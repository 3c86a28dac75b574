// EmulatorServer itself: what an emulator sees of a request, fault order (queued, then the
// seeded mix), hung and slow replies that do not hold up other connections, latency, bugs in an
// emulator turned into readable 500s, and the sluice-emulator tool.
#include "net/httpclient.h"

#include "echoemulator.h"
#include "emulator.h"
#include "registry.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <future>
#include <stdexcept>

using namespace sluice;
using namespace sluice::net;
using namespace std::chrono_literals;
using emu::EchoEmulator;
using emu::EmulatorServer;
using emu::Fault;
using nlohmann::json;

namespace {

// Answers /throw by throwing and /weird with a status HTTP does not have.
class BrokenEmulator : public emu::Emulator
{
public:
    emu::EmuReply handle(const emu::EmuRequest &request) override
    {
        if (request.path == "/throw")
            throw std::runtime_error("boom in the emulator");
        if (request.path == "/weird")
            return emu::EmuReply::text(299, "odd");
        return emu::EmuReply::text(200, "fine");
    }
};

ClientOptions oneShot()
{
    ClientOptions options;
    options.retry.maxAttempts = 1;
    options.retry.baseDelayMs = 10;
    options.retry.maxDelayMs = 50;
    return options;
}

Request get(const std::string &url, int timeoutMs = 5'000)
{
    Request request;
    request.url = url;
    request.timeoutMs = timeoutMs;
    return request;
}

std::vector<long> statuses(HttpClient &client, const std::string &url, int count)
{
    std::vector<long> out;
    for (int i = 0; i < count; ++i) {
        auto got = client.send(get(url));
        out.push_back(got ? got->status : -1);
    }
    return out;
}

} // namespace

class TestEmulatorServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qputenv("no_proxy", "127.0.0.1,localhost"); }

    void requestAsTheEmulatorSeesIt()
    {
        EmulatorServer server(std::make_unique<EchoEmulator>());
        QVERIFY(server.port() > 0);
        QCOMPARE(server.baseUrl(), "http://127.0.0.1:" + std::to_string(server.port()));
        HttpClient client(oneShot());
        Request request;
        request.method = "PATCH";
        request.url = server.baseUrl() + "/objects/a%20b/%C3%A9?x=1&a+b=c%26d&flag&x=2";
        request.headers = {{"X-Mixed-Case", "Keep Value"}, {"Content-Type", "text/csv"}};
        request.body = "id,name\n1,Zoë\n";
        auto got = client.send(request);
        QVERIFY(got.has_value());
        const json echo = json::parse(got->body);
        QCOMPARE(echo["method"], "PATCH");
        QCOMPARE(echo["path"], "/objects/a b/é");
        QCOMPARE(echo["query"]["a b"], "c&d"); // '+' is a space in a query
        QCOMPARE(echo["query"]["flag"], "");
        QCOMPARE(echo["query"]["x"], "2"); // the last value wins
        QCOMPARE(echo["headers"]["x-mixed-case"], "Keep Value");
        QCOMPARE(echo["headers"]["content-type"], "text/csv");
        QCOMPARE(echo["body"], "id,name\n1,Zoë\n");

        const emu::EmuRequest seen =
            server.inspect<EchoEmulator>([](EchoEmulator &e) { return e.recent.back(); });
        QCOMPARE(seen.header("x-mixed-case"), std::string("Keep Value"));
        QCOMPARE(seen.header("X-Mixed-Case"), std::string()); // names are lower case
    }

    void queuedFaultsComeBeforeTheMix()
    {
        EmulatorServer server(std::make_unique<EchoEmulator>());
        ClientOptions options = oneShot();
        options.retry.maxTotalMs = 0; // every answer is final, a 429 too
        HttpClient client(options);
        server.setFaults({.share = 1, .kinds = {Fault::Unavailable}});
        server.queueFault(Fault::ServerError, 2);
        server.queueFault(Fault::RateLimitRetryAfter);
        QCOMPARE(statuses(client, server.baseUrl() + "/a", 5),
                 (std::vector<long>{500, 500, 429, 503, 503}));
        server.clearFaults();
        QCOMPARE(statuses(client, server.baseUrl() + "/a", 1), std::vector<long>{200});

        const emu::ServerStats stats = server.stats();
        QCOMPARE(stats.requests, 6L);
        QCOMPARE(stats.faults, 5L);
        QCOMPARE(stats.faultsByKind.at(Fault::ServerError), 2L);
        QCOMPARE(stats.faultsByKind.at(Fault::RateLimitRetryAfter), 1L);
        QCOMPARE(stats.faultsByKind.at(Fault::Unavailable), 2L);
        QCOMPARE(stats.connections, 1L);
        QCOMPARE(server.inspect<EchoEmulator>([](EchoEmulator &e) { return e.handled; }), 1L);
    }

    void defaultFaultBodies()
    {
        EmulatorServer server(std::make_unique<EchoEmulator>());
        ClientOptions options = oneShot();
        options.retry.maxTotalMs = 0; // answer the first 429 as is
        HttpClient client(options);
        server.queueFault(Fault::RateLimitRetryAfter);
        server.queueFault(Fault::RateLimit);
        server.queueFault(Fault::Unavailable);
        auto got = client.send(get(server.baseUrl() + "/a"));
        QCOMPARE(got->status, 429L);
        QCOMPARE(got->header("Retry-After"), std::string("1"));
        QCOMPARE(json::parse(got->body)["error"], "rate_limited");
        got = client.send(get(server.baseUrl() + "/a"));
        QCOMPARE(got->status, 429L);
        QCOMPARE(got->header("Retry-After"), std::string());
        got = client.send(get(server.baseUrl() + "/a"));
        QCOMPARE(got->status, 503L);
        QCOMPARE(got->header("Content-Type"), std::string("application/json"));
        QCOMPARE(server.inspect<EchoEmulator>([](EchoEmulator &e) { return e.handled; }), 0L);
    }

    void theMixIsSeeded()
    {
        auto run = [](std::uint32_t seed) {
            EmulatorServer server(std::make_unique<EchoEmulator>());
            server.setFaults({.share = 0.3, .kinds = {Fault::ServerError}, .seed = seed});
            HttpClient client(oneShot());
            return statuses(client, server.baseUrl() + "/a", 200);
        };
        const std::vector<long> first = run(5);
        QCOMPARE(run(5), first); // the same seed, the same faults
        QVERIFY(run(6) != first);
        const auto failed = std::count(first.begin(), first.end(), 500L);
        QVERIFY2(failed > 35 && failed < 85, std::to_string(failed).c_str());
        QCOMPARE(std::count(first.begin(), first.end(), 200L), 200 - failed);
    }

    void hangingConnectionDoesNotHoldUpOthers()
    {
        EmulatorServer server(std::make_unique<EchoEmulator>());
        server.setFaults({.hangMs = 600});
        server.queueFault(Fault::Hang);
        auto hung = std::async(std::launch::async, [&server] {
            HttpClient client(oneShot());
            QElapsedTimer timer;
            timer.start();
            auto got = client.send(get(server.baseUrl() + "/hang", 5'000));
            return std::make_pair(std::move(got), timer.elapsed());
        });
        std::this_thread::sleep_for(100ms); // let the hang take the queued fault
        HttpClient client(oneShot());
        QElapsedTimer timer;
        timer.start();
        auto got = client.send(get(server.baseUrl() + "/other"));
        QVERIFY(got.has_value());
        QVERIFY2(timer.elapsed() < 300, std::to_string(timer.elapsed()).c_str());

        auto [result, ms] = hung.get();
        // No answer, then the connection is closed after hangMs.
        QVERIFY(!result.has_value());
        QVERIFY2(result.error().message.find("closed the connection without answering") !=
                     std::string::npos,
                 result.error().message.c_str());
        QVERIFY2(ms >= 550 && ms < 2'000, std::to_string(ms).c_str());
    }

    void slowRepliesAndLatencyDelayWithoutBlocking()
    {
        EmulatorServer server(std::make_unique<EchoEmulator>());
        ClientOptions options = oneShot();
        options.maxInFlight = 6;
        HttpClient client(options);
        server.setLatency(200);
        QElapsedTimer timer;
        timer.start();
        std::vector<Request> six(6, get(server.baseUrl() + "/l"));
        for (auto &r : client.sendAll(six))
            QVERIFY(r.has_value());
        QVERIFY2(timer.elapsed() >= 195 && timer.elapsed() < 600,
                 std::to_string(timer.elapsed()).c_str());

        server.setLatency(0);
        server.setFaults({.slowMs = 300});
        server.queueFault(Fault::Slow);
        timer.restart();
        auto got = client.send(get(server.baseUrl() + "/s"));
        QVERIFY(got.has_value());
        QCOMPARE(got->status, 200L);
        QVERIFY2(timer.elapsed() >= 295, std::to_string(timer.elapsed()).c_str());
        // A slow reply was handled when it arrived, not when it was sent.
        QCOMPARE(server.inspect<EchoEmulator>([](EchoEmulator &e) { return e.handled; }), 7L);
    }

    void emulatorBugsBecomeReadable500s()
    {
        EmulatorServer server(std::make_unique<BrokenEmulator>());
        HttpClient client(oneShot());
        auto got = client.send(get(server.baseUrl() + "/throw"));
        QCOMPARE(got->status, 500L);
        QVERIFY(got->body.find("boom in the emulator") != std::string::npos);
        got = client.send(get(server.baseUrl() + "/weird"));
        QCOMPARE(got->status, 500L);
        QVERIFY(got->body.find("unknown HTTP status 299") != std::string::npos);
        got = client.send(get(server.baseUrl() + "/fine"));
        QCOMPARE(got->status, 200L);
        QCOMPARE(got->body, std::string("fine"));
    }

    void fixedPortAndPortInUse()
    {
        EmulatorServer first(std::make_unique<EchoEmulator>());
        bool threw = false;
        try {
            EmulatorServer second(std::make_unique<EchoEmulator>(), {.port = first.port()});
        } catch (const std::runtime_error &e) {
            threw = true;
            QVERIFY(std::string(e.what()).find(std::to_string(first.port())) != std::string::npos);
        }
        QVERIFY(threw);
    }

    void registryKnowsEcho()
    {
        QVERIFY(emu::makeEmulator("echo") != nullptr);
        QVERIFY(emu::makeEmulator("no-such-vendor") == nullptr);
        const auto names = emu::emulatorNames();
        QVERIFY(std::find(names.begin(), names.end(), "echo") != names.end());
    }

    void commandLineTool()
    {
        QProcess tool;
        tool.start(QStringLiteral(SLUICE_EMULATOR_PATH), {"echo"});
        QVERIFY(tool.waitForStarted());
        QVERIFY(tool.waitForReadyRead(5'000));
        const QString line = QString::fromUtf8(tool.readLine()).trimmed();
        QVERIFY2(line.startsWith("listening on http://127.0.0.1:"), qPrintable(line));
        const std::string url = line.mid(QStringLiteral("listening on ").size()).toStdString();
        HttpClient client(oneShot());
        auto got = client.send(get(url + "/hello"));
        QVERIFY(got.has_value());
        QCOMPARE(json::parse(got->body)["path"], "/hello");
        tool.kill();
        tool.waitForFinished();

        QProcess unknown;
        unknown.start(QStringLiteral(SLUICE_EMULATOR_PATH), {"no-such-vendor"});
        QVERIFY(unknown.waitForFinished(5'000));
        QCOMPARE(unknown.exitCode(), 2);
        QVERIFY(unknown.readAllStandardError().contains("no emulator named"));
    }
};

QTEST_GUILESS_MAIN(TestEmulatorServer)
#include "testemulatorserver.moc"
