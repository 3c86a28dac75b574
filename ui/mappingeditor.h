#pragma once
// The mapping canvas as one widget, for the sync editor: model columns on the left, destination
// fields on the right, links drawn between them (drag a column onto a field, or pick one of each
// and press Link), auto-map suggestions, a transform panel for the selected link, and undo/redo.
// It flags what would break a run (problems()) so the sync editor can block saving.

#include "data/value.h"
#include "destinations/destination.h"
#include "mapping/mapping.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QGraphicsView;
class QLabel;
class QPushButton;
class QUndoStack;
class QWidget;

namespace sluice {

class MappingDocument;
class MappingScene;
class TransformPanel;

class MappingEditor : public QWidget
{
    Q_OBJECT

public:
    explicit MappingEditor(QWidget *parent = nullptr);

    void setColumns(const std::vector<Column> &columns); // model columns (name, type)
    // Destination fields; openFields: the destination makes its own columns (CSV) and the user
    // may add fields.
    void setFields(const std::vector<FieldInfo> &fields, bool openFields);
    void setMapping(const Mapping &mapping); // clears the undo stack
    Mapping mapping() const;
    QUndoStack *undoStack() const;
    // Reasons saving must be blocked (unmapped required fields, type mismatches, mapped columns
    // that vanished), in plain words; empty when fine.
    QStringList problems() const;

Q_SIGNALS:
    // After every edit by the user, undo and redo included; not for the set…() calls.
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void autoMap();
    void addField();
    void editConstant(const QString &field);
    void updatePanel();
    void updateState();

    MappingDocument *m_doc;
    MappingScene *m_scene;
    QGraphicsView *m_view;
    TransformPanel *m_panel;
    QPushButton *m_autoMap;
    QPushButton *m_link;
    QPushButton *m_constant;
    QPushButton *m_addField;
    QWidget *m_suggestionBar;
    QLabel *m_suggestionText;
    QLabel *m_problemIcon;
    QLabel *m_problems;
    QPushButton *m_acceptAll;
    bool m_nothingFound = false; // Auto-map found nothing: say so until dismissed or edited
};

} // namespace sluice
