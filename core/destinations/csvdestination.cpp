#include "destinations/csvdestination.h"

#include "csv/csvreader.h"
#include "csv/csvwriter.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sluice {

namespace fs = std::filesystem;

namespace {

// Output is gathered and written in chunks of about this size: one write() call per chunk
// instead of one per row.
constexpr std::size_t kChunkSize = std::size_t(1) << 20;
// Leaves room under the usual 255-byte name limit for the temporary file's prefix and suffix.
constexpr std::size_t kMaxNameLength = 200;
constexpr std::string_view kTempMarker = ".sluice-tmp-";
// A dead process's temporary file is removed only once it is this old, in case the folder is
// shared with another machine whose process ids mean nothing here.
constexpr auto kStaleTempAge = std::chrono::hours(1);

const char *const kOperationColumn = "operation";
const char *const kSyncedAtColumn = "synced_at";
const char *const kKeyColumn = "key";

std::string errnoText(int err)
{
    return std::error_code(err, std::generic_category()).message();
}

std::string inQuotes(std::string_view s)
{
    std::string out = "\"";
    out += s;
    out += '"';
    return out;
}

// Every change but a delete carries one value per field; anything else is a bug upstream.
Result<void> checkValueCounts(std::span<const Change> batch, std::size_t fieldCount,
                              const std::string &name)
{
    for (const Change &change : batch) {
        if (change.op != Op::Delete && change.values.size() != fieldCount)
            return fail(ErrorKind::Internal,
                        "Sluice sent a record with the wrong number of values to " +
                            inQuotes(name) + ".",
                        "expected " + std::to_string(fieldCount) + " values, got " +
                            std::to_string(change.values.size()));
    }
    return {};
}

// "orders.csv" in /data/out
std::string where(const std::string &name, const fs::path &folder)
{
    return inQuotes(name) + " in " + folder.string();
}

bool endsWithCsv(std::string_view name)
{
    if (name.size() < 4)
        return false;
    std::string_view ext = name.substr(name.size() - 4);
    return ext[0] == '.' && (ext[1] | 0x20) == 'c' && (ext[2] | 0x20) == 's' &&
           (ext[3] | 0x20) == 'v';
}

Result<void> checkObjectName(const std::string &name)
{
    if (name.empty())
        return fail(ErrorKind::Invalid, "Choose a file name for the CSV file, e.g. orders.csv.");
    if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
        name.find("..") != std::string::npos)
        return fail(ErrorKind::Invalid,
                    "The file name " + inQuotes(name) +
                        " must be a plain name such as orders.csv, without / \\ or \"..\": "
                        "the file is always written in the connection's folder.");
    if (name.front() == '.')
        return fail(ErrorKind::Invalid, "The file name " + inQuotes(name) +
                                            " starts with a dot, which hides the file on most "
                                            "systems. Choose a name such as orders.csv.");
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7f)
            return fail(ErrorKind::Invalid, "The file name " + inQuotes(name) +
                                                " contains a control character. Use letters, "
                                                "digits, spaces, - or _.");
    }
    if (!endsWithCsv(name) || name.size() == 4)
        return fail(ErrorKind::Invalid,
                    "The file name " + inQuotes(name) + " must end with .csv, e.g. orders.csv.");
    if (name.size() > kMaxNameLength)
        return fail(ErrorKind::Invalid, "The file name " + inQuotes(name.substr(0, 40) + "…") +
                                            " is too long. Use at most " +
                                            std::to_string(kMaxNameLength) + " characters.");
    return {};
}

Result<void> checkFolderIsFolder(const fs::path &folder)
{
    std::error_code ec;
    const auto status = fs::status(folder, ec);
    if (fs::exists(status) && !fs::is_directory(status))
        return fail(ErrorKind::Invalid,
                    "The CSV connection's folder " + folder.string() +
                        " is a file, not a folder. Choose a folder in the connection settings.");
    return {};
}

Result<void> ensureFolder(const fs::path &folder)
{
    if (auto ok = checkFolderIsFolder(folder); !ok)
        return ok;
    std::error_code ec;
    if (fs::is_directory(folder, ec))
        return {};
    fs::create_directories(folder, ec);
    if (ec)
        return fail(ErrorKind::Io,
                    "Could not create the folder " + folder.string() + ": " + ec.message() +
                        ". Check the path and that you may write there.",
                    ec.message());
    return {};
}

