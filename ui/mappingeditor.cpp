#include "mappingeditor.h"

#include "mappingdocument.h"
#include "mappingscene.h"
#include "transformpanel.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QUndoStack>
#include <QVBoxLayout>

namespace sluice {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

MappingEditor::MappingEditor(QWidget *parent)
    : QWidget(parent), m_doc(new MappingDocument(this)), m_scene(new MappingScene(m_doc, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // Tool row.
    auto *tools = new QHBoxLayout;
    m_autoMap = new QPushButton(tr("Auto-&map"), this);
    m_autoMap->setObjectName(QStringLiteral("autoMapButton"));
    m_autoMap->setToolTip(tr("Suggest links between columns and fields with the same or similar "
                             "names. Your own links are never changed."));
    m_link = new QPushButton(tr("&Link"), this);
    m_link->setObjectName(QStringLiteral("linkButton"));
    m_link->setToolTip(tr("Link the selected column to the selected field (Ctrl+L)"));
    m_constant = new QPushButton(tr("&Constant…"), this);
    m_constant->setObjectName(QStringLiteral("constantButton"));
    m_constant->setToolTip(tr("Send the same value to the selected field for every record"));
    m_addField = new QPushButton(tr("Add &field…"), this);
    m_addField->setObjectName(QStringLiteral("addFieldButton"));
    m_addField->setToolTip(tr("Add a column to the file this sync writes"));
    auto *undo = new QPushButton(tr("Undo"), this);
    undo->setObjectName(QStringLiteral("undoButton"));
    auto *redo = new QPushButton(tr("Redo"), this);
    redo->setObjectName(QStringLiteral("redoButton"));
    tools->addWidget(m_autoMap);
    tools->addWidget(m_link);
    tools->addWidget(m_constant);
    tools->addWidget(m_addField);
    tools->addStretch();
    tools->addWidget(undo);
    tools->addWidget(redo);
    layout->addLayout(tools);

    // Suggestions bar, shown while Auto-map's suggestions are pending.
    m_suggestionBar = new QWidget(this);
    auto *bar = new QHBoxLayout(m_suggestionBar);
    bar->setContentsMargins(0, 0, 0, 0);
    m_suggestionText = new QLabel(m_suggestionBar);
    m_suggestionText->setWordWrap(true);
    m_acceptAll = new QPushButton(tr("&Accept all"), m_suggestionBar);
    m_acceptAll->setObjectName(QStringLiteral("acceptAllButton"));
    auto *dismiss = new QPushButton(tr("&Dismiss"), m_suggestionBar);
    dismiss->setObjectName(QStringLiteral("dismissButton"));
    bar->addWidget(m_suggestionText, 1);
    bar->addWidget(m_acceptAll);
    bar->addWidget(dismiss);
    layout->addWidget(m_suggestionBar);

    // Canvas and transform panel.
    auto *middle = new QHBoxLayout;
    m_view = new QGraphicsView(m_scene, this);
    m_view->setObjectName(QStringLiteral("mappingView"));
    m_view->setAccessibleName(tr("Mapping canvas"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setRenderHint(QPainter::TextAntialiasing);
    m_view->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn); // a stable width: no re-layout loop
    m_view->setFocusPolicy(Qt::StrongFocus);
    m_view->viewport()->setBackgroundRole(QPalette::Window);
    m_view->viewport()->installEventFilter(this);
    m_view->setWhatsThis(tr("Drag a column onto a field to link them. With the keyboard: arrows "
                            "pick a column, Right moves to the fields, arrows pick a field, Enter "
                            "or Ctrl+L links them. Delete removes the selected link."));
    m_panel = new TransformPanel(this);
    m_panel->setFixedWidth(std::max(240, fontMetrics().horizontalAdvance(QLatin1Char('x')) * 40));
    middle->addWidget(m_view, 1);
    middle->addWidget(m_panel);
    layout->addLayout(middle, 1);

    // Problems line.
    auto *problemRow = new QHBoxLayout;
    m_problemIcon = new QLabel(this);
    m_problemIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(16, 16));
    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("mappingProblems"));
    m_problems->setWordWrap(true);
    problemRow->addWidget(m_problemIcon, 0, Qt::AlignTop);
    problemRow->addWidget(m_problems, 1);
    layout->addLayout(problemRow);

    // Actions and shortcuts; they work wherever the focus is inside the editor.
    QAction *undoAction = m_doc->undoStack()->createUndoAction(this, tr("Undo"));
    undoAction->setShortcuts(QKeySequence::Undo);
    QAction *redoAction = m_doc->undoStack()->createRedoAction(this, tr("Redo"));
    QList<QKeySequence> redoKeys{QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)};
    for (const auto &k : QKeySequence::keyBindings(QKeySequence::Redo)) {
        if (!redoKeys.contains(k))
            redoKeys << k;
    }
    redoAction->setShortcuts(redoKeys);
    auto *linkAction = new QAction(tr("Link"), this);
    linkAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    for (QAction *a : {undoAction, redoAction, linkAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    connect(undo, &QPushButton::clicked, undoAction, &QAction::trigger);
    connect(redo, &QPushButton::clicked, redoAction, &QAction::trigger);
    connect(undoAction, &QAction::changed, undo,
            [undo, undoAction] { undo->setEnabled(undoAction->isEnabled()); });
    connect(redoAction, &QAction::changed, redo,
            [redo, redoAction] { redo->setEnabled(redoAction->isEnabled()); });
    undo->setEnabled(false);
    redo->setEnabled(false);
    undo->setToolTip(tr("Undo (Ctrl+Z)"));
    redo->setToolTip(tr("Redo (Ctrl+Shift+Z)"));

    connect(linkAction, &QAction::triggered, m_scene, &MappingScene::linkCurrent);
    connect(m_link, &QPushButton::clicked, m_scene, &MappingScene::linkCurrent);
    connect(m_autoMap, &QPushButton::clicked, this, &MappingEditor::autoMap);
    connect(m_addField, &QPushButton::clicked, this, &MappingEditor::addField);
    connect(m_constant, &QPushButton::clicked, this,
            [this] { editConstant(q(m_scene->currentField())); });
    connect(m_acceptAll, &QPushButton::clicked, m_doc, &MappingDocument::acceptAll);
    connect(dismiss, &QPushButton::clicked, this, [this] {
        m_nothingFound = false;
        m_doc->dismissSuggestions();
        updateState();
    });
    connect(m_scene, &MappingScene::fieldActivated, this, &MappingEditor::editConstant);
    connect(m_scene, &MappingScene::currentChanged, this, &MappingEditor::updateState);
    connect(m_doc, &MappingDocument::layoutChanged, this, &MappingEditor::updateState);
    connect(m_doc, &MappingDocument::mappingChanged, this, [this] {
        m_nothingFound = false;
        updateState();
        Q_EMIT changed();
    });

    connect(m_panel, &TransformPanel::transformsEdited, this,
            [this](const QString &field, const std::vector<Transform> &transforms) {
                m_doc->setTransforms(field.toStdString(), transforms);
            });
    connect(m_panel, &TransformPanel::constantEdited, this,
            [this](const QString &field, const QString &value) {
                m_doc->setConstant(field.toStdString(), value.toStdString());
            });

    updateState();
}

void MappingEditor::setColumns(const std::vector<Column> &columns)
{
    m_doc->setColumns(columns);
}

void MappingEditor::setFields(const std::vector<FieldInfo> &fields, bool openFields)
{
    m_doc->setFields(fields, openFields);
}

void MappingEditor::setMapping(const Mapping &mapping)
{
    m_doc->setMapping(mapping);
}

Mapping MappingEditor::mapping() const
{
    return m_doc->mapping();
}

QUndoStack *MappingEditor::undoStack() const
{
    return m_doc->undoStack();
}

QStringList MappingEditor::problems() const
{
    return m_doc->problems();
}

bool MappingEditor::eventFilter(QObject *watched, QEvent *event)
{
    // The rows are as wide as the canvas: lay them out again when it changes size.
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        m_scene->setWidth(m_view->viewport()->width());
    return QWidget::eventFilter(watched, event);
}

void MappingEditor::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        m_scene->setPalette(palette());
        m_scene->setFont(font());
        m_scene->rebuild();
    }
}

