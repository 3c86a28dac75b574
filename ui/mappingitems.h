#pragma once
// The items drawn on the mapping canvas: a source row (model column, vanished column or constant
// value) on the left, a destination field row on the right, and the curve linking them. They only
// paint; the MappingScene handles the mouse and keyboard and rebuilds them from the document.

#include "mappingdocument.h"

#include <QGraphicsItem>
#include <QPainterPath>

#include <string>

namespace sluice {

class MappingScene;

class SourceItem : public QGraphicsItem
{
public:
    enum class Kind
    {
        Column,   // a model column: can be dragged onto a field
        Vanished, // a mapped column the model no longer has
        Constant  // a static value feeding one field
    };
    enum
    {
        Type = UserType + 1
    };

    SourceItem(Kind kind, const std::string &name, ColumnType type, const std::string &linkField);

    int type() const override { return Type; }
    Kind kind() const { return m_kind; }
    const std::string &name() const { return m_name; } // column name, or the constant's value
    const std::string &linkField() const { return m_linkField; } // Vanished/Constant: its link
    void setSize(const QSizeF &size);
    void setLinked(bool linked) { m_linked = linked; }
    QPointF port() const; // where links start, in scene coordinates
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    Kind m_kind;
    std::string m_name;
    ColumnType m_type;
    std::string m_linkField;
    QSizeF m_size;
    bool m_linked = false;
};

class FieldItem : public QGraphicsItem
{
public:
    enum
    {
        Type = UserType + 2
    };

    FieldItem(const FieldRow &row, const QString &problem);

    int type() const override { return Type; }
    const FieldRow &row() const { return m_row; }
    const std::string &name() const { return m_row.name; }
    bool hasProblem() const { return !m_problem.isEmpty(); }
    void setSize(const QSizeF &size);
    void setLinked(bool linked) { m_linked = linked; }
    QPointF port() const;
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    FieldRow m_row;
    QString m_problem;
    QSizeF m_size;
    bool m_linked = false;
};

class LinkItem : public QGraphicsItem
{
public:
    enum class Style
    {
        Column,
        Constant,
        Suggestion
    };
    enum
    {
        Type = UserType + 3
    };

    LinkItem(Style style, const std::string &column, const std::string &field,
             const QString &warning);

    int type() const override { return Type; }
    Style style() const { return m_style; }
    const std::string &column() const { return m_column; }
    const std::string &field() const { return m_field; }
    bool hasWarning() const { return !m_warning.isEmpty(); }
    void setEnds(const QPointF &from, const QPointF &to);
    QPointF midpoint() const { return m_path.pointAtPercent(0.5); }
    // Where the warning badge sits: towards the field, away from crossings in the middle.
    QPointF badgePoint() const { return m_path.pointAtPercent(0.78); }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    // The curve from a source port to a field port (also used for the line while dragging).
    static QPainterPath curve(const QPointF &from, const QPointF &to);

private:
    Style m_style;
    std::string m_column;
    std::string m_field;
    QString m_warning;
    QPainterPath m_path;
};

} // namespace sluice
