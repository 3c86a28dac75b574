// CsvReader and the CSV writer: RFC 4180 quoting, line ends, BOM, UTF-8, empty vs NULL,
// delimiter detection, errors with line numbers, and chunk boundaries everywhere.

#include "csv/csvreader.h"
#include "csv/csvwriter.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace sluice;

namespace {

// A record as the tests compare it: nullopt is an unquoted empty field (NULL).
using Record = std::vector<std::optional<std::string>>;

struct Parsed
{
    std::vector<Record> records;
    std::vector<std::int64_t> lines;
    std::optional<Error> error;
    char delimiter = 0;
};

Parsed readAll(CsvReader &reader)
{
    Parsed out;
    out.delimiter = reader.delimiter();
    std::vector<CsvField> fields;
    for (;;) {
        auto more = reader.next(fields);
        if (!more) {
            out.error = more.error();
            return out;
        }
        if (!*more)
            return out;
        Record r;
        for (const auto &f : fields) {
            if (f.text.empty() && !f.quoted)
                r.push_back(std::nullopt);
            else
                r.push_back(std::string(f.text));
        }
        out.records.push_back(std::move(r));
        out.lines.push_back(reader.line());
    }
}

Parsed parse(const std::string &input, CsvReadOptions options = {})
{
    auto reader = CsvReader::fromString(input, options);
    return readAll(*reader);
}

// Printable form, so a failing QCOMPARE shows both sides.
QString show(const std::vector<Record> &records)
{
    QString s;
    for (const auto &r : records) {
        QStringList cells;
        for (const auto &f : r) {
            if (!f) {
                cells << QStringLiteral("NULL");
                continue;
            }
            QString t = QString::fromStdString(*f);
            t.replace(QLatin1String("\\"), QLatin1String("\\\\"))
                .replace(QLatin1String("\n"), QLatin1String("\\n"))
                .replace(QLatin1String("\r"), QLatin1String("\\r"))
                .replace(QLatin1String("\t"), QLatin1String("\\t"));
            cells << "'" + t + "'";
        }
        s += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return s;
}

QString show(const Parsed &p)
{
    QString s = show(p.records);
    if (p.error)
        s += "ERROR " + QString::fromStdString(p.error->message);
    return s;
}

QString lines(const Parsed &p)
{
    QStringList l;
    for (auto n : p.lines)
        l << QString::number(n);
    return l.join(QLatin1Char(' '));
}

// Parses with the whole input in one chunk and with tiny chunks, so that a refill falls inside
// every token of every test input; all must agree.
Parsed parseEveryWay(const std::string &input, CsvReadOptions options = {})
{
    const Parsed whole = parse(input, options);
    for (std::size_t chunk : {1, 2, 3, 4, 5, 7, 11, 64}) {
        CsvReadOptions o = options;
        o.chunkSize = chunk;
        const Parsed p = parse(input, o);
        if (show(p) != show(whole) || lines(p) != lines(whole) || p.delimiter != whole.delimiter)
            qWarning("chunk size %zu differs:\n%s\nvs whole:\n%s", chunk, qPrintable(show(p)),
                     qPrintable(show(whole)));
        [&] {
            QCOMPARE(show(p), show(whole));
            QCOMPARE(lines(p), lines(whole));
            QCOMPARE(p.delimiter, whole.delimiter);
        }();
    }
    return whole;
}

std::string writeRecords(const std::vector<Record> &records, char delimiter,
                         const char *lineEnd = "\n")
{
    CsvWriteOptions options;
    options.delimiter = delimiter;
    options.spreadsheetSafe = false;
    std::string out;
    for (const auto &r : records) {
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (i)
                out += delimiter;
            Value v;
            if (r[i])
                v.setText(*r[i]);
            appendCsvValue(out, v, options);
        }
        out += lineEnd;
    }
    return out;
}

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT

private slots:
    void simpleRecords()
    {
        const Parsed p = parseEveryWay("id,name,city\n1,Ada,London\n2,Grace,New York\n");
        QVERIFY(!p.error);
        QCOMPARE(show(p),
                 QString("'id','name','city'\n'1','Ada','London'\n'2','Grace','New York'\n"));
        QCOMPARE(lines(p), QString("1 2 3"));
        QCOMPARE(p.delimiter, ',');
    }

