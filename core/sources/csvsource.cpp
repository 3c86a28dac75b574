#include "sources/csvsource.h"

#include "csv/csvreader.h"
#include "csv/csvtypeguess.h"

#include <algorithm>
#include <atomic>
#include <optional>

namespace sluice {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kSampleRows = 1000;
// The sample is held in memory; a file of very wide rows stops sampling early rather than
// buffering 1000 of them.
constexpr std::size_t kSampleMaxBytes = 16 * 1024 * 1024;

char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowerAscii(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), asciiLower);
    return out;
}

bool isCsvFileName(const std::string &name)
{
    // Names starting with a dot are hidden files, such as the "._name.csv" resource forks
    // macOS leaves on shared drives: binary, not CSV.
    return name.size() > 4 && name.front() != '.' &&
           lowerAscii(std::string_view(name).substr(name.size() - 4)) == ".csv";
}

std::string delimiterName(char d)
{
    switch (d) {
    case '\t':
        return "tab";
    case ',':
        return "comma (,)";
    case ';':
        return "semicolon (;)";
    case '|':
        return "pipe (|)";
    default:
        return std::string("\"") + d + "\"";
    }
}

std::string_view trimBlanks(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Header cells become column names: blanks trimmed (exports often write "id, name"), an empty
// name becomes column_N, and a repeated name gets _2, _3… Repeats are found ignoring ASCII
// case, because databases and auto-map treat "Email" and "email" as the same column.
std::vector<Column> columnsFromHeader(const std::vector<CsvField> &header)
{
    std::vector<Column> columns;
    std::vector<std::string> taken; // lower-cased names in use
    columns.reserve(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) {
        std::string base(trimBlanks(header[i].text));
        if (base.empty())
            base = "column_" + std::to_string(i + 1);
        std::string name = base;
        for (int n = 2; std::find(taken.begin(), taken.end(), lowerAscii(name)) != taken.end(); ++n)
            name = base + "_" + std::to_string(n);
        taken.push_back(lowerAscii(name));
        columns.push_back(Column{std::move(name), ColumnType::Text});
    }
    return columns;
}

class CsvRowStream : public RowStream
{
public:
    static Result<std::unique_ptr<CsvRowStream>> open(const fs::path &path, char delimiter,
                                                      std::optional<std::int64_t> limit)
    {
        CsvReadOptions options;
        options.delimiter = delimiter;
        auto reader = CsvReader::open(path, options);
        if (!reader)
            return std::unexpected(reader.error());
        std::unique_ptr<CsvRowStream> stream(new CsvRowStream(std::move(*reader), limit));
        stream->m_fileName = path.filename().string();
        if (auto r = stream->readHeaderAndSample(); !r)
            return std::unexpected(r.error());
        return stream;
    }

    const std::vector<Column> &columns() const override { return m_columns; }

    Result<bool> next(Row &row) override
    {
        if (m_cancelled.load(std::memory_order_relaxed))
            return fail(ErrorKind::Cancelled, "Stopped.");
        if (m_limit && m_emitted >= *m_limit)
            return false;
        const std::size_t n = m_columns.size();
        row.resize(n);
        if (m_sampleNext < m_sampleRows) {
            const SampleField *f = m_sampleFields.data() + m_sampleNext * n;
            for (std::size_t i = 0; i < n; ++i) {
                csvFieldToValue(m_columns[i].type,
                                std::string_view(m_sampleText).substr(f[i].offset, f[i].length),
                                f[i].quoted, row[i]);
            }
            if (++m_sampleNext == m_sampleRows)
                releaseSample();
            ++m_emitted;
            return true;
        }
        if (m_pendingError)
            return std::unexpected(*m_pendingError);
        if (m_done)
            return false;
        auto more = readRecord();
        if (!more) {
            m_pendingError = more.error();
            return std::unexpected(more.error());
        }
        if (!*more) {
            m_done = true;
            return false;
        }
        for (std::size_t i = 0; i < n; ++i)
            csvFieldToValue(m_columns[i].type, m_fields[i].text, m_fields[i].quoted, row[i]);
        ++m_emitted;
        return true;
    }

    void cancel() override { m_cancelled.store(true, std::memory_order_relaxed); }

private:
    struct SampleField
    {
        std::size_t offset;
        std::size_t length;
        bool quoted;
    };

    CsvRowStream(std::unique_ptr<CsvReader> reader, std::optional<std::int64_t> limit)
        : m_reader(std::move(reader)), m_limit(limit)
    {
    }

    // The next record into m_fields, checked against the header's width: a short or long
    // record stops the stream, because guessing which value is missing would shift data into
    // the wrong columns.
    Result<bool> readRecord()
    {
        auto more = m_reader->next(m_fields);
        if (!more || !*more)
            return more;
        if (m_fields.size() != m_columns.size()) {
            const std::string delimiter = delimiterName(m_reader->delimiter());
            return fail(ErrorKind::Invalid,
                        "Line " + std::to_string(m_reader->line()) + " of " + m_fileName + " has " +
                            std::to_string(m_fields.size()) +
                            (m_fields.size() == 1 ? " value" : " values") +
                            ", but the header (line " + std::to_string(m_headerLine) + ") has " +
                            std::to_string(m_columns.size()) +
                            (m_columns.size() == 1 ? " column" : " columns") +
                            ". Check that line for a missing or extra " + delimiter +
                            ", or a value containing one that is not in quotes.",
                        "field count mismatch");
        }
        return true;
    }

    Result<void> readHeaderAndSample()
    {
        auto header = m_reader->next(m_fields);
        if (!header)
            return std::unexpected(header.error());
        if (!*header)
            return fail(ErrorKind::Invalid,
                        m_fileName + " is empty. A CSV file needs a header row with the names of "
                                     "its columns.");
        m_headerLine = m_reader->line();
        m_columns = columnsFromHeader(m_fields);

        std::vector<CsvTypeGuess> guesses(m_columns.size());
        while (m_sampleRows < kSampleRows && m_sampleText.size() < kSampleMaxBytes) {
            auto more = readRecord();
            if (!more) {
                // Rows before a bad one still preview; the error comes when the stream gets
                // there, as it would without a sample.
                m_pendingError = more.error();
                break;
            }
            if (!*more) {
                m_done = true;
                break;
            }
            for (std::size_t i = 0; i < m_fields.size(); ++i) {
                const CsvField &f = m_fields[i];
                guesses[i].add(f.text);
                m_sampleFields.push_back(SampleField{m_sampleText.size(), f.text.size(), f.quoted});
                m_sampleText += f.text;
            }
            ++m_sampleRows;
        }
        for (std::size_t i = 0; i < m_columns.size(); ++i)
            m_columns[i].type = guesses[i].type();
        if (m_sampleRows == 0)
            releaseSample();
        return {};
    }

    void releaseSample()
    {
        m_sampleText = std::string();
        m_sampleFields = std::vector<SampleField>();
    }

    std::unique_ptr<CsvReader> m_reader;
    std::string m_fileName;
    std::vector<Column> m_columns;
    std::vector<CsvField> m_fields;
    std::int64_t m_headerLine = 1;

    std::string m_sampleText;                // the sampled rows' field texts, back to back
    std::vector<SampleField> m_sampleFields; // m_columns.size() per sampled row
    std::size_t m_sampleRows = 0;
    std::size_t m_sampleNext = 0;

    std::optional<std::int64_t> m_limit;
    std::int64_t m_emitted = 0;
    std::optional<Error> m_pendingError; // sticky, like the reader's
    bool m_done = false;
    std::atomic<bool> m_cancelled{false};
};

Error missingPathError(const fs::path &path)
{
    return Error{ErrorKind::NotFound,
                 "The file " + path.string() +
                     " does not exist. Check the path in the connection settings.",
                 {}};
}

} // namespace

