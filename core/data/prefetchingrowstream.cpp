#include "data/prefetchingrowstream.h"

namespace sluice {

PrefetchingRowStream::PrefetchingRowStream(std::unique_ptr<RowStream> inner)
    : m_inner(std::move(inner))
{
    for (auto &c : m_chunks)
        c.rows.resize(kChunkRows);
    m_thread = std::thread([this] { produce(); });
}

PrefetchingRowStream::~PrefetchingRowStream()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_inner->cancel();
    m_changed.notify_all();
    m_thread.join();
}

void PrefetchingRowStream::produce()
{
    std::size_t writeChunk = 0;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return m_full < kChunks || m_stop; });
            if (m_stop)
                break;
        }
        // The chunk at writeChunk is free: the consumer only touches chunks counted in m_full.
        Chunk &chunk = m_chunks[writeChunk];
        chunk.count = 0;
        bool end = false;
        Error error;
        bool failed = false;
        while (chunk.count < kChunkRows) {
            auto more = m_inner->next(chunk.rows[chunk.count]);
            if (!more) {
                error = more.error();
                failed = true;
                break;
            }
            if (!*more) {
                end = true;
                break;
            }
            ++chunk.count;
        }
        {
            std::lock_guard lock(m_mutex);
            if (chunk.count > 0)
                ++m_full;
            if (failed) {
                m_error = std::move(error);
                m_failed = true;
            }
            if (end || failed)
                m_done = true;
        }
        m_changed.notify_all();
        if (end || failed)
            break;
        writeChunk = (writeChunk + 1) % kChunks;
    }
    std::lock_guard lock(m_mutex);
    m_done = true;
    m_changed.notify_all();
}

Result<bool> PrefetchingRowStream::next(Row &row)
{
    Chunk *chunk = &m_chunks[m_readChunk];
    if (m_readPos == 0 || m_readPos == chunk->count) {
        std::unique_lock lock(m_mutex);
        if (m_readPos != 0) { // finished this chunk: hand it back to the producer
            --m_full;
            m_readChunk = (m_readChunk + 1) % kChunks;
            m_readPos = 0;
            m_changed.notify_all();
            chunk = &m_chunks[m_readChunk];
        }
        m_changed.wait(lock, [this] { return m_full > 0 || m_done; });
        if (m_full == 0) {
            if (m_failed)
                return std::unexpected(m_error);
            return false;
        }
    }
    row.swap(chunk->rows[m_readPos++]);
    return true;
}

void PrefetchingRowStream::cancel()
{
    m_inner->cancel();
}

} // namespace sluice