    void quotedFieldsKeepDelimitersQuotesAndLineBreaks()
    {
        const std::string input = "a,b,c\n"
                                  "\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
                                  "\"\"\"\",\"cr\r\nlf\",\"lone\rcr\"\n"
                                  "after,the,multiline\n";
        const Parsed p = parseEveryWay(input);
        QVERIFY2(!p.error, p.error ? p.error->message.c_str() : "");
        QCOMPARE(show(p), QString("'a','b','c'\n"
                                  "'x, y','say \"hi\"','two\\nlines'\n"
                                  "'\"','cr\\r\\nlf','lone\\rcr'\n"
                                  "'after','the','multiline'\n"));
        // Records start on physical lines: 1, 2, then 4 (line 3 continues "two\nlines"),
        // then 7 (the CRLF in "cr\r\nlf" is one line break, the lone CR another).
        QCOMPARE(lines(p), QString("1 2 4 7"));
    }

    void quotedFlagSeparatesEmptyFromNull()
    {
        auto reader = CsvReader::fromString("a,\"\",,\"b\"\n");
        std::vector<CsvField> f;
        auto more = reader->next(f);
        QVERIFY(more && *more);
        QCOMPARE(f.size(), std::size_t(4));
        QVERIFY(!f[0].quoted);
        QVERIFY(f[1].quoted && f[1].text.empty());
        QVERIFY(!f[2].quoted && f[2].text.empty());
        QVERIFY(f[3].quoted);
        QCOMPARE(std::string(f[3].text), std::string("b"));

        const Parsed p = parseEveryWay("x,y,z\n,\"\",\n\"\",,\"\"");
        QCOMPARE(show(p), QString("'x','y','z'\nNULL,'',NULL\n'',NULL,''\n"));
    }

    void lineEndings()
    {
        const QString expected = "'a','b'\n'1','2'\n'3','4'\n";
        QCOMPARE(show(parseEveryWay("a,b\n1,2\n3,4\n")), expected);
        QCOMPARE(show(parseEveryWay("a,b\r\n1,2\r\n3,4\r\n")), expected);
        QCOMPARE(show(parseEveryWay("a,b\r1,2\r3,4\r")), expected);
        QCOMPARE(show(parseEveryWay("a,b\r\n1,2\n3,4\r")), expected);
        // The last line needs no line break, quoted or not.
        QCOMPARE(show(parseEveryWay("a,b\n1,2\n3,4")), expected);
        QCOMPARE(show(parseEveryWay("a,b\n1,2\n3,\"4\"")), expected);
        QCOMPARE(lines(parseEveryWay("a,b\r\n1,2\r3,4")), QString("1 2 3"));
    }

    void emptyLinesAreSkipped()
    {
        const Parsed p = parseEveryWay("\n\r\na,b\n\n1,2\r\n\r\n\r\r3,4\n\n\n");
        QVERIFY(!p.error);
        QCOMPARE(show(p), QString("'a','b'\n'1','2'\n'3','4'\n"));
        // Line numbers still count the skipped lines, so errors point at the right place.
        QCOMPARE(lines(p), QString("3 5 9"));
        QCOMPARE(show(parseEveryWay("")), QString());
        QCOMPARE(show(parseEveryWay("\n\n\r\n")), QString());
        // A line with a blank is not empty: it is one field.
        QCOMPARE(show(parseEveryWay(" \n")), QString("' '\n"));
    }

    void byteOrderMarkIsSkipped()
    {
        const Parsed p = parseEveryWay("\xEF\xBB\xBFid;name\n1;x\n");
        QCOMPARE(show(p), QString("'id','name'\n'1','x'\n"));
        QCOMPARE(p.delimiter, ';');
        QCOMPARE(show(parseEveryWay("\xEF\xBB\xBF")), QString());
        QCOMPARE(show(parseEveryWay("\xEF\xBB\xBF\"q\"")), QString("'q'\n"));
        // Only at the very start: elsewhere it is (odd but valid) text.
        QCOMPARE(parse("a\n\xEF\xBB\xBF"
                       "b\n")
                     .records.at(1)
                     .at(0)
                     .value(),
                 std::string("\xEF\xBB\xBF"
                             "b"));
    }

