#include "mapping/mapping.h"

#include <QByteArray>
#include <QDateTime>
#include <QLocale>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace sluice {

namespace {

using nlohmann::json;

constexpr std::array kAllKinds = {Transform::Kind::Trim,       Transform::Kind::Lower,
                                  Transform::Kind::Upper,      Transform::Kind::DefaultIfEmpty,
                                  Transform::Kind::DateFormat, Transform::Kind::NumberFormat};
constexpr int kMaxDecimals = 15;
// Long cell values would drown the message; the start is enough to find the row.
constexpr std::size_t kMaxQuotedBytes = 60;

std::string kindList()
{
    std::string s;
    for (auto k : kAllKinds) {
        if (!s.empty())
            s += ", ";
        s += transformKindName(k);
    }
    return s;
}

std::string inQuotes(std::string_view text)
{
    std::string s = "\"";
    if (text.size() <= kMaxQuotedBytes) {
        s += text;
    } else {
        std::size_t cut = kMaxQuotedBytes;
        // Do not cut a UTF-8 sequence in half.
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut;
        s += text.substr(0, cut);
        s += "…";
    }
    s += '"';
    return s;
}

std::string quotedList(const std::vector<std::string> &names)
{
    std::string s;
    for (const auto &n : names) {
        if (!s.empty())
            s += ", ";
        s += inQuotes(n);
    }
    return s;
}

bool isAscii(std::string_view s)
{
    for (char c : s) {
        if (static_cast<unsigned char>(c) & 0x80)
            return false;
    }
    return true;
}

bool isAsciiSpace(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

// Unicode White_Space outside ASCII (what QChar::isSpace() also accepts).
bool isUnicodeSpace(char32_t cp)
{
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Decodes one UTF-8 sequence at p (n bytes available). Returns 0 length when invalid.
char32_t decodeUtf8(const unsigned char *p, std::size_t n, std::size_t &len)
{
    len = 0;
    if (n == 0)
        return 0;
    unsigned char c = p[0];
    std::size_t need;
    char32_t cp;
    if (c < 0x80) {
        len = 1;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        need = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        need = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        need = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    for (std::size_t i = 1; i < need; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    len = need;
    return cp;
}

// In place, so a reused buffer keeps its capacity.
void trimInPlace(std::string &s)
{
    const auto *data = reinterpret_cast<const unsigned char *>(s.data());
    std::size_t begin = 0;
    std::size_t end = s.size();
    while (begin < end) {
        if (data[begin] < 0x80) {
            if (!isAsciiSpace(data[begin]))
                break;
            ++begin;
            continue;
        }
        std::size_t len;
        char32_t cp = decodeUtf8(data + begin, end - begin, len);
        if (len == 0 || !isUnicodeSpace(cp))
            break;
        begin += len;
    }
    while (end > begin) {
        if (data[end - 1] < 0x80) {
            if (!isAsciiSpace(data[end - 1]))
                break;
            --end;
            continue;
        }
        std::size_t lead = end - 1;
        while (lead > begin && end - lead < 4 && (data[lead] & 0xC0) == 0x80)
            --lead;
        std::size_t len;
        char32_t cp = decodeUtf8(data + lead, end - lead, len);
        if (len != end - lead || !isUnicodeSpace(cp))
            break;
        end = lead;
    }
    s.erase(end);
    s.erase(0, begin);
}

void toText(Value &v)
{
    if (v.type == ValueType::Text || v.type == ValueType::Null)
        return;
    v.text.clear();
    v.appendTo(v.text);
    v.type = ValueType::Text;
}

void assignUtf8(std::string &out, const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    out.assign(utf8.constData(), static_cast<std::size_t>(utf8.size()));
}

void changeCase(std::string &s, bool upper)
{
    if (isAscii(s)) {
        for (char &c : s) {
            if (upper && c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 'a' + 'A');
            else if (!upper && c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        }
        return;
    }
    const QString q = QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    assignUtf8(s, upper ? q.toUpper() : q.toLower());
}

std::string_view trimAscii(std::string_view s)
{
    while (!s.empty() && isAsciiSpace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && isAsciiSpace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

bool parseDigits(std::string_view s, std::size_t pos, std::size_t count, int &out)
{
    if (pos + count > s.size())
        return false;
    out = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// ISO 8601 extended form: 2024-03-01, 2024-03-01T10:00[:00[.123]][Z|+02:00|+0200|+02].
// A date-time without a zone is taken as UTC, never the machine's zone: the same sync must
// give the same output everywhere, and local time has DST gaps that would shift values.
bool parseIsoDateTime(std::string_view s, QDateTime &out)
{
    int y, mo, d;
    if (s.size() < 10 || !parseDigits(s, 0, 4, y) || s[4] != '-' || !parseDigits(s, 5, 2, mo) ||
        s[7] != '-' || !parseDigits(s, 8, 2, d))
        return false;
    const QDate date(y, mo, d);
    if (!date.isValid())
        return false;
    if (s.size() == 10) {
        out = QDateTime(date, QTime(0, 0), Qt::UTC);
        return true;
    }
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        return false;
    std::size_t pos = 11;
    int h, mi, sec = 0, ms = 0;
    if (!parseDigits(s, pos, 2, h) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
        !parseDigits(s, pos + 3, 2, mi))
        return false;
    pos += 5;
    if (pos < s.size() && s[pos] == ':') {
        if (!parseDigits(s, pos + 1, 2, sec))
            return false;
        pos += 3;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            std::size_t digits = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (digits < 3)
                    ms = ms * 10 + (s[pos] - '0');
                ++digits;
                ++pos;
            }
            if (digits == 0)
                return false;
            for (std::size_t i = digits; i < 3; ++i)
                ms *= 10;
        }
    }
    const QTime time(h, mi, sec, ms);
    if (!time.isValid())
        return false;
    if (pos == s.size()) {
        out = QDateTime(date, time, Qt::UTC);
        return true;
    }
    if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
        out = QDateTime(date, time, Qt::UTC);
        return true;
    }
    if (s[pos] != '+' && s[pos] != '-')
        return false;
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om = 0;
    if (!parseDigits(s, pos, 2, oh))
        return false;
    pos += 2;
    if (pos < s.size() && s[pos] == ':')
        ++pos;
    if (pos < s.size()) {
        if (!parseDigits(s, pos, 2, om))
            return false;
        pos += 2;
    }
    if (pos != s.size() || oh > 23 || om > 59)
        return false;
    out = QDateTime(date, time, Qt::OffsetFromUTC, sign * (oh * 3600 + om * 60));
    return out.isValid();
}

// from_chars takes '-' but not '+'; accept one '+' but not "+-5" or "++5".
bool stripPlus(std::string_view &s)
{
    if (!s.empty() && s.front() == '+') {
        s.remove_prefix(1);
        if (s.empty() || s.front() == '+' || s.front() == '-')
            return false;
    }
    return !s.empty();
}

// Text of an optional sign and digits only, fully consumed.
bool parseInteger(std::string_view s, std::int64_t &out)
{
    if (!stripPlus(s))
        return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

bool epochToDateTime(std::int64_t secs, QDateTime &out)
{
    // QDateTime covers far more than this; the bound only keeps secs * 1000 from overflowing.
    constexpr std::int64_t kLimit = 9'000'000'000'000'000LL / 1000;
    if (secs > kLimit || secs < -kLimit)
        return false;
    out = QDateTime::fromSecsSinceEpoch(secs, Qt::UTC);
    return out.isValid();
}

bool valueToDateTime(const Value &v, QDateTime &out)
{
    switch (v.type) {
    case ValueType::Integer:
        return epochToDateTime(v.integer, out);
    case ValueType::Real: {
        if (!std::isfinite(v.real) || std::fabs(v.real) > 9.0e12)
            return false;
        out = QDateTime::fromMSecsSinceEpoch(std::llround(v.real * 1000.0), Qt::UTC);
        return out.isValid();
    }
    case ValueType::Text: {
        const std::string_view s = trimAscii(v.text);
        std::int64_t secs;
        if (parseInteger(s, secs))
            return epochToDateTime(secs, out);
        return parseIsoDateTime(s, out);
    }
    case ValueType::Null:
        return false;
    }
    return false;
}

void appendFixed(std::string &out, std::int64_t integer, int decimals)
{
    std::array<char, 24> buf;
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), integer);
    out.assign(buf.data(), end);
    if (decimals > 0) {
        out += '.';
        out.append(static_cast<std::size_t>(decimals), '0');
    }
}

bool formatFixed(std::string &out, double real, int decimals)
{
    if (!std::isfinite(real))
        return false;
    // 309 integer digits at most for a double, plus sign, point and 15 decimals.
    std::array<char, 352> buf;
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), real,
                                   std::chars_format::fixed, decimals);
    if (ec != std::errc())
        return false;
    const char *begin = buf.data();
    // -0.001 at two decimals is "0.00", not "-0.00".
    if (*begin == '-') {
        bool allZero = true;
        for (const char *p = begin + 1; p != end; ++p) {
            if (*p >= '1' && *p <= '9') {
                allZero = false;
                break;
            }
        }
        if (allZero)
            ++begin;
    }
    out.assign(begin, static_cast<std::size_t>(end - begin));
    return true;
}

// Formats v in place as text with fixed decimals. False when v is not a number.
bool formatNumber(Value &v, int decimals)
{
    switch (v.type) {
    case ValueType::Integer:
        appendFixed(v.text, v.integer, decimals);
        v.type = ValueType::Text;
        return true;
    case ValueType::Real:
        if (!formatFixed(v.text, v.real, decimals))
            return false;
        v.type = ValueType::Text;
        return true;
    case ValueType::Text: {
        std::string_view s = trimAscii(v.text);
        std::int64_t integer;
        // Whole numbers stay exact even beyond 2^53.
        if (parseInteger(s, integer)) {
            appendFixed(v.text, integer, decimals);
            return true;
        }
        if (!stripPlus(s))
            return false;
        double real;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), real);
        if (ec != std::errc() || end != s.data() + s.size())
            return false;
        return formatFixed(v.text, real, decimals); // rejects "nan" and "inf"
    }
    case ValueType::Null:
        return true;
    }
    return false;
}

std::optional<int> parseDecimals(std::string_view arg)
{
    int n;
    auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), n);
    if (arg.empty() || ec != std::errc() || end != arg.data() + arg.size() || n < 0 ||
        n > kMaxDecimals)
        return std::nullopt;
    return n;
}

