#pragma once
// SQL syntax colouring for the SQL editor: keywords, strings, numbers and comments (including
// /* */ over several lines). Colours come from the palette so dark mode stays readable.

#include <QPalette>
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace sluice {

class SqlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    SqlHighlighter(QTextDocument *document, const QPalette &palette);
    void setPalette(const QPalette &palette);

    // The formats in use, for tests.
    QTextCharFormat keywordFormat() const { return m_keyword; }
    QTextCharFormat stringFormat() const { return m_string; }
    QTextCharFormat numberFormat() const { return m_number; }
    QTextCharFormat commentFormat() const { return m_comment; }

protected:
    void highlightBlock(const QString &text) override;

private:
    QTextCharFormat m_keyword;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_comment;
    QRegularExpression m_keywords;
    QRegularExpression m_numbers;
};

} // namespace sluice
