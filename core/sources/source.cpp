#include "sources/source.h"

namespace sluice {

Result<std::int64_t> Source::count(const SourceQuery &query, CancelToken *cancel)
{
    return countByStreaming(*this, query, cancel);
}

Result<std::int64_t> countByStreaming(Source &source, const SourceQuery &query, CancelToken *cancel)
{
    if (cancel && cancel->cancelled())
        return fail(ErrorKind::Cancelled, "Stopped.");
    auto stream = source.open(query);
    if (!stream)
        return std::unexpected(stream.error());
    RowStream *raw = stream->get();
    CancelHook hook(cancel, [raw] { raw->cancel(); });
    Row row;
    std::int64_t n = 0;
    Result<std::int64_t> result = 0;
    for (;;) {
        auto more = raw->next(row);
        if (!more) {
            result = std::unexpected(more.error());
            break;
        }
        if (!*more) {
            result = n;
            break;
        }
        ++n;
    }
    // The hook must be gone before the stream it points at.
    hook.reset();
    return result;
}

} // namespace sluice
