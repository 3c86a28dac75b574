#include "sqlhighlighter.h"

#include <algorithm>
#include <cmath>

namespace sluice {

namespace {

enum BlockState
{
    Normal = 0,
    InComment = 1, // inside /* … */ at the end of the block
    InString = 2,  // inside '…' at the end of the block
};

// Mixes two colours: a hue that stands out from the text in both light and dark palettes.
QColor blend(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t,
                            a.greenF() * (1 - t) + b.greenF() * t,
                            a.blueF() * (1 - t) + b.blueF() * t);
}

// WCAG 2 contrast ratio of two colours (1 = none, 21 = black on white).
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
               0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

SqlHighlighter::SqlHighlighter(QTextDocument *document, const QPalette &palette)
    : QSyntaxHighlighter(document),
      m_keywords(QStringLiteral(
                     "\\b(SELECT|FROM|WHERE|AND|OR|NOT|IN|IS|NULL|AS|ON|JOIN|LEFT|RIGHT|INNER|"
                     "OUTER|FULL|CROSS|NATURAL|USING|GROUP|BY|ORDER|HAVING|LIMIT|OFFSET|UNION|ALL|"
                     "DISTINCT|CASE|WHEN|THEN|ELSE|END|WITH|RECURSIVE|ASC|DESC|LIKE|GLOB|BETWEEN|"
                     "EXISTS|CAST|INTERSECT|EXCEPT|TRUE|FALSE|COLLATE|OVER|PARTITION|WINDOW|"
                     "FILTER|ESCAPE|VALUES|COALESCE|COUNT|SUM|AVG|MIN|MAX)\\b"),
                 QRegularExpression::CaseInsensitiveOption),
      m_numbers(QStringLiteral("\\b(0[xX][0-9a-fA-F]+|\\d+(\\.\\d*)?([eE][+-]?\\d+)?)\\b"))
{
    setPalette(palette);
}

void SqlHighlighter::setPalette(const QPalette &palette)
{
    const QColor text = palette.color(QPalette::Text);
    // Some dark palettes keep a light theme's dark link colour: keywords must stay readable.
    QColor keyword = palette.color(QPalette::Link);
    if (contrast(keyword, palette.color(QPalette::Base)) < 3.0)
        keyword = blend(keyword, text, 0.55);
    m_keyword = QTextCharFormat();
    m_keyword.setForeground(keyword);
    m_keyword.setFontWeight(QFont::Bold);
    m_string = QTextCharFormat();
    m_string.setForeground(blend(text, palette.color(QPalette::LinkVisited), 0.8));
    m_number = QTextCharFormat();
    m_number.setForeground(blend(text, palette.color(QPalette::Highlight), 0.7));
    m_comment = QTextCharFormat();
    m_comment.setForeground(palette.color(QPalette::Disabled, QPalette::Text));
    m_comment.setFontItalic(true);
    rehighlight();
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    for (auto it = m_keywords.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        setFormat(m.capturedStart(), m.capturedLength(), m_keyword);
    }
    for (auto it = m_numbers.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        setFormat(m.capturedStart(), m.capturedLength(), m_number);
    }
    // Strings, quoted identifiers and comments, left to right, so "--" inside a string and a
    // quote inside a comment are not misread. These override the keyword/number colours.
    int state = previousBlockState() < 0 ? Normal : previousBlockState();
    int i = 0;
    const int n = static_cast<int>(text.size());
    int start = 0;
    if (state == InComment) {
        const int close = text.indexOf(QStringLiteral("*/"));
        const int end = close < 0 ? n : close + 2;
        setFormat(0, end, m_comment);
        if (close < 0) {
            setCurrentBlockState(InComment);
            return;
        }
        i = end;
        state = Normal;
    } else if (state == InString) {
        start = 0;
    }
    while (i < n || state == InString) {
        if (state == InString) {
            // Find the closing quote; '' is an escaped quote inside the string.
            int j = i;
            bool closed = false;
            while (j < n) {
                if (text[j] == QLatin1Char('\'')) {
                    if (j + 1 < n && text[j + 1] == QLatin1Char('\'')) {
                        j += 2;
                        continue;
                    }
                    closed = true;
                    break;
                }
                ++j;
            }
            if (!closed) {
                setFormat(start, n - start, m_string);
                setCurrentBlockState(InString);
                return;
            }
            setFormat(start, j + 1 - start, m_string);
            i = j + 1;
            state = Normal;
            continue;
        }
        const QChar c = text[i];
        if (c == QLatin1Char('\'')) {
            state = InString;
            start = i;
            ++i;
        } else if (c == QLatin1Char('"')) {
            // A quoted identifier: plain text, even if it spells a keyword.
            const int close = text.indexOf(QLatin1Char('"'), i + 1);
            const int end = close < 0 ? n : close + 1;
            setFormat(i, end - i, QTextCharFormat());
            i = end;
        } else if (c == QLatin1Char('-') && i + 1 < n && text[i + 1] == QLatin1Char('-')) {
            setFormat(i, n - i, m_comment);
            break;
        } else if (c == QLatin1Char('/') && i + 1 < n && text[i + 1] == QLatin1Char('*')) {
            const int close = text.indexOf(QStringLiteral("*/"), i + 2);
            if (close < 0) {
                setFormat(i, n - i, m_comment);
                setCurrentBlockState(InComment);
                return;
            }
            setFormat(i, close + 2 - i, m_comment);
            i = close + 2;
        } else {
            ++i;
        }
    }
    setCurrentBlockState(Normal);
}

} // namespace sluice