void MappingEditor::autoMap()
{
    m_nothingFound = m_doc->suggest() == 0;
    updateState();
}

void MappingEditor::addField()
{
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Add field"), tr("Name of the new field (column):"),
                              QLineEdit::Normal, q(m_scene->currentColumn()), &ok)
            .trimmed();
    if (!ok || name.isEmpty())
        return;
    if (!m_doc->addField(name.toStdString()))
        QMessageBox::information(this, tr("Add field"),
                                 tr("There already is a field “%1”.").arg(name));
    else
        m_scene->setCurrentField(name.toStdString());
}

void MappingEditor::editConstant(const QString &field)
{
    if (field.isEmpty())
        return;
    const int i = m_doc->linkIndex(field.toStdString());
    QString current;
    if (i >= 0 && m_doc->mapping().fields[static_cast<std::size_t>(i)].constant)
        current = q(*m_doc->mapping().fields[static_cast<std::size_t>(i)].constant);
    bool ok = false;
    const QString value = QInputDialog::getText(
        this, tr("Constant value"),
        tr("Value sent to “%1” for every record (replaces its current link):").arg(field),
        QLineEdit::Normal, current, &ok);
    if (!ok)
        return;
    m_doc->setConstant(field.toStdString(), value.toStdString());
    m_scene->selectLink(field.toStdString());
}

void MappingEditor::updatePanel()
{
    const int i = m_doc->linkIndex(m_scene->selectedLink());
    if (i < 0)
        m_panel->setLink(std::nullopt);
    else
        m_panel->setLink(m_doc->mapping().fields[static_cast<std::size_t>(i)]);
}

void MappingEditor::updateState()
{
    updatePanel();
    m_addField->setVisible(m_doc->openFields());
    m_link->setEnabled(!m_scene->currentColumn().empty() && !m_scene->currentField().empty());
    m_constant->setEnabled(!m_scene->currentField().empty());
    m_autoMap->setEnabled(!m_doc->columns().empty());

    const auto &s = m_doc->suggestions();
    if (!s.empty())
        m_suggestionText->setText(
            tr("%n suggested link(s), drawn dashed. Click one to accept it, or:", nullptr,
               static_cast<int>(s.size())));
    else if (m_nothingFound)
        m_suggestionText->setText(tr("Auto-map found nothing new to suggest: no unlinked field "
                                     "has a column with a matching name."));
    m_suggestionBar->setVisible(!s.empty() || m_nothingFound);
    m_acceptAll->setEnabled(!s.empty());

    const QStringList problems = m_doc->problems();
    m_problemIcon->setVisible(!problems.isEmpty());
    m_problems->setVisible(!problems.isEmpty());
    if (!problems.isEmpty()) {
        QStringList shown = problems.mid(0, 3);
        if (problems.size() > 3)
            shown << tr("…and %n more (hover for all).", nullptr,
                        static_cast<int>(problems.size() - 3));
        m_problems->setText(shown.join(QLatin1Char('\n')));
        m_problems->setToolTip(problems.join(QLatin1Char('\n')));
    }
}

} // namespace sluice