std::string entryWhere(std::size_t index)
{
    return "Mapping entry " + std::to_string(index + 1);
}

Result<Transform> transformFromJson(const json &t, const std::string &where)
{
    const std::string example = R"( e.g. {"op": "trim"})";
    if (!t.is_object())
        return fail(ErrorKind::Invalid,
                    where + ": each transform must be an object," + example + ".");
    const auto op = t.find("op");
    if (op == t.end() || !op->is_string())
        return fail(ErrorKind::Invalid,
                    where + R"(: a transform has no "op"; use one of )" + kindList() + ".");
    const std::string name = op->get<std::string>();
    const auto kind = transformKindFromName(name);
    if (!kind)
        return fail(ErrorKind::Invalid,
                    where + ": unknown transform " + inQuotes(name) + "; use one of " + kindList());

    const char *argKey = nullptr;
    switch (*kind) {
    case Transform::Kind::DefaultIfEmpty:
        argKey = "value";
        break;
    case Transform::Kind::DateFormat:
        argKey = "format";
        break;
    case Transform::Kind::NumberFormat:
        argKey = "decimals";
        break;
    default:
        break;
    }
    for (auto it = t.begin(); it != t.end(); ++it) {
        if (it.key() != "op" && (!argKey || it.key() != argKey)) {
            return fail(ErrorKind::Invalid, where + ": the " + inQuotes(name) +
                                                " transform has an unknown setting " +
                                                inQuotes(it.key()) + ".");
        }
    }

    Transform result;
    result.kind = *kind;
    switch (*kind) {
    case Transform::Kind::DefaultIfEmpty: {
        const auto v = t.find("value");
        if (v == t.end() || !v->is_string())
            return fail(ErrorKind::Invalid,
                        where + R"(: the "default" transform needs a text "value", e.g. )"
                                R"({"op": "default", "value": "n/a"}.)");
        result.arg = v->get<std::string>();
        break;
    }
    case Transform::Kind::DateFormat: {
        const auto v = t.find("format");
        if (v == t.end() || !v->is_string() || v->get_ref<const std::string &>().empty())
            return fail(ErrorKind::Invalid, where +
                                                R"(: the "date" transform needs a "format", e.g. )"
                                                R"({"op": "date", "format": "dd/MM/yyyy"}.)");
        result.arg = v->get<std::string>();
        break;
    }
    case Transform::Kind::NumberFormat: {
        const auto v = t.find("decimals");
        std::optional<int> decimals;
        if (v != t.end() && v->is_number_integer()) {
            const auto n = v->get<std::int64_t>();
            if (n >= 0 && n <= kMaxDecimals)
                decimals = static_cast<int>(n);
        } else if (v != t.end() && v->is_string()) {
            decimals = parseDecimals(v->get_ref<const std::string &>());
        }
        if (!decimals)
            return fail(ErrorKind::Invalid,
                        where +
                            R"(: the "number" transform needs "decimals", a whole number )"
                            "from 0 to " +
                            std::to_string(kMaxDecimals) +
                            R"(, e.g. {"op": "number", "decimals": 2}.)");
        result.arg = std::to_string(*decimals);
        break;
    }
    default:
        break;
    }
    return result;
}

} // namespace

