#include "mappingscene.h"

#include "mappingitems.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QKeyEvent>
#include <QStyle>

#include <unordered_set>

namespace sluice {

namespace {

constexpr qreal kMargin = 12;
constexpr qreal kSpacing = 6;

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

MappingScene::MappingScene(MappingDocument *document, QObject *parent)
    : QGraphicsScene(parent), m_doc(document)
{
    m_warning = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(32, 32);
    connect(m_doc, &MappingDocument::layoutChanged, this, &MappingScene::rebuild);
    rebuild();
}

void MappingScene::setWidth(qreal width)
{
    if (qFuzzyCompare(width, m_width))
        return;
    m_width = width;
    rebuild();
}

void MappingScene::rebuild()
{
    // A rebuild in the middle of a drag (an undo from a shortcut, say) ends the drag.
    m_dragLine = nullptr;
    m_dragColumn.clear();
    m_dropTarget.clear();
    clear();

    const Mapping &mapping = m_doc->mapping();
    const std::vector<FieldRow> rows = m_doc->fieldRows();
    // Selections that no longer exist are dropped, so Delete/Link never act on a ghost.
    bool changed = false;
    if (!m_currentColumn.empty() && !m_doc->hasColumn(m_currentColumn)) {
        m_currentColumn.clear();
        changed = true;
    }
    if (!m_currentField.empty() && std::none_of(rows.begin(), rows.end(), [&](const FieldRow &r) {
            return r.name == m_currentField;
        })) {
        m_currentField.clear();
        changed = true;
    }
    if (!m_selectedLink.empty() && m_doc->linkIndex(m_selectedLink) < 0) {
        m_selectedLink.clear();
        changed = true;
    }

    const QFontMetricsF fm(font());
    const qreal rowHeight = std::ceil(fm.height() + 14);
    const qreal gap = std::clamp(m_width * 0.25, 90.0, 260.0);
    const qreal boxWidth = std::max<qreal>(150, (m_width - 2 * kMargin - gap) / 2);
    const qreal leftX = kMargin;
    const qreal rightX = kMargin + boxWidth + gap;

    QFont bold = font();
    bold.setBold(true);
    auto heading = [&](const QString &text, qreal x, qreal y) {
        auto *h = addSimpleText(text, bold);
        h->setBrush(palette().color(QPalette::WindowText));
        h->setPos(x, y);
        return h;
    };
    const qreal top = kMargin + QFontMetricsF(bold).height() + 8;
    heading(tr("Model columns"), leftX, kMargin);
    heading(tr("Destination fields"), rightX, kMargin);

    std::unordered_set<std::string> linkedColumns;
    for (const auto &l : mapping.fields) {
        if (!l.constant)
            linkedColumns.insert(l.column);
    }

    qreal y = top;
    for (const auto &c : m_doc->columns()) {
        auto *item = new SourceItem(SourceItem::Kind::Column, c.name, c.type, {});
        item->setSize({boxWidth, rowHeight});
        item->setPos(leftX, y);
        item->setLinked(linkedColumns.contains(c.name));
        addItem(item);
        y += rowHeight + kSpacing;
    }
    if (m_doc->columns().empty()) {
        auto *hint = addSimpleText(tr("The model has no columns yet: run it once."));
        hint->setBrush(palette().color(QPalette::PlaceholderText));
        hint->setPos(leftX, y);
        y += rowHeight + kSpacing;
    }
    // Vanished columns and constants: one row per link, below the columns.
    for (const auto &l : mapping.fields) {
        if (l.constant || m_doc->hasColumn(l.column))
            continue;
        auto *item =
            new SourceItem(SourceItem::Kind::Vanished, l.column, ColumnType::Unknown, l.field);
        item->setSize({boxWidth, rowHeight});
        item->setPos(leftX, y);
        item->setLinked(true);
        addItem(item);
        y += rowHeight + kSpacing;
    }
    bool constantsHeading = false;
    for (const auto &l : mapping.fields) {
        if (!l.constant)
            continue;
        if (!constantsHeading) {
            y += 8;
            heading(tr("Constant values"), leftX, y);
            y += QFontMetricsF(bold).height() + 6;
            constantsHeading = true;
        }
        auto *item =
            new SourceItem(SourceItem::Kind::Constant, *l.constant, ColumnType::Unknown, l.field);
        item->setSize({boxWidth, rowHeight});
        item->setPos(leftX, y);
        item->setLinked(true);
        addItem(item);
        y += rowHeight + kSpacing;
    }
    const qreal leftBottom = y;

    // Field rows, each with the problem shown on it.
    QStringList problems;
    y = top;
    for (const auto &r : rows) {
        QString problem;
        const int li = m_doc->linkIndex(r.name);
        if (r.required && li < 0)
            problem = tr("Required, but nothing is mapped to it.");
        else if (r.missing)
            problem = tr("The destination has no such field: remove the link.");
        else if (r.readOnly)
            problem = tr("Read-only in the destination: remove the link.");
        else if (li >= 0)
            problem = m_doc->mismatch(mapping.fields[static_cast<std::size_t>(li)]);
        auto *item = new FieldItem(r, problem);
        item->setSize({boxWidth, rowHeight});
        item->setPos(rightX, y);
        item->setLinked(li >= 0);
        addItem(item);
        y += rowHeight + kSpacing;
    }
    if (rows.empty()) {
        auto *hint = addSimpleText(m_doc->openFields()
                                       ? tr("No fields yet: drag a column here,\nuse Auto-map "
                                            "or Add field…")
                                       : tr("Pick a destination object first."));
        hint->setBrush(palette().color(QPalette::PlaceholderText));
        hint->setPos(rightX, y);
        y += 2 * rowHeight;
    }
    const qreal rightBottom = y;

    // Links, then suggestions (dashed).
    for (const auto &l : mapping.fields) {
        FieldItem *to = fieldItem(l.field);
        SourceItem *from = l.constant || !m_doc->hasColumn(l.column) ? sourceItemForLink(l.field)
                                                                     : columnItem(l.column);
        if (!to || !from)
            continue;
        auto *link = new LinkItem(l.constant ? LinkItem::Style::Constant : LinkItem::Style::Column,
                                  l.column, l.field, m_doc->mismatch(l));
        link->setEnds(from->port(), to->port());
        addItem(link);
    }
    for (const auto &s : m_doc->suggestions()) {
        FieldItem *to = fieldItem(s.field);
        SourceItem *from = columnItem(s.column);
        if (!to || !from)
            continue;
        auto *link = new LinkItem(LinkItem::Style::Suggestion, s.column, s.field, {});
        link->setEnds(from->port(), to->port());
        addItem(link);
    }

    setSceneRect(0, 0, m_width, std::max(leftBottom, rightBottom) + kMargin);
    if (changed)
        Q_EMIT currentChanged();
}

void MappingScene::setCurrentColumn(const std::string &column)
{
    if (column == m_currentColumn && !m_fieldsActive)
        return;
    m_currentColumn = column;
    m_fieldsActive = false;
    update();
    if (auto *item = columnItem(column))
        ensureVisible(item);
    Q_EMIT currentChanged();
}

void MappingScene::setCurrentField(const std::string &field)
{
    if (field == m_currentField && m_fieldsActive)
        return;
    m_currentField = field;
    m_fieldsActive = true;
    update();
    if (auto *item = fieldItem(field))
        ensureVisible(item);
    Q_EMIT currentChanged();
}

void MappingScene::selectLink(const std::string &field)
{
    if (field == m_selectedLink)
        return;
    m_selectedLink = field;
    update();
    Q_EMIT currentChanged();
}

bool MappingScene::linkCurrent()
{
    if (m_currentColumn.empty() || m_currentField.empty() || !m_doc->hasColumn(m_currentColumn))
        return false;
    const std::string field = m_currentField;
    m_doc->link(m_currentColumn, field);
    selectLink(field);
    return true;
}

SourceItem *MappingScene::columnItem(const std::string &column) const
{
    for (auto *i : items()) {
        if (i->type() == SourceItem::Type) {
            auto *s = static_cast<SourceItem *>(i);
            if (s->kind() == SourceItem::Kind::Column && s->name() == column)
                return s;
        }
    }
    return nullptr;
}

SourceItem *MappingScene::sourceItemForLink(const std::string &field) const
{
    for (auto *i : items()) {
        if (i->type() == SourceItem::Type) {
            auto *s = static_cast<SourceItem *>(i);
            if (s->kind() != SourceItem::Kind::Column && s->linkField() == field)
                return s;
        }
    }
    return nullptr;
}

FieldItem *MappingScene::fieldItem(const std::string &field) const
{
    for (auto *i : items()) {
        if (i->type() == FieldItem::Type && static_cast<FieldItem *>(i)->name() == field)
            return static_cast<FieldItem *>(i);
    }
    return nullptr;
}

LinkItem *MappingScene::linkItem(const std::string &field) const
{
    for (auto *i : items()) {
        if (i->type() == LinkItem::Type) {
            auto *l = static_cast<LinkItem *>(i);
            if (l->style() != LinkItem::Style::Suggestion && l->field() == field)
                return l;
        }
    }
    return nullptr;
}

LinkItem *MappingScene::suggestionItem(const std::string &field) const
{
    for (auto *i : items()) {
        if (i->type() == LinkItem::Type) {
            auto *l = static_cast<LinkItem *>(i);
            if (l->style() == LinkItem::Style::Suggestion && l->field() == field)
                return l;
        }
    }
    return nullptr;
}

QGraphicsItem *MappingScene::topItemAt(const QPointF &pos, int type) const
{
    for (auto *i : items(pos, Qt::IntersectsItemShape, Qt::DescendingOrder)) {
        if (type == 0 ? (i->type() == SourceItem::Type || i->type() == FieldItem::Type ||
                         i->type() == LinkItem::Type)
                      : i->type() == type)
            return i;
    }
    return nullptr;
}

void MappingScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    // The scene handles the mouse itself (not the items): a drop can rebuild every item, which
    // must not happen inside an item's own event handler.
    event->accept();
    if (event->button() != Qt::LeftButton)
        return;
    QGraphicsItem *hit = topItemAt(event->scenePos(), 0);
    if (!hit) {
        selectLink({});
        return;
    }
    if (hit->type() == SourceItem::Type) {
        auto *s = static_cast<SourceItem *>(hit);
        if (s->kind() == SourceItem::Kind::Column) {
            setCurrentColumn(s->name());
            m_dragColumn = s->name();
            m_dragFrom = s->port();
        } else {
            selectLink(s->linkField());
        }
    } else if (hit->type() == FieldItem::Type) {
        auto *f = static_cast<FieldItem *>(hit);
        const std::string field = f->name();
        setCurrentField(field);
        // The panel follows the field: its link, or nothing for an unlinked field.
        selectLink(m_doc->linkIndex(field) >= 0 ? field : std::string());
    } else {
        auto *l = static_cast<LinkItem *>(hit);
        if (l->style() == LinkItem::Style::Suggestion) {
            const std::string field = l->field();
            m_doc->accept({{l->column(), l->field()}});
            selectLink(field);
        } else {
            selectLink(l->field());
        }
    }
}

void MappingScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    event->accept();
    if (m_dragColumn.empty())
        return;
    if (!m_dragLine) {
        m_dragLine = addPath(QPainterPath(), QPen(palette().color(QPalette::Highlight), 2));
        m_dragLine->setZValue(2);
    }
    m_dragLine->setPath(LinkItem::curve(m_dragFrom, event->scenePos()));
    auto *f = static_cast<FieldItem *>(topItemAt(event->scenePos(), FieldItem::Type));
    const std::string target = f ? f->name() : std::string();
    if (target != m_dropTarget) {
        m_dropTarget = target;
        update();
    }
}

void MappingScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    event->accept();
    if (m_dragColumn.empty() || event->button() != Qt::LeftButton)
        return;
    const std::string column = m_dragColumn;
    const QPointF pos = event->scenePos();
    endDrag();
    auto *f = static_cast<FieldItem *>(topItemAt(pos, FieldItem::Type));
    std::string field;
    if (f) {
        field = f->name();
    } else if (m_doc->openFields() && pos.x() > m_width / 2 && !topItemAt(pos, SourceItem::Type)) {
        // A destination that makes its own columns: dropping on the empty side adds a field.
        field = freeFieldName(column);
    }
    if (field.empty())
        return;
    m_doc->link(column, field);
    m_currentField = field;
    m_fieldsActive = true;
    selectLink(field);
}

void MappingScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    event->accept();
    QGraphicsItem *hit = topItemAt(event->scenePos(), 0);
    if (!hit)
        return;
    if (hit->type() == FieldItem::Type)
        Q_EMIT fieldActivated(q(static_cast<FieldItem *>(hit)->name()));
    else if (hit->type() == SourceItem::Type &&
             static_cast<SourceItem *>(hit)->kind() == SourceItem::Kind::Constant)
        Q_EMIT fieldActivated(q(static_cast<SourceItem *>(hit)->linkField()));
}

