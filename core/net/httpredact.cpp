// redact() and redactHeaders() of httpclient.h: masks credentials in text bound for the run
// log. Several small passes, each for one shape secrets come in (PEM blocks, JSON members,
// JSON inside a JSON string, URL/form parameters, header lines, Bearer/Basic and JWTs).
#include "net/httpclient.h"
#include "net/httptext.h"

namespace sluice::net {

namespace {

using text::iequals;
using text::isSpace;
using text::toLower;
using text::trim;

bool contains(std::string_view haystack, std::string_view needle)
{
    return haystack.find(needle) != std::string_view::npos;
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Whether a parameter, JSON member or header name holds a credential. `code` only counts in
// URLs and forms (the OAuth authorization code); in JSON it is usually an error code.
bool isSecretName(std::string_view rawName, bool formContext)
{
    const std::string name = toLower(trim(rawName));
    if (name.empty())
        return false;
    static constexpr std::string_view exact[] = {
        "key",     "sig",        "pwd",           "pass",       "auth",  "authorization",
        "cookie",  "set-cookie", "password",      "secret",     "token", "signature",
        "apikey",  "hapikey",    "jwt",           "passphrase", "sid",   "assertion",
        "api-key", "x-api-key",  "private_key_id"};
    for (std::string_view e : exact) {
        if (name == e)
            return true;
    }
    if (formContext && name == "code")
        return true;
    static constexpr std::string_view parts[] = {
        "token",       "secret",      "password",   "passwd",       "signature",
        "assertion",   "apikey",      "api_key",    "api-key",      "privatekey",
        "private_key", "private-key", "credential", "authorization"};
    for (std::string_view p : parts) {
        if (contains(name, p))
            return true;
    }
    return endsWith(name, "_key") || endsWith(name, "-key");
}

constexpr std::string_view kMask = "***";

// Parses a JSON string literal starting at s[pos] == '"'; returns the index after the closing
// quote, or s.size() when it is not terminated.
std::size_t jsonStringEnd(std::string_view s, std::size_t pos)
{
    std::size_t i = pos + 1;
    while (i < s.size()) {
        if (s[i] == '\\')
            i += 2;
        else if (s[i] == '"')
            return i + 1;
        else
            ++i;
    }
    return s.size();
}

// End of a JSON scalar that is not a string (number, true, false, null).
std::size_t jsonScalarEnd(std::string_view s, std::size_t pos)
{
    std::size_t i = pos;
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !isSpace(s[i]))
        ++i;
    return i;
}

// "name": "value" (or a number) under a secret name -> "name": "***".
std::string redactJson(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] != '"') {
            out += s[i++];
            continue;
        }
        const std::size_t keyEnd = jsonStringEnd(s, i);
        const std::string_view key = s.substr(i + 1, keyEnd > i + 1 ? keyEnd - i - 2 : 0);
        std::size_t j = keyEnd;
        while (j < s.size() && isSpace(s[j]))
            ++j;
        if (j < s.size() && s[j] == ':' && isSecretName(key, false)) {
            ++j;
            while (j < s.size() && isSpace(s[j]))
                ++j;
            out.append(s.substr(i, j - i));
            if (j < s.size() && s[j] == '"') {
                out += '"';
                out += kMask;
                out += '"';
                i = jsonStringEnd(s, j); // an unterminated value is masked to the end
                continue;
            }
            if (j < s.size() && s[j] != '{' && s[j] != '[') {
                out += kMask;
                i = jsonScalarEnd(s, j);
                continue;
            }
            i = j;
            continue;
        }
        out.append(s.substr(i, keyEnd - i));
        i = keyEnd;
    }
    return out;
}

// The same inside a JSON string that holds JSON (an error body echoing the request):
// \"name\":\"value\" under a secret name -> \"name\":\"***\".
std::string redactEscapedJson(std::string_view s)
{
    constexpr std::string_view quote = "\\\"";
    // The next \" that is not itself escaped (\\\" is a quote inside the nested string).
    auto nextQuote = [&s, quote](std::size_t from) {
        std::size_t at = s.find(quote, from);
        while (at != std::string_view::npos && at > 0 && s[at - 1] == '\\')
            at = s.find(quote, at + 1);
        return at;
    };
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        if (s.substr(i, 2) != quote) {
            out += s[i++];
            continue;
        }
        const std::size_t nameEnd = nextQuote(i + 2);
        if (nameEnd == std::string_view::npos) {
            out.append(s.substr(i));
            break;
        }
        std::size_t j = nameEnd + 2;
        while (j < s.size() && isSpace(s[j]))
            ++j;
        if (j < s.size() && s[j] == ':' && isSecretName(s.substr(i + 2, nameEnd - i - 2), false)) {
            ++j;
            while (j < s.size() && isSpace(s[j]))
                ++j;
            out.append(s.substr(i, j - i));
            if (s.substr(j, 2) == quote) {
                const std::size_t valueEnd = nextQuote(j + 2);
                out.append(quote);
                out += kMask;
                out.append(quote);
                i = valueEnd == std::string_view::npos ? s.size() : valueEnd + 2;
                continue;
            }
            if (j < s.size() && s[j] != '{' && s[j] != '[') {
                out += kMask;
                while (j < s.size() && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != '\\' &&
                       !isSpace(s[j]))
                    ++j;
            }
            i = j;
            continue;
        }
        out.append(s.substr(i, nameEnd + 2 - i));
        i = nameEnd + 2;
    }
    return out;
}

