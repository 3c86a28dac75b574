// sluice-cli: the headless entry point. See `sluice-cli --help` and the README.
#include "commands.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("Sluice");
    QCoreApplication::setApplicationVersion(SLUICE_VERSION);
    std::vector<std::string> args(argv + 1, argv + argc);
    return sluice::cli::runCli(args);
}
