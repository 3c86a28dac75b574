#include "mappingitems.h"

#include "mapping/automap.h"
#include "mappingscene.h"

#include <QCursor>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QPalette>

namespace sluice {

namespace {

constexpr qreal kRadius = 5;
constexpr qreal kPad = 10;
constexpr qreal kPort = 4.5;
constexpr qreal kGlyph = 12;

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString typeLabel(ColumnType type)
{
    return type == ColumnType::Unknown ? QString() : QString::fromLatin1(columnTypeName(type));
}

const MappingScene *sceneOf(const QGraphicsItem *item)
{
    return static_cast<const MappingScene *>(item->scene());
}

QPalette paletteOf(const QGraphicsItem *item)
{
    return item->scene() ? item->scene()->palette() : QPalette();
}

QColor dim(const QPalette &pal)
{
    return pal.color(QPalette::PlaceholderText);
}

// Drawn rather than typed: the ★ and 🔑 glyphs are missing from many UI fonts.
void drawStar(QPainter *p, const QPointF &centre, qreal size, const QColor &colour)
{
    QPolygonF star;
    for (int i = 0; i < 10; ++i) {
        const qreal r = (i % 2 == 0) ? size / 2 : size / 4.6;
        const qreal a = -M_PI / 2 + i * M_PI / 5;
        star << centre + QPointF(r * std::cos(a), r * std::sin(a));
    }
    p->setPen(Qt::NoPen);
    p->setBrush(colour);
    p->drawPolygon(star);
}

void drawKey(QPainter *p, const QPointF &centre, qreal size, const QColor &colour)
{
    QPen pen(colour, std::max<qreal>(1.5, size / 7));
    pen.setCapStyle(Qt::FlatCap);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    const qreal r = size / 4.5;
    const QPointF ring = centre + QPointF(-size / 2 + r + 1, 0);
    p->drawEllipse(ring, r, r);
    const qreal x0 = ring.x() + r, x1 = centre.x() + size / 2;
    p->drawLine(QPointF(x0, centre.y()), QPointF(x1, centre.y()));
    p->drawLine(QPointF(x1 - 1, centre.y()), QPointF(x1 - 1, centre.y() + size / 4));
    p->drawLine(QPointF(x1 - size / 4, centre.y()), QPointF(x1 - size / 4, centre.y() + size / 5));
}

void drawRow(QPainter *p, const QRectF &r, const QPalette &pal, bool current, bool target,
             Qt::PenStyle border)
{
    QColor fill = pal.color(QPalette::Base);
    QPen pen(pal.color(QPalette::Mid), 1, border);
    if (current || target) {
        QColor h = pal.color(QPalette::Highlight);
        h.setAlpha(target ? 90 : 45);
        fill = h;
        pen = QPen(pal.color(QPalette::Highlight), 2, border);
    }
    p->setPen(pen);
    p->setBrush(fill);
    p->drawRoundedRect(r.adjusted(1, 1, -1, -1), kRadius, kRadius);
}

void drawPort(QPainter *p, const QPointF &at, const QPalette &pal, bool linked)
{
    p->setPen(QPen(pal.color(QPalette::Mid), 1));
    p->setBrush(linked ? pal.color(QPalette::Highlight) : pal.color(QPalette::Base));
    p->drawEllipse(at, kPort, kPort);
}

} // namespace

SourceItem::SourceItem(Kind kind, const std::string &name, ColumnType type,
                       const std::string &linkField)
    : m_kind(kind), m_name(name), m_type(type), m_linkField(linkField)
{
    setZValue(1);
    if (kind == Kind::Column)
        setCursor(Qt::OpenHandCursor);
    switch (kind) {
    case Kind::Column:
        setToolTip(QObject::tr("Column “%1”: drag it onto a destination field to link them.")
                       .arg(q(name)));
        break;
    case Kind::Vanished:
        setToolTip(QObject::tr("The model no longer returns column “%1”, but the mapping still "
                               "sends it to “%2”. Select the link and press Delete, or map "
                               "another column to “%2”.")
                       .arg(q(name), q(linkField)));
        break;
    case Kind::Constant:
        setToolTip(QObject::tr("Every record sends “%1” to “%2”. Double-click to change it.")
                       .arg(q(name), q(linkField)));
        break;
    }
}

void SourceItem::setSize(const QSizeF &size)
{
    prepareGeometryChange();
    m_size = size;
}

QPointF SourceItem::port() const
{
    return mapToScene(QPointF(m_size.width(), m_size.height() / 2));
}

QRectF SourceItem::boundingRect() const
{
    return QRectF(QPointF(0, 0), m_size).adjusted(-1, -1, kPort + 1, 1);
}

void SourceItem::paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QPalette pal = paletteOf(this);
    const MappingScene *s = sceneOf(this);
    const QRectF r(QPointF(0, 0), m_size);
    const bool current =
        s && ((m_kind == Kind::Column && s->currentColumn() == m_name) ||
              (m_kind != Kind::Column && !m_linkField.empty() && s->selectedLink() == m_linkField));
    drawRow(p, r, pal, current, false, m_kind == Kind::Column ? Qt::SolidLine : Qt::DashLine);

