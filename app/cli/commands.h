#pragma once
// sluice-cli's commands. main() parses the global options and dispatches here; each command
// prints to stdout/stderr and returns the process exit status.

#include <string>
#include <vector>

namespace sluice::cli {

enum ExitCode
{
    Ok = 0,
    Rejected = 1,
    Failed = 2,
    Usage = 64
};

int runCli(const std::vector<std::string> &args);
std::string helpText();

} // namespace sluice::cli