// A file's directory entry is only durable once its folder has been synced too. Some file
// systems cannot sync a folder (EINVAL): nothing more can be done there.
int syncFolder(const fs::path &folder)
{
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int err = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    if (err == EINVAL || err == ENOTSUP)
        err = 0;
    return err;
}

// Writes all of data, retrying interrupted and short writes. Returns 0 or an errno value.
int writeFully(int fd, const char *data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (n == 0)
            return EIO;
        data += n;
        size -= std::size_t(n);
    }
    return 0;
}

// The user-facing words for a failed write; `outcome` says what state the file was left in.
std::unexpected<Error> writeFailure(int err, const std::string &name, const fs::path &folder,
                                    const fs::path &actual, const std::string &outcome)
{
    const std::string detail = actual.string() + ": " + errnoText(err);
    if (err == ENOSPC || err == EDQUOT)
        return fail(ErrorKind::Io,
                    "The disk is full while writing " + where(name, folder) +
                        ". Free some space and run the sync again; " + outcome,
                    detail);
    if (err == EFBIG)
        return fail(ErrorKind::Io,
                    "Writing " + where(name, folder) +
                        " would make it larger than this system allows for one file; " + outcome,
                    detail);
    return fail(ErrorKind::Io,
                "Could not write " + where(name, folder) + ": " + errnoText(err) + ". " + outcome,
                detail);
}

bool isFormulaStart(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// A header cell as written with or without the spreadsheet guard compares equal, so turning
// the setting on or off does not make an existing file's columns "differ".
std::string_view unguarded(std::string_view cell)
{
    if (cell.size() >= 2 && cell[0] == '\'' && isFormulaStart(cell[1]))
        cell.remove_prefix(1);
    return cell;
}

bool looksNumeric(std::string_view s)
{
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i > start;
    };
    if (i < s.size() && s[i] == '-')
        ++i;
    if (!digits())
        return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == s.size();
}

// The key arrives as text; a negative number is written bare, as appendCsvValue writes the
// same key in the rows that carry values, so a delete line matches its create line.
void appendKeyCell(std::string &out, std::string_view key, const CsvWriteOptions &options)
{
    if (key.empty())
        out += "\"\"";
    else if (key.front() == '-' && looksNumeric(key))
        out += key;
    else
        appendCsvField(out, key, options);
}

std::string joinNames(const std::vector<std::string> &names)
{
    constexpr std::size_t kShown = 15;
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < kShown; ++i) {
        if (i)
            out += ", ";
        out += names[i];
    }
    if (names.size() > kShown)
        out += " and " + std::to_string(names.size() - kShown) + " more";
    return out;
}

Result<std::vector<std::string>> readHeader(const fs::path &path, char delimiter,
                                            char *detected = nullptr)
{
    auto reader = CsvReader::open(path, CsvReadOptions{delimiter});
    if (!reader)
        return std::unexpected(reader.error());
    std::vector<CsvField> cells;
    auto got = (*reader)->next(cells);
    if (!got)
        return std::unexpected(got.error());
    std::vector<std::string> names;
    if (*got) {
        names.reserve(cells.size());
        for (const auto &cell : cells)
            names.emplace_back(cell.text);
    }
    if (detected)
        *detected = (*reader)->delimiter();
    return names;
}

Result<void> checkFieldNames(const WriteSpec &spec, bool snapshot, bool addKeyColumn)
{
    if (snapshot && spec.fields.empty())
        return fail(ErrorKind::Usage,
                    "Map at least one field before writing " + inQuotes(spec.object) + ".");
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
        const std::string &f = spec.fields[i];
        if (f.empty())
            return fail(ErrorKind::Usage, "Every column of " + inQuotes(spec.object) +
                                              " needs a name; give the unnamed field a name "
                                              "in the mapping.");
        if (std::find(spec.fields.begin(), spec.fields.begin() + std::ptrdiff_t(i), f) !=
            spec.fields.begin() + std::ptrdiff_t(i))
            return fail(ErrorKind::Usage, "The column " + inQuotes(f) + " is mapped twice for " +
                                              inQuotes(spec.object) +
                                              ". Remove one of the two links.");
        if (!snapshot &&
            (f == kOperationColumn || f == kSyncedAtColumn || (addKeyColumn && f == kKeyColumn)))
            return fail(ErrorKind::Usage, "The column name " + inQuotes(f) +
                                              " is used by Sluice itself in a CSV file "
                                              "of changes. Rename that field in the "
                                              "mapping.");
    }
    return {};
}

