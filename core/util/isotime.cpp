#include "util/isotime.h"

#include <chrono>

namespace sluice {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

bool digitsAt(std::string_view s, std::size_t pos, std::size_t n, int &out)
{
    if (pos + n > s.size())
        return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

std::int64_t daysFromCivil(int y, unsigned m, unsigned d)
{
    using namespace std::chrono;
    return sys_days(year(y) / month(m) / day(d)).time_since_epoch().count();
}

} // namespace

bool parseIsoDate(std::string_view s, std::int64_t &days)
{
    int y = 0, m = 0, d = 0;
    if (s.size() < 10 || !digitsAt(s, 0, 4, y) || s[4] != '-' || !digitsAt(s, 5, 2, m) ||
        s[7] != '-' || !digitsAt(s, 8, 2, d) || m < 1 || m > 12 || d < 1)
        return false;
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kDays[m - 1] || (m == 2 && d == 29 && !leap))
        return false;
    days = daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    return true;
}

bool parseIsoDateTime(std::string_view s, std::int64_t &ms)
{
    std::int64_t days = 0;
    if (!parseIsoDate(s, days))
        return false;
    if (s.size() == 10) {
        ms = days * kDayMs;
        return true;
    }
    int h = 0, mi = 0, sec = 0, frac = 0;
    if ((s[10] != 'T' && s[10] != ' ') || !digitsAt(s, 11, 2, h) || s.size() < 16 || s[13] != ':' ||
        !digitsAt(s, 14, 2, mi) || h > 23 || mi > 59)
        return false;
    std::size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
        if (!digitsAt(s, pos + 1, 2, sec) || sec > 60)
            return false;
        pos += 3;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            std::size_t digits = 0;
            ++pos;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (digits < 3)
                    frac = frac * 10 + (s[pos] - '0');
                ++digits;
                ++pos;
            }
            if (digits == 0)
                return false;
            for (std::size_t i = digits; i < 3; ++i)
                frac *= 10;
        }
    }
    int offsetMin = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh = 0, om = 0;
        std::size_t p = pos + 1;
        if (!digitsAt(s, p, 2, oh))
            return false;
        p += 2;
        if (p < s.size() && s[p] == ':')
            ++p;
        if (p < s.size()) {
            if (!digitsAt(s, p, 2, om))
                return false;
            p += 2;
        }
        if (oh > 23 || om > 59)
            return false;
        offsetMin = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos = p;
    }
    if (pos != s.size())
        return false;
    ms = days * kDayMs + ((h * 60LL + mi - offsetMin) * 60 + sec) * 1000 + frac;
    return true;
}

} // namespace sluice
