#include "csv/csvtypeguess.h"

#include <charconv>
#include <cmath>

namespace sluice {

namespace {

enum TypeBit : unsigned
{
    IntegerBit = 1u << 0,
    RealBit = 1u << 1,
    BooleanBit = 1u << 2,
    DateBit = 1u << 3,
    DateTimeBit = 1u << 4,
};

enum class NumberKind
{
    None,
    Integer,
    Real
};

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Plain decimal notation only: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? or -?.[0-9]+.
// No '+' (a leading + is a phone number far more often than a number), no leading zeros
// (identifiers such as zip codes), no thousands separators or decimal commas (ambiguous), no
// inf/nan. An integer outside the 64-bit range is not a number either: it is an identifier
// that a double would silently round.
NumberKind parseNumber(std::string_view s, std::int64_t &integer, double &real)
{
    const char *p = s.data();
    const char *const e = p + s.size();
    const char *const begin = p;
    if (p < e && *p == '-')
        ++p;
    const char *const digits = p;
    while (p < e && isDigit(*p))
        ++p;
    const std::size_t intDigits = static_cast<std::size_t>(p - digits);
    if (intDigits > 1 && *digits == '0')
        return NumberKind::None;
    bool fraction = false;
    if (p < e && *p == '.') {
        ++p;
        const char *const f = p;
        while (p < e && isDigit(*p))
            ++p;
        if (p == f)
            return NumberKind::None;
        fraction = true;
    }
    if (intDigits == 0 && !fraction)
        return NumberKind::None;
    bool exponent = false;
    if (p < e && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < e && (*p == '+' || *p == '-'))
            ++p;
        const char *const x = p;
        while (p < e && isDigit(*p))
            ++p;
        if (p == x)
            return NumberKind::None;
        exponent = true;
    }
    if (p != e)
        return NumberKind::None;
    if (!fraction && !exponent) {
        auto [end, ec] = std::from_chars(begin, e, integer);
        return ec == std::errc() && end == e ? NumberKind::Integer : NumberKind::None;
    }
    auto [end, ec] = std::from_chars(begin, e, real);
    if (ec != std::errc() || end != e || !std::isfinite(real))
        return NumberKind::None;
    return NumberKind::Real;
}

bool equalsIgnoreCase(std::string_view s, std::string_view lower)
{
    if (s.size() != lower.size())
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[i])
            return false;
    }
    return true;
}

bool readDigits(std::string_view s, std::size_t at, std::size_t count, int &value)
{
    if (at + count > s.size())
        return false;
    value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (!isDigit(s[i]))
            return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

// YYYY-MM-DD, a real calendar day.
bool isDate(std::string_view s)
{
    int y, m, d;
    if (s.size() < 10 || !readDigits(s, 0, 4, y) || s[4] != '-' || !readDigits(s, 5, 2, m) ||
        s[7] != '-' || !readDigits(s, 8, 2, d))
        return false;
    if (m < 1 || m > 12 || d < 1)
        return false;
    static constexpr int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d > days[m - 1])
        return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

// ISO 8601 date and time: a date, 'T' or a space (as databases export it), hh:mm, optional
// :ss and fraction, optional Z or an offset (+hh:mm, +hhmm, +hh).
bool isDateTime(std::string_view s)
{
    if (s.size() < 16 || !isDate(s.substr(0, 10)) || (s[10] != 'T' && s[10] != ' '))
        return false;
    int h, mi, sec;
    if (!readDigits(s, 11, 2, h) || s[13] != ':' || !readDigits(s, 14, 2, mi) || h > 23 || mi > 59)
        return false;
    std::size_t p = 16;
    if (p < s.size() && s[p] == ':') {
        if (!readDigits(s, p + 1, 2, sec) || sec > 60) // 60: a leap second
            return false;
        p += 3;
        if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
            const std::size_t f = ++p;
            while (p < s.size() && isDigit(s[p]))
                ++p;
            if (p == f)
                return false;
        }
    }
    if (p == s.size())
        return true;
    if (s[p] == 'Z')
        return p + 1 == s.size();
    if (s[p] != '+' && s[p] != '-')
        return false;
    int oh, om;
    if (!readDigits(s, p + 1, 2, oh) || oh > 23)
        return false;
    p += 3;
    if (p == s.size())
        return true;
    if (s[p] == ':')
        ++p;
    return readDigits(s, p, 2, om) && om <= 59 && p + 2 == s.size();
}

unsigned typeBitsOf(std::string_view s)
{
    std::int64_t i;
    double r;
    switch (parseNumber(s, i, r)) {
    case NumberKind::Integer:
        return IntegerBit | RealBit;
    case NumberKind::Real:
        return RealBit;
    case NumberKind::None:
        break;
    }
    if (equalsIgnoreCase(s, "true") || equalsIgnoreCase(s, "false"))
        return BooleanBit;
    if (s.size() == 10 && isDate(s))
        return DateBit | DateTimeBit; // a date in a column of date-times is midnight
    if (isDateTime(s))
        return DateTimeBit;
    return 0;
}

} // namespace

void CsvTypeGuess::add(std::string_view text)
{
    if (text.empty() || m_possible == 0)
        return;
    m_sawValue = true;
    m_possible &= typeBitsOf(text);
}

ColumnType CsvTypeGuess::type() const
{
    if (!m_sawValue)
        return ColumnType::Text;
    if (m_possible & IntegerBit)
        return ColumnType::Integer;
    if (m_possible & RealBit)
        return ColumnType::Real;
    if (m_possible & BooleanBit)
        return ColumnType::Boolean;
    if (m_possible & DateBit)
        return ColumnType::Date;
    if (m_possible & DateTimeBit)
        return ColumnType::DateTime;
    return ColumnType::Text;
}

void csvFieldToValue(ColumnType type, std::string_view text, bool quoted, Value &out)
{
    if (text.empty()) {
        if (quoted)
            out.setText({});
        else
            out.setNull();
        return;
    }
    if (type == ColumnType::Integer || type == ColumnType::Real) {
        std::int64_t i;
        double r;
        switch (parseNumber(text, i, r)) {
        case NumberKind::Integer:
            if (type == ColumnType::Integer)
                out.setInteger(i);
            else
                out.setReal(static_cast<double>(i));
            return;
        case NumberKind::Real:
            out.setReal(r);
            return;
        case NumberKind::None:
            break;
        }
    }
    out.setText(text);
}

} // namespace sluice