// Removes temporary files left by runs that were killed before they could clean up.
void removeStaleTemps(const fs::path &folder, const std::string &name)
{
    const std::string prefix = "." + name + std::string(kTempMarker);
    std::error_code ec;
    const auto now = fs::file_time_type::clock::now();
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string entry = it->path().filename().string();
        if (!entry.starts_with(prefix))
            continue;
        // .orders.csv.sluice-tmp-<pid>-<n>
        std::string_view rest = std::string_view(entry).substr(prefix.size());
        long pid = 0;
        auto [ptr, err] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
        if (err != std::errc() || pid <= 0 || pid == long(::getpid()))
            continue;
        if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH)
            continue;
        std::error_code timeEc;
        const auto modified = fs::last_write_time(it->path(), timeEc);
        if (timeEc || now - modified < kStaleTempAge)
            continue;
        std::error_code removeEc;
        fs::remove(it->path(), removeEc);
    }
}

// ---------------------------------------------------------------------------------------------

class SnapshotWriter final : public Writer
{
public:
    SnapshotWriter(fs::path folder, std::string name, fs::path target, fs::path temp, int fd,
                   std::size_t fieldCount, CsvWriteOptions options)
        : m_folder(std::move(folder)), m_name(std::move(name)), m_target(std::move(target)),
          m_temp(std::move(temp)), m_fd(fd), m_fieldCount(fieldCount), m_options(options)
    {
        m_buffer.reserve(kChunkSize + 64 * 1024);
    }
    ~SnapshotWriter() override { discard(); }

    void start(const std::vector<std::string> &fields)
    {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i)
                m_buffer += m_options.delimiter;
            appendCsvField(m_buffer, fields[i], m_options);
        }
        m_buffer += '\n';
    }

    Result<std::vector<RecordResult>> write(std::span<const Change> batch) override
    {
        if (auto ok = usable(); !ok)
            return std::unexpected(ok.error());
        if (auto ok = checkValueCounts(batch, m_fieldCount, m_name); !ok)
            return std::unexpected(ok.error());
        for (const Change &change : batch) {
            // The file is rewritten whole: a deleted record is one that is simply not written.
            if (change.op == Op::Delete)
                continue;
            for (std::size_t i = 0; i < m_fieldCount; ++i) {
                if (i)
                    m_buffer += m_options.delimiter;
                appendCsvValue(m_buffer, change.values[i], m_options);
            }
            m_buffer += '\n';
            if (m_buffer.size() >= kChunkSize) {
                if (auto ok = flush(); !ok)
                    return std::unexpected(ok.error());
            }
        }
        return std::vector<RecordResult>(batch.size());
    }

    Result<void> commit() override
    {
        if (auto ok = usable(); !ok)
            return ok;
        if (auto ok = flush(); !ok)
            return ok;
        if (::fsync(m_fd) != 0)
            return failAndDiscard(errno);
        const int fd = m_fd;
        m_fd = -1;
        if (::close(fd) != 0)
            return failAndDiscard(errno);
        if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
            const int err = errno;
            discard();
            return fail(ErrorKind::Io,
                        "Could not replace " + where(m_name, m_folder) + ": " + errnoText(err) +
                            ". The previous version of the file was left unchanged.",
                        m_temp.string() + " -> " + m_target.string() + ": " + errnoText(err));
        }
        m_temp.clear();
        m_finished = true;
        // The rename is only durable once the folder is synced; without that a power cut
        // could bring back the old file, which the engine's state would not expect.
        if (const int err = syncFolder(m_target.parent_path()); err != 0)
            return fail(ErrorKind::Io,
                        "Could not make the new " + where(m_name, m_folder) +
                            " durable: " + errnoText(err) + ". Run the sync again.",
                        m_target.parent_path().string() + ": " + errnoText(err));
        return {};
    }

    void abort() override
    {
        discard();
        m_finished = true;
    }

