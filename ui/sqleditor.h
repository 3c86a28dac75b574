#pragma once
// The model editor's SQL text field: a plain-text editor with a line-number gutter, SQL
// highlighting, and Ctrl+Enter to run the query.

#include <QPlainTextEdit>

namespace sluice {

class SqlHighlighter;

class SqlEditor : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit SqlEditor(QWidget *parent = nullptr);

    // Inserts text at the cursor (replacing a selection) and gives the editor the focus.
    void insertAtCursor(const QString &text);
    int lineNumberAreaWidth() const;
    void paintLineNumbers(QPaintEvent *event);

signals:
    void runRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateGutterWidth();
    void updateGutter(const QRect &rect, int dy);

    QWidget *m_gutter;
    SqlHighlighter *m_highlighter;
};

} // namespace sluice
