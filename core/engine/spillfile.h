#pragma once
// An anonymous temporary file holding the records a run will send, written while planning and
// read back while sending, so memory stays flat however many rows change. It is unlinked at
// once, so a killed run leaves nothing behind.

#include "data/value.h"
#include "destinations/destination.h"
#include "util/error.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sluice {

enum class ChangeKind : std::uint8_t
{
    Added,
    Changed,
    Unchanged
};

struct SpilledRecord
{
    ChangeKind kind = ChangeKind::Added;
    Op op = Op::Upsert;
    std::int64_t keyHash = 0;
    std::int64_t rowHash = 0;
    std::string key;
    std::string destId;
    std::vector<Value> values;
    std::uint64_t offset = 0; // where this record starts in the file
};

class SpillFile
{
public:
    SpillFile() = default;
    SpillFile(const SpillFile &) = delete;
    SpillFile &operator=(const SpillFile &) = delete;
    ~SpillFile();

    Result<void> create(const std::filesystem::path &folder);
    Result<void> append(const SpilledRecord &record);
    Result<void> startReading(); // flushes and goes back to the start
    Result<bool> read(SpilledRecord &record);
    // Reads only the key of the record at offset (used after reading has finished).
    Result<std::string> keyAt(std::uint64_t offset);
    std::uint64_t count() const { return m_count; }

private:
    Result<void> flush();
    Result<void> fill(std::size_t need);

    int m_fd = -1;
    std::filesystem::path m_folder;
    std::string m_out; // write buffer
    std::string m_in;  // read buffer
    std::size_t m_inPos = 0;
    std::uint64_t m_fileOffset = 0; // offset of m_in[0] when reading; bytes written when writing
    std::uint64_t m_count = 0;
};

} // namespace sluice
