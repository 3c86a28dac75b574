#pragma once
// The model editor's schema browser: a source's tables and views with their columns and
// types. Double-clicking a name asks for it to be inserted, quoted, into the SQL.

#include "sources/source.h"

#include <QTreeView>

class QStandardItemModel;

namespace sluice {

class SchemaTree : public QTreeView
{
    Q_OBJECT

public:
    explicit SchemaTree(QWidget *parent = nullptr);

    void setTables(const std::vector<TableInfo> &tables);
    // Replaces the tree with one greyed line ("Loading…", an error).
    void setMessage(const QString &message);
    const std::vector<TableInfo> &tables() const { return m_tables; }

    // "name" with embedded quotes doubled, as SQL wants identifiers.
    static QString quoteIdentifier(const QString &name);

signals:
    // The quoted name of the table or column double-clicked (or activated with Enter).
    void nameActivated(const QString &quotedName);

private:
    QStandardItemModel *m_model;
    std::vector<TableInfo> m_tables;
};

} // namespace sluice
