#include "sources/sqlitesource.h"

#include "util/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>

namespace sluice {

namespace {

std::string quoteIdentifier(std::string_view name)
{
    std::string out = "\"";
    for (char c : name) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

// Strips trailing white space and semicolons so the query can be wrapped as a subquery.
std::string trimStatement(std::string_view sql)
{
    std::size_t end = sql.size();
    while (end > 0 &&
           (std::isspace(static_cast<unsigned char>(sql[end - 1])) || sql[end - 1] == ';'))
        --end;
    std::size_t begin = 0;
    while (begin < end && std::isspace(static_cast<unsigned char>(sql[begin])))
        ++begin;
    return std::string(sql.substr(begin, end - begin));
}

Result<SqliteDb> openReadOnly(const std::filesystem::path &path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return fail(ErrorKind::NotFound,
                    "The SQLite file " + path.string() +
                        " does not exist. Check the path in the connection settings.");
    if (std::filesystem::is_directory(path, ec))
        return fail(ErrorKind::Invalid, path.string() + " is a folder, not a SQLite file. "
                                                        "Choose the database file itself.");
    auto db = SqliteDb::open(path, SqliteDb::Mode::ReadOnly);
    if (!db)
        return fail(ErrorKind::Io, "Cannot open the SQLite file " + path.string() + ": " +
                                       db.error().message + ".");
    sqlite3_limit(db->handle(), SQLITE_LIMIT_ATTACHED, 0);
    if (auto r = db->exec("PRAGMA query_only=ON"); !r)
        return std::unexpected(r.error());
    // Reading the schema proves it is a database (and not, say, a CSV file picked by mistake).
    if (auto r = db->exec("SELECT count(*) FROM sqlite_schema"); !r)
        return fail(ErrorKind::Invalid, path.string() + " is not a SQLite database (" +
                                            r.error().message + "). Choose a .db/.sqlite file.");
    return db;
}

class SqliteRowStream : public RowStream
{
public:
    SqliteRowStream(SqliteDb db, SqliteStatement stmt)
        : m_db(std::move(db)), m_stmt(std::move(stmt))
    {
        sqlite3_stmt *s = m_stmt.handle();
        const int n = sqlite3_column_count(s);
        m_columns.reserve(n);
        for (int i = 0; i < n; ++i) {
            const char *decl = sqlite3_column_decltype(s, i);
            m_columns.push_back(Column{sqlite3_column_name(s, i),
                                       decl ? columnTypeFromSql(decl) : ColumnType::Unknown});
        }
    }

    const std::vector<Column> &columns() const override { return m_columns; }

    Result<bool> next(Row &row) override
    {
        if (m_cancelled.load(std::memory_order_relaxed))
            return fail(ErrorKind::Cancelled, "Stopped.");
        sqlite3_stmt *s = m_stmt.handle();
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            return false;
        if (rc != SQLITE_ROW) {
            if (rc == SQLITE_INTERRUPT || m_cancelled.load())
                return fail(ErrorKind::Cancelled, "Stopped.");
            return fail(ErrorKind::Source, std::string("The query failed while reading: ") +
                                               sqlite3_errmsg(m_db.handle()));
        }
        const int n = static_cast<int>(m_columns.size());
        row.resize(n);
        for (int i = 0; i < n; ++i) {
            Value &v = row[i];
            switch (sqlite3_column_type(s, i)) {
            case SQLITE_NULL:
                v.setNull();
                break;
            case SQLITE_INTEGER:
                v.setInteger(sqlite3_column_int64(s, i));
                break;
            case SQLITE_FLOAT:
                v.setReal(sqlite3_column_double(s, i));
                break;
            case SQLITE_TEXT:
                v.setText({reinterpret_cast<const char *>(sqlite3_column_text(s, i)),
                           static_cast<std::size_t>(sqlite3_column_bytes(s, i))});
                break;
            default: { // BLOB: shown as hex, the way SQLite writes blob literals
                const auto *p = static_cast<const unsigned char *>(sqlite3_column_blob(s, i));
                const int len = sqlite3_column_bytes(s, i);
                static const char digits[] = "0123456789abcdef";
                v.type = ValueType::Text;
                v.text.assign("x'");
                for (int b = 0; b < len; ++b) {
                    v.text += digits[p[b] >> 4];
                    v.text += digits[p[b] & 15];
                }
                v.text += '\'';
            }
            }
        }
        return true;
    }

    void cancel() override
    {
        m_cancelled.store(true);
        sqlite3_interrupt(m_db.handle());
    }

private:
    SqliteDb m_db;
    SqliteStatement m_stmt;
    std::vector<Column> m_columns;
    std::atomic<bool> m_cancelled{false};
};

} // namespace

DriverInfo sqliteSourceDriverInfo()
{
    return DriverInfo{"sqlite",
                      "SQLite database",
                      {SettingSpec{"path",
                                   "Database file",
                                   SettingKind::FilePath,
                                   nullptr,
                                   true,
                                   {},
                                   "The .db or .sqlite file. Sluice opens it read-only."}}};
}

Result<std::unique_ptr<Source>> createSqliteSource(const nlohmann::json &settings,
                                                   const DriverContext &context)
{
    return std::make_unique<SqliteSource>(context.resolve(settings.value("path", "")));
}

struct SqliteSource::Prepared
{
    SqliteDb db;
    std::string sql;
};

Result<SqliteSource::Prepared> SqliteSource::prepareQuery(const SourceQuery &query)
{
    auto db = openReadOnly(m_path);
    if (!db)
        return std::unexpected(db.error());
    std::string sql = query.table.empty() ? trimStatement(query.sql)
                                          : "SELECT * FROM " + quoteIdentifier(query.table);
    if (sql.empty())
        return fail(ErrorKind::Invalid,
                    "The model has no SQL. Write a SELECT query or pick a table.");
    // Reject more than one statement before wrapping: "SELECT 1; DELETE …" must not slip through.
    {
        sqlite3_stmt *probe = nullptr;
        const char *tail = nullptr;
        if (sqlite3_prepare_v2(db->handle(), sql.c_str(), static_cast<int>(sql.size()), &probe,
                               &tail) != SQLITE_OK) {
            const int offset = sqlite3_error_offset(db->handle());
            std::string msg = std::string("The SQL has an error: ") + sqlite3_errmsg(db->handle());
            if (offset >= 0)
                msg += " (at character " + std::to_string(offset + 1) + ")";
            if (!query.table.empty())
                msg = "The table \"" + query.table +
                      "\" cannot be read: " + sqlite3_errmsg(db->handle()) +
                      ". Check the table name.";
            return fail(ErrorKind::Invalid, msg + ".");
        }
        const bool readOnly = probe && sqlite3_stmt_readonly(probe);
        const bool empty = probe == nullptr;
        sqlite3_finalize(probe);
        if (empty)
            return fail(ErrorKind::Invalid,
                        "The model's SQL is only a comment. Write a SELECT query.");
        if (tail && trimStatement(tail).size() > 0)
            return fail(
                ErrorKind::Invalid,
                "The model's SQL holds more than one statement. A model is one SELECT query.");
        if (!readOnly)
            return fail(ErrorKind::Invalid, "The model's SQL would change the database. A model "
                                            "can only read: write a SELECT query.");
    }
    if (query.limit || query.offset > 0)
        sql = "SELECT * FROM (\n" + sql + "\n) LIMIT " + std::to_string(query.limit.value_or(-1)) +
              " OFFSET " + std::to_string(std::max<std::int64_t>(query.offset, 0));
    return Prepared{std::move(*db), std::move(sql)};
}

Result<std::unique_ptr<RowStream>> SqliteSource::open(const SourceQuery &query)
{
    auto prepared = prepareQuery(query);
    if (!prepared)
        return std::unexpected(prepared.error());
    auto stmt = prepared->db.prepare(prepared->sql);
    if (!stmt)
        return fail(ErrorKind::Invalid, "The SQL has an error: " + stmt.error().message + ".");
    return std::make_unique<SqliteRowStream>(std::move(prepared->db), std::move(*stmt));
}

Result<std::int64_t> SqliteSource::count(const SourceQuery &query, CancelToken *cancel)
{
    if (cancel && cancel->cancelled())
        return fail(ErrorKind::Cancelled, "Stopped.");
    auto prepared = prepareQuery(query);
    if (!prepared)
        return std::unexpected(prepared.error());
    auto stmt = prepared->db.prepare("SELECT count(*) FROM (\n" + prepared->sql + "\n)");
    if (!stmt)
        return fail(ErrorKind::Invalid, "The SQL has an error: " + stmt.error().message + ".");
    sqlite3 *handle = prepared->db.handle();
    CancelHook hook(cancel, [handle] { sqlite3_interrupt(handle); });
    auto row = stmt->step();
    // Removed before the connection can go away; after this no interrupt can be in flight.
    hook.reset();
    if (cancel && cancel->cancelled())
        return fail(ErrorKind::Cancelled, "Stopped.");
    if (!row)
        return fail(ErrorKind::Source, "Counting the rows failed: " + row.error().message + ".");
    if (!*row)
        return fail(ErrorKind::Internal, "Counting the rows returned nothing.");
    return stmt->columnInt(0);
}

Result<std::vector<TableInfo>> SqliteSource::tables()
{
    auto db = openReadOnly(m_path);
    if (!db)
        return std::unexpected(db.error());
    auto list = db->prepare("SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') "
                            "AND name NOT LIKE 'sqlite_%' ORDER BY name");
    if (!list)
        return std::unexpected(list.error());
    std::vector<TableInfo> out;
    for (;;) {
        auto row = list->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        out.push_back(TableInfo{list->columnText(0), list->columnText(1), {}});
    }
    for (auto &t : out) {
        auto cols = db->prepare("SELECT name, type FROM pragma_table_info(?)");
        if (!cols)
            return std::unexpected(cols.error());
        cols->bind(1, t.name);
        for (;;) {
            auto row = cols->step();
            if (!row)
                return std::unexpected(row.error());
            if (!*row)
                break;
            t.columns.push_back(
                Column{cols->columnText(0), columnTypeFromSql(cols->columnTextView(1))});
        }
    }
    return out;
}

} // namespace sluice