void MappingScene::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Up:
        moveCurrent(-1);
        break;
    case Qt::Key_Down:
        moveCurrent(1);
        break;
    case Qt::Key_Left:
        if (m_fieldsActive) {
            m_fieldsActive = false;
            if (m_currentColumn.empty())
                moveCurrent(1);
            update();
            Q_EMIT currentChanged();
        }
        break;
    case Qt::Key_Right:
        if (!m_fieldsActive) {
            m_fieldsActive = true;
            if (m_currentField.empty())
                moveCurrent(1);
            update();
            Q_EMIT currentChanged();
        }
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        linkCurrent();
        break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        if (!m_selectedLink.empty())
            m_doc->removeLink(m_selectedLink);
        break;
    case Qt::Key_Escape:
        if (!m_dragColumn.empty())
            endDrag();
        else
            selectLink({});
        break;
    default:
        event->ignore();
        return;
    }
    event->accept();
}

void MappingScene::moveCurrent(int step)
{
    std::vector<std::string> names;
    if (m_fieldsActive) {
        for (const auto &r : m_doc->fieldRows())
            names.push_back(r.name);
    } else {
        for (const auto &c : m_doc->columns())
            names.push_back(c.name);
    }
    if (names.empty())
        return;
    const std::string &current = m_fieldsActive ? m_currentField : m_currentColumn;
    auto it = std::find(names.begin(), names.end(), current);
    int i = it == names.end() ? (step > 0 ? 0 : static_cast<int>(names.size()) - 1)
                              : static_cast<int>(it - names.begin()) + step;
    i = std::clamp(i, 0, static_cast<int>(names.size()) - 1);
    if (m_fieldsActive) {
        setCurrentField(names[static_cast<std::size_t>(i)]);
        // The panel follows: a linked field's link becomes the selected one.
        selectLink(m_doc->linkIndex(m_currentField) >= 0 ? m_currentField : std::string());
    } else {
        setCurrentColumn(names[static_cast<std::size_t>(i)]);
    }
}

void MappingScene::ensureVisible(QGraphicsItem *item)
{
    for (auto *v : views())
        v->ensureVisible(item, 0, 8);
}

void MappingScene::endDrag()
{
    m_dragColumn.clear();
    if (m_dragLine) {
        removeItem(m_dragLine);
        delete m_dragLine;
        m_dragLine = nullptr;
    }
    if (!m_dropTarget.empty()) {
        m_dropTarget.clear();
        update();
    }
}

std::string MappingScene::freeFieldName(const std::string &wanted) const
{
    const auto rows = m_doc->fieldRows();
    auto taken = [&](const std::string &n) {
        return std::any_of(rows.begin(), rows.end(), [&](const FieldRow &r) {
            return r.name == n && !r.suggestedOnly && m_doc->linkIndex(n) >= 0;
        });
    };
    if (!taken(wanted))
        return wanted;
    for (int i = 2;; ++i) {
        std::string n = wanted + " " + std::to_string(i);
        if (!taken(n))
            return n;
    }
}

} // namespace sluice
