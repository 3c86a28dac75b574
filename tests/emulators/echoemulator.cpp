#include "echoemulator.h"

#include <charconv>

namespace sluice::emu {

namespace {

// Parses the number after `prefix` in `path`; -1 when the path does not have that shape.
long long numberAfter(const std::string &path, std::string_view prefix)
{
    if (!path.starts_with(prefix))
        return -1;
    long long value = -1;
    const char *begin = path.data() + prefix.size();
    const char *end = path.data() + path.size();
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end)
        return -1;
    return value;
}

} // namespace

EmuReply EchoEmulator::handle(const EmuRequest &request)
{
    ++handled;
    recent.push_back(request);
    if (recent.size() > 100)
        recent.erase(recent.begin());

    if (const long long size = numberAfter(request.path, "/bytes/"); size >= 0) {
        if (size > 64ll * 1024 * 1024)
            return EmuReply::text(400, "too large");
        return EmuReply::text(200, std::string(static_cast<std::size_t>(size), 'x'));
    }

    nlohmann::json headers = nlohmann::json::object();
    for (const auto &[name, value] : request.headers)
        headers[name] = value;
    const nlohmann::json echo = {{"method", request.method}, {"path", request.path},
                                 {"query", request.query},   {"headers", headers},
                                 {"body", request.body},     {"count", handled}};

    int status = 200;
    if (const long long code = numberAfter(request.path, "/status/"); code >= 0) {
        if (code < 200 || code > 599)
            return EmuReply::text(400, "status out of range");
        status = static_cast<int>(code);
    }
    EmuReply reply = EmuReply::json(status, echo);
    if (const auto it = request.query.find("retryAfter"); it != request.query.end())
        reply.headers.emplace_back("Retry-After", it->second);
    return reply;
}

} // namespace sluice::emu
