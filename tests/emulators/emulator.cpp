#include "emulator.h"

namespace sluice::emu {

std::string EmuRequest::header(const std::string &lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

EmuReply EmuReply::json(int status, const nlohmann::json &body)
{
    EmuReply reply;
    reply.status = status;
    reply.headers.emplace_back("Content-Type", "application/json");
    // Replace invalid UTF-8 instead of throwing: an emulator echoing bad input must still answer.
    reply.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return reply;
}

EmuReply EmuReply::text(int status, std::string body, std::string contentType)
{
    EmuReply reply;
    reply.status = status;
    reply.headers.emplace_back("Content-Type", std::move(contentType));
    reply.body = std::move(body);
    return reply;
}

EmuReply Emulator::rateLimited(bool withRetryAfter)
{
    EmuReply reply = EmuReply::json(
        429, {{"error", "rate_limited"}, {"message", "Too many requests. Slow down."}});
    if (withRetryAfter)
        reply.headers.emplace_back("Retry-After", "1");
    return reply;
}

EmuReply Emulator::serverError(int status)
{
    return EmuReply::json(status, {{"error", status == 503 ? "unavailable" : "internal"},
                                   {"message", status == 503 ? "The service is unavailable."
                                                             : "An internal error occurred."}});
}

const char *faultName(Fault fault)
{
    switch (fault) {
    case Fault::RateLimit:
        return "429";
    case Fault::RateLimitRetryAfter:
        return "429+Retry-After";
    case Fault::ServerError:
        return "500";
    case Fault::Unavailable:
        return "503";
    case Fault::ResetBeforeHandling:
        return "reset-before";
    case Fault::ResetAfterHandling:
        return "reset-after";
    case Fault::Hang:
        return "hang";
    case Fault::Slow:
        return "slow";
    }
    return "?";
}

} // namespace sluice::emu
