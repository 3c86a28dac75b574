// sluice-emulator: serves one vendor emulator on 127.0.0.1 until killed, for trying a
// destination by hand or from a script: sluice-emulator hubspot --port 8080
#include "registry.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace {

int usage(FILE *out)
{
    std::string names;
    for (const std::string &name : sluice::emu::emulatorNames())
        names += (names.empty() ? "" : ", ") + name;
    std::fprintf(out,
                 "usage: sluice-emulator <vendor> [--port N] [--latency MS] [--faults SHARE]\n"
                 "  vendor       one of: %s\n"
                 "  --port N     listen on 127.0.0.1:N (default: a free port)\n"
                 "  --latency MS add MS to every reply\n"
                 "  --faults F   fail a share F (0..1) of requests with 429, 500, 503, resets\n"
                 "               and slow replies\n",
                 names.c_str());
    return out == stdout ? 0 : 2;
}

bool parseNumber(const char *text, double &out)
{
    char *end = nullptr;
    out = std::strtod(text, &end);
    return end != text && *end == '\0';
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::string vendor;
    double port = 0;
    double latency = 0;
    double faults = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--help" || arg == "-h")
            return usage(stdout);
        if (arg == "--port" && hasValue) {
            if (!parseNumber(argv[++i], port) || port < 0 || port > 65535)
                return usage(stderr);
        } else if (arg == "--latency" && hasValue) {
            if (!parseNumber(argv[++i], latency) || latency < 0)
                return usage(stderr);
        } else if (arg == "--faults" && hasValue) {
            if (!parseNumber(argv[++i], faults) || faults < 0 || faults > 1)
                return usage(stderr);
        } else if (vendor.empty() && !arg.starts_with("-")) {
            vendor = arg;
        } else {
            return usage(stderr);
        }
    }
    if (vendor.empty())
        return usage(stderr);
    auto emulator = sluice::emu::makeEmulator(vendor);
    if (!emulator) {
        std::fprintf(stderr, "sluice-emulator: there is no emulator named \"%s\".\n",
                     vendor.c_str());
        return usage(stderr);
    }
    try {
        sluice::emu::EmulatorServer server(std::move(emulator),
                                           {.port = static_cast<std::uint16_t>(port)});
        server.setLatency(static_cast<int>(latency));
        if (faults > 0) {
            using sluice::emu::Fault;
            server.setFaults(
                {.share = faults,
                 .kinds = {Fault::RateLimit, Fault::RateLimitRetryAfter, Fault::ServerError,
                           Fault::Unavailable, Fault::ResetBeforeHandling,
                           Fault::ResetAfterHandling, Fault::Slow},
                 .seed = 1});
        }
        std::printf("listening on %s\n", server.baseUrl().c_str());
        std::fflush(stdout);
        return app.exec();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "sluice-emulator: %s\n", e.what());
        return 1;
    }
}
