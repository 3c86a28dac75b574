#include "transformpanel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace sluice {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString kindLabel(Transform::Kind kind)
{
    switch (kind) {
    case Transform::Kind::Trim:
        return TransformPanel::tr("Trim spaces");
    case Transform::Kind::Lower:
        return TransformPanel::tr("Lower case");
    case Transform::Kind::Upper:
        return TransformPanel::tr("Upper case");
    case Transform::Kind::DefaultIfEmpty:
        return TransformPanel::tr("Default if empty");
    case Transform::Kind::DateFormat:
        return TransformPanel::tr("Format date");
    case Transform::Kind::NumberFormat:
        return TransformPanel::tr("Format number");
    }
    return {};
}

bool hasArgument(Transform::Kind kind)
{
    return kind == Transform::Kind::DefaultIfEmpty || kind == Transform::Kind::DateFormat ||
           kind == Transform::Kind::NumberFormat;
}

} // namespace

TransformPanel::TransformPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("transformPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setText(tr("Transforms"));
    layout->addWidget(m_title);
    m_hint = new QLabel(tr("Click a link on the canvas to change how its value is sent "
                           "(trim, case, default, date and number formats)."),
                        this);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_hint);

    m_body = new QWidget(this);
    auto *body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    auto *constantForm = new QFormLayout;
    m_constant = new QLineEdit(m_body);
    m_constant->setObjectName(QStringLiteral("constantValue"));
    constantForm->addRow(tr("&Value:"), m_constant);
    body->addLayout(constantForm);
    connect(m_constant, &QLineEdit::editingFinished, this, [this] {
        if (m_link && m_link->constant && m_constant->text() != q(*m_link->constant))
            Q_EMIT constantEdited(q(m_link->field), m_constant->text());
    });

    m_list = new QListWidget(m_body);
    m_list->setObjectName(QStringLiteral("transformList"));
    m_list->setAccessibleName(tr("Transforms, applied top to bottom"));
    body->addWidget(m_list, 1);
    m_empty = new QLabel(tr("No transforms: the value is sent as it is. Use Add to trim it, "
                            "change its case, give a default or format it."),
                         m_body);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    body->addWidget(m_empty);

    auto *buttons = new QHBoxLayout;
    m_add = new QToolButton(m_body);
    m_add->setObjectName(QStringLiteral("addTransformButton"));
    m_add->setText(tr("&Add"));
    m_add->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_add);
    for (auto kind : {Transform::Kind::Trim, Transform::Kind::Lower, Transform::Kind::Upper,
                      Transform::Kind::DefaultIfEmpty, Transform::Kind::DateFormat,
                      Transform::Kind::NumberFormat}) {
        QAction *a = menu->addAction(kindLabel(kind));
        a->setObjectName(QStringLiteral("add_%1").arg(QLatin1String(transformKindName(kind))));
        connect(a, &QAction::triggered, this, [this, kind] { addTransform(kind); });
    }
    m_add->setMenu(menu);
    m_remove = new QPushButton(tr("&Remove"), m_body);
    m_remove->setObjectName(QStringLiteral("removeTransformButton"));
    m_up = new QPushButton(tr("Up"), m_body);
    m_up->setObjectName(QStringLiteral("moveTransformUp"));
    m_up->setToolTip(tr("Apply this transform earlier"));
    m_down = new QPushButton(tr("Down"), m_body);
    m_down->setObjectName(QStringLiteral("moveTransformDown"));
    m_down->setToolTip(tr("Apply this transform later"));
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_up);
    buttons->addWidget(m_down);
    buttons->addStretch();
    body->addLayout(buttons);
    connect(m_remove, &QPushButton::clicked, this, &TransformPanel::removeCurrent);
    connect(m_up, &QPushButton::clicked, this, [this] { moveCurrent(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveCurrent(1); });

    // The argument of the selected transform.
    auto *argRow = new QHBoxLayout;
    m_argLabel = new QLabel(m_body);
    m_argStack = new QStackedWidget(m_body);
    m_argText = new QLineEdit(m_argStack);
    m_argText->setObjectName(QStringLiteral("transformArgument"));
    m_argDecimals = new QSpinBox(m_argStack);
    m_argDecimals->setObjectName(QStringLiteral("transformDecimals"));
    m_argDecimals->setRange(0, 10);
    m_argStack->addWidget(m_argText);
    m_argStack->addWidget(m_argDecimals);
    m_argLabel->setBuddy(m_argText);
    argRow->addWidget(m_argLabel);
    argRow->addWidget(m_argStack, 1);
    body->addLayout(argRow);
    connect(m_argText, &QLineEdit::editingFinished, this, &TransformPanel::commitArgument);
    connect(m_argDecimals, &QSpinBox::editingFinished, this, &TransformPanel::commitArgument);
    connect(m_list, &QListWidget::currentRowChanged, this, &TransformPanel::showArgument);

    layout->addWidget(m_body, 1);
    layout->addStretch(0);
    setLink(std::nullopt);
}