private:
    Result<void> usable() const
    {
        if (m_finished)
            return fail(ErrorKind::Internal, "The CSV writer for " + inQuotes(m_name) +
                                                 " was used after it was finished.");
        if (m_fd < 0)
            return fail(ErrorKind::Io, "Writing " + where(m_name, m_folder) +
                                           " failed earlier in this run; the previous version "
                                           "of the file was left unchanged.");
        return {};
    }

    Result<void> flush()
    {
        if (m_buffer.empty())
            return {};
        if (const int err = writeFully(m_fd, m_buffer.data(), m_buffer.size()); err != 0)
            return failAndDiscard(err);
        m_buffer.clear();
        return {};
    }

    // On a failed write the temporary file goes at once: on a full disk it holds the space
    // that the rest of the system needs.
    std::unexpected<Error> failAndDiscard(int err)
    {
        const fs::path temp = m_temp;
        discard();
        return writeFailure(err, m_name, m_folder, temp,
                            "the previous version of the file was left unchanged.");
    }

    void discard()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
        if (!m_temp.empty()) {
            ::unlink(m_temp.c_str());
            m_temp.clear();
        }
        std::string().swap(m_buffer);
    }

    fs::path m_folder;
    std::string m_name;
    fs::path m_target;
    fs::path m_temp;
    int m_fd = -1;
    std::size_t m_fieldCount = 0;
    CsvWriteOptions m_options;
    std::string m_buffer;
    bool m_finished = false;
};

Result<std::unique_ptr<Writer>> openSnapshotWriter(const fs::path &folder, const WriteSpec &spec,
                                                   const CsvWriteOptions &options)
{
    if (spec.mode != SyncMode::Mirror)
        return fail(ErrorKind::Usage,
                    "A CSV file in snapshot format is rewritten whole on every sync, so only the "
                    "mirror mode fits it. Choose mirror, or use the changes format for a file "
                    "that grows with every change.");
    if (auto ok = checkFieldNames(spec, true, false); !ok)
        return std::unexpected(ok.error());
    if (auto ok = ensureFolder(folder); !ok)
        return std::unexpected(ok.error());

    fs::path target = folder / spec.object;
    std::error_code ec;
    const auto linkStatus = fs::symlink_status(target, ec);
    if (fs::is_symlink(linkStatus)) {
        // Replace the file the link points to, not the link itself.
        fs::path resolved = fs::canonical(target, ec);
        if (!ec)
            target = resolved;
    }
    const auto status = fs::status(target, ec);
    if (fs::is_directory(status))
        return fail(ErrorKind::Invalid, where(spec.object, folder) +
                                            " is a folder, not a file. Choose another file "
                                            "name.");
    struct stat old
    {
    };
    const bool hadFile = ::stat(target.c_str(), &old) == 0 && S_ISREG(old.st_mode);

    const fs::path targetFolder = target.parent_path();
    removeStaleTemps(targetFolder, target.filename().string());

    static std::atomic<unsigned> counter{0};
    fs::path temp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temp = targetFolder / ("." + target.filename().string() + std::string(kTempMarker) +
                               std::to_string(::getpid()) + "-" + std::to_string(++counter));
        // O_EXCL: never follow a link someone placed at the temporary name.
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        const int err = errno;
        return fail(ErrorKind::Io,
                    "Could not create a file in " + folder.string() + " to write " +
                        inQuotes(spec.object) + ": " + errnoText(err) +
                        ". Check that you may write in this folder.",
                    temp.string() + ": " + errnoText(err));
    }
    if (hadFile)
        ::fchmod(fd, old.st_mode & 07777); // keep the permissions the user gave the file

    auto writer = std::make_unique<SnapshotWriter>(folder, spec.object, target, temp, fd,
                                                   spec.fields.size(), options);
    writer->start(spec.fields);
    return writer;
}

// ---------------------------------------------------------------------------------------------

class ChangesWriter final : public Writer
{
public:
    ChangesWriter(fs::path folder, std::string name, fs::path path, int fd, bool created,
                  std::uint64_t length, CsvWriteOptions options)
        : m_folder(std::move(folder)), m_name(std::move(name)), m_path(std::move(path)), m_fd(fd),
          m_created(created), m_length(length), m_options(options)
    {
    }
    ~ChangesWriter() override { abort(); }