std::vector<std::string> Mapping::destinationFields() const
{
    std::vector<std::string> out;
    out.reserve(fields.size());
    for (const auto &f : fields)
        out.push_back(f.field);
    return out;
}

const char *transformKindName(Transform::Kind kind)
{
    switch (kind) {
    case Transform::Kind::Trim:
        return "trim";
    case Transform::Kind::Lower:
        return "lower";
    case Transform::Kind::Upper:
        return "upper";
    case Transform::Kind::DefaultIfEmpty:
        return "default";
    case Transform::Kind::DateFormat:
        return "date";
    case Transform::Kind::NumberFormat:
        return "number";
    }
    return "trim";
}

std::optional<Transform::Kind> transformKindFromName(std::string_view name)
{
    for (auto k : kAllKinds) {
        if (name == transformKindName(k))
            return k;
    }
    return std::nullopt;
}

nlohmann::json mappingToJson(const Mapping &mapping)
{
    json out = json::array();
    for (const auto &fm : mapping.fields) {
        json entry = json::object();
        // A constant wins over a column, as in CompiledMapping::compile().
        if (fm.constant)
            entry["constant"] = *fm.constant;
        else
            entry["column"] = fm.column;
        entry["field"] = fm.field;
        if (!fm.transforms.empty()) {
            json transforms = json::array();
            for (const auto &t : fm.transforms) {
                json o = json::object();
                o["op"] = transformKindName(t.kind);
                switch (t.kind) {
                case Transform::Kind::DefaultIfEmpty:
                    o["value"] = t.arg;
                    break;
                case Transform::Kind::DateFormat:
                    o["format"] = t.arg;
                    break;
                case Transform::Kind::NumberFormat:
                    // Kept as written when invalid, so the import reports it instead of
                    // silently changing it.
                    if (auto d = parseDecimals(t.arg))
                        o["decimals"] = *d;
                    else
                        o["decimals"] = t.arg;
                    break;
                default:
                    break;
                }
                transforms.push_back(std::move(o));
            }
            entry["transforms"] = std::move(transforms);
        }
        out.push_back(std::move(entry));
    }
    return out;
}