QString TransformPanel::describe(const Transform &t)
{
    switch (t.kind) {
    case Transform::Kind::DefaultIfEmpty:
        return tr("Default if empty: “%1”").arg(q(t.arg));
    case Transform::Kind::DateFormat:
        return tr("Format date as %1").arg(q(t.arg));
    case Transform::Kind::NumberFormat:
        return tr("Format number with %1 decimals").arg(q(t.arg));
    default:
        return kindLabel(t.kind);
    }
}

void TransformPanel::setLink(const std::optional<FieldMapping> &link)
{
    const bool sameLink = link && m_link && link->field == m_link->field;
    const int keep = m_pendingSelect >= 0 ? m_pendingSelect : (sameLink ? m_list->currentRow() : 0);
    m_pendingSelect = -1;
    m_link = link;
    m_hint->setVisible(!link);
    m_body->setVisible(link.has_value());
    if (!link) {
        m_title->setText(tr("Transforms"));
        return;
    }
    if (link->constant) {
        m_title->setText(tr("Constant → %1").arg(q(link->field)));
        m_constant->setText(q(*link->constant));
    } else {
        m_title->setText(tr("%1 → %2").arg(q(link->column), q(link->field)));
    }
    m_constant->setVisible(link->constant.has_value());
    if (auto *form = m_body->findChild<QFormLayout *>()) {
        if (QWidget *label = form->labelForField(m_constant))
            label->setVisible(link->constant.has_value());
    }
    refreshList(keep);
}

void TransformPanel::refreshList(int select)
{
    QSignalBlocker block(m_list);
    m_list->clear();
    for (const auto &t : m_link->transforms)
        m_list->addItem(describe(t));
    if (m_list->count() == 0)
        select = -1;
    else
        select = std::clamp(select, 0, m_list->count() - 1);
    m_list->setCurrentRow(select);
    m_empty->setVisible(m_list->count() == 0);
    showArgument();
}

void TransformPanel::showArgument()
{
    const int row = m_list->currentRow();
    const bool any = m_link && row >= 0 && row < static_cast<int>(m_link->transforms.size());
    m_remove->setEnabled(any);
    m_up->setEnabled(any && row > 0);
    m_down->setEnabled(any && row + 1 < m_list->count());
    const Transform *t = any ? &m_link->transforms[static_cast<std::size_t>(row)] : nullptr;
    const bool arg = t && hasArgument(t->kind);
    m_argLabel->setVisible(arg);
    m_argStack->setVisible(arg);
    if (!arg)
        return;
    if (t->kind == Transform::Kind::NumberFormat) {
        m_argLabel->setText(tr("Decimals:"));
        m_argStack->setCurrentWidget(m_argDecimals);
        QSignalBlocker b(m_argDecimals);
        m_argDecimals->setValue(QString::fromStdString(t->arg).toInt());
    } else {
        m_argLabel->setText(t->kind == Transform::Kind::DateFormat ? tr("Format:") : tr("Value:"));
        m_argText->setPlaceholderText(t->kind == Transform::Kind::DateFormat
                                          ? tr("e.g. dd/MM/yyyy")
                                          : tr("sent when the value is empty"));
        m_argStack->setCurrentWidget(m_argText);
        m_argText->setText(q(t->arg));
    }
}

void TransformPanel::emitEdited(const std::vector<Transform> &transforms, int select)
{
    m_pendingSelect = select;
    Q_EMIT transformsEdited(q(m_link->field), transforms);
    m_pendingSelect = -1;
}

void TransformPanel::addTransform(Transform::Kind kind)
{
    if (!m_link)
        return;
    Transform t;
    t.kind = kind;
    if (kind == Transform::Kind::DateFormat)
        t.arg = "yyyy-MM-dd";
    else if (kind == Transform::Kind::NumberFormat)
        t.arg = "2";
    auto list = m_link->transforms;
    list.push_back(t);
    emitEdited(list, static_cast<int>(list.size()) - 1);
    if (hasArgument(kind))
        m_argStack->currentWidget()->setFocus();
}

void TransformPanel::removeCurrent()
{
    const int row = m_list->currentRow();
    if (!m_link || row < 0 || row >= static_cast<int>(m_link->transforms.size()))
        return;
    auto list = m_link->transforms;
    list.erase(list.begin() + row);
    emitEdited(list, row);
}

void TransformPanel::moveCurrent(int step)
{
    const int row = m_list->currentRow();
    const int to = row + step;
    if (!m_link || row < 0 || to < 0 || to >= static_cast<int>(m_link->transforms.size()))
        return;
    auto list = m_link->transforms;
    std::swap(list[static_cast<std::size_t>(row)], list[static_cast<std::size_t>(to)]);
    emitEdited(list, to);
}

void TransformPanel::commitArgument()
{
    const int row = m_list->currentRow();
    if (!m_link || row < 0 || row >= static_cast<int>(m_link->transforms.size()))
        return;
    auto list = m_link->transforms;
    Transform &t = list[static_cast<std::size_t>(row)];
    if (!hasArgument(t.kind))
        return;
    const std::string value = t.kind == Transform::Kind::NumberFormat
                                  ? std::to_string(m_argDecimals->value())
                                  : m_argText->text().toStdString();
    if (value == t.arg)
        return;
    t.arg = value;
    emitEdited(list, row);
}

} // namespace sluice