    void setLayout(const WriteSpec &spec, int keyIndex, bool addKeyColumn)
    {
        m_fieldCount = spec.fields.size();
        m_keyIndex = keyIndex;
        m_addKeyColumn = addKeyColumn;
        appendCsvField(m_stampCell, spec.runStartedAt, m_options);
        m_buffer.reserve(kChunkSize + 64 * 1024);
    }

    // What goes before the first change: the header of a new file, or the line end that an
    // edited file lacks.
    void setPending(std::string text) { m_buffer = std::move(text); }

    Result<std::vector<RecordResult>> write(std::span<const Change> batch) override
    {
        if (auto ok = usable(); !ok)
            return std::unexpected(ok.error());
        if (auto ok = checkValueCounts(batch, m_fieldCount, m_name); !ok)
            return std::unexpected(ok.error());
        const char d = m_options.delimiter;
        std::uint64_t written = 0;
        for (const Change &change : batch) {
            m_buffer += opName(change.op);
            m_buffer += d;
            m_buffer += m_stampCell;
            if (m_addKeyColumn) {
                m_buffer += d;
                appendKeyCell(m_buffer, change.key, m_options);
            }
            if (change.op == Op::Delete) {
                for (std::size_t i = 0; i < m_fieldCount; ++i) {
                    m_buffer += d;
                    if (int(i) == m_keyIndex)
                        appendKeyCell(m_buffer, change.key, m_options);
                }
            } else {
                for (std::size_t i = 0; i < m_fieldCount; ++i) {
                    m_buffer += d;
                    appendCsvValue(m_buffer, change.values[i], m_options);
                }
            }
            m_buffer += '\n';
            if (m_buffer.size() >= kChunkSize) {
                if (auto ok = flushBuffer(written); !ok)
                    return std::unexpected(ok.error());
            }
        }
        if (auto ok = flushBuffer(written); !ok)
            return std::unexpected(ok.error());
        if (::fdatasync(m_fd) != 0)
            return rollBack(errno);
        if (m_created && !m_folderSynced) {
            if (const int err = syncFolder(m_folder); err != 0)
                return rollBack(err);
            m_folderSynced = true;
        }
        m_length += written;
        return std::vector<RecordResult>(batch.size());
    }

    std::string checkpoint() const override { return std::to_string(m_length); }

    Result<void> commit() override
    {
        if (auto ok = usable(); !ok)
            return ok;
        // A run without changes still leaves a new file with its header.
        std::uint64_t written = 0;
        if (auto ok = flushBuffer(written); !ok)
            return ok;
        if (::fdatasync(m_fd) != 0)
            return rollBack(errno);
        if (m_created && !m_folderSynced) {
            if (const int err = syncFolder(m_folder); err != 0)
                return rollBack(err);
        }
        m_length += written;
        close();
        return {};
    }

    void abort() override
    {
        m_buffer.clear();
        // Batches written so far stay: their checkpoint may already be stored with the state.
        // Only a file this writer created and never wrote to goes away again.
        if (m_fd >= 0 && m_created && m_length == 0)
            ::unlink(m_path.c_str());
        close();
    }

private:
    Result<void> usable() const
    {
        if (m_broken)
            return fail(ErrorKind::Io, "Writing " + where(m_name, m_folder) +
                                           " failed earlier in this run. Run the sync again.");
        if (m_fd < 0)
            return fail(ErrorKind::Internal, "The CSV writer for " + inQuotes(m_name) +
                                                 " was used after it was finished.");
        return {};
    }

    Result<void> flushBuffer(std::uint64_t &written)
    {
        if (m_buffer.empty())
            return {};
        if (const int err = writeFully(m_fd, m_buffer.data(), m_buffer.size()); err != 0)
            return rollBack(err);
        written += m_buffer.size();
        m_buffer.clear();
        return {};
    }

    // Cuts the file back to its last complete batch so it never keeps half a batch, even if
    // no further run comes to clean up.
    std::unexpected<Error> rollBack(int err)
    {
        m_buffer.clear();
        std::string outcome = "the changes of this batch were not kept in the file.";
        if (::ftruncate(m_fd, off_t(m_length)) != 0 || ::fdatasync(m_fd) != 0) {
            m_broken = true;
            outcome = "the next sync will remove the incomplete lines at the end of the file.";
        }
        return writeFailure(err, m_name, m_folder, m_path, outcome);
    }

    void close()
    {
        if (m_fd >= 0) {
            ::close(m_fd); // also releases the lock
            m_fd = -1;
        }
    }

