#include "connectionspage.h"

#include "asyncjob.h"
#include "connectiondialog.h"
#include "destinations/destinationregistry.h"
#include "engine/connectiontest.h"
#include "sources/sourceregistry.h"
#include "workspace/workspace.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QStandardItemModel>
#include <QStyle>
#include <QTreeView>
#include <QVBoxLayout>

namespace sluice {

namespace {

QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

const DriverInfo *driverOf(const ConnectionDef &c)
{
    if (c.role == ConnectionRole::Source) {
        const SourceDriver *d = findSourceDriver(c.kind);
        return d ? &d->info : nullptr;
    }
    const DestinationDriver *d = findDestinationDriver(c.kind);
    return d ? &d->info : nullptr;
}

enum Column
{
    NameColumn,
    RoleColumn,
    KindColumn,
    SettingsColumn,
    ColumnCount
};

constexpr int IdRole = Qt::UserRole + 1;

} // namespace

ConnectionsPage::ConnectionsPage(QWidget *parent)
    : QWidget(parent), m_list(new QTreeView(this)), m_model(new QStandardItemModel(this)),
      m_newButton(new QPushButton(tr("&New…"), this)),
      m_editButton(new QPushButton(tr("&Edit…"), this)),
      m_deleteButton(new QPushButton(tr("&Delete"), this)),
      m_testButton(new QPushButton(tr("&Test"), this)), m_messageIcon(new QLabel(this)),
      m_messageText(new QLabel(this))
{
    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Role"), tr("Type"), tr("Settings")});
    m_list->setModel(m_model);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setSortingEnabled(false);
    m_list->header()->setStretchLastSection(true);
    m_list->setColumnWidth(NameColumn, 200);
    m_list->setColumnWidth(RoleColumn, 100);
    m_list->setColumnWidth(KindColumn, 140);

    m_newButton->setToolTip(
        tr("Add a connection (%1)")
            .arg(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)));
    m_editButton->setToolTip(tr("Edit the selected connection (Enter)"));
    m_deleteButton->setToolTip(tr("Delete the selected connection (Del)"));
    m_testButton->setToolTip(tr("Check that the selected connection works"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_newButton);
    buttons->addWidget(m_editButton);
    buttons->addWidget(m_deleteButton);
    buttons->addWidget(m_testButton);
    buttons->addStretch(1);

    auto *message = new QHBoxLayout;
    message->addWidget(m_messageIcon, 0, Qt::AlignTop);
    message->addWidget(m_messageText, 1);
    m_messageText->setWordWrap(true);
    m_messageText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageIcon->hide();
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_messageIcon->setFixedSize(iconSize, iconSize); // a wrapping message must not squeeze it

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_list, 1);
    layout->addLayout(message);

    connect(m_newButton, &QPushButton::clicked, this, &ConnectionsPage::newConnection);
    connect(m_editButton, &QPushButton::clicked, this, &ConnectionsPage::editConnection);
    connect(m_deleteButton, &QPushButton::clicked, this, &ConnectionsPage::deleteConnection);
    connect(m_testButton, &QPushButton::clicked, this, &ConnectionsPage::testConnection);
    connect(m_list, &QTreeView::doubleClicked, this, &ConnectionsPage::editConnection);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { updateButtons(); });

    auto *newShortcut = new QShortcut(QKeySequence::New, this);
    newShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(newShortcut, &QShortcut::activated, this, &ConnectionsPage::newConnection);
    for (auto key : {Qt::Key_Return, Qt::Key_Enter}) {
        auto *edit = new QShortcut(QKeySequence(key), m_list);
        edit->setContext(Qt::WidgetShortcut);
        connect(edit, &QShortcut::activated, this, &ConnectionsPage::editConnection);
    }
    auto *del = new QShortcut(QKeySequence::Delete, m_list);
    del->setContext(Qt::WidgetShortcut);
    connect(del, &QShortcut::activated, this, &ConnectionsPage::deleteConnection);

    updateButtons();
}