    QRectF text = r.adjusted(kPad, 0, -kPad - kPort, 0);
    QFont font = p->font();
    if (m_kind == Kind::Vanished && s) {
        const QPixmap &w = s->warningPixmap();
        const qreal side = std::min<qreal>(16, r.height() - 8);
        p->drawPixmap(QRectF(text.left(), r.center().y() - side / 2, side, side), w,
                      QRectF(w.rect()));
        text.setLeft(text.left() + side + 6);
    }
    QString label = q(m_name);
    QString right = typeLabel(m_type);
    if (m_kind == Kind::Vanished) {
        label = QObject::tr("missing: %1").arg(label);
        right.clear();
        font.setItalic(true);
    } else if (m_kind == Kind::Constant) {
        label = QStringLiteral("= “%1”").arg(label);
        right = QObject::tr("constant");
        font.setItalic(true);
    }
    p->setFont(font);
    const QFontMetricsF fm(font);
    const qreal rightWidth = right.isEmpty() ? 0 : fm.horizontalAdvance(right) + kPad;
    p->setPen(dim(pal));
    if (!right.isEmpty())
        p->drawText(text, Qt::AlignRight | Qt::AlignVCenter, right);
    p->setPen(pal.color(QPalette::Text));
    const QRectF nameRect = text.adjusted(0, 0, -rightWidth, 0);
    p->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(label, Qt::ElideRight, nameRect.width()));

    drawPort(p, QPointF(r.right(), r.center().y()), pal, m_linked);
}

FieldItem::FieldItem(const FieldRow &row, const QString &problem) : m_row(row), m_problem(problem)
{
    setZValue(1);
    QStringList tips;
    tips << (row.label.empty() ? QObject::tr("Field “%1”").arg(q(row.name))
                               : QObject::tr("Field “%1” (%2)").arg(q(row.label), q(row.name)));
    if (row.type != ColumnType::Unknown)
        tips << QObject::tr("Expects %1.").arg(MappingDocument::typeInWords(row.type));
    if (row.required)
        tips << QObject::tr("★ Required: every record must have a value.");
    if (row.key)
        tips << QObject::tr("Key: can identify a record.");
    if (row.suggestedOnly)
        tips << QObject::tr("A new field Auto-map suggests; accept the suggestion to add it.");
    if (!problem.isEmpty())
        tips << problem;
    tips << QObject::tr("Double-click to send a constant value.");
    setToolTip(tips.join(QLatin1Char('\n')));
}

void FieldItem::setSize(const QSizeF &size)
{
    prepareGeometryChange();
    m_size = size;
}

QPointF FieldItem::port() const
{
    return mapToScene(QPointF(0, m_size.height() / 2));
}

QRectF FieldItem::boundingRect() const
{
    return QRectF(QPointF(0, 0), m_size).adjusted(-kPort - 1, -1, 1, 1);
}