    fs::path m_folder;
    std::string m_name;
    fs::path m_path;
    int m_fd = -1;
    bool m_created = false;
    bool m_folderSynced = false;
    bool m_broken = false;
    std::uint64_t m_length = 0; // bytes durably in the file after the last complete batch
    CsvWriteOptions m_options;
    std::size_t m_fieldCount = 0;
    int m_keyIndex = -1;
    bool m_addKeyColumn = false;
    std::string m_stampCell;
    std::string m_buffer;
};

Result<std::unique_ptr<Writer>> openChangesWriter(const fs::path &folder, const WriteSpec &spec,
                                                  const CsvWriteOptions &options)
{
    int keyIndex = -1;
    if (!spec.keyField.empty()) {
        auto it = std::find(spec.fields.begin(), spec.fields.end(), spec.keyField);
        if (it != spec.fields.end())
            keyIndex = int(it - spec.fields.begin());
    }
    const bool addKeyColumn = keyIndex < 0;
    if (auto ok = checkFieldNames(spec, false, addKeyColumn); !ok)
        return std::unexpected(ok.error());
    if (auto ok = ensureFolder(folder); !ok)
        return std::unexpected(ok.error());

    const fs::path path = folder / spec.object;
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return fail(ErrorKind::Invalid, where(spec.object, folder) +
                                            " is a folder, not a file. Choose another file "
                                            "name.");
    struct stat before
    {
    };
    const bool existed = ::stat(path.c_str(), &before) == 0;
    const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        const int err = errno;
        return fail(ErrorKind::Io,
                    "Could not open " + where(spec.object, folder) + ": " + errnoText(err) +
                        ". Check that you may write there.",
                    path.string() + ": " + errnoText(err));
    }
    auto closeAndFail = [&](ErrorKind kind, std::string message, std::string detail = {}) {
        ::close(fd);
        if (!existed)
            ::unlink(path.c_str());
        return fail(kind, std::move(message), std::move(detail));
    };
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return closeAndFail(ErrorKind::Invalid, where(spec.object, folder) +
                                                    " is not a regular file. Choose another "
                                                    "file name.");
    // Two runs appending at once would interleave lines and defeat the checkpoint.
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        if (err == EWOULDBLOCK)
            return closeAndFail(ErrorKind::Destination,
                                "Another sync is writing " + where(spec.object, folder) +
                                    " right now. Run this sync again when it has finished.");
        return closeAndFail(ErrorKind::Io,
                            "Could not lock " + where(spec.object, folder) + ": " + errnoText(err) +
                                ".",
                            path.string() + ": " + errnoText(err));
    }
    std::uint64_t length = std::uint64_t(st.st_size);

    // Lines after the stored checkpoint were written by a run that was stopped before its
    // state was saved; the engine sends those changes again, so they must go. Only cut at a
    // line end we wrote: anything else means the file was edited and the checkpoint is stale.
    if (!spec.checkpoint.empty()) {
        std::uint64_t committed = 0;
        const char *begin = spec.checkpoint.data();
        const char *end = begin + spec.checkpoint.size();
        auto [ptr, err] = std::from_chars(begin, end, committed);
        if (err == std::errc() && ptr == end && committed < length) {
            char last = '\n';
            if (committed > 0 && ::pread(fd, &last, 1, off_t(committed - 1)) != 1)
                last = 0;
            if (last == '\n') {
                if (::ftruncate(fd, off_t(committed)) != 0 || ::fdatasync(fd) != 0) {
                    const int e = errno;
                    return closeAndFail(ErrorKind::Io,
                                        "Could not remove the incomplete lines at the end of " +
                                            where(spec.object, folder) + ": " + errnoText(e) + ".",
                                        path.string() + ": " + errnoText(e));
                }
                length = committed;
            }
        }
    }

    std::vector<std::string> header = {kOperationColumn, kSyncedAtColumn};
    if (addKeyColumn)
        header.emplace_back(kKeyColumn);
    header.insert(header.end(), spec.fields.begin(), spec.fields.end());

    std::string pending;
    if (length == 0) {
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (i)
                pending += options.delimiter;
            appendCsvField(pending, header[i], options);
        }
        pending += '\n';
    } else {
        auto existing = readHeader(path, options.delimiter);
        if (!existing)
            return closeAndFail(ErrorKind::Invalid,
                                "Could not read the column names of " + where(spec.object, folder) +
                                    ": " + existing.error().message +
                                    " Choose a new file name or move this file away.",
                                existing.error().detail);
        const bool same = std::equal(existing->begin(), existing->end(), header.begin(),
                                     header.end(), [](const std::string &a, const std::string &b) {
                                         return unguarded(a) == unguarded(b);
                                     });
        if (!same) {
            std::string message = "The columns of " + where(spec.object, folder) + " (" +
                                  joinNames(*existing) + ") differ from this sync's (" +
                                  joinNames(header) + ").";
            char detected = 0;
            auto guess = readHeader(path, 0, &detected);
            if (guess && detected != 0 && detected != options.delimiter)
                message += std::string(" The file seems to use ") +
                           (detected == '\t' ? "tab" : std::string(1, detected)) +
                           " between columns, but this connection uses " +
                           (options.delimiter == '\t' ? "tab" : std::string(1, options.delimiter)) +
                           ".";
            message += " Choose a new file name, or move the existing file away so Sluice "
                       "starts a new one.";
            return closeAndFail(ErrorKind::Invalid, std::move(message));
        }
        char last = '\n';
        if (::pread(fd, &last, 1, off_t(length - 1)) == 1 && last != '\n')
            pending = "\n"; // someone saved the file without a final line end
    }

    auto writer =
        std::make_unique<ChangesWriter>(folder, spec.object, path, fd, !existed, length, options);
    writer->setLayout(spec, keyIndex, addKeyColumn);
    writer->setPending(std::move(pending));
    return writer;
}