void ConnectionsPage::setWorkspace(const QString &workspacePath)
{
    m_workspacePath = workspacePath;
    showMessage(true, QString());
    reload(0);
}

QString ConnectionsPage::settingsSummary(const ConnectionDef &c)
{
    const DriverInfo *info = driverOf(c);
    QStringList parts;
    if (!info)
        return QString::fromStdString(c.settings.dump());
    for (const auto &spec : info->settings) {
        if (spec.kind == SettingKind::Secret)
            continue;
        auto it = c.settings.find(spec.key);
        if (it == c.settings.end() || it->is_null())
            continue;
        QString value;
        if (it->is_string())
            value = fromStd(it->get<std::string>());
        else if (it->is_boolean())
            value = it->get<bool>() ? tr("yes") : tr("no");
        else
            value = fromStd(it->dump());
        // A lone punctuation mark (a delimiter) is unreadable next to the separators.
        if (value.size() == 1 && !value.at(0).isLetterOrNumber())
            value = QStringLiteral("\u201C%1\u201D").arg(value);
        // Paths say most about a connection, so they go first and without a label.
        if (spec.kind == SettingKind::FilePath || spec.kind == SettingKind::FolderPath)
            parts.prepend(value);
        else
            parts.append(fromStd(spec.label) + QStringLiteral(": ") + value);
    }
    return parts.join(QStringLiteral(" · "));
}

void ConnectionsPage::reload(std::int64_t selectId)
{
    if (m_workspacePath.isEmpty())
        return;
    const quint64 generation = ++m_loadGeneration;
    const std::string path = m_workspacePath.toStdString();
    runThenCallback(
        this,
        [path]() -> Result<std::vector<ConnectionDef>> {
            auto ws = Workspace::open(path);
            if (!ws)
                return std::unexpected(ws.error());
            return ws->connections();
        },
        [this, generation, selectId](Result<std::vector<ConnectionDef>> result) {
            if (generation != m_loadGeneration)
                return; // a newer load is on its way
            if (!result) {
                showMessage(
                    false,
                    tr("Could not load the connections: %1").arg(fromStd(result.error().message)));
                showLoaded({}, 0);
                return;
            }
            showLoaded(std::move(*result), selectId);
        });
}

void ConnectionsPage::showLoaded(std::vector<ConnectionDef> connections, std::int64_t selectId)
{
    const std::int64_t keep = selectId ? selectId : (selected() ? selected()->id : 0);
    m_connections = std::move(connections);
    m_model->removeRows(0, m_model->rowCount());
    int selectRow = -1;
    for (const ConnectionDef &c : m_connections) {
        const DriverInfo *info = driverOf(c);
        QList<QStandardItem *> row;
        row << new QStandardItem(fromStd(c.name))
            << new QStandardItem(c.role == ConnectionRole::Source ? tr("Source")
                                                                  : tr("Destination"))
            << new QStandardItem(info ? fromStd(info->label)
                                      : tr("Unknown type \"%1\"").arg(fromStd(c.kind)))
            << new QStandardItem(settingsSummary(c));
        row[NameColumn]->setData(QVariant::fromValue<qlonglong>(c.id), IdRole);
        row[SettingsColumn]->setToolTip(row[SettingsColumn]->text());
        if (c.id == keep || (m_pendingSelect && c.id == m_pendingSelect))
            selectRow = m_model->rowCount();
        m_model->appendRow(row);
    }
    if (selectRow < 0 && m_model->rowCount() > 0)
        selectRow = 0;
    if (selectRow >= 0) {
        m_list->setCurrentIndex(m_model->index(selectRow, NameColumn));
        m_pendingSelect = 0;
    }
    updateButtons();
    emit connectionsLoaded();
}

void ConnectionsPage::selectConnection(std::int64_t id)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->item(row, NameColumn)->data(IdRole).toLongLong() == id) {
            m_list->setCurrentIndex(m_model->index(row, NameColumn));
            return;
        }
    }
    m_pendingSelect = id;
}

