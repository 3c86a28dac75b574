#include "schematree.h"

#include <QHeaderView>
#include <QStandardItemModel>

namespace sluice {

namespace {

constexpr int NameRole = Qt::UserRole + 1;

} // namespace

SchemaTree::SchemaTree(QWidget *parent) : QTreeView(parent), m_model(new QStandardItemModel(this))
{
    setModel(m_model);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setUniformRowHeights(true);
    // Double-click inserts the name; the arrow (or +/-) expands.
    setExpandsOnDoubleClick(false);
    setAlternatingRowColors(false);
    header()->setStretchLastSection(false);
    setToolTip(tr("Double-click a table or column to insert its name into the SQL."));
    // Double-click and Enter both arrive as activated (platform-dependent for single click).
    connect(this, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        const QModelIndex nameIndex = index.siblingAtColumn(0);
        const QString name = nameIndex.data(NameRole).toString();
        if (!name.isEmpty())
            emit nameActivated(quoteIdentifier(name));
    });
    setMessage(QString());
}

QString SchemaTree::quoteIdentifier(const QString &name)
{
    QString quoted = name;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

void SchemaTree::setTables(const std::vector<TableInfo> &tables)
{
    m_tables = tables;
    m_model->clear();
    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Type")});
    for (const TableInfo &t : tables) {
        auto *name = new QStandardItem(QString::fromStdString(t.name));
        name->setData(QString::fromStdString(t.name), NameRole);
        const QString kind = t.kind == "view"   ? tr("view")
                             : t.kind == "file" ? tr("file")
                                                : tr("table");
        auto *type = new QStandardItem(kind);
        type->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
        for (const Column &c : t.columns) {
            auto *col = new QStandardItem(QString::fromStdString(c.name));
            col->setData(QString::fromStdString(c.name), NameRole);
            auto *colType = new QStandardItem(QString::fromLatin1(columnTypeName(c.type)));
            colType->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
            name->appendRow({col, colType});
        }
        m_model->appendRow({name, type});
    }
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    if (tables.empty())
        setMessage(tr("No tables"));
}

void SchemaTree::setMessage(const QString &message)
{
    m_model->clear();
    m_tables.clear();
    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Type")});
    if (!message.isEmpty()) {
        auto *item = new QStandardItem(message);
        item->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
        item->setToolTip(message);
        m_model->appendRow(item);
    }
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
}

} // namespace sluice