Result<Mapping> mappingFromJson(const nlohmann::json &input)
{
    if (!input.is_array())
        return fail(ErrorKind::Invalid,
                    R"(The mapping must be a list of entries, e.g. [{"column": "email", )"
                    R"("field": "Email"}].)",
                    std::string("got ") + input.type_name());
    Mapping mapping;
    mapping.fields.reserve(input.size());
    std::unordered_map<std::string, std::size_t> seen; // field -> entry index
    for (std::size_t i = 0; i < input.size(); ++i) {
        const json &e = input[i];
        const std::string where = entryWhere(i);
        if (!e.is_object())
            return fail(ErrorKind::Invalid,
                        where + R"(: expected an object, e.g. {"column": "email", "field": )"
                                R"("Email"}.)");
        for (auto it = e.begin(); it != e.end(); ++it) {
            const std::string &k = it.key();
            if (k != "column" && k != "constant" && k != "field" && k != "transforms")
                return fail(ErrorKind::Invalid,
                            where + ": unknown key " + inQuotes(k) +
                                "; use column, constant, field and transforms.");
        }

        FieldMapping fm;
        const auto field = e.find("field");
        if (field == e.end() || field->is_null())
            return fail(ErrorKind::Invalid,
                        where + R"(: no "field"; say which destination field it feeds.)");
        if (!field->is_string() || field->get_ref<const std::string &>().empty())
            return fail(ErrorKind::Invalid,
                        where + R"(: "field" must be the destination field's name as text.)");
        fm.field = field->get<std::string>();
        if (auto [it, inserted] = seen.emplace(fm.field, i); !inserted)
            return fail(ErrorKind::Invalid,
                        where + ": the field " + inQuotes(fm.field) + " is already fed by entry " +
                            std::to_string(it->second + 1) + "; map each field once.");

        const auto column = e.find("column");
        const auto constant = e.find("constant");
        const bool hasColumn = column != e.end() && !column->is_null();
        const bool hasConstant = constant != e.end() && !constant->is_null();
        if (hasColumn && hasConstant)
            return fail(ErrorKind::Invalid,
                        where + " (field " + inQuotes(fm.field) +
                            R"(): has both a "column" and a "constant"; keep one.)");
        if (!hasColumn && !hasConstant)
            return fail(ErrorKind::Invalid,
                        where + " (field " + inQuotes(fm.field) +
                            R"(): has neither a "column" nor a "constant"; say what feeds it.)");
        if (hasColumn) {
            if (!column->is_string() || column->get_ref<const std::string &>().empty())
                return fail(ErrorKind::Invalid,
                            where + R"(: "column" must be the model column's name as text.)");
            fm.column = column->get<std::string>();
        } else {
            if (!constant->is_string())
                return fail(ErrorKind::Invalid,
                            where + R"(: "constant" must be text; put the value in quotes.)");
            fm.constant = constant->get<std::string>();
        }

        const auto transforms = e.find("transforms");
        if (transforms != e.end() && !transforms->is_null()) {
            if (!transforms->is_array())
                return fail(ErrorKind::Invalid,
                            where + R"(: "transforms" must be a list, e.g. [{"op": "trim"}].)");
            for (const auto &t : *transforms) {
                auto parsed = transformFromJson(t, where);
                if (!parsed)
                    return std::unexpected(parsed.error());
                fm.transforms.push_back(std::move(*parsed));
            }
        }
        mapping.fields.push_back(std::move(fm));
    }
    return mapping;
}

