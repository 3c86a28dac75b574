#include "csv/csvreader.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

namespace sluice {

namespace {

constexpr std::size_t kNoError = static_cast<std::size_t>(-1);
// The first line is scanned at most this far to guess the delimiter: a header line is never
// this long unless a stray quote made the scan run on, and then a partial count is as good.
constexpr std::size_t kDetectLimit = 1024 * 1024;

// Offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates
// and code points above U+10FFFF included), or kNoError.
std::size_t findInvalidUtf8(const unsigned char *s, std::size_t n)
{
    std::size_t i = 0;
    while (i < n) {
        // ASCII is by far the common case: skip it eight bytes at a time.
        while (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, s + i, 8);
            if (word & 0x8080808080808080ull)
                break;
            i += 8;
        }
        while (i < n && s[i] < 0x80)
            ++i;
        if (i >= n)
            break;
        const unsigned c = s[i];
        std::size_t len;
        unsigned lo = 0x80, hi = 0xBF; // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0; // overlong
            else if (c == 0xED)
                hi = 0x9F; // UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90; // overlong
            else if (c == 0xF4)
                hi = 0x8F; // above U+10FFFF
        } else {
            return i;
        }
        if (i + len > n || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (std::size_t k = 2; k < len; ++k) {
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        }
        i += len;
    }
    return kNoError;
}

std::string sizeText(std::size_t bytes)
{
    if (bytes >= 1024 * 1024)
        return std::to_string(bytes / (1024 * 1024)) + " MB";
    if (bytes >= 1024)
        return std::to_string(bytes / 1024) + " KB";
    return std::to_string(bytes) + " bytes";
}

// Line breaks before `n` bytes of s, counting CRLF once, as the parser does.
std::int64_t countLineBreaks(const char *s, std::size_t n)
{
    std::int64_t lines = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
            ++lines;
    }
    return lines;
}

} // namespace

struct CsvReader::Impl
{
    enum class Step
    {
        Record,
        End,
        NeedMore,
        Failed
    };

    CsvReadOptions options;
    std::string where; // "Line 12 of contacts.csv" needs "of contacts.csv"; empty for strings

    std::ifstream file;
    std::string text; // input of fromString() when it is larger than one chunk
    std::size_t textPos = 0;
    bool isFile = false;

    std::string buf; // [pos, end) is unread input
    std::size_t pos = 0;
    std::size_t end = 0;
    bool eof = false;

    std::int64_t lineNo = 1;     // physical line at pos
    std::int64_t recordLine = 0; // where the last record returned started
    char delim = ',';
    std::array<bool, 256> stopUnquoted{}; // bytes that end an unquoted field
    std::array<bool, 256> stopQuoted{};   // bytes the quoted-field scan must look at
    std::vector<std::size_t> escaped;     // fields of the current record holding ""
    std::optional<Error> error;           // sticky: reading cannot go on past a bad record

    std::string lineRef(std::int64_t line) const
    {
        std::string s = "Line " + std::to_string(line);
        if (!where.empty())
            s += " of " + where;
        return s;
    }

    Result<std::size_t> readInput(char *dst, std::size_t n)
    {
        if (!isFile) {
            const std::size_t k = std::min(n, text.size() - textPos);
            std::memcpy(dst, text.data() + textPos, k);
            textPos += k;
            return k;
        }
        file.read(dst, static_cast<std::streamsize>(n));
        if (file.bad())
            return fail(ErrorKind::Io,
                        "Could not read " + where +
                            ". Check that the file is still there and "
                            "that you can open it.",
                        "read failed at line " + std::to_string(lineNo));
        return static_cast<std::size_t>(file.gcount());
    }

    // Moves the unread part to the front and appends the next chunk. The unread part is the
    // start of a record the parser could not finish, so when it is large the read is as large
    // again: a record is then rescanned O(log n) times, not once per chunk.
    Result<void> refill()
    {
        const std::size_t pending = end - pos;
        if (pending >= options.maxRecordBytes)
            return fail(ErrorKind::Invalid,
                        lineRef(lineNo) + " starts a record larger than " +
                            sizeText(options.maxRecordBytes) +
                            ". This usually means a quote (\") is never closed: check that "
                            "line.",
                        "record exceeds " + std::to_string(options.maxRecordBytes) + " bytes");
        if (pos > 0) {
            std::memmove(buf.data(), buf.data() + pos, pending);
            pos = 0;
            end = pending;
        }
        const std::size_t want = std::max(options.chunkSize, pending);
        if (buf.size() < end + want)
            buf.resize(end + want);
        auto got = readInput(buf.data() + end, want);
        if (!got)
            return std::unexpected(got.error());
        if (*got == 0)
            eof = true;
        end += *got;
        return {};
    }

    void setDelimiter(char d)
    {
        delim = d;
        stopUnquoted.fill(false);
        stopUnquoted[static_cast<unsigned char>(d)] = true;
        stopUnquoted['\r'] = stopUnquoted['\n'] = true;
        stopQuoted.fill(false);
        stopQuoted['"'] = stopQuoted['\r'] = stopQuoted['\n'] = true;
    }

