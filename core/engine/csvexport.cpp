#include "engine/csvexport.h"

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace sluice {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kChunkSize = 1 << 20;
constexpr std::int64_t kProgressEvery = 10000;

std::string errnoText(int err)
{
    return std::strerror(err);
}

// Owns the temporary file until it is renamed; removes it on every other way out.
class TempFile
{
public:
    ~TempFile()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        if (!m_path.empty())
            ::unlink(m_path.c_str());
    }

    Result<void> create(const fs::path &target)
    {
        static std::atomic<int> counter{0};
        m_path =
            target.parent_path() / ("." + target.filename().string() + ".sluice-export-" +
                                    std::to_string(::getpid()) + "-" + std::to_string(counter++));
        m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (m_fd < 0) {
            const int err = errno;
            m_path.clear();
            return fail(ErrorKind::Io,
                        "Cannot write in the folder " + target.parent_path().string() + ": " +
                            errnoText(err) + ". Choose a folder you can write to.",
                        errnoText(err));
        }
        return {};
    }

    Result<void> write(std::string &buffer, const fs::path &target)
    {
        std::size_t done = 0;
        while (done < buffer.size()) {
            const ssize_t n = ::write(m_fd, buffer.data() + done, buffer.size() - done);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                const int err = errno;
                return fail(ErrorKind::Io,
                            "Could not write " + target.string() + ": " + errnoText(err) +
                                ". Nothing was changed; free some space or choose another "
                                "folder.",
                            errnoText(err));
            }
            done += static_cast<std::size_t>(n);
        }
        buffer.clear();
        return {};
    }

    Result<void> commit(const fs::path &target)
    {
        const int fd = m_fd;
        m_fd = -1;
        if (::fsync(fd) != 0 || ::close(fd) != 0) {
            const int err = errno;
            return fail(ErrorKind::Io, "Could not finish writing " + target.string() + ": " +
                                           errnoText(err) + ". Nothing was changed.");
        }
        if (::rename(m_path.c_str(), target.c_str()) != 0) {
            const int err = errno;
            return fail(ErrorKind::Io,
                        "Could not replace " + target.string() + ": " + errnoText(err) +
                            ". The previous file was left unchanged.",
                        errnoText(err));
        }
        m_path.clear();
        return {};
    }

private:
    fs::path m_path;
    int m_fd = -1;
};

} // namespace

Result<std::int64_t> exportToCsv(Source &source, const SourceQuery &query, const fs::path &path,
                                 const CsvWriteOptions &options, CancelToken *cancel,
                                 const CsvExportProgress &progress)
{
    if (path.empty() || !path.has_filename())
        return fail(ErrorKind::Usage, "Choose a file name for the export.");
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return fail(ErrorKind::Invalid,
                    path.string() + " is a folder. Choose a file name for the export.");
    const fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    if (!fs::is_directory(parent, ec))
        return fail(ErrorKind::NotFound, "The folder " + parent.string() +
                                             " does not exist. Choose an existing folder.");
    if (cancel && cancel->cancelled())
        return fail(ErrorKind::Cancelled, "Stopped. The file was not changed.");
    auto stream = source.open(query);
    if (!stream)
        return std::unexpected(stream.error());
    RowStream *raw = stream->get();

    const fs::path target = parent / path.filename();
    TempFile temp;
    if (auto r = temp.create(target); !r)
        return std::unexpected(r.error());

    std::string buffer;
    buffer.reserve(kChunkSize + 64 * 1024);
    const auto &columns = raw->columns();
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i)
            buffer += options.delimiter;
        appendCsvField(buffer, columns[i].name, options);
    }
    buffer += '\n';

    CancelHook hook(cancel, [raw] { raw->cancel(); });
    Result<std::int64_t> outcome = 0;
    std::int64_t rows = 0;
    Row row;
    for (;;) {
        auto more = raw->next(row);
        if (!more) {
            outcome = std::unexpected(more.error());
            break;
        }
        if (!*more)
            break;
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i)
                buffer += options.delimiter;
            appendCsvValue(buffer, row[i], options);
        }
        buffer += '\n';
        ++rows;
        if (buffer.size() >= kChunkSize) {
            if (auto r = temp.write(buffer, target); !r) {
                outcome = std::unexpected(r.error());
                break;
            }
        }
        if (progress && rows % kProgressEvery == 0)
            progress(rows);
    }
    hook.reset();
    if (!outcome) {
        Error e = outcome.error();
        if (e.kind == ErrorKind::Cancelled)
            e.message = "Stopped. The file was not changed.";
        return std::unexpected(e);
    }
    if (auto r = temp.write(buffer, target); !r)
        return std::unexpected(r.error());
    if (auto r = temp.commit(target); !r)
        return std::unexpected(r.error());
    if (progress)
        progress(rows);
    return rows;
}

} // namespace sluice
