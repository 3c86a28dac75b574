#pragma once
// Thin RAII over SQLite's C API: a connection and prepared statements that finalize
// themselves, with errors turned into Result values carrying SQLite's own message.

#include "util/error.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sluice {

class SqliteStatement
{
public:
    SqliteStatement() = default;
    SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) {}
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) noexcept;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;
    ~SqliteStatement();

    sqlite3_stmt *handle() const { return m_stmt; }
    explicit operator bool() const { return m_stmt != nullptr; }

    // Binding is 1-based, as in SQLite.
    void bind(int index, std::int64_t value);
    void bind(int index, std::string_view text);
    // The text must stay alive and unchanged until the statement is reset.
    void bindStatic(int index, std::string_view text);
    void bindNull(int index);
    void bindBlob(int index, const void *data, int size);
    // Returns true for a row, false when done.
    Result<bool> step();
    Result<void> exec(); // step to completion, then reset
    void reset();

    std::int64_t columnInt(int index) const;
    double columnDouble(int index) const;
    std::string columnText(int index) const;
    std::string_view columnTextView(int index) const;
    bool columnIsNull(int index) const;
    int columnCount() const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

class SqliteDb
{
public:
    enum class Mode
    {
        ReadOnly,
        ReadWrite,
        ReadWriteCreate
    };

    SqliteDb() = default;
    SqliteDb(SqliteDb &&other) noexcept;
    SqliteDb &operator=(SqliteDb &&other) noexcept;
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;
    ~SqliteDb();

    static Result<SqliteDb> open(const std::filesystem::path &path, Mode mode);

    sqlite3 *handle() const { return m_db; }
    Result<void> exec(std::string_view sql);
    Result<SqliteStatement> prepare(std::string_view sql);
    std::string lastError() const;
    std::int64_t lastInsertId() const;
    int changes() const;
    void interrupt();

private:
    explicit SqliteDb(sqlite3 *db) : m_db(db) {}
    sqlite3 *m_db = nullptr;
};

// RAII transaction: BEGIN IMMEDIATE on construction, ROLLBACK unless commit() succeeded.
class SqliteTransaction
{
public:
    explicit SqliteTransaction(SqliteDb &db) : m_db(db) {}
    ~SqliteTransaction();
    Result<void> begin();
    Result<void> commit();

private:
    SqliteDb &m_db;
    bool m_open = false;
};

} // namespace sluice
