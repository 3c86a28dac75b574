#include "util/sqlite.h"

#include <sqlite3.h>

#include <mutex>
#include <utility>

namespace sluice {

namespace {

Error sqliteError(sqlite3 *db, std::string_view what)
{
    const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    ErrorKind kind = ErrorKind::Invalid;
    if (code == SQLITE_INTERRUPT)
        kind = ErrorKind::Cancelled;
    else if ((code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR ||
             (code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_READONLY ||
             (code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB ||
             (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_PERM)
        kind = ErrorKind::Io;
    return Error{kind, msg, std::string(what)};
}

} // namespace

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_stmt(std::exchange(other.m_stmt, nullptr))
{
}

SqliteStatement &SqliteStatement::operator=(SqliteStatement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

void SqliteStatement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::bindStatic(int index, std::string_view text)
{
    sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void SqliteStatement::bindBlob(int index, const void *data, int size)
{
    sqlite3_bind_blob(m_stmt, index, data, size, SQLITE_TRANSIENT);
}

Result<bool> SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error e = sqliteError(m_db, sqlite3_sql(m_stmt) ? sqlite3_sql(m_stmt) : "");
    sqlite3_reset(m_stmt);
    return std::unexpected(e);
}

Result<void> SqliteStatement::exec()
{
    for (;;) {
        auto r = step();
        if (!r)
            return std::unexpected(r.error());
        if (!*r)
            break;
    }
    reset();
    return {};
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t SqliteStatement::columnInt(int index) const
{
    return sqlite3_column_int64(m_stmt, index);
}

double SqliteStatement::columnDouble(int index) const
{
    return sqlite3_column_double(m_stmt, index);
}

std::string SqliteStatement::columnText(int index) const
{
    return std::string(columnTextView(index));
}

std::string_view SqliteStatement::columnTextView(int index) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, index));
    if (!p)
        return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, index))};
}

bool SqliteStatement::columnIsNull(int index) const
{
    return sqlite3_column_type(m_stmt, index) == SQLITE_NULL;
}

int SqliteStatement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

SqliteDb::SqliteDb(SqliteDb &&other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

SqliteDb &SqliteDb::operator=(SqliteDb &&other) noexcept
{
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

SqliteDb::~SqliteDb()
{
    sqlite3_close_v2(m_db);
}

Result<SqliteDb> SqliteDb::open(const std::filesystem::path &path, Mode mode)
{
    // SQLite's memory statistics take a global mutex on every allocation; Sluice never reads
    // them. This must happen before SQLite initialises, i.e. before the first open.
    static std::once_flag configured;
    std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });

    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e = sqliteError(db, path.string());
        e.kind = ErrorKind::Io;
        sqlite3_close_v2(db);
        return std::unexpected(e);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 10000);
    return SqliteDb(db);
}

Result<void> SqliteDb::exec(std::string_view sql)
{
    std::string s(sql);
    char *err = nullptr;
    if (sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        Error e = sqliteError(m_db, s);
        sqlite3_free(err);
        return std::unexpected(e);
    }
    return {};
}

Result<SqliteStatement> SqliteDb::prepare(std::string_view sql)
{
    sqlite3_stmt *stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK)
        return std::unexpected(sqliteError(m_db, sql));
    return SqliteStatement(m_db, stmt);
}

std::string SqliteDb::lastError() const
{
    return m_db ? sqlite3_errmsg(m_db) : "";
}

std::int64_t SqliteDb::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteDb::changes() const
{
    return sqlite3_changes(m_db);
}

void SqliteDb::interrupt()
{
    sqlite3_interrupt(m_db);
}

SqliteTransaction::~SqliteTransaction()
{
    if (m_open)
        (void)m_db.exec("ROLLBACK");
}

Result<void> SqliteTransaction::begin()
{
    auto r = m_db.exec("BEGIN IMMEDIATE");
    if (r)
        m_open = true;
    return r;
}

Result<void> SqliteTransaction::commit()
{
    auto r = m_db.exec("COMMIT");
    if (r)
        m_open = false;
    return r;
}

} // namespace sluice