Result<CompiledMapping> CompiledMapping::compile(const Mapping &mapping,
                                                 const std::vector<Column> &columns)
{
    std::unordered_map<std::string_view, int> index;
    std::unordered_set<std::string_view> repeated;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (!index.emplace(columns[i].name, static_cast<int>(i)).second)
            repeated.insert(columns[i].name);
    }

    std::vector<std::string> missing;
    std::vector<std::string> ambiguous;
    std::vector<std::string> duplicates;
    std::vector<std::string> problems;
    std::unordered_set<std::string_view> fieldsSeen;
    auto addOnce = [](std::vector<std::string> &list, const std::string &name) {
        if (std::find(list.begin(), list.end(), name) == list.end())
            list.push_back(name);
    };

    CompiledMapping compiled;
    compiled.m_steps.reserve(mapping.fields.size());
    for (const auto &fm : mapping.fields) {
        if (fm.field.empty()) {
            problems.push_back("A link has no destination field; pick one or remove the link.");
            continue;
        }
        if (!fieldsSeen.insert(fm.field).second) {
            addOnce(duplicates, fm.field);
            continue;
        }

        Step step;
        step.field = fm.field;
        bool transformsOk = true;
        for (const auto &t : fm.transforms) {
            CompiledTransform ct;
            ct.kind = t.kind;
            switch (t.kind) {
            case Transform::Kind::DefaultIfEmpty:
                ct.text = t.arg;
                break;
            case Transform::Kind::DateFormat:
                if (t.arg.empty()) {
                    problems.push_back("Field " + inQuotes(fm.field) +
                                       ": the date transform has no format; enter one such "
                                       "as dd/MM/yyyy.");
                    transformsOk = false;
                }
                ct.format = QString::fromStdString(t.arg);
                break;
            case Transform::Kind::NumberFormat:
                if (auto d = parseDecimals(t.arg)) {
                    ct.decimals = *d;
                } else {
                    problems.push_back("Field " + inQuotes(fm.field) + ": the number of decimals " +
                                       inQuotes(t.arg) + " is not a whole number from 0 to " +
                                       std::to_string(kMaxDecimals) + ".");
                    transformsOk = false;
                }
                break;
            default:
                break;
            }
            step.transforms.push_back(std::move(ct));
        }
        if (!transformsOk)
            continue;

        if (fm.constant) {
            // Transform the constant once here instead of once per row.
            step.constant.setText(*fm.constant);
            std::string error;
            if (!runTransforms(step, step.constant, error)) {
                problems.push_back(error);
                continue;
            }
            step.transforms.clear();
        } else if (fm.column.empty()) {
            problems.push_back("Field " + inQuotes(fm.field) +
                               " has no column or constant; pick one or remove the link.");
            continue;
        } else if (auto it = index.find(fm.column); it == index.end()) {
            addOnce(missing, fm.column);
            continue;
        } else if (repeated.contains(fm.column)) {
            addOnce(ambiguous, fm.column);
            continue;
        } else {
            step.column = it->second;
        }
        compiled.m_steps.push_back(std::move(step));
    }

    std::string message;
    auto add = [&message](const std::string &sentence) {
        if (!message.empty())
            message += ' ';
        message += sentence;
    };
    if (!missing.empty())
        add("The model no longer has the column(s) " + quotedList(missing) +
            " that this sync maps. Edit the mapping or restore the columns.");
    if (!ambiguous.empty())
        add("The model has more than one column named " + quotedList(ambiguous) +
            ", so the mapping cannot tell them apart. Give them distinct names in the model "
            "(e.g. with AS).");
    if (!duplicates.empty())
        add("The field(s) " + quotedList(duplicates) +
            " are mapped more than once. Keep one link per field.");
    for (const auto &p : problems)
        add(p);
    if (!message.empty())
        return fail(missing.empty() ? ErrorKind::Invalid : ErrorKind::NotFound, message);
    return compiled;
}

