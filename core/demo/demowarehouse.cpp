#include "demo/demowarehouse.h"

#include "util/sqlite.h"

#include <QFile>
#include <QString>
#include <QTemporaryFile>

#include <system_error>

namespace sluice {

namespace {

QString toQString(const std::filesystem::path &path)
{
    return QString::fromStdU16String(path.u16string());
}

std::filesystem::path toPath(const QString &path)
{
    return std::filesystem::path(path.toStdU16String());
}

Result<std::string> readResource(const char *name)
{
    QFile file(QString::fromLatin1(name));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorKind::Internal,
                    "The demo data is missing from this build of Sluice. Reinstall Sluice.",
                    std::string(name) + ": " + file.errorString().toStdString());
    const QByteArray bytes = file.readAll();
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

// SQLite leaves these next to a database; a stale hot journal next to the new file would be
// "rolled back" into it on the next open and corrupt it.
void removeSidecarFiles(const std::filesystem::path &db)
{
    std::error_code ec;
    for (const char *suffix : {"-journal", "-wal", "-shm"})
        std::filesystem::remove(std::filesystem::path(db.native() + suffix), ec);
}

Result<void> buildInto(const std::filesystem::path &file, const std::string &script)
{
    auto db = SqliteDb::open(file, SqliteDb::Mode::ReadWrite);
    if (!db)
        return std::unexpected(db.error());
    // The script is one transaction; if it fails, closing the connection rolls it back and
    // the caller deletes the file.
    return db->exec(script);
}

} // namespace

Result<void> createDemoWarehouse(const std::filesystem::path &path)
{
    if (path.empty() || !path.has_filename())
        return fail(ErrorKind::Usage, "Choose a file name for the demo warehouse, e.g. acme.db.");

    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return fail(ErrorKind::Invalid,
                    "\"" + path.string() +
                        "\" is a folder. Choose a file name for the demo warehouse, e.g. " +
                        (path / "acme.db").string() + ".");

    const std::filesystem::path folder =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(folder, ec)) {
        std::filesystem::create_directories(folder, ec);
        if (ec)
            return fail(ErrorKind::Io,
                        "Sluice could not create the folder \"" + folder.string() +
                            "\" for the demo warehouse (" + ec.message() +
                            "). Choose a folder you can write to.",
                        ec.message());
    }

    auto script = readResource(":/demo/acme.sql");
    if (!script)
        return std::unexpected(script.error());

    // A unique name in the target folder, so the final rename is atomic (same file system).
    QTemporaryFile temp(toQString(folder / ("." + path.filename().string() + ".XXXXXX.building")));
    temp.setAutoRemove(false);
    if (!temp.open())
        return fail(ErrorKind::Io,
                    "Sluice could not write the demo warehouse in \"" + folder.string() + "\" (" +
                        temp.errorString().toStdString() + "). Choose a folder you can write to.",
                    temp.errorString().toStdString());
    const std::filesystem::path tempPath = toPath(temp.fileName());
    temp.close(); // SQLite opens the empty file itself; an empty file is an empty database

    auto discardTemp = [&tempPath] {
        std::error_code ignored;
        std::filesystem::remove(tempPath, ignored);
        removeSidecarFiles(tempPath);
    };

    if (auto built = buildInto(tempPath, *script); !built) {
        discardTemp();
        Error e = built.error();
        if (e.kind == ErrorKind::Io)
            return fail(ErrorKind::Io,
                        "Sluice could not write the demo warehouse in \"" + folder.string() +
                            "\": " + e.message + ". Check that the disk has free space and that " +
                            "you can write to that folder.",
                        e.detail);
        return fail(ErrorKind::Internal,
                    "The demo warehouse could not be built. This is a bug in Sluice; please "
                    "report it with the log.",
                    e.message + " in: " + e.detail.substr(0, 200));
    }

    removeSidecarFiles(path);
    std::filesystem::rename(tempPath, path, ec);
    if (ec) {
        discardTemp();
        return fail(ErrorKind::Io,
                    "Sluice built the demo warehouse but could not put it at \"" + path.string() +
                        "\" (" + ec.message() + "). Choose another file name or folder.",
                    ec.message());
    }
    return {};
}

Result<std::string> demoWorkspaceConfig()
{
    return readResource(":/demo/workspace.json");
}

} // namespace sluice
