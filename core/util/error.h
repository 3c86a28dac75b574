#pragma once
// Errors as values: every core boundary returns Result<T>. The message is written for the
// user (what went wrong and what to do); detail is for the log.

#include <expected>
#include <string>

namespace sluice {

enum class ErrorKind
{
    Usage,       // the caller asked for something malformed
    NotFound,    // a named thing does not exist
    Invalid,     // input exists but is not acceptable (bad SQL, bad key, bad config)
    Io,          // file system: missing file, permission, full disk
    Source,      // the source failed while reading
    Destination, // the destination failed as a whole (not one record)
    Cancelled,   // the user stopped it
    Internal,    // a bug: should never reach a user
};

struct Error
{
    ErrorKind kind = ErrorKind::Internal;
    std::string message;
    std::string detail;
};

template <class T> using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message, std::string detail = {})
{
    return std::unexpected(Error{kind, std::move(message), std::move(detail)});
}

const char *errorKindName(ErrorKind kind);

} // namespace sluice