void FieldItem::paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QPalette pal = paletteOf(this);
    const MappingScene *s = sceneOf(this);
    const QRectF r(QPointF(0, 0), m_size);
    const bool current = s && s->currentField() == m_row.name;
    const bool target = s && s->dropTarget() == m_row.name;
    drawRow(p, r, pal, current, target,
            (m_row.missing || m_row.suggestedOnly) ? Qt::DashLine : Qt::SolidLine);

    QRectF text = r.adjusted(kPad + kPort, 0, -kPad, 0);
    // Markers, right to left: key, required star, type, warning.
    qreal x = text.right();
    if (m_row.key) {
        drawKey(p, QPointF(x - kGlyph / 2, r.center().y()), kGlyph + 2, pal.color(QPalette::Text));
        x -= kGlyph + 6;
    }
    if (m_row.required) {
        drawStar(p, QPointF(x - kGlyph / 2, r.center().y()), kGlyph + 1, pal.color(QPalette::Text));
        x -= kGlyph + 6;
    }
    QFont font = p->font();
    if (m_row.missing || m_row.suggestedOnly)
        font.setItalic(true);
    p->setFont(font);
    const QFontMetricsF fm(font);
    QString type = typeLabel(m_row.type);
    if (m_row.suggestedOnly)
        type = QObject::tr("new field");
    else if (m_row.readOnly)
        type = QObject::tr("read-only");
    if (!type.isEmpty()) {
        p->setPen(dim(pal));
        const qreal w = fm.horizontalAdvance(type);
        p->drawText(QRectF(x - w, r.top(), w, r.height()), Qt::AlignRight | Qt::AlignVCenter, type);
        x -= w + kPad;
    }
    if (!m_problem.isEmpty() && s) {
        const QPixmap &w = s->warningPixmap();
        const qreal side = std::min<qreal>(16, r.height() - 8);
        p->drawPixmap(QRectF(x - side, r.center().y() - side / 2, side, side), w, QRectF(w.rect()));
        x -= side + 6;
    }
    // Business users know a field by the label the vendor's screens show; the API name follows.
    // When they differ only in case or separators ("Email", "email") the label says it all.
    QString name = q(m_row.name);
    if (!m_row.label.empty())
        name = normalizeName(m_row.label) == normalizeName(m_row.name)
                   ? q(m_row.label)
                   : QObject::tr("%1 · %2").arg(q(m_row.label), q(m_row.name));
    const QString label = m_row.missing ? QObject::tr("missing: %1").arg(name) : name;
    p->setPen(pal.color(QPalette::Text));
    const QRectF nameRect(text.left(), r.top(), std::max<qreal>(0, x - text.left()), r.height());
    p->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(label, Qt::ElideRight, nameRect.width()));
    drawPort(p, QPointF(0, r.center().y()), pal, m_linked);
}

LinkItem::LinkItem(Style style, const std::string &column, const std::string &field,
                   const QString &warning)
    : m_style(style), m_column(column), m_field(field), m_warning(warning)
{
    setZValue(style == Style::Suggestion ? -1 : 0);
    setCursor(Qt::PointingHandCursor);
    if (style == Style::Suggestion)
        setToolTip(QObject::tr("Suggested: %1 → %2. Click to accept.").arg(q(column), q(field)));
    else if (!warning.isEmpty())
        setToolTip(warning);
    else
        setToolTip(QObject::tr("Click to select and edit its transforms; Delete removes it."));
}

QPainterPath LinkItem::curve(const QPointF &from, const QPointF &to)
{
    QPainterPath path(from);
    const qreal dx = std::max<qreal>(40, std::abs(to.x() - from.x()) / 2);
    path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
    return path;
}

void LinkItem::setEnds(const QPointF &from, const QPointF &to)
{
    prepareGeometryChange();
    m_path = curve(from, to);
}

QRectF LinkItem::boundingRect() const
{
    return m_path.boundingRect().adjusted(-12, -12, 12, 12);
}

QPainterPath LinkItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    QPainterPath s = stroker.createStroke(m_path);
    if (!m_warning.isEmpty()) {
        s.addEllipse(badgePoint(), 11, 11);
    }
    return s;
}

void LinkItem::paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QPalette pal = paletteOf(this);
    const MappingScene *s = sceneOf(this);
    const bool selected = s && m_style != Style::Suggestion && s->selectedLink() == m_field;
    p->setRenderHint(QPainter::Antialiasing);
    QColor colour = pal.color(QPalette::Text);
    colour.setAlpha(170);
    QPen pen(colour, 2);
    switch (m_style) {
    case Style::Column:
        break;
    case Style::Constant:
        pen.setStyle(Qt::DotLine);
        break;
    case Style::Suggestion:
        pen = QPen(pal.color(QPalette::Highlight), 2, Qt::DashLine);
        break;
    }
    if (selected) {
        pen.setColor(pal.color(QPalette::Highlight));
        pen.setWidthF(3.5);
    }
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawPath(m_path);
    if (!m_warning.isEmpty() && s) {
        const QPointF m = badgePoint();
        p->setPen(QPen(pal.color(QPalette::Mid), 1));
        p->setBrush(pal.color(QPalette::Base));
        p->drawEllipse(m, 11, 11);
        const QPixmap &w = s->warningPixmap();
        p->drawPixmap(QRectF(m.x() - 8, m.y() - 8, 16, 16), w, QRectF(w.rect()));
    }
}

} // namespace sluice