    Result<void> start()
    {
        if (options.chunkSize == 0)
            options.chunkSize = 1;
        while (end - pos < 3 && !eof) {
            if (auto r = refill(); !r)
                return r;
        }
        if (end - pos >= 3 && std::memcmp(buf.data() + pos, "\xEF\xBB\xBF", 3) == 0)
            pos += 3;
        if (options.delimiter == '"' || options.delimiter == '\r' || options.delimiter == '\n')
            return fail(ErrorKind::Usage,
                        "A quote or a line break cannot be the delimiter of a CSV file.");
        if (options.delimiter != 0) {
            setDelimiter(options.delimiter);
            return {};
        }
        return detectDelimiter();
    }

    // The most frequent of , ; tab | outside quotes on the first non-empty line; ties go to
    // the earlier one in that list, and a line with none of them (one column) means ','.
    Result<void> detectDelimiter()
    {
        static constexpr std::array<char, 4> candidates = {',', ';', '\t', '|'};
        const std::size_t limit = std::min(kDetectLimit, options.maxRecordBytes);
        for (;;) {
            const char *p = buf.data() + pos;
            const char *e = buf.data() + end;
            while (p < e && (*p == '\r' || *p == '\n'))
                ++p;
            std::array<std::size_t, 4> counts{};
            bool inQuotes = false;
            bool complete = false;
            for (; p < e; ++p) {
                const char c = *p;
                if (c == '"') {
                    inQuotes = !inQuotes; // "" toggles twice, as it should
                } else if (!inQuotes) {
                    if (c == '\r' || c == '\n') {
                        complete = true;
                        break;
                    }
                    for (std::size_t i = 0; i < candidates.size(); ++i)
                        counts[i] += c == candidates[i];
                }
            }
            if (complete || eof || end - pos >= limit) {
                std::size_t best = 0;
                for (std::size_t i = 1; i < candidates.size(); ++i) {
                    if (counts[i] > counts[best])
                        best = i;
                }
                setDelimiter(candidates[best]);
                return {};
            }
            if (auto r = refill(); !r)
                return r;
        }
    }

    Step failWith(ErrorKind kind, std::string message, std::string detail = {})
    {
        error = Error{kind, std::move(message), std::move(detail)};
        return Step::Failed;
    }

    // Parses one record from [pos, end). Returns NeedMore when the record (or the line end
    // after it) runs past the data read so far; the caller refills and the record is parsed
    // again from its start, which keeps this a simple loop with no resumable state.
    Step parse(std::vector<CsvField> &fields)
    {
        char *const base = buf.data();
        const char *p = base + pos;
        const char *const e = base + end;

        // A completely empty line is skipped rather than read as a record with one NULL field.
        for (;;) {
            if (p == e)
                return eof ? Step::End : Step::NeedMore;
            if (*p == '\n') {
                ++p;
            } else if (*p == '\r') {
                if (p + 1 == e && !eof)
                    return Step::NeedMore;
                p += (p + 1 < e && p[1] == '\n') ? 2 : 1;
            } else {
                break;
            }
            ++lineNo;
            pos = static_cast<std::size_t>(p - base);
        }

        fields.clear();
        escaped.clear();
        const char *const recordStart = p;
        std::int64_t line = lineNo;
        const bool *const stopU = stopUnquoted.data();
        const bool *const stopQ = stopQuoted.data();
        const char d = delim;

        for (;;) {
            if (p < e && *p == '"') {
                const char *q = p + 1;
                bool hasEscapes = false;
                for (;;) {
                    while (q < e && !stopQ[static_cast<unsigned char>(*q)])
                        ++q;
                    if (q == e) {
                        if (!eof)
                            return Step::NeedMore;
                        return failWith(
                            ErrorKind::Invalid,
                            lineRef(lineNo) +
                                ": a quoted value is never closed (its opening quote \" "
                                "has no closing quote before the end of the file). Add "
                                "the missing quote, and write a quote inside a quoted "
                                "value as two quotes (\"\").",
                            "unterminated quote in field " + std::to_string(fields.size() + 1));
                    }
                    if (*q == '"') {
                        if (q + 1 == e && !eof)
                            return Step::NeedMore;
                        if (q + 1 < e && q[1] == '"') {
                            hasEscapes = true;
                            q += 2;
                            continue;
                        }
                        break; // the closing quote
                    }
                    if (*q == '\r') {
                        if (q + 1 == e && !eof)
                            return Step::NeedMore;
                        q += (q + 1 < e && q[1] == '\n') ? 2 : 1;
                    } else {
                        ++q;
                    }
                    ++line;
                }
                if (hasEscapes)
                    escaped.push_back(fields.size());
                fields.push_back(
                    CsvField{std::string_view(p + 1, static_cast<std::size_t>(q - p - 1)), true});
                p = q + 1;
                if (p == e) {
                    if (!eof)
                        return Step::NeedMore;
                    return finish(fields, recordStart, p, p, line, false);
                }
                if (*p == d) {
                    ++p;
                    continue;
                }
                if (*p != '\r' && *p != '\n')
                    return failWith(
                        ErrorKind::Invalid,
                        lineRef(line) + ": field " + std::to_string(fields.size()) +
                            " has text after its closing quote. Inside a quoted value, "
                            "write a quote as two quotes (\"\"); after the closing quote "
                            "only the delimiter or the end of the line may follow.",
                        "unexpected character after closing quote");
            } else {
                const char *q = p;
                while (q < e && !stopU[static_cast<unsigned char>(*q)])
                    ++q;
                if (q == e && !eof)
                    return Step::NeedMore;
                fields.push_back(
                    CsvField{std::string_view(p, static_cast<std::size_t>(q - p)), false});
                p = q;
                if (p == e)
                    return finish(fields, recordStart, p, p, line, false);
                if (*p == d) {
                    ++p;
                    continue;
                }
            }
            // At a line end.
            const char *const recordEnd = p;
            if (*p == '\r') {
                if (p + 1 == e && !eof)
                    return Step::NeedMore;
                p += (p + 1 < e && p[1] == '\n') ? 2 : 1;
            } else {
                ++p;
            }
            return finish(fields, recordStart, recordEnd, p, line, true);
        }
    }

