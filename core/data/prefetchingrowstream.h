#pragma once
// Reads another row stream on a thread of its own, a few hundred rows ahead, so that reading
// the source (SQLite stepping, CSV parsing) and processing the rows (mapping, hashing, writing)
// use two cores. Rows move between the threads by swapping buffers, so nothing is copied or
// allocated once it is running. Rows are handed over a chunk at a time: this is for
// throughput (syncs), not for showing the first rows of a slow query early (previews).

#include "data/rowstream.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace sluice {

class PrefetchingRowStream : public RowStream
{
public:
    explicit PrefetchingRowStream(std::unique_ptr<RowStream> inner);
    ~PrefetchingRowStream() override;

    const std::vector<Column> &columns() const override { return m_inner->columns(); }
    Result<bool> next(Row &row) override;
    void cancel() override;

private:
    struct Chunk
    {
        std::vector<Row> rows;
        std::size_t count = 0;
    };
    void produce();

    static constexpr std::size_t kChunkRows = 256;
    static constexpr std::size_t kChunks = 4;

    std::unique_ptr<RowStream> m_inner;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    Chunk m_chunks[kChunks];
    std::size_t m_full = 0;      // chunks ready for the consumer
    std::size_t m_readChunk = 0; // the consumer's chunk
    std::size_t m_readPos = 0;   // next row in it
    bool m_done = false;         // the producer has stopped (end, error or cancel)
    bool m_stop = false;         // the consumer is going away
    Error m_error;
    bool m_failed = false;
    std::thread m_thread;
};

} // namespace sluice
