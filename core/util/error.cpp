#include "util/error.h"

namespace sluice {

const char *errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Usage:
        return "usage";
    case ErrorKind::NotFound:
        return "not-found";
    case ErrorKind::Invalid:
        return "invalid";
    case ErrorKind::Io:
        return "io";
    case ErrorKind::Source:
        return "source";
    case ErrorKind::Destination:
        return "destination";
    case ErrorKind::Cancelled:
        return "cancelled";
    case ErrorKind::Internal:
        return "internal";
    }
    return "internal";
}

} // namespace sluice
