#include "engine/spillfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace sluice {

namespace {

constexpr std::size_t kBufferSize = 1 << 20;

template <class T> void put(std::string &out, T v)
{
    out.append(reinterpret_cast<const char *>(&v), sizeof v);
}

void putString(std::string &out, std::string_view s)
{
    put<std::uint32_t>(out, static_cast<std::uint32_t>(s.size()));
    out += s;
}

Error ioError(const std::filesystem::path &folder, int err)
{
    if (err == ENOSPC)
        return Error{ErrorKind::Io,
                     "The disk is full: the run's temporary file in " + folder.string() +
                         " could not grow. Free some space and run again; nothing was lost.",
                     std::strerror(err)};
    return Error{ErrorKind::Io,
                 "Cannot write the run's temporary file in " + folder.string() + ": " +
                     std::strerror(err) + ".",
                 {}};
}

} // namespace

SpillFile::~SpillFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<void> SpillFile::create(const std::filesystem::path &folder)
{
    m_folder = folder;
    std::string pattern = (folder / ".sluice-run-XXXXXX").string();
    m_fd = ::mkstemp(pattern.data());
    if (m_fd < 0)
        return std::unexpected(ioError(folder, errno));
    ::unlink(pattern.c_str());
    m_out.reserve(kBufferSize + 4096);
    return {};
}

Result<void> SpillFile::flush()
{
    std::size_t done = 0;
    while (done < m_out.size()) {
        const ssize_t n = ::write(m_fd, m_out.data() + done, m_out.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return std::unexpected(ioError(m_folder, errno));
        }
        done += static_cast<std::size_t>(n);
    }
    m_fileOffset += m_out.size();
    m_out.clear();
    return {};
}

Result<void> SpillFile::append(const SpilledRecord &r)
{
    const std::size_t start = m_out.size();
    put<std::uint32_t>(m_out, 0); // record length, patched below
    put<std::uint8_t>(m_out, static_cast<std::uint8_t>(r.kind));
    put<std::uint8_t>(m_out, static_cast<std::uint8_t>(r.op));
    put(m_out, r.keyHash);
    put(m_out, r.rowHash);
    putString(m_out, r.key);
    putString(m_out, r.destId);
    put<std::uint32_t>(m_out, static_cast<std::uint32_t>(r.values.size()));
    for (const Value &v : r.values) {
        put<std::uint8_t>(m_out, static_cast<std::uint8_t>(v.type));
        switch (v.type) {
        case ValueType::Null:
            break;
        case ValueType::Integer:
            put(m_out, v.integer);
            break;
        case ValueType::Real:
            put(m_out, v.real);
            break;
        case ValueType::Text:
            putString(m_out, v.text);
            break;
        }
    }
    const auto len = static_cast<std::uint32_t>(m_out.size() - start);
    std::memcpy(m_out.data() + start, &len, sizeof len);
    ++m_count;
    if (m_out.size() >= kBufferSize)
        return flush();
    return {};
}

Result<void> SpillFile::startReading()
{
    if (auto r = flush(); !r)
        return r;
    m_in.clear();
    m_inPos = 0;
    m_fileOffset = 0;
    if (::lseek(m_fd, 0, SEEK_SET) < 0)
        return std::unexpected(ioError(m_folder, errno));
    return {};
}

Result<void> SpillFile::fill(std::size_t need)
{
    if (m_in.size() - m_inPos >= need)
        return {};
    m_fileOffset += m_inPos;
    m_in.erase(0, m_inPos);
    m_inPos = 0;
    const std::size_t want = std::max(need, kBufferSize);
    while (m_in.size() < want) {
        const std::size_t old = m_in.size();
        m_in.resize(want);
        const ssize_t n = ::read(m_fd, m_in.data() + old, want - old);
        if (n < 0 && errno == EINTR) {
            m_in.resize(old);
            continue;
        }
        if (n < 0)
            return std::unexpected(ioError(m_folder, errno));
        m_in.resize(old + static_cast<std::size_t>(n));
        if (n == 0)
            break;
    }
    return {};
}

Result<bool> SpillFile::read(SpilledRecord &r)
{
    if (auto f = fill(sizeof(std::uint32_t)); !f)
        return std::unexpected(f.error());
    if (m_in.size() - m_inPos < sizeof(std::uint32_t))
        return false;
    std::uint32_t len;
    std::memcpy(&len, m_in.data() + m_inPos, sizeof len);
    if (auto f = fill(len); !f)
        return std::unexpected(f.error());
    if (m_in.size() - m_inPos < len)
        return fail(ErrorKind::Internal, "The run's temporary file ended early.");
    r.offset = m_fileOffset + m_inPos;
    const char *p = m_in.data() + m_inPos + sizeof len;
    auto get = [&p](auto &v) {
        std::memcpy(&v, p, sizeof v);
        p += sizeof v;
    };
    auto getString = [&](std::string &s) {
        std::uint32_t n;
        get(n);
        s.assign(p, n);
        p += n;
    };
    std::uint8_t kind, op;
    get(kind);
    get(op);
    r.kind = static_cast<ChangeKind>(kind);
    r.op = static_cast<Op>(op);
    get(r.keyHash);
    get(r.rowHash);
    getString(r.key);
    getString(r.destId);
    std::uint32_t n;
    get(n);
    r.values.resize(n);
    for (Value &v : r.values) {
        std::uint8_t t;
        get(t);
        v.type = static_cast<ValueType>(t);
        switch (v.type) {
        case ValueType::Null:
            break;
        case ValueType::Integer:
            get(v.integer);
            break;
        case ValueType::Real:
            get(v.real);
            break;
        case ValueType::Text:
            getString(v.text);
            break;
        }
    }
    m_inPos += len;
    return true;
}

Result<std::string> SpillFile::keyAt(std::uint64_t offset)
{
    // Header: length(4) kind(1) op(1) keyHash(8) rowHash(8) keyLength(4)
    constexpr std::size_t header = 4 + 1 + 1 + 8 + 8;
    std::uint32_t keyLen = 0;
    if (::pread(m_fd, &keyLen, sizeof keyLen, static_cast<off_t>(offset + header)) != sizeof keyLen)
        return std::unexpected(ioError(m_folder, errno ? errno : EIO));
    std::string key(keyLen, '\0');
    if (keyLen > 0 &&
        ::pread(m_fd, key.data(), keyLen, static_cast<off_t>(offset + header + sizeof keyLen)) !=
            static_cast<ssize_t>(keyLen))
        return std::unexpected(ioError(m_folder, errno ? errno : EIO));
    return key;
}

} // namespace sluice