const ConnectionDef *ConnectionsPage::selected() const
{
    const QModelIndex current = m_list->currentIndex();
    if (!current.isValid())
        return nullptr;
    const std::int64_t id = m_model->item(current.row(), NameColumn)->data(IdRole).toLongLong();
    for (const ConnectionDef &c : m_connections) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

void ConnectionsPage::updateButtons()
{
    const bool has = selected() != nullptr;
    m_newButton->setEnabled(!m_workspacePath.isEmpty());
    m_editButton->setEnabled(has);
    m_deleteButton->setEnabled(has);
    m_testButton->setEnabled(has && !m_testing);
}

void ConnectionsPage::showMessage(bool ok, const QString &text)
{
    m_messageText->setText(text);
    m_messageIcon->setVisible(!text.isEmpty());
    if (text.isEmpty())
        return;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_messageIcon->setPixmap(
        style()
            ->standardIcon(ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxCritical,
                           nullptr, this)
            .pixmap(size, size));
}

void ConnectionsPage::newConnection()
{
    if (m_workspacePath.isEmpty())
        return;
    openDialog(ConnectionDef{});
}

void ConnectionsPage::editConnection()
{
    if (const ConnectionDef *c = selected())
        openDialog(*c);
}

void ConnectionsPage::openDialog(const ConnectionDef &connection)
{
    // open(), not exec(): no nested event loop, so background results keep arriving.
    auto *dialog = new ConnectionDialog(m_workspacePath, connection, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ConnectionDef saved = dialog->connection();
        showMessage(true, tr("Saved the connection \"%1\".").arg(fromStd(saved.name)));
        emit statusMessage(m_messageText->text());
        emit workspaceEdited();
        reload(dialog->savedId());
    });
    dialog->open();
}

void ConnectionsPage::deleteConnection()
{
    const ConnectionDef *c = selected();
    if (!c)
        return;
    const ConnectionDef target = *c;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete connection"),
                                tr("Delete the connection \"%1\"?").arg(fromStd(target.name)),
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setInformativeText(tr("Models and syncs are not deleted with it: a connection they "
                               "still use cannot be deleted."));
    box->setDefaultButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, target](int) {
        if (box->standardButton(box->clickedButton()) != QMessageBox::Yes)
            return;
        const std::string path = m_workspacePath.toStdString();
        const std::int64_t id = target.id;
        runThenCallback(
            this,
            [path, id]() -> Result<void> {
                auto ws = Workspace::open(path);
                if (!ws)
                    return std::unexpected(ws.error());
                return ws->removeConnection(id);
            },
            [this, target](Result<void> result) {
                if (!result) {
                    showMessage(false,
                                tr("Could not delete \"%1\": %2")
                                    .arg(fromStd(target.name), fromStd(result.error().message)));
                } else {
                    showMessage(true,
                                tr("Deleted the connection \"%1\".").arg(fromStd(target.name)));
                    emit workspaceEdited();
                    reload(0);
                }
                emit statusMessage(m_messageText->text());
                emit deleteFinished();
            });
    });
    box->open();
}

void ConnectionsPage::testConnection()
{
    const ConnectionDef *c = selected();
    if (!c || m_testing)
        return;
    const ConnectionDef target = *c;
    m_testing = true;
    updateButtons();
    m_messageIcon->hide();
    m_messageText->setText(tr("Testing \"%1\"…").arg(fromStd(target.name)));
    DriverContext context{QFileInfo(m_workspacePath).absolutePath().toStdString()};
    runThenCallback(
        this, [target, context] { return sluice::testConnection(target, context); },
        [this, target](Result<std::string> result) {
            m_testing = false;
            updateButtons();
            if (result)
                showMessage(true,
                            QStringLiteral("%1: %2").arg(fromStd(target.name), fromStd(*result)));
            else
                showMessage(false, QStringLiteral("%1: %2").arg(fromStd(target.name),
                                                                fromStd(result.error().message)));
            emit statusMessage(m_messageText->text());
            emit testFinished();
        });
}

} // namespace sluice
