// HubSpot benchmark: 10,000 contacts from a SQLite model into the local HubSpot emulator (over
// real HTTP on 127.0.0.1, HubSpot's 190-requests-per-10-s limit enforced by the emulator and
// paced by the destination), the scale at which Grouparoo 0.9 takes about 150 s for the first
// push and 55 s for 100 changed contacts.
//   (a) floor: the same 100 batch-upsert requests, built beforehand, sent straight through the
//       HTTP client to a fresh emulator: what HTTP and the emulator cost on this machine;
//   (b) Sluice's first sync (read, map, hash, batch, send, record state);
//   (c) a re-run after changing 100 contacts;  (d) a re-run with nothing changed.
// Targets: (b) under 5 s, (c) under 1 s. Usage: bench_hubspot [--rows N]
#include "destinations/hubspotdestination.h"
#include "engine/syncengine.h"
#include "fixture.h"
#include "hubspotemulator.h"
#include "net/httpclient.h"
#include "sources/sqlitesource.h"

#include <QCoreApplication>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

using namespace sluice;
using namespace sluice::test;
using sluice::emu::EmulatorServer;
using sluice::emu::HubSpotEmulator;

namespace {

const std::string kToken = "pat-na1-00000000-0000-0000-0000-000000000000";

std::unique_ptr<EmulatorServer> startEmulator()
{
    auto emulator = std::make_unique<HubSpotEmulator>(kToken);
    emulator->setRateLimit(190, 10'000); // HubSpot's documented limit for private apps
    return std::make_unique<EmulatorServer>(std::move(emulator));
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// (a): upserts of `rows` contacts in batches of 100, sent 4 at a time.
double floorSeconds(int rows)
{
    auto server = startEmulator();
    std::vector<net::Request> requests;
    for (int start = 1; start <= rows; start += 100) {
        std::string body = R"({"inputs":[)";
        for (int id = start; id < start + 100 && id <= rows; ++id) {
            if (id != start)
                body += ',';
            const std::string n = std::to_string(id);
            for (const char *part :
                 {R"({"idProperty":"customer_id","id":")", n.c_str(),
                  R"(","properties":{"customer_id":")", n.c_str(), R"(","firstname":"Person )",
                  n.c_str(), R"(","email":"p)", n.c_str(), R"(@example.com"}})"})
                body.append(part);
        }
        body += "]}";
        net::Request r;
        r.method = "POST";
        r.url = server->baseUrl() + "/crm/v3/objects/contacts/batch/upsert";
        r.headers = {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}};
        r.body = std::move(body);
        requests.push_back(std::move(r));
    }
    net::ClientOptions options;
    options.maxInFlight = 4;
    net::HttpClient client(options);
    const auto start = std::chrono::steady_clock::now();
    auto responses = client.sendAll(std::move(requests));
    const double s = secondsSince(start);
    for (const auto &r : responses)
        if (!r || r->status >= 300) {
            std::fprintf(stderr, "bench_hubspot: the floor's requests failed\n");
            std::exit(1);
        }
    return s;
}

struct Measured
{
    double seconds = 0;
    RunRecord record;
};

Measured timedRun(Fixture &f, Destination &dest)
{
    SqliteSource source(f.sourcePath());
    SyncEngine engine(f.ws());
    const auto start = std::chrono::steady_clock::now();
    RunResult r = engine.run(f.sync(), f.model(), source, dest, RunOptions{});
    Measured m{secondsSince(start), r.record};
    if (r.record.status != RunStatus::Succeeded) {
        std::fprintf(stderr, "bench_hubspot: the run failed: %s\n", r.record.error.c_str());
        std::exit(1);
    }
    return m;
}

void report(const char *what, const Measured &m, double floor, double target)
{
    std::printf("%-28s %7.3f s  %5.1f× floor  sent %lld (added %lld, changed %lld)  target < %.0f "
                "s: %s\n",
                what, m.seconds, m.seconds / floor,
                static_cast<long long>(m.record.counts.added + m.record.counts.changed),
                static_cast<long long>(m.record.counts.added),
                static_cast<long long>(m.record.counts.changed), target,
                m.seconds < target ? "met" : "MISSED");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int rows = 10'000;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--rows") == 0)
            rows = std::atoi(argv[i + 1]);
    qputenv("no_proxy", "127.0.0.1,localhost");

    const double floor = floorSeconds(rows);
    std::printf("contacts: %d\n(a) floor: %d batch upserts sent directly: %.3f s\n", rows,
                (rows + 99) / 100, floor);

    auto server = startEmulator();
    HubSpotConfig config;
    config.accessToken = kToken;
    config.baseUrl = server->baseUrl();
    HubSpotDestination dest(config);
    Fixture f(rows);
    f.sync().object = "contacts";
    f.sync().mode = SyncMode::Upsert;
    f.sync().keyField = "customer_id";
    f.sync().mapping.fields = {FieldMapping{"id", std::nullopt, "customer_id", {}},
                               FieldMapping{"name", std::nullopt, "firstname", {}},
                               FieldMapping{"email", std::nullopt, "email", {}}};
    f.saveSync();

    report("(b) first sync", timedRun(f, dest), floor, 5);
    f.sql("UPDATE people SET name = name || ' (moved)' WHERE id % " +
          std::to_string(std::max(1, rows / 100)) + " = 0");
    report("(c) 100 changed", timedRun(f, dest), floor, 1);
    report("(d) nothing changed", timedRun(f, dest), floor, 1);
    const auto stored = server->inspect<HubSpotEmulator>(
        [](HubSpotEmulator &e) { return e.recordCount("contacts"); });
    std::printf("contacts in the emulator: %zu; requests it answered 429: %ld\n", stored,
                server->inspect<HubSpotEmulator>(
                    [](HubSpotEmulator &e) { return e.counters().rateLimited; }));
    return 0;
}