// ---------------------------------------------------------------------------------------------

class CsvDestination final : public Destination
{
public:
    CsvDestination(fs::path folder, bool changes, CsvWriteOptions options)
        : m_folder(std::move(folder)), m_changes(changes), m_options(options)
    {
    }

    DestinationCaps capabilities() const override
    {
        DestinationCaps caps;
        if (m_changes) {
            caps.modes = {SyncMode::Insert, SyncMode::Update, SyncMode::Upsert, SyncMode::Mirror};
            caps.fullSnapshot = false;
        } else {
            caps.modes = {SyncMode::Mirror};
            caps.fullSnapshot = true;
        }
        caps.batchSize = 5000;
        return caps;
    }

    Result<std::vector<ObjectInfo>> objects() override
    {
        if (auto ok = checkFolderIsFolder(m_folder); !ok)
            return std::unexpected(ok.error());
        std::vector<ObjectInfo> list;
        std::error_code ec;
        if (!fs::exists(m_folder, ec))
            return list; // created when the first file is written
        fs::directory_iterator it(m_folder, ec);
        for (fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            std::error_code typeEc;
            if (!it->is_regular_file(typeEc) || !checkObjectName(name))
                continue;
            list.push_back(ObjectInfo{name, name, true});
        }
        if (ec)
            return fail(ErrorKind::Io,
                        "Could not list the files in " + m_folder.string() + ": " + ec.message() +
                            ". Check that the folder exists and that you may read it.",
                        ec.message());
        std::sort(list.begin(), list.end(),
                  [](const ObjectInfo &a, const ObjectInfo &b) { return a.name < b.name; });
        return list;
    }

    Result<std::vector<FieldInfo>> fields(const std::string &object) override
    {
        if (auto ok = checkObjectName(object); !ok)
            return std::unexpected(ok.error());
        if (auto ok = checkFolderIsFolder(m_folder); !ok)
            return std::unexpected(ok.error());
        const fs::path path = m_folder / object;
        std::error_code ec;
        if (!fs::exists(path, ec))
            return std::vector<FieldInfo>{}; // a new file: the mapping makes its columns
        if (fs::is_directory(path, ec))
            return fail(ErrorKind::Invalid, where(object, m_folder) +
                                                " is a folder, not a file. Choose another file "
                                                "name.");
        // Detect the delimiter: the names are what matters here, even if the file was made
        // with another one than this connection's.
        auto header = readHeader(path, 0);
        if (!header)
            return fail(ErrorKind::Invalid,
                        "Could not read the column names of " + where(object, m_folder) + ": " +
                            header.error().message,
                        header.error().detail);
        std::size_t skip = 0;
        if (m_changes) {
            // Sluice's own columns are not fields to map.
            const auto &h = *header;
            if (h.size() >= 2 && h[0] == kOperationColumn && h[1] == kSyncedAtColumn) {
                skip = 2;
                if (h.size() >= 3 && h[2] == kKeyColumn)
                    skip = 3;
            }
        }
        std::vector<FieldInfo> list;
        list.reserve(header->size() - std::min(skip, header->size()));
        for (std::size_t i = skip; i < header->size(); ++i) {
            FieldInfo info;
            info.name = std::string(unguarded((*header)[i]));
            list.push_back(std::move(info));
        }
        return list;
    }