DriverInfo csvSourceDriverInfo()
{
    DriverInfo info;
    info.kind = "csv";
    info.label = "CSV files";
    info.settings = {
        SettingSpec{"path",
                    "File or folder",
                    SettingKind::FilePath,
                    nlohmann::json(),
                    true,
                    {},
                    "A .csv file, or a folder whose .csv files each become a table. A relative "
                    "path starts at the workspace's folder."},
        SettingSpec{"delimiter",
                    "Delimiter",
                    SettingKind::Choice,
                    "auto",
                    false,
                    {"auto", ",", ";", "tab", "|"},
                    "The character between values. \"auto\" picks the most frequent of , ; tab "
                    "and | in each file's first line."},
    };
    return info;
}

Result<std::unique_ptr<Source>> createCsvSource(const nlohmann::json &settings,
                                                const DriverContext &context)
{
    if (auto message = validateSettings(csvSourceDriverInfo(), settings); !message.empty())
        return fail(ErrorKind::Invalid, message);
    const fs::path path = context.resolve(settings.at("path").get<std::string>());
    std::error_code ec;
    if (!fs::exists(path, ec))
        return std::unexpected(missingPathError(path));
    char delimiter = 0;
    if (auto it = settings.find("delimiter"); it != settings.end() && it->is_string()) {
        const std::string d = it->get<std::string>();
        if (d == "tab")
            delimiter = '\t';
        else if (d.size() == 1)
            delimiter = d[0];
    }
    return std::make_unique<CsvSource>(path, delimiter);
}