    Step finish(std::vector<CsvField> &fields, const char *recordStart, const char *recordEnd,
                const char *next, std::int64_t lastLine, bool endedWithLineBreak)
    {
        const std::size_t rawSize = static_cast<std::size_t>(recordEnd - recordStart);
        if (const std::size_t bad =
                findInvalidUtf8(reinterpret_cast<const unsigned char *>(recordStart), rawSize);
            bad != kNoError) {
            const std::int64_t badLine = lineNo + countLineBreaks(recordStart, bad);
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(recordStart[bad]));
            return failWith(ErrorKind::Invalid,
                            lineRef(badLine) +
                                " contains text that is not valid UTF-8. Save the file with UTF-8 "
                                "encoding (in Excel: \"CSV UTF-8\") and try again.",
                            std::string("invalid byte ") + hex);
        }
        // Doubled quotes are undone in place: this record's bytes are never parsed again.
        for (std::size_t index : escaped) {
            CsvField &f = fields[index];
            char *w = const_cast<char *>(f.text.data());
            const char *r = w;
            const char *const stop = f.text.data() + f.text.size();
            char *const first = w;
            while (r < stop) {
                const char c = *r++;
                if (c == '"')
                    ++r; // the second quote of the pair
                *w++ = c;
            }
            f.text = std::string_view(first, static_cast<std::size_t>(w - first));
        }
        recordLine = lineNo;
        lineNo = endedWithLineBreak ? lastLine + 1 : lastLine;
        pos = static_cast<std::size_t>(next - buf.data());
        return Step::Record;
    }
};

CsvReader::CsvReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::open(const std::filesystem::path &path,
                                                   CsvReadOptions options)
{
    std::error_code ec;
    const std::string name = path.filename().string();
    if (!std::filesystem::exists(path, ec))
        return fail(ErrorKind::NotFound, "The file " + path.string() + " does not exist.");
    if (std::filesystem::is_directory(path, ec))
        return fail(ErrorKind::Invalid,
                    path.string() + " is a folder, not a CSV file. Choose a .csv file.");
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->where = name;
    impl->isFile = true;
    impl->file.open(path, std::ios::binary);
    if (!impl->file)
        return fail(ErrorKind::Io,
                    "Could not open " + path.string() + ". Check that you are allowed to read it.",
                    std::strerror(errno));
    if (auto r = impl->start(); !r)
        return std::unexpected(r.error());
    return std::unique_ptr<CsvReader>(new CsvReader(std::move(impl)));
}

std::unique_ptr<CsvReader> CsvReader::fromString(std::string data, CsvReadOptions options)
{
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    if (data.size() <= std::max<std::size_t>(options.chunkSize, 1)) {
        // Fits in one chunk: use the string itself as the buffer, no copy.
        impl->end = data.size();
        impl->buf = std::move(data);
        impl->eof = true;
    } else {
        impl->text = std::move(data);
    }
    if (auto r = impl->start(); !r)
        impl->error = r.error();
    return std::unique_ptr<CsvReader>(new CsvReader(std::move(impl)));
}

Result<bool> CsvReader::next(std::vector<CsvField> &fields)
{
    Impl &d = *m_impl;
    for (;;) {
        if (d.error)
            return std::unexpected(*d.error);
        switch (d.parse(fields)) {
        case Impl::Step::Record:
            return true;
        case Impl::Step::End:
            fields.clear();
            return false;
        case Impl::Step::Failed:
            fields.clear();
            return std::unexpected(*d.error);
        case Impl::Step::NeedMore:
            if (auto r = d.refill(); !r)
                d.error = r.error();
            break;
        }
    }
}

std::int64_t CsvReader::line() const
{
    return m_impl->recordLine;
}

char CsvReader::delimiter() const
{
    return m_impl->delim;
}

} // namespace sluice
