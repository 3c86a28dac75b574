#include "destinations/salesforceapi.h"

#include "net/httptext.h"
#include "net/oauthtokenrequest.h"

#include <algorithm>
#include <charconv>

namespace sluice {

namespace {

using json = nlohmann::json;

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
    case 405:
        return "405 Method Not Allowed";
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

std::string shortened(std::string text, std::size_t max = 300)
{
    if (text.size() > max) {
        text.resize(max);
        text += "…";
    }
    return text;
}

std::string stringField(const json &node, const char *key)
{
    auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool boolField(const json &node, const char *key, bool fallback = false)
{
    auto it = node.find(key);
    return it != node.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// "api-usage=18/5000" → 18, 5000.
bool parseUsage(std::string_view header, long &used, long &limit)
{
    const auto pos = header.find("api-usage=");
    if (pos == std::string_view::npos)
        return false;
    std::string_view rest = header.substr(pos + 10);
    const char *p = rest.data();
    const char *end = rest.data() + rest.size();
    auto [p1, e1] = std::from_chars(p, end, used);
    if (e1 != std::errc() || p1 == end || *p1 != '/')
        return false;
    auto [p2, e2] = std::from_chars(p1 + 1, end, limit);
    return e2 == std::errc();
}

} // namespace

const SalesforceFieldInfo *SalesforceObjectInfo::field(const std::string &name) const
{
    for (const auto &f : fields) {
        if (net::text::iequals(f.name, name))
            return &f;
    }
    return nullptr;
}

std::string soqlQuote(std::string_view text)
{
    std::string out = "'";
    for (char c : text) {
        switch (c) {
        case '\'':
            out += "\\'";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += c;
        }
    }
    out += '\'';
    return out;
}

SalesforceApi::SalesforceApi(SalesforceConfig config) : m_config(std::move(config))
{
    if (!m_config.usage)
        m_config.usage = std::make_shared<SalesforceUsageBox>();
    net::ClientOptions options;
    options.maxInFlight = std::max(1, m_config.requestsInFlight);
    options.retry = m_config.retry;
    options.caFile = m_config.caFile;
    options.log = m_config.log;
    m_http = std::make_unique<net::HttpClient>(std::move(options));
}

Result<SalesforceApi::Session> SalesforceApi::session(CancelToken *cancel)
{
    if (!m_config.tokens)
        return fail(ErrorKind::Internal, "The Salesforce connection has no way to sign in.");
    auto token = m_config.tokens->token(*m_http, cancel);
    if (!token)
        return std::unexpected(token.error());
    Session s;
    s.token = token->accessToken;
    s.instance = token->instanceUrl;
    while (!s.instance.empty() && s.instance.back() == '/')
        s.instance.pop_back();
    if (s.instance.empty())
        return fail(ErrorKind::Destination,
                    "Salesforce's sign-in did not say where the org's data is (no instance_url). "
                    "Check the login URL in the Salesforce connection's settings.");
    if (auto ok = net::checkCredentialUrl(s.instance, "Salesforce instance URL"); !ok)
        return std::unexpected(ok.error());
    s.base = s.instance + "/services/data/v" + m_config.apiVersion;
    {
        std::lock_guard lock(m_scrubMutex);
        if (std::find(m_sessionsUsed.begin(), m_sessionsUsed.end(), s.token) ==
            m_sessionsUsed.end()) {
            m_sessionsUsed.push_back(s.token);
            if (m_sessionsUsed.size() > 8)
                m_sessionsUsed.erase(m_sessionsUsed.begin());
        }
    }
    return s;
}

net::Request SalesforceApi::build(const Call &call, const Session &session) const
{
    net::Request r;
    r.method = call.method;
    r.url = (call.absolute ? session.instance : session.base) + call.path;
    r.headers = {{"Authorization", "Bearer " + session.token}, {"Accept", call.accept}};
    if (!call.body.empty() || call.method == "POST" || call.method == "PUT" ||
        call.method == "PATCH")
        r.headers.emplace_back("Content-Type", call.contentType);
    r.body = call.body;
    r.timeoutMs = m_config.timeoutMs;
    return r;
}

void SalesforceApi::noteUsage(const net::Response &response)
{
    long used = 0, limit = 0;
    if (parseUsage(response.header("Sforce-Limit-Info"), used, limit)) {
        m_config.usage->used = used;
        m_config.usage->limit = limit;
    }
}

Result<std::vector<Result<net::Response>>> SalesforceApi::send(std::vector<Call> calls,
                                                               CancelToken *cancel)
{
    auto s = session(cancel);
    if (!s)
        return std::unexpected(s.error());
    std::vector<net::Request> requests;
    requests.reserve(calls.size());
    for (const Call &c : calls)
        requests.push_back(build(c, *s));
    auto responses = m_http->sendAll(std::move(requests), cancel);
    std::vector<std::size_t> refused;
    for (std::size_t i = 0; i < responses.size(); ++i) {
        if (!responses[i])
            continue;
        noteUsage(*responses[i]);
        if (responses[i]->status == 401)
            refused.push_back(i);
    }
    if (refused.empty() || !m_config.tokens->canRefresh())
        return responses;
    // The session expired or was revoked: sign in again, once, and resend what was refused.
    m_config.tokens->invalidate(s->token);
    auto renewed = session(cancel);
    if (!renewed)
        return std::unexpected(renewed.error());
    std::vector<net::Request> again;
    again.reserve(refused.size());
    for (auto i : refused)
        again.push_back(build(calls[i], *renewed));
    auto second = m_http->sendAll(std::move(again), cancel);
    for (std::size_t k = 0; k < refused.size(); ++k) {
        if (second[k])
            noteUsage(*second[k]);
        responses[refused[k]] = std::move(second[k]);
    }
    return responses;
}

Result<net::Response> SalesforceApi::sendOne(Call call, const std::string &what,
                                             CancelToken *cancel, bool failNon2xx)
{
    std::vector<Call> calls;
    calls.push_back(std::move(call));
    auto sent = send(std::move(calls), cancel);
    if (!sent)
        return std::unexpected(sent.error());
    auto &r = sent->front();
    if (!r)
        return std::unexpected(transportError(r.error(), what));
    if (failNon2xx && (r->status < 200 || r->status >= 300))
        return std::unexpected(requestError(*r, what));
    return std::move(*r);
}

std::string SalesforceApi::scrub(std::string text) const
{
    auto hide = [&text](const std::string &secret) {
        if (secret.size() < 4)
            return;
        for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
            text.replace(pos, secret.size(), "[redacted]");
    };
    {
        std::lock_guard lock(m_scrubMutex);
        for (const auto &s : m_sessionsUsed)
            hide(s);
    }
    hide(m_config.clientSecret);
    return text;
}

std::string SalesforceApi::errorsText(const json &errors) const
{
    std::string out;
    auto one = [&](const json &e) {
        if (!e.is_object())
            return;
        std::string code = stringField(e, "statusCode");
        if (code.empty())
            code = stringField(e, "errorCode");
        std::string text = stringField(e, "message");
        std::string fields;
        if (auto f = e.find("fields"); f != e.end() && f->is_array()) {
            for (const auto &name : *f) {
                if (name.is_string())
                    fields += (fields.empty() ? "" : ", ") + name.get<std::string>();
            }
        }
        std::string item = code;
        if (!text.empty())
            item += (item.empty() ? "" : ": ") + text;
        if (!fields.empty())
            item += " (" + fields + ")";
        if (!item.empty())
            out += (out.empty() ? "" : "; ") + item;
    };
    if (errors.is_array()) {
        for (const auto &e : errors)
            one(e);
    } else {
        one(errors);
    }
    return scrub(std::move(out));
}

std::string SalesforceApi::message(const net::Response &response) const
{
    const json body = json::parse(response.body, nullptr, false);
    std::string text;
    if (body.is_array() ||
        (body.is_object() && (body.contains("errorCode") || body.contains("statusCode"))))
        text = errorsText(body);
    else if (body.is_object() && body.contains("error"))
        text = scrub(stringField(body, "error_description").empty()
                         ? stringField(body, "error")
                         : stringField(body, "error_description"));
    if (!text.empty())
        return text;
    return response.body.empty()
               ? statusText(response.status)
               : statusText(response.status) + ": " + shortened(scrub(response.body));
}

std::string SalesforceApi::errorCode(const net::Response &response)
{
    const json body = json::parse(response.body, nullptr, false);
    const json *first = nullptr;
    if (body.is_array() && !body.empty())
        first = &body.front();
    else if (body.is_object())
        first = &body;
    if (!first || !first->is_object())
        return {};
    std::string code = stringField(*first, "errorCode");
    return code.empty() ? stringField(*first, "statusCode") : code;
}

bool SalesforceApi::isDailyLimit(const net::Response &response)
{
    if (response.status != 403 || errorCode(response) != "REQUEST_LIMIT_EXCEEDED")
        return false;
    // Salesforce also answers REQUEST_LIMIT_EXCEEDED for too many concurrent long requests
    // ("ConcurrentPerOrgLongTxn Limit exceeded."), which passes by itself.
    return response.body.find("Concurrent") == std::string::npos;
}

Error SalesforceApi::requestError(const net::Response &response, const std::string &what) const
{
    const std::string said = message(response);
    const std::string detail = statusText(response.status) + " while " + what + ": " + said;
    const std::string code = errorCode(response);
    switch (response.status) {
    case 401:
        return Error{ErrorKind::Destination,
                     "Salesforce refused the session even after signing in again, while " + what +
                         " (" + said +
                         "). Check that the connected app's user is active and has \"API "
                         "Enabled\", and that the app's OAuth policies admit it.",
                     detail};
    case 403:
        if (isDailyLimit(response))
            return Error{ErrorKind::Destination,
                         "This Salesforce org has used up its daily API request limit (" + said +
                             "). Salesforce counts API requests over a rolling 24 hours (Setup › "
                             "Company Information shows the usage); records not sent yet will be "
                             "sent by the next run once requests are available again.",
                         detail};
        if (code == "REQUEST_LIMIT_EXCEEDED")
            return Error{ErrorKind::Destination,
                         "Salesforce refused the request because too many requests are running "
                         "in this org at the same time (" +
                             said + "). Try again later, or lower the requests in flight.",
                         detail};
        return Error{ErrorKind::Destination,
                     "Salesforce does not let this user do this while " + what + " (" + said +
                         "). Check the user's profile and permission sets: \"API Enabled\" and "
                         "access to the object and its fields.",
                     detail};
    case 404:
        return Error{ErrorKind::Destination,
                     "Salesforce does not know what Sluice asked for while " + what + " (" + said +
                         "). Check that the object and its fields still exist and that the API "
                         "version (" +
                         m_config.apiVersion + ") is one the org supports.",
                     detail};
    case 429:
        return Error{ErrorKind::Destination,
                     "Salesforce kept answering that too many requests were made while " + what +
                         " (" + said + "). Try again later, or lower the requests in flight.",
                     detail};
    default:
        if (response.status >= 500)
            return Error{ErrorKind::Destination,
                         "Salesforce had a problem of its own while " + what + " (" + said +
                             "). Try again in a few minutes.",
                         detail};
        return Error{ErrorKind::Destination,
                     "Salesforce refused the request while " + what + ": " + said, detail};
    }
}

Error SalesforceApi::transportError(const Error &error, const std::string &what) const
{
    if (error.kind == ErrorKind::Cancelled)
        return error;
    return Error{error.kind == ErrorKind::Invalid ? ErrorKind::Invalid : ErrorKind::Destination,
                 "Could not talk to Salesforce while " + what + ": " + scrub(error.message),
                 scrub(error.detail)};
}

Result<std::vector<SalesforceObjectInfo>> SalesforceApi::describeGlobal(CancelToken *cancel)
{
    const std::string what = "listing the org's objects";
    auto response = sendOne(Call{"GET", "/sobjects"}, what, cancel);
    if (!response)
        return std::unexpected(response.error());
    const json body = json::parse(response->body, nullptr, false);
    if (!body.is_object() || !body.contains("sobjects") || !body["sobjects"].is_array())
        return fail(ErrorKind::Destination,
                    "Salesforce sent an answer Sluice does not understand while " + what +
                        ". Check the login URL in the connection settings.",
                    shortened(scrub(response->body)));
    std::vector<SalesforceObjectInfo> out;
    out.reserve(body["sobjects"].size());
    for (const auto &o : body["sobjects"]) {
        if (!o.is_object() || stringField(o, "name").empty() || boolField(o, "deprecatedAndHidden"))
            continue;
        SalesforceObjectInfo info;
        info.name = stringField(o, "name");
        info.label = stringField(o, "label");
        if (info.label.empty())
            info.label = info.name;
        info.createable = boolField(o, "createable");
        info.updateable = boolField(o, "updateable");
        info.deletable = boolField(o, "deletable");
        info.queryable = boolField(o, "queryable");
        out.push_back(std::move(info));
    }
    return out;
}

Result<SalesforceObjectInfo> SalesforceApi::describe(const std::string &object, CancelToken *cancel)
{
    const std::string what = "describing " + object;
    auto response = sendOne(Call{"GET", "/sobjects/" + net::urlEncode(object) + "/describe"}, what,
                            cancel, false);
    if (!response)
        return std::unexpected(response.error());
    if (response->status == 404)
        return fail(ErrorKind::NotFound,
                    "Salesforce has no object \"" + object +
                        "\" that this user can see. Choose another object, or check the user's "
                        "permissions for it.",
                    "404 while " + what + ": " + message(*response));
    if (response->status != 200)
        return std::unexpected(requestError(*response, what));
    const json body = json::parse(response->body, nullptr, false);
    if (!body.is_object() || !body.contains("fields") || !body["fields"].is_array())
        return fail(ErrorKind::Destination,
                    "Salesforce sent an answer Sluice does not understand while " + what + ".",
                    shortened(scrub(response->body)));
    SalesforceObjectInfo info;
    info.name = stringField(body, "name");
    if (info.name.empty())
        info.name = object;
    info.label = stringField(body, "label");
    info.createable = boolField(body, "createable");
    info.updateable = boolField(body, "updateable");
    info.deletable = boolField(body, "deletable");
    info.queryable = boolField(body, "queryable");
    info.fields.reserve(body["fields"].size());
    for (const auto &f : body["fields"]) {
        if (!f.is_object() || stringField(f, "name").empty())
            continue;
        SalesforceFieldInfo field;
        field.name = stringField(f, "name");
        field.label = stringField(f, "label");
        field.type = stringField(f, "type");
        if (auto it = f.find("length"); it != f.end() && it->is_number_integer())
            field.length = it->get<int>();
        field.nillable = boolField(f, "nillable", true);
        field.createable = boolField(f, "createable");
        field.updateable = boolField(f, "updateable");
        field.defaultedOnCreate = boolField(f, "defaultedOnCreate");
        field.externalId = boolField(f, "externalId");
        field.idLookup = boolField(f, "idLookup");
        field.unique = boolField(f, "unique");
        field.hidden = boolField(f, "deprecatedAndHidden");
        info.fields.push_back(std::move(field));
    }
    return info;
}

} // namespace sluice