    bool recordsLost(const std::string &object) override
    {
        // A change log that went away was archived by someone: start a new one with the next
        // changes rather than replaying every record.
        if (m_changes || !checkObjectName(object))
            return false;
        std::error_code ec;
        return !fs::exists(m_folder / object, ec);
    }

    Result<std::unique_ptr<Writer>> openWriter(const WriteSpec &spec) override
    {
        if (auto ok = checkObjectName(spec.object); !ok)
            return std::unexpected(ok.error());
        if (m_changes)
            return openChangesWriter(m_folder, spec, m_options);
        return openSnapshotWriter(m_folder, spec, m_options);
    }

private:
    fs::path m_folder;
    bool m_changes = false;
    CsvWriteOptions m_options;
};

std::string stringSetting(const nlohmann::json &settings, const char *key, const char *fallback)
{
    auto it = settings.find(key);
    if (it == settings.end() || !it->is_string() || it->get_ref<const std::string &>().empty())
        return fallback;
    return it->get<std::string>();
}

} // namespace

DriverInfo csvDestinationDriverInfo()
{
    DriverInfo info;
    info.kind = "csv";
    info.label = "CSV files";
    info.settings = {
        SettingSpec{"folder",
                    "Folder",
                    SettingKind::FolderPath,
                    nlohmann::json(),
                    true,
                    {},
                    "The folder the CSV files are written to; each file is one destination "
                    "object. A relative path starts at the workspace file's folder. The folder "
                    "is created when the first file is written."},
        SettingSpec{"format",
                    "Format",
                    SettingKind::Choice,
                    "snapshot",
                    false,
                    {"snapshot", "changes"},
                    "snapshot: every sync rewrites the whole file, so it always holds exactly the "
                    "current rows; people opening it never see a half-written file. "
                    "changes: every sync adds one line to the end of the file for each row that "
                    "was added, changed or removed, with what happened and when, so the file is "
                    "a history of changes."},
        SettingSpec{"delimiter",
                    "Delimiter",
                    SettingKind::Choice,
                    ",",
                    false,
                    {",", ";", "tab", "|"},
                    "The character between columns. Spreadsheets set up for languages that write "
                    "decimals with a comma usually expect ;."},
        SettingSpec{"spreadsheet_safe",
                    "Spreadsheet-safe",
                    SettingKind::Boolean,
                    true,
                    false,
                    {},
                    "Cells that start with = + - or @ get a leading apostrophe, so Excel, "
                    "LibreOffice and Google Sheets show them as text instead of running them as "
                    "formulas. Numbers are never changed. Turn this off only if a program, not a "
                    "person with a spreadsheet, reads the files."},
    };
    return info;
}

Result<std::unique_ptr<Destination>> createCsvDestination(const nlohmann::json &settings,
                                                          const DriverContext &context)
{
    const DriverInfo info = csvDestinationDriverInfo();
    if (std::string problem = validateSettings(info, settings); !problem.empty())
        return fail(ErrorKind::Invalid, problem);
    const fs::path folder = context.resolve(settings.at("folder").get<std::string>());
    if (auto ok = checkFolderIsFolder(folder); !ok)
        return std::unexpected(ok.error());

    CsvWriteOptions options;
    const std::string delimiter = stringSetting(settings, "delimiter", ",");
    options.delimiter = delimiter == "tab" ? '\t' : delimiter.front();
    auto safe = settings.find("spreadsheet_safe");
    options.spreadsheetSafe = safe == settings.end() || !safe->is_boolean() || safe->get<bool>();
    const bool changes = stringSetting(settings, "format", "snapshot") == "changes";
    return std::make_unique<CsvDestination>(folder, changes, options);
}

} // namespace sluice
