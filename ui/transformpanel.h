#pragma once
// The side panel of the mapping canvas: shows the selected link (column or constant → field)
// and edits its transform list: add, remove, reorder, and the argument of a transform that has
// one. It never changes the mapping itself; it asks for a new transform list (or constant value)
// through its signals and the editor turns that into an undo command.

#include "mapping/mapping.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QToolButton;

namespace sluice {

class TransformPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TransformPanel(QWidget *parent = nullptr);

    // The link to edit; std::nullopt shows the "select a link" hint.
    void setLink(const std::optional<FieldMapping> &link);

    static QString describe(const Transform &transform);

Q_SIGNALS:
    void transformsEdited(const QString &field, const std::vector<Transform> &transforms);
    void constantEdited(const QString &field, const QString &value);

private:
    void addTransform(Transform::Kind kind);
    void removeCurrent();
    void moveCurrent(int step);
    void commitArgument();
    void showArgument();
    void refreshList(int select);
    void emitEdited(const std::vector<Transform> &transforms, int select);

    std::optional<FieldMapping> m_link;
    int m_pendingSelect = -1; // the row to select once the edited link comes back
    QLabel *m_title;
    QLabel *m_hint;
    QWidget *m_body;
    QLineEdit *m_constant;
    QListWidget *m_list;
    QLabel *m_empty;
    QToolButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_up;
    QPushButton *m_down;
    QStackedWidget *m_argStack;
    QLabel *m_argLabel;
    QLineEdit *m_argText;
    QSpinBox *m_argDecimals;
};

} // namespace sluice
