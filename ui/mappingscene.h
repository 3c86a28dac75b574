#pragma once
// The mapping canvas's scene: lays out model columns on the left and destination fields on the
// right for the view's width, draws the links between them, and turns mouse drags, clicks and
// arrow keys into edits on the MappingDocument. It keeps the "current" column and field (the
// keyboard path: pick one of each, then Link) and the selected link.

#include "mappingdocument.h"

#include <QGraphicsScene>
#include <QPixmap>

#include <string>

class QGraphicsPathItem;

namespace sluice {

class FieldItem;
class LinkItem;
class SourceItem;

class MappingScene : public QGraphicsScene
{
    Q_OBJECT

public:
    explicit MappingScene(MappingDocument *document, QObject *parent = nullptr);

    // Lays the rows out for this width (the view's viewport); call on every resize.
    void setWidth(qreal width);
    void rebuild();

    const std::string &currentColumn() const { return m_currentColumn; }
    const std::string &currentField() const { return m_currentField; }
    const std::string &selectedLink() const { return m_selectedLink; } // the field it feeds
    bool fieldsActive() const { return m_fieldsActive; }
    void setCurrentColumn(const std::string &column);
    void setCurrentField(const std::string &field);
    void selectLink(const std::string &field);
    const std::string &dropTarget() const { return m_dropTarget; }
    // Links the current column to the current field; false when one of them is missing.
    bool linkCurrent();

    SourceItem *columnItem(const std::string &column) const;
    SourceItem *sourceItemForLink(const std::string &field) const; // vanished/constant rows
    FieldItem *fieldItem(const std::string &field) const;
    LinkItem *linkItem(const std::string &field) const;
    LinkItem *suggestionItem(const std::string &field) const;
    const QPixmap &warningPixmap() const { return m_warning; }

Q_SIGNALS:
    void currentChanged();                     // current column/field or selected link changed
    void fieldActivated(const QString &field); // double-clicked: offer a constant value

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    QGraphicsItem *topItemAt(const QPointF &pos, int type) const;
    void moveCurrent(int step);
    void ensureVisible(QGraphicsItem *item);
    void endDrag();
    std::string freeFieldName(const std::string &wanted) const;

    MappingDocument *m_doc;
    qreal m_width = 600;
    std::string m_currentColumn;
    std::string m_currentField;
    std::string m_selectedLink;
    bool m_fieldsActive = false;
    // Dragging a column: the column, the line following the mouse, the field under it.
    std::string m_dragColumn;
    QGraphicsPathItem *m_dragLine = nullptr;
    QPointF m_dragFrom;
    std::string m_dropTarget;
    QPixmap m_warning;
};

} // namespace sluice