    void unicodeTextIsKept()
    {
        const std::string input = "name,city\n"
                                  "Zoë,Zürich\n"
                                  "\"李, 小龙\",香港\n"
                                  "😀 emoji,\"«quoted»\"\n";
        const Parsed p = parseEveryWay(input);
        QVERIFY(!p.error);
        QCOMPARE(p.records.at(1).at(0).value(), std::string("Zoë"));
        QCOMPARE(p.records.at(2).at(0).value(), std::string("李, 小龙"));
        QCOMPARE(p.records.at(3).at(0).value(), std::string("😀 emoji"));
        QCOMPARE(p.records.at(3).at(1).value(), std::string("«quoted»"));
    }

    void quoteInsideUnquotedFieldIsLiteral()
    {
        QCOMPARE(show(parseEveryWay("size,name\n5\",disk\na\"b\"c,d\n")),
                 QString("'size','name'\n'5\"','disk'\n'a\"b\"c','d'\n"));
    }

    void delimiterDetection()
    {
        QCOMPARE(parseEveryWay("a,b,c\n1,2,3").delimiter, ',');
        QCOMPARE(parseEveryWay("a;b;c\n1;2;3").delimiter, ';');
        QCOMPARE(parseEveryWay("a\tb\tc\n1\t2\t3").delimiter, '\t');
        QCOMPARE(parseEveryWay("a|b|c\n1|2|3").delimiter, '|');
        // Most frequent wins; a decimal comma in a European file does not fool it.
        QCOMPARE(parseEveryWay("price;name;qty\n1,5;x;2").delimiter, ';');
        QCOMPARE(parseEveryWay("a,b;c;d").delimiter, ';');
        // Delimiters inside quotes do not count, even across a line break in the header.
        QCOMPARE(parseEveryWay("\"x;y;z\n;;\",b\n1,2").delimiter, ',');
        // None at all: one column, comma. A tie goes to the comma too.
        QCOMPARE(parseEveryWay("name\nAda").delimiter, ',');
        QCOMPARE(parseEveryWay("a,b;c").delimiter, ',');
        // Blank lines before the header are skipped for detection too.
        QCOMPARE(parseEveryWay("\n\na|b\n1|2").delimiter, '|');
        // Only the first line decides.
        QCOMPARE(parseEveryWay("a;b\n1,2,3,4,5\n").delimiter, ';');

        const Parsed p = parseEveryWay("a;b,c\n1;2,3\n", CsvReadOptions{','});
        QCOMPARE(p.delimiter, ',');
        QCOMPARE(show(p), QString("'a;b','c'\n'1;2','3'\n"));
    }

    void badDelimiterOptionIsAnError()
    {
        const Parsed p = parse("a,b\n", CsvReadOptions{'"'});
        QVERIFY(p.error);
        QCOMPARE(p.error->kind, ErrorKind::Usage);
        QVERIFY(p.records.empty());
    }

    void unterminatedQuoteNamesTheStartLine()
    {
        const Parsed p = parseEveryWay("a,b\n1,2\n3,\"never\nclosed\n4,5\n");
        QCOMPARE(p.records.size(), std::size_t(2));
        QVERIFY(p.error);
        QCOMPARE(p.error->kind, ErrorKind::Invalid);
        QVERIFY2(QString::fromStdString(p.error->message).startsWith("Line 3:"),
                 p.error->message.c_str());
        QVERIFY(p.error->message.find("never closed") != std::string::npos);
        // A quote that opens as the very last byte.
        QVERIFY(parseEveryWay("a,b\n1,\"").error);
    }

    void textAfterClosingQuoteIsAnError()
    {
        Parsed p = parseEveryWay("a,b\n\"x\"y,2\n");
        QVERIFY(p.error);
        QVERIFY2(QString::fromStdString(p.error->message).startsWith("Line 2: field 1"),
                 p.error->message.c_str());
        // Inside a multi-line record the physical line is named.
        p = parseEveryWay("a,b\n\"one\ntwo\",\"three\nfour\" ,x\n");
        QVERIFY(p.error);
        QVERIFY2(QString::fromStdString(p.error->message).startsWith("Line 4: field 2"),
                 p.error->message.c_str());
    }

