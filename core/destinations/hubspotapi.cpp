#include "destinations/hubspotapi.h"

#include "util/jsontext.h"
#include <algorithm>

namespace sluice {

namespace {

using json = nlohmann::json;

const char *const kInvalidPrefix = "Property values were not valid: ";

std::string statusText(long status)
{
    switch (status) {
    case 400:
        return "400 Bad Request";
    case 401:
        return "401 Unauthorized";
    case 403:
        return "403 Forbidden";
    case 404:
        return "404 Not Found";
    case 409:
        return "409 Conflict";
    case 413:
        return "413 Payload Too Large";
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

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string shortened(std::string text, std::size_t max = 300)
{
    if (text.size() > max) {
        text.resize(max);
        text += "…";
    }
    return text;
}

// Lenient readers: a field of an unexpected type reads as absent instead of throwing.
std::string stringField(const json &node, const char *key, std::string fallback)
{
    auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::move(fallback);
}

bool boolField(const json &node, const char *key)
{
    auto it = node.find(key);
    return it != node.end() && it->is_boolean() && it->get<bool>();
}

void collectScopes(const json &node, std::vector<std::string> &out)
{
    if (!node.is_object())
        return;
    for (const char *key : {"missingScopes", "requiredGranularScopes", "requiredScopes"}) {
        auto it = node.find(key);
        if (it == node.end() || !it->is_array())
            continue;
        for (const auto &s : *it) {
            if (s.is_string() &&
                std::find(out.begin(), out.end(), s.get<std::string>()) == out.end())
                out.push_back(s.get<std::string>());
        }
    }
}

} // namespace

std::string hubSpotObjectPath(const std::string &objectType)
{
    return net::urlEncode(objectType);
}

HubSpotApi::HubSpotApi(HubSpotConfig config) : m_config(std::move(config))
{
    while (!m_config.baseUrl.empty() && m_config.baseUrl.back() == '/')
        m_config.baseUrl.pop_back();
    net::ClientOptions options;
    options.maxInFlight = std::max(1, m_config.requestsInFlight);
    options.retry = m_config.retry;
    options.rateLimit = m_config.rateLimit;
    options.caFile = m_config.caFile;
    options.log = m_config.log;
    options.notRetryable = isDailyLimit; // waiting until midnight is not a retry
    m_http = std::make_unique<net::HttpClient>(std::move(options));
}

net::Request HubSpotApi::get(const std::string &pathAndQuery) const
{
    net::Request r;
    r.method = "GET";
    r.url = m_config.baseUrl + pathAndQuery;
    r.headers = {{"Authorization", "Bearer " + m_config.accessToken},
                 {"Accept", "application/json"}};
    r.timeoutMs = m_config.timeoutMs;
    return r;
}

net::Request HubSpotApi::post(const std::string &path, std::string body) const
{
    net::Request r;
    r.method = "POST";
    r.url = m_config.baseUrl + path;
    r.headers = {{"Authorization", "Bearer " + m_config.accessToken},
                 {"Content-Type", "application/json"},
                 {"Accept", "application/json"}};
    r.body = std::move(body);
    r.timeoutMs = m_config.timeoutMs;
    return r;
}

std::string HubSpotApi::scrub(std::string text) const
{
    const std::string &token = m_config.accessToken;
    if (token.size() < 4)
        return text;
    for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos))
        text.replace(pos, token.size(), "[token]");
    return text;
}

std::string HubSpotApi::message(const json &error) const
{
    if (!error.is_object())
        return {};
    std::string text;
    if (auto it = error.find("message"); it != error.end() && it->is_string())
        text = it->get<std::string>();
    // "Property values were not valid: [{"message":"Email address x is invalid",...}]": the
    // inner messages are the ones that tell a user what to fix.
    if (text.starts_with(kInvalidPrefix)) {
        json list =
            json::parse(text.substr(std::string_view(kInvalidPrefix).size()), nullptr, false);
        std::vector<std::string> parts;
        if (list.is_array()) {
            for (const auto &item : list) {
                if (!item.is_object() || !item.contains("message") || !item["message"].is_string())
                    continue;
                // Name the property when the message does not ("mql was not one of the
                // allowed options" says nothing of which field holds it).
                std::string part = item["message"].get<std::string>();
                if (auto name = item.find("name");
                    name != item.end() && name->is_string() &&
                    part.find(name->get<std::string>()) == std::string::npos)
                    part = name->get<std::string>() + ": " + part;
                parts.push_back(std::move(part));
            }
        }
        if (!parts.empty()) {
            std::string out;
            for (const auto &p : parts)
                out += (out.empty() ? "" : "; ") + p;
            return scrub(std::move(out));
        }
    }
    if (text.empty()) {
        // Some bodies only carry the details.
        if (auto it = error.find("errors"); it != error.end() && it->is_array()) {
            for (const auto &e : *it) {
                if (e.is_object() && e.contains("message") && e["message"].is_string())
                    text += (text.empty() ? "" : "; ") + e["message"].get<std::string>();
            }
        }
    }
    return scrub(std::move(text));
}

std::string HubSpotApi::message(const net::Response &response) const
{
    json body = json::parse(response.body, nullptr, false);
    std::string text = message(body);
    if (text.empty())
        text = response.body.empty()
                   ? statusText(response.status)
                   : statusText(response.status) + ": " + shortened(scrub(response.body));
    return text;
}

std::string HubSpotApi::summary(const net::Response &response) const
{
    json body = json::parse(response.body, nullptr, false);
    std::string text = message(body);
    return text.empty() ? message(response) : statusText(response.status) + ": " + text;
}

bool HubSpotApi::isDailyLimit(const net::Response &response)
{
    if (response.status != 429)
        return false;
    json body = json::parse(response.body, nullptr, false);
    return body.is_object() && stringField(body, "policyName", "") == "DAILY";
}

std::vector<std::string> HubSpotApi::missingScopes(const json &body)
{
    std::vector<std::string> out;
    if (!body.is_object())
        return out;
    if (auto it = body.find("context"); it != body.end())
        collectScopes(*it, out);
    if (auto it = body.find("errors"); it != body.end() && it->is_array()) {
        for (const auto &e : *it) {
            if (!e.is_object())
                continue;
            auto ctx = e.find("context");
            if (ctx == e.end())
                continue;
            if (ctx->is_string()) // some bodies carry the context as a JSON string
                collectScopes(json::parse(ctx->get<std::string>(), nullptr, false), out);
            else
                collectScopes(*ctx, out);
        }
    }
    return out;
}

Error HubSpotApi::requestError(const net::Response &response, const std::string &what) const
{
    const std::string said = message(response);
    const std::string detail = statusText(response.status) + " while " + what + ": " + said;
    switch (response.status) {
    case 401:
        return Error{ErrorKind::Destination,
                     "HubSpot refused the access token (" + said +
                         "). Check the private app's access token in the HubSpot connection's "
                         "settings: it may be mistyped, or the app's token was rotated or the "
                         "app deleted.",
                     detail};
    case 403: {
        const auto scopes = missingScopes(json::parse(response.body, nullptr, false));
        if (!scopes.empty())
            return Error{ErrorKind::Destination,
                         "The HubSpot private app is missing the scope" +
                             std::string(scopes.size() == 1 ? " " : "s ") + joined(scopes) +
                             ", needed for " + what +
                             ". Add it in HubSpot under Settings › Integrations › Private apps "
                             "› Scopes, then run again.",
                         detail};
        return Error{ErrorKind::Destination,
                     "HubSpot does not let this private app do this (" + said + ") while " + what +
                         ". Check the app's scopes in HubSpot.",
                     detail};
    }
    case 404:
        return Error{ErrorKind::Destination,
                     "HubSpot does not know what Sluice asked for while " + what + " (" + said +
                         "). Check that the object still exists in HubSpot and that the base "
                         "URL in the connection settings is right.",
                     detail};
    case 429:
        if (isDailyLimit(response))
            return Error{ErrorKind::Destination,
                         "This HubSpot account has used up its daily API allowance (" + said +
                             "). It resets at midnight in the account's time zone; records not "
                             "sent yet will be sent by the next run.",
                         detail};
        return Error{ErrorKind::Destination,
                     "HubSpot kept answering that too many requests were made (" + said +
                         ") while " + what +
                         ". Other apps may share this account's limit; try again later or lower "
                         "the requests per 10 seconds in the connection settings.",
                     detail};
    default:
        if (response.status >= 500)
            return Error{ErrorKind::Destination,
                         "HubSpot had a problem of its own (" + statusText(response.status) + ": " +
                             said + ") while " + what + ". Try again in a few minutes.",
                         detail};
        return Error{ErrorKind::Destination,
                     "HubSpot refused the request while " + what + ": " + said, detail};
    }
}

Error HubSpotApi::transportError(const Error &error, const std::string &what) const
{
    if (error.kind == ErrorKind::Cancelled)
        return error;
    return Error{error.kind == ErrorKind::Invalid ? ErrorKind::Invalid : ErrorKind::Destination,
                 "Could not talk to HubSpot while " + what + ": " + scrub(error.message),
                 scrub(error.detail)};
}

Result<std::vector<HubSpotPropertyInfo>> HubSpotApi::properties(const std::string &objectType)
{
    const std::string what = "listing the properties of " + objectType;
    auto response = m_http->send(get("/crm/v3/properties/" + hubSpotObjectPath(objectType)));
    if (!response)
        return std::unexpected(transportError(response.error(), what));
    if (response->status == 404)
        return fail(ErrorKind::NotFound,
                    "HubSpot has no object type \"" + objectType + "\" (" + message(*response) +
                        "). Choose another object for this sync.",
                    "404 while " + what);
    if (response->status != 200)
        return std::unexpected(requestError(*response, what));
    json body = json::parse(response->body, nullptr, false);
    if (!body.is_object() || !body.contains("results") || !body["results"].is_array())
        return fail(ErrorKind::Destination,
                    "HubSpot sent an answer Sluice does not understand while " + what +
                        ". Check the base URL in the connection settings.",
                    shortened(scrub(response->body)));
    std::vector<HubSpotPropertyInfo> out;
    out.reserve(body["results"].size());
    for (const auto &p : body["results"]) {
        if (!p.is_object() || !p.contains("name") || !p["name"].is_string())
            continue;
        HubSpotPropertyInfo info;
        info.name = p["name"].get<std::string>();
        info.label = stringField(p, "label", info.name);
        info.type = stringField(p, "type", "string");
        info.fieldType = stringField(p, "fieldType", "text");
        info.unique = boolField(p, "hasUniqueValue");
        info.hidden = boolField(p, "hidden");
        info.readOnly = boolField(p, "calculated");
        if (auto m = p.find("modificationMetadata"); m != p.end() && m->is_object())
            info.readOnly = info.readOnly || boolField(*m, "readOnlyValue");
        if (boolField(p, "archived"))
            continue;
        out.push_back(std::move(info));
    }
    return out;
}

Result<std::vector<ObjectInfo>> HubSpotApi::customObjects()
{
    const std::string what = "listing custom objects";
    auto response = m_http->send(get("/crm/v3/schemas"));
    if (!response)
        return std::unexpected(transportError(response.error(), what));
    // Without crm.schemas.custom.read (or on accounts without custom objects) there are none
    // to offer; the token itself was accepted.
    if (response->status == 403 || response->status == 404)
        return std::vector<ObjectInfo>{};
    if (response->status != 200)
        return std::unexpected(requestError(*response, what));
    json body = json::parse(response->body, nullptr, false);
    std::vector<ObjectInfo> out;
    if (!body.is_object() || !body.contains("results") || !body["results"].is_array())
        return out;
    for (const auto &s : body["results"]) {
        if (!s.is_object() || !s.contains("objectTypeId") || !s["objectTypeId"].is_string())
            continue;
        ObjectInfo info;
        info.name = s["objectTypeId"].get<std::string>();
        info.label = stringField(s, "name", info.name);
        if (auto labels = s.find("labels"); labels != s.end() && labels->is_object())
            info.label = stringField(*labels, "plural", info.label);
        out.push_back(std::move(info));
    }
    return out;
}

} // namespace sluice