Result<std::vector<std::string>> CsvSource::fileNames() const
{
    std::error_code ec;
    if (!fs::exists(m_path, ec))
        return std::unexpected(missingPathError(m_path));
    if (!fs::is_directory(m_path, ec))
        return std::vector<std::string>{m_path.filename().string()};
    std::vector<std::string> names;
    fs::directory_iterator it(m_path, ec);
    if (ec)
        return fail(ErrorKind::Io,
                    "Could not list the folder " + m_path.string() +
                        ". Check that it is there and that you are allowed to read it.",
                    ec.message());
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        std::error_code typeError;
        const std::string name = it->path().filename().string();
        if (isCsvFileName(name) && it->is_regular_file(typeError))
            names.push_back(name);
    }
    if (ec)
        return fail(ErrorKind::Io, "Could not list the folder " + m_path.string() + ".",
                    ec.message());
    std::sort(names.begin(), names.end(), [](const std::string &a, const std::string &b) {
        const std::string la = lowerAscii(a), lb = lowerAscii(b);
        return la != lb ? la < lb : a < b;
    });
    return names;
}

Result<fs::path> CsvSource::fileForTable(const std::string &table) const
{
    std::error_code ec;
    if (!fs::exists(m_path, ec))
        return std::unexpected(missingPathError(m_path));
    if (table.empty())
        return fail(ErrorKind::Usage, "Choose a file as the model's table.");
    if (!fs::is_directory(m_path, ec)) {
        if (table != m_path.filename().string())
            return fail(ErrorKind::NotFound, "This connection reads only " +
                                                 m_path.filename().string() + ", not \"" + table +
                                                 "\". Choose " + m_path.filename().string() +
                                                 " as the model's table.");
        return m_path;
    }
    // Only a file directly in the folder: a name such as "../x.csv" must not reach outside it.
    const bool plainName = table.find('/') == std::string::npos &&
                           table.find('\\') == std::string::npos && table != "." && table != "..";
    const fs::path file = m_path / table;
    if (!plainName || !isCsvFileName(table) || !fs::is_regular_file(file, ec))
        return fail(ErrorKind::NotFound,
                    "There is no file named \"" + table + "\" in the folder " + m_path.string() +
                        ". Choose one of its .csv files as the model's table.");
    return file;
}

Result<std::unique_ptr<RowStream>> CsvSource::open(const SourceQuery &query)
{
    if (!query.sql.empty())
        return fail(ErrorKind::Usage,
                    "CSV connections do not run SQL; choose a file as the model's table.");
    auto file = fileForTable(query.table);
    if (!file)
        return std::unexpected(file.error());
    const std::int64_t skip = std::max<std::int64_t>(query.offset, 0);
    std::optional<std::int64_t> limit = query.limit;
    if (limit)
        *limit += skip; // the stream's limit counts the skipped rows too
    auto stream = CsvRowStream::open(*file, m_delimiter, limit);
    if (!stream)
        return std::unexpected(stream.error());
    // A file has no index: skipping means reading (and checking) the rows before the offset.
    Row row;
    for (std::int64_t i = 0; i < skip; ++i) {
        auto more = (*stream)->next(row);
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
    }
    return std::unique_ptr<RowStream>(std::move(*stream));
}

Result<std::vector<TableInfo>> CsvSource::tables()
{
    auto names = fileNames();
    if (!names)
        return std::unexpected(names.error());
    std::error_code ec;
    const bool folder = fs::is_directory(m_path, ec);
    std::vector<TableInfo> tables;
    tables.reserve(names->size());
    for (const std::string &name : *names) {
        auto stream = CsvRowStream::open(folder ? m_path / name : m_path, m_delimiter, 0);
        if (!stream)
            return std::unexpected(stream.error());
        tables.push_back(TableInfo{name, "file", (*stream)->columns()});
    }
    return tables;
}

} // namespace sluice