bool CompiledMapping::apply(const Row &in, Row &out, std::string &error) const
{
    if (out.size() != m_steps.size())
        out.resize(m_steps.size());
    for (std::size_t i = 0; i < m_steps.size(); ++i) {
        const Step &step = m_steps[i];
        Value &dst = out[i];
        if (step.column < 0) {
            dst = step.constant; // copy-assignment reuses dst.text's buffer
            continue;
        }
        if (static_cast<std::size_t>(step.column) >= in.size()) {
            error = "Field " + inQuotes(step.field) + ": the row has only " +
                    std::to_string(in.size()) + " values, fewer than the model's columns.";
            return false;
        }
        const Value &src = in[static_cast<std::size_t>(step.column)];
        dst.type = src.type;
        switch (src.type) {
        case ValueType::Null:
            break;
        case ValueType::Integer:
            dst.integer = src.integer;
            break;
        case ValueType::Real:
            dst.real = src.real;
            break;
        case ValueType::Text:
            dst.text.assign(src.text);
            break;
        }
        if (!step.transforms.empty() && !runTransforms(step, dst, error))
            return false;
    }
    return true;
}

bool CompiledMapping::runTransforms(const Step &step, Value &v, std::string &error)
{
    for (const auto &t : step.transforms) {
        switch (t.kind) {
        case Transform::Kind::Trim:
            toText(v);
            if (v.type == ValueType::Text)
                trimInPlace(v.text);
            break;
        case Transform::Kind::Lower:
        case Transform::Kind::Upper:
            toText(v);
            if (v.type == ValueType::Text)
                changeCase(v.text, t.kind == Transform::Kind::Upper);
            break;
        case Transform::Kind::DefaultIfEmpty:
            if (v.isNull() || (v.type == ValueType::Text && v.text.empty()))
                v.setText(t.text);
            break;
        case Transform::Kind::DateFormat: {
            // NULL and "" mean "no date", not a bad one.
            if (v.isNull() || (v.type == ValueType::Text && trimAscii(v.text).empty()))
                break;
            QDateTime dt;
            if (!valueToDateTime(v, dt)) {
                error = "Field " + inQuotes(step.field) + ": " + inQuotes(v.toString()) +
                        " is not a date (expected e.g. 2024-03-01)";
                return false;
            }
            // The C locale: month names must not depend on the machine running the sync.
            assignUtf8(v.text, QLocale::c().toString(dt, t.format));
            v.type = ValueType::Text;
            break;
        }
        case Transform::Kind::NumberFormat:
            if (v.isNull() || (v.type == ValueType::Text && trimAscii(v.text).empty()))
                break;
            if (!formatNumber(v, t.decimals)) {
                error = "Field " + inQuotes(step.field) + ": " + inQuotes(v.toString()) +
                        " is not a number (expected e.g. 1234.5)";
                return false;
            }
            break;
        }
    }
    return true;
}

} // namespace sluice