    void invalidUtf8NamesTheLine()
    {
        Parsed p = parseEveryWay("a,b\nok,fine\ncaf\xE9,latin1\n");
        QCOMPARE(p.records.size(), std::size_t(2));
        QVERIFY(p.error);
        QVERIFY2(QString::fromStdString(p.error->message).startsWith("Line 3 contains"),
                 p.error->message.c_str());
        QVERIFY(p.error->message.find("UTF-8") != std::string::npos);

        // The line of the bad byte, not of the record, when a quoted value spans lines.
        p = parseEveryWay("a,b\n\"x\ny\nz\xFF\",2\n");
        QVERIFY(p.error);
        QVERIFY2(QString::fromStdString(p.error->message).startsWith("Line 4 "),
                 p.error->message.c_str());

        // Overlong encodings, UTF-16 surrogates, code points past U+10FFFF, stray continuation
        // bytes and a sequence cut off by the end of the file are all rejected.
        for (const char *bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                "\x80", "\xF5\x80\x80\x80", "ab\xE2\x82"}) {
            const Parsed q = parse(std::string("h\n") + bad);
            QVERIFY2(q.error, bad);
            QVERIFY(q.error->message.starts_with("Line 2 "));
        }
        // Every valid length is accepted, at the boundaries of each range.
        QVERIFY(!parse("\x7F,\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xEF\xBF\xBF,\xF0\x90\x80\x80,"
                       "\xF4\x8F\xBF\xBF\n")
                     .error);
    }

    void errorsAreSticky()
    {
        auto reader = CsvReader::fromString("a\n\"x\"y\nb\n");
        std::vector<CsvField> f;
        QVERIFY(reader->next(f).value());
        QVERIFY(!reader->next(f));
        QVERIFY(!reader->next(f));
    }

    void oversizedRecordStops()
    {
        CsvReadOptions o;
        o.chunkSize = 16;
        o.maxRecordBytes = 1000;
        const std::string input = "a,b\n1,\"" + std::string(5000, 'x') + "\"\n";
        const Parsed p = parse(input, o);
        QVERIFY(p.error);
        QVERIFY2(p.error->message.starts_with("Line 2 starts a record larger than"),
                 p.error->message.c_str());
        // Below the limit the same shape reads fine however many refills it takes.
        o.maxRecordBytes = 100000;
        const Parsed ok = parse(input, o);
        QVERIFY(!ok.error);
        QCOMPARE(ok.records.at(1).at(1)->size(), std::size_t(5000));
    }

    void openMissingFileOrFolder()
    {
        QTemporaryDir dir;
        auto missing = CsvReader::open(std::filesystem::path(dir.path().toStdString()) / "no.csv");
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, ErrorKind::NotFound);
        auto folder = CsvReader::open(dir.path().toStdString());
        QVERIFY(!folder);
        QCOMPARE(folder.error().kind, ErrorKind::Invalid);
    }

    void fileErrorsNameTheFile()
    {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "people.csv";
        test::writeFile(path, "a,b\n1,\"2\n");
        auto reader = CsvReader::open(path);
        QVERIFY(reader);
        const Parsed p = readAll(**reader);
        QVERIFY(p.error);
        QVERIFY2(p.error->message.starts_with("Line 2 of people.csv:"), p.error->message.c_str());
    }

    // A file several chunks long, with every awkward kind of field, read back through the
    // default 256 KiB buffer and through odd small ones: what the writer wrote comes back.
    void largeFileRoundTripAcrossChunks()
    {
        std::mt19937 rng(12345);
        const std::vector<std::string> pieces = {"a", "Zoë", ",", "\"", "\"\"", "\n", "\r\n", "\r",
                                                 " ", ";",   "|", "\t", "香港", "😀",  "x y",  "0"};
        std::vector<Record> records;
        std::size_t bytes = 0;
        while (bytes < 4 * 1024 * 1024) {
            Record r;
            const int width = 5;
            for (int i = 0; i < width; ++i) {
                const int kind = rng() % 100;
                if (kind < 8) {
                    r.push_back(std::nullopt);
                } else if (kind < 16) {
                    r.push_back(std::string());
                } else if (kind == 16) {
                    // Now and then a value longer than a small chunk, even a 256 KiB one.
                    r.push_back(std::string(1000 + rng() % (rng() % 32 ? 5000 : 300000), 'L'));
                } else {
                    std::string s;
                    const int n = 1 + rng() % 8;
                    for (int k = 0; k < n; ++k)
                        s += pieces[rng() % pieces.size()];
                    r.push_back(s);
                }
                bytes += r.back() ? r.back()->size() + 3 : 1;
            }
            records.push_back(std::move(r));
        }
        QVERIFY(records.size() > 5000); // many records, so boundaries land everywhere
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "big.csv";
        for (const char *lineEnd : {"\n", "\r\n"}) {
            const std::string text = writeRecords(records, ',', lineEnd);
            test::writeFile(path, text);
            for (std::size_t chunk :
                 {std::size_t(256 * 1024), std::size_t(4093), std::size_t(97)}) {
                CsvReadOptions o;
                o.delimiter = ',';
                o.chunkSize = chunk;
                auto reader = CsvReader::open(path, o);
                QVERIFY(reader);
                const Parsed p = readAll(**reader);
                QVERIFY2(!p.error, p.error ? p.error->message.c_str() : "");
                QCOMPARE(p.records.size(), records.size());
                for (std::size_t i = 0; i < records.size(); ++i) {
                    if (p.records[i] != records[i])
                        QFAIL(qPrintable(QString("record %1 differs (chunk %2): %3 vs %4")
                                             .arg(i)
                                             .arg(chunk)
                                             .arg(show({p.records[i]}), show({records[i]}))));
                }
            }
        }
    }

    void writerQuotesOnlyWhenNeeded()
    {
        CsvWriteOptions o;
        auto field = [&](std::string_view s) {
            std::string out;
            appendCsvField(out, s, o);
            return out;
        };
        QCOMPARE(field("plain"), std::string("plain"));
        QCOMPARE(field("a,b"), std::string("\"a,b\""));
        QCOMPARE(field("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
        QCOMPARE(field("two\nlines"), std::string("\"two\nlines\""));
        QCOMPARE(field("cr\r"), std::string("\"cr\r\""));
        QCOMPARE(field(" padded "), std::string("\" padded \""));
        QCOMPARE(field("\xEF\xBB\xBFstarts with a BOM"),
                 std::string("\"\xEF\xBB\xBFstarts with a BOM\""));
        // Formulas are defused for spreadsheets, unless turned off.
        QCOMPARE(field("=SUM(A1)"), std::string("'=SUM(A1)"));
        QCOMPARE(field("=1,2"), std::string("\"'=1,2\""));
        o.spreadsheetSafe = false;
        QCOMPARE(field("=SUM(A1)"), std::string("=SUM(A1)"));
        o.delimiter = ';';
        QCOMPARE(field("a,b"), std::string("a,b"));
        QCOMPARE(field("a;b"), std::string("\"a;b\""));

        std::string out;
        Value v;
        appendCsvValue(out, v, {});
        out += ',';
        v.setText("");
        appendCsvValue(out, v, {});
        out += ',';
        v.setInteger(-42);
        appendCsvValue(out, v, {});
        QCOMPARE(out, std::string(",\"\",-42"));
        QCOMPARE(show(parse(out)), QString("NULL,'','-42'\n"));
    }

    void writerOutputReadsBackWithEveryDelimiter()
    {
        const std::vector<Record> records = {
            {"id", "text", "note"},
            {"1", "a,b;c|d\te", std::nullopt},
            {"2", "\"quoted\"", ""},
            {"3", "multi\r\nline\rand\nmore", " space "},
            {"4", "\xEF\xBB\xBF", "=formula"},
        };
        for (char d : {',', ';', '\t', '|'}) {
            const Parsed p = parseEveryWay(writeRecords(records, d));
            QVERIFY(!p.error);
            QCOMPARE(p.delimiter, d);
            QCOMPARE(show(p.records), show(records));
        }
        // A BOM-looking first field survives when it opens the file.
        const std::vector<Record> bomFirst = {{"\xEF\xBB\xBFx", "y"}};
        QCOMPARE(show(parse(writeRecords(bomFirst, ',')).records), show(bomFirst));
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "testcsvreader.moc"