bool isParamNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '[' || c == ']';
}

bool endsParamValue(char c)
{
    return c == '&' || c == ';' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' ||
           c == ',' || isSpace(c);
}

// name=value in URLs and form bodies.
std::string redactParams(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] != '=') {
            out += s[i++];
            continue;
        }
        std::size_t nameStart = i;
        while (nameStart > 0 && isParamNameChar(s[nameStart - 1]))
            --nameStart;
        out += '=';
        ++i;
        if (nameStart < i - 1 && isSecretName(s.substr(nameStart, i - 1 - nameStart), true)) {
            std::size_t end = i;
            while (end < s.size() && !endsParamValue(s[end]))
                ++end;
            if (end > i)
                out += kMask;
            i = end;
        }
    }
    return out;
}

bool isHeaderNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

// "Authorization: Bearer …" lines in free text (e.g. a dumped request).
std::string redactHeaderLines(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    std::size_t lineStart = 0;
    while (lineStart < s.size()) {
        std::size_t lineEnd = s.find('\n', lineStart);
        if (lineEnd == std::string_view::npos)
            lineEnd = s.size();
        const std::string_view line = s.substr(lineStart, lineEnd - lineStart);
        std::size_t n = 0;
        while (n < line.size() && (line[n] == ' ' || line[n] == '\t'))
            ++n;
        const std::size_t nameStart = n;
        while (n < line.size() && isHeaderNameChar(line[n]))
            ++n;
        if (n > nameStart && n < line.size() && line[n] == ':' &&
            isSecretName(line.substr(nameStart, n - nameStart), false)) {
            out.append(line.substr(0, n + 1));
            out += ' ';
            out += kMask;
            if (!line.empty() && line.back() == '\r')
                out += '\r';
        } else {
            out.append(line);
        }
        if (lineEnd < s.size())
            out += '\n';
        lineStart = lineEnd + 1;
    }
    return out;
}

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}

// Length of the credential after "Bearer " / "Basic " at s[i], or 0.
std::size_t schemeLength(std::string_view s, std::size_t i)
{
    for (std::string_view scheme : {std::string_view("bearer "), std::string_view("basic ")}) {
        if (i + scheme.size() < s.size() && iequals(s.substr(i, scheme.size()), scheme) &&
            isTokenChar(s[i + scheme.size()]))
            return scheme.size();
    }
    return 0;
}

// Length of a JWT-shaped token (eyJ….….…) at s[i], or 0.
std::size_t jwtLength(std::string_view s, std::size_t i)
{
    if (s.substr(i, 3) != "eyJ")
        return 0;
    std::size_t j = i;
    int dots = 0;
    while (j < s.size() && isTokenChar(s[j]) && s[j] != '/' && s[j] != '+' && s[j] != '=') {
        if (s[j] == '.')
            ++dots;
        ++j;
    }
    return dots >= 2 ? j - i : 0;
}

// "Bearer <token>" / "Basic <credentials>" anywhere, and anything shaped like a JWT.
std::string redactTokens(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const bool wordStart = i == 0 || !isTokenChar(s[i - 1]);
        if (wordStart) {
            if (const std::size_t scheme = schemeLength(s, i)) {
                out.append(s.substr(i, scheme));
                out += kMask;
                i += scheme;
                while (i < s.size() && isTokenChar(s[i]))
                    ++i;
                continue;
            }
            if (const std::size_t jwt = jwtLength(s, i)) {
                out += kMask;
                i += jwt;
                continue;
            }
        }
        out += s[i++];
    }
    return out;
}

// PEM private keys pasted anywhere (a service-account key file in an error body).
std::string redactPem(std::string s)
{
    std::size_t pos = 0;
    while ((pos = s.find("-----BEGIN", pos)) != std::string::npos) {
        const std::size_t headerEnd = s.find("-----", pos + 10);
        if (headerEnd == std::string::npos)
            break;
        const std::string_view label(s.data() + pos, headerEnd - pos);
        if (!contains(label, "PRIVATE KEY")) {
            pos = headerEnd + 5;
            continue;
        }
        std::size_t end = s.find("-----END", headerEnd);
        end = end == std::string::npos ? s.size() : s.find("-----", end + 8);
        end = end == std::string::npos ? s.size() : end + 5;
        s.replace(pos, end - pos, kMask);
        pos += kMask.size();
    }
    return s;
}

} // namespace

std::string redact(std::string_view text)
{
    // PEM blocks first: they span lines, which the line-based passes would cut apart.
    std::string out = redactPem(std::string(text));
    out = redactJson(out);
    if (out.find("\\\"") != std::string::npos)
        out = redactEscapedJson(out);
    out = redactParams(out);
    out = redactHeaderLines(out);
    return redactTokens(out);
}

Headers redactHeaders(const Headers &headers)
{
    Headers out;
    out.reserve(headers.size());
    for (const auto &[name, value] : headers) {
        const std::string lowered = toLower(name);
        const bool secret = isSecretName(lowered, false) ||
                            (lowered.starts_with("x-") &&
                             (endsWith(lowered, "-key") || endsWith(lowered, "-token")));
        out.emplace_back(name, secret ? std::string(kMask) : redact(value));
    }
    return out;
}

} // namespace sluice::net
