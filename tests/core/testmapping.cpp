// Tests for the field mapping: JSON form, compiling against a model's columns, and the
// per-row transforms.

#include "mapping/mapping.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QTest>

#include <cstdlib>
#include <limits>
#include <new>

// Counts operator new on the counting thread, so the hot path can be shown not to allocate
// per row. Qt's own containers use malloc and are not seen here; the rows the mapping fills
// are std::string, which is what matters.
namespace {

using sluice::test::integer;
using sluice::test::real;
using sluice::test::text;
thread_local bool g_countAllocations = false;
thread_local std::size_t g_allocations = 0;
} // namespace

void *operator new(std::size_t size)
{
    if (g_countAllocations)
        ++g_allocations;
    if (void *p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept
{
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept
{
    std::free(p);
}

Q_DECLARE_METATYPE(sluice::Value)

namespace sluice {
// Readable QCOMPARE failures (found by argument-dependent lookup).
char *toString(const Value &v)
{
    static const char *const kTypes[] = {"null", "integer", "real", "text"};
    return qstrdup(QByteArray(kTypes[static_cast<int>(v.type)]) + "(" +
                   QByteArray::fromStdString(v.toString()) + ")");
}
char *toString(const Row &row)
{
    QByteArray s = "[";
    for (const auto &v : row) {
        char *one = toString(v);
        s += (s.size() > 1 ? ", " : "") + QByteArray(one);
        delete[] one;
    }
    return qstrdup(s + "]");
}
} // namespace sluice

using namespace sluice;
using test::integer;
using test::real;
using test::text;

#define COMPARE_STR(actual, expected)                                                              \
    QCOMPARE(QString::fromStdString(std::string(actual)),                                          \
             QString::fromStdString(std::string(expected)))

namespace {

std::vector<Column> columns(std::initializer_list<const char *> names)
{
    std::vector<Column> out;
    for (const char *n : names)
        out.push_back(Column{n, ColumnType::Text});
    return out;
}

FieldMapping columnLink(std::string column, std::string field,
                        std::vector<Transform> transforms = {})
{
    FieldMapping fm;
    fm.column = std::move(column);
    fm.field = std::move(field);
    fm.transforms = std::move(transforms);
    return fm;
}

FieldMapping constantLink(std::string value, std::string field,
                          std::vector<Transform> transforms = {})
{
    FieldMapping fm;
    fm.constant = std::move(value);
    fm.field = std::move(field);
    fm.transforms = std::move(transforms);
    return fm;
}

Transform t(Transform::Kind kind, std::string arg = {})
{
    return Transform{kind, std::move(arg)};
}

// Applies one transform chain to one value, through the public API.
struct OneField
{
    CompiledMapping compiled;
    Row out;
    std::string error;

    explicit OneField(std::vector<Transform> transforms, std::string field = "F")
        : compiled(CompiledMapping::compile(
                       Mapping{{columnLink("c", std::move(field), std::move(transforms))}},
                       columns({"c"}))
                       .value())
    {
    }
    bool run(const Value &in) { return compiled.apply(Row{in}, out, error); }
    const Value &result() const { return out.at(0); }
};

std::string applyText(std::vector<Transform> transforms, const Value &in)
{
    OneField f(std::move(transforms));
    if (!f.run(in))
        return "ERROR: " + f.error;
    if (f.result().type != ValueType::Text)
        return "NOT TEXT";
    return f.result().text;
}

} // namespace

class TestMapping : public QObject
{
    Q_OBJECT

private slots:
    void transformNames();
    void destinationFields();

    void jsonExactForm();
    void jsonRoundTripStable();
    void jsonOmitsEmptyTransforms();
    void jsonAcceptsNullsAndStringDecimals();
    void jsonInvalid_data();
    void jsonInvalid();
    void jsonUnknownTransformMessage();
    void jsonDuplicateFieldNamesBothEntries();

    void compileListsAllMissingColumns();
    void compileDuplicateField();
    void compileAmbiguousColumn();
    void compileBadTransformArguments();
    void compileTransformsConstantOnce();
    void compileExactNamesOnly();

    void applyPassThrough();
    void applyConstant();
    void applyShortRow();
    void trim();
    void trimNonText();
    void lowerUpper();
    void lowerUpperUnicode();
    void defaultIfEmpty();
    void chainOrder();
    void dateFormats_data();
    void dateFormats();
    void dateUsesCLocale();
    void dateNullAndEmpty();
    void dateInvalid_data();
    void dateInvalid();
    void dateErrorMessage();
    void numberFormats_data();
    void numberFormats();
    void numberInvalid_data();
    void numberInvalid();
    void numberErrorMessage();
    void numberNullAndEmpty();
    void longValueTruncatedInMessage();
    void reusesOutputBuffers();
    void millionRowsNoAllocation();
};

void TestMapping::transformNames()
{
    const std::vector<std::pair<Transform::Kind, const char *>> all = {
        {Transform::Kind::Trim, "trim"},       {Transform::Kind::Lower, "lower"},
        {Transform::Kind::Upper, "upper"},     {Transform::Kind::DefaultIfEmpty, "default"},
        {Transform::Kind::DateFormat, "date"}, {Transform::Kind::NumberFormat, "number"}};
    for (const auto &[kind, name] : all) {
        QCOMPARE(transformKindName(kind), name);
        QCOMPARE(transformKindFromName(name), std::optional(kind));
    }
    QCOMPARE(transformKindFromName("Trim"), std::nullopt);
    QCOMPARE(transformKindFromName(""), std::nullopt);
}

void TestMapping::destinationFields()
{
    Mapping m{{columnLink("a", "A"), constantLink("x", "B"), columnLink("c", "C")}};
    QCOMPARE(m.destinationFields(), (std::vector<std::string>{"A", "B", "C"}));
}

void TestMapping::jsonExactForm()
{
    Mapping m{{columnLink("email", "Email", {t(Transform::Kind::Trim), t(Transform::Kind::Lower)}),
               constantLink("warehouse", "Lead source"),
               columnLink("signup", "Signup date", {t(Transform::Kind::DateFormat, "dd/MM/yyyy")}),
               columnLink("amount", "Amount",
                          {t(Transform::Kind::DefaultIfEmpty, "0"),
                           t(Transform::Kind::NumberFormat, "2")})}};
    COMPARE_STR(
        mappingToJson(m).dump(),
        R"([{"column":"email","field":"Email","transforms":[{"op":"trim"},{"op":"lower"}]},)"
        R"({"constant":"warehouse","field":"Lead source"},)"
        R"({"column":"signup","field":"Signup date","transforms":[{"format":"dd/MM/yyyy","op":"date"}]},)"
        R"({"column":"amount","field":"Amount","transforms":[{"op":"default","value":"0"},{"decimals":2,"op":"number"}]}])");
}

void TestMapping::jsonRoundTripStable()
{
    const auto input = nlohmann::json::parse(R"([
        {"field": "Email", "column": "email", "transforms": [{"op": "trim"}, {"op": "lower"}]},
        {"constant": "warehouse", "field": "Lead source"},
        {"column": "name", "field": "Name", "transforms": [{"op": "upper"}]},
        {"column": "plan", "field": "Plan", "transforms": [{"op": "default", "value": ""}]},
        {"column": "signup", "field": "Signup date",
         "transforms": [{"format": "yyyy-MM-dd'T'HH:mm", "op": "date"}]},
        {"column": "mrr", "field": "MRR", "transforms": [{"op": "number", "decimals": 0}]},
        {"constant": "", "field": "Notes", "transforms": [{"op": "default", "value": "ünïcödé"}]}
    ])");
    auto m1 = mappingFromJson(input);
    QVERIFY2(m1, m1 ? "" : m1.error().message.c_str());
    QCOMPARE(m1->fields.size(), std::size_t(7));
    QCOMPARE(m1->fields[1].constant, std::optional<std::string>("warehouse"));
    QVERIFY(m1->fields[1].column.empty());
    QCOMPARE(m1->fields[5].transforms.at(0).arg, std::string("0"));

    const auto j1 = mappingToJson(*m1);
    auto m2 = mappingFromJson(j1);
    QVERIFY(m2);
    QVERIFY(*m2 == *m1);
    const auto j2 = mappingToJson(*m2);
    COMPARE_STR(j2.dump(), j1.dump());
    // Through text too, as an exported file would go.
    auto m3 = mappingFromJson(nlohmann::json::parse(j1.dump(2)));
    QVERIFY(m3);
    QVERIFY(*m3 == *m1);
    COMPARE_STR(mappingToJson(*m3).dump(), j1.dump());
}

void TestMapping::jsonOmitsEmptyTransforms()
{
    auto m = mappingFromJson(
        nlohmann::json::parse(R"([{"column": "a", "field": "A", "transforms": []}])"));
    QVERIFY(m);
    QVERIFY(m->fields[0].transforms.empty());
    const auto out = mappingToJson(*m);
    QVERIFY(!out[0].contains("transforms"));
    COMPARE_STR(out.dump(), R"([{"column":"a","field":"A"}])");
    COMPARE_STR(mappingToJson(Mapping{}).dump(), "[]");
    QVERIFY(mappingFromJson(nlohmann::json::array()));
}

void TestMapping::jsonAcceptsNullsAndStringDecimals()
{
    auto m = mappingFromJson(nlohmann::json::parse(
        R"([{"column": "a", "constant": null, "field": "A", "transforms": null},
            {"column": "n", "field": "N", "transforms": [{"op": "number", "decimals": "3"}]}])"));
    QVERIFY2(m, m ? "" : m.error().message.c_str());
    QVERIFY(!m->fields[0].constant);
    QVERIFY(m->fields[0].transforms.empty());
    // Written back as a number, and stable from then on.
    COMPARE_STR(
        mappingToJson(*m).dump(),
        R"([{"column":"a","field":"A"},{"column":"n","field":"N","transforms":[{"decimals":3,"op":"number"}]}])");
}

void TestMapping::jsonInvalid_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");

    QTest::newRow("not a list") << R"({"column": "a", "field": "A"})"
                                << "The mapping must be a list of entries";
    QTest::newRow("entry not object") << R"([{"column": "a", "field": "A"}, "email"])"
                                      << "Mapping entry 2: expected an object";
    QTest::newRow("missing field") << R"([{"column": "a"}])"
                                   << R"(Mapping entry 1: no "field")";
    QTest::newRow("field null") << R"([{"column": "a", "field": null}])"
                                << R"(Mapping entry 1: no "field")";
    QTest::newRow("field not text") << R"([{"column": "a", "field": 3}])"
                                    << R"(Mapping entry 1: "field" must be)";
    QTest::newRow("field empty") << R"([{"column": "a", "field": ""}])"
                                 << R"(Mapping entry 1: "field" must be)";
    QTest::newRow("both column and constant")
        << R"([{"column": "a", "field": "A"}, {"column": "b", "constant": "x", "field": "B"}])"
        << R"(Mapping entry 2 (field "B"): has both a "column" and a "constant"; keep one.)";
    QTest::newRow("neither column nor constant")
        << R"([{"field": "B"}])"
        << R"(Mapping entry 1 (field "B"): has neither a "column" nor a "constant")";
    QTest::newRow("column not text") << R"([{"column": 7, "field": "B"}])"
                                     << R"(Mapping entry 1: "column" must be)";
    QTest::newRow("column empty") << R"([{"column": "", "field": "B"}])"
                                  << R"(Mapping entry 1: "column" must be)";
    QTest::newRow("constant not text") << R"([{"constant": 5, "field": "B"}])"
                                       << R"(Mapping entry 1: "constant" must be text)";
    QTest::newRow("unknown key") << R"([{"colum": "a", "field": "B"}])"
                                 << R"(Mapping entry 1: unknown key "colum")";
    QTest::newRow("field twice")
        << R"([{"column": "a", "field": "Email"}, {"column": "b", "field": "Name"},
              {"column": "c", "field": "Email"}])"
        << R"(Mapping entry 3: the field "Email" is already fed by entry 1; map each field once.)";
    QTest::newRow("transforms not list")
        << R"([{"column": "a", "field": "A", "transforms": {"op": "trim"}}])"
        << R"(Mapping entry 1: "transforms" must be a list)";
    QTest::newRow("transform not object")
        << R"([{"column": "a", "field": "A", "transforms": ["trim"]}])"
        << "Mapping entry 1: each transform must be an object";
    QTest::newRow("transform without op")
        << R"([{"column": "a", "field": "A", "transforms": [{"format": "x"}]}])"
        << R"(Mapping entry 1: a transform has no "op"; use one of trim, lower, upper, default, date, number.)";
    QTest::newRow("op not text") << R"([{"column": "a", "field": "A", "transforms": [{"op": 1}]}])"
                                 << R"(Mapping entry 1: a transform has no "op")";
    QTest::newRow("date without format")
        << R"([{"column": "a", "field": "A", "transforms": [{"op": "date"}]}])"
        << R"(Mapping entry 1: the "date" transform needs a "format")";
    QTest::newRow("date with empty format")
        << R"([{"column": "a", "field": "A", "transforms": [{"op": "date", "format": ""}]}])"
        << R"(Mapping entry 1: the "date" transform needs a "format")";
    QTest::newRow("date format typo")
        << R"([{"column": "a", "field": "A", "transforms": [{"op": "date", "fromat": "dd"}]}])"
        << R"(Mapping entry 1: the "date" transform has an unknown setting "fromat".)";
    QTest::newRow("setting on trim")
        << R"([{"column": "a", "field": "A", "transforms": [{"op": "trim", "value": "x"}]}])"
        << R"(Mapping entry 1: the "trim" transform has an unknown setting "value".)";
    QTest::newRow("default without value")
        << R"([{"column": "a", "field": "A", "transforms": [{"op": "default"}]}])"
        << R"(Mapping entry 1: the "default" transform needs a text "value")";
    QTest::newRow("default value not text")
        << R"([{"column": "a", "field": "A", "transforms": [{"op": "default", "value": 0}]}])"
        << R"(Mapping entry 1: the "default" transform needs a text "value")";
    for (const char *decimals : {"16", "-1", "2.5", R"("abc")", R"("")", "null", "true"}) {
        QTest::addRow("number decimals %s", decimals)
            << QString(
                   R"([{"column": "a", "field": "A", "transforms": [{"op": "number", "decimals": %1}]}])")
                   .arg(decimals)
            << R"(Mapping entry 1: the "number" transform needs "decimals", a whole number from 0 to 15)";
    }
    QTest::newRow("number without decimals")
        << R"([{"column": "a", "field": "A", "transforms": [{"op": "number"}]}])"
        << R"(Mapping entry 1: the "number" transform needs "decimals")";
}

void TestMapping::jsonInvalid()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    const auto parsed = nlohmann::json::parse(json.toStdString());
    auto m = mappingFromJson(parsed);
    QVERIFY(!m);
    QCOMPARE(m.error().kind, ErrorKind::Invalid);
    const QString actual = QString::fromStdString(m.error().message);
    QVERIFY2(actual.startsWith(message), qPrintable("got: " + actual));
}

void TestMapping::jsonUnknownTransformMessage()
{
    auto m = mappingFromJson(nlohmann::json::parse(R"([
        {"column": "a", "field": "A"},
        {"column": "b", "field": "B", "transforms": [{"op": "trim"}]},
        {"column": "c", "field": "C", "transforms": [{"op": "trim"}, {"op": "titlecase"}]}
    ])"));
    QVERIFY(!m);
    COMPARE_STR(
        m.error().message,
        R"(Mapping entry 3: unknown transform "titlecase"; use one of trim, lower, upper, default, date, number)");
}

void TestMapping::jsonDuplicateFieldNamesBothEntries()
{
    // Field names are compared exactly: a CSV file may have "Email" and "email" columns.
    auto m = mappingFromJson(nlohmann::json::parse(
        R"([{"column": "a", "field": "Email"}, {"column": "b", "field": "email"}])"));
    QVERIFY(m);
    QCOMPARE(m->fields.size(), std::size_t(2));
}

void TestMapping::compileListsAllMissingColumns()
{
    Mapping m{{columnLink("email", "Email"), columnLink("name", "Name"), columnLink("plan", "Plan"),
               columnLink("email", "Email 2")}};
    auto c = CompiledMapping::compile(m, columns({"id", "name"}));
    QVERIFY(!c);
    QCOMPARE(c.error().kind, ErrorKind::NotFound);
    COMPARE_STR(c.error().message,
                R"(The model no longer has the column(s) "email", "plan" that this sync maps. )"
                "Edit the mapping or restore the columns.");

    // Exact names: a case change in the model is a missing column, not a silent relink.
    auto c2 = CompiledMapping::compile(Mapping{{columnLink("Name", "Name")}}, columns({"name"}));
    QVERIFY(!c2);
    QVERIFY(c2.error().message.find(R"("Name")") != std::string::npos);
}

void TestMapping::compileDuplicateField()
{
    Mapping m{{columnLink("a", "Email"), columnLink("b", "Email"), columnLink("c", "Name")}};
    auto c = CompiledMapping::compile(m, columns({"a", "b", "c"}));
    QVERIFY(!c);
    QCOMPARE(c.error().kind, ErrorKind::Invalid);
    COMPARE_STR(c.error().message,
                R"(The field(s) "Email" are mapped more than once. Keep one link per field.)");

    // Both problems at once are both reported.
    Mapping both{
        {columnLink("a", "Email"), constantLink("x", "Email"), columnLink("gone", "Name")}};
    auto c2 = CompiledMapping::compile(both, columns({"a"}));
    QVERIFY(!c2);
    QCOMPARE(c2.error().kind, ErrorKind::NotFound);
    QVERIFY(c2.error().message.find(R"(column(s) "gone")") != std::string::npos);
    QVERIFY(c2.error().message.find(R"(field(s) "Email")") != std::string::npos);
}

void TestMapping::compileAmbiguousColumn()
{
    // Two "id" columns (a join without aliases): mapping "id" would be a guess.
    auto c =
        CompiledMapping::compile(Mapping{{columnLink("id", "Id")}}, columns({"id", "name", "id"}));
    QVERIFY(!c);
    QVERIFY(c.error().message.find(R"(more than one column named "id")") != std::string::npos);
    // Unmapped duplicates do not matter.
    auto ok = CompiledMapping::compile(Mapping{{columnLink("name", "Name")}},
                                       columns({"id", "name", "id"}));
    QVERIFY(ok);
}

void TestMapping::compileBadTransformArguments()
{
    // Mappings built in code (the UI) skip the JSON checks; compile catches the same things.
    auto c = CompiledMapping::compile(
        Mapping{{columnLink("a", "Amount", {t(Transform::Kind::NumberFormat, "two")}),
                 columnLink("d", "Day", {t(Transform::Kind::DateFormat, "")})}},
        columns({"a", "d"}));
    QVERIFY(!c);
    const auto &msg = c.error().message;
    QVERIFY2(msg.find(R"(Field "Amount": the number of decimals "two")") != std::string::npos,
             msg.c_str());
    QVERIFY2(msg.find(R"(Field "Day": the date transform has no format)") != std::string::npos,
             msg.c_str());
    QVERIFY(!CompiledMapping::compile(
        Mapping{{columnLink("a", "A", {t(Transform::Kind::NumberFormat, "16")})}}, columns({"a"})));
}

void TestMapping::compileTransformsConstantOnce()
{
    auto c = CompiledMapping::compile(
        Mapping{{constantLink("  Warehouse  ", "Source",
                              {t(Transform::Kind::Trim), t(Transform::Kind::Upper)})}},
        {});
    QVERIFY(c);
    Row out;
    std::string error;
    QVERIFY(c->apply(Row{}, out, error));
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(out[0], text("WAREHOUSE"));

    // A constant that can never pass its transform fails up front, not on every row.
    auto bad = CompiledMapping::compile(
        Mapping{{constantLink("soon", "Start", {t(Transform::Kind::DateFormat, "dd/MM/yyyy")})}},
        {});
    QVERIFY(!bad);
    COMPARE_STR(bad.error().message,
                R"(Field "Start": "soon" is not a date (expected e.g. 2024-03-01))");
}

void TestMapping::compileExactNamesOnly()
{
    auto c = CompiledMapping::compile(Mapping{{columnLink("b", "B"), columnLink("a", "A")}},
                                      columns({"a", "b", "c"}));
    QVERIFY(c);
    QCOMPARE(c->size(), std::size_t(2));
    Row out;
    std::string error;
    QVERIFY(c->apply(Row{text("va"), text("vb"), text("vc")}, out, error));
    QCOMPARE(out, (Row{text("vb"), text("va")}));
}

void TestMapping::applyPassThrough()
{
    auto c = CompiledMapping::compile(Mapping{{columnLink("i", "I"), columnLink("r", "R"),
                                               columnLink("n", "N"), columnLink("s", "S")}},
                                      columns({"s", "n", "r", "i"}));
    QVERIFY(c);
    Row out{text("stale"), text("stale"), text("stale"), text("stale")};
    std::string error;
    QVERIFY(c->apply(Row{text("hello"), Value{}, real(1.5), integer(42)}, out, error));
    // Types survive when no transform applies: integers stay integers.
    QCOMPARE(out, (Row{integer(42), real(1.5), Value{}, text("hello")}));
    QVERIFY(error.empty());
}

void TestMapping::applyConstant()
{
    auto c =
        CompiledMapping::compile(Mapping{{columnLink("a", "A"), constantLink("warehouse", "Source"),
                                          constantLink("", "Empty")}},
                                 columns({"a"}));
    QVERIFY(c);
    Row out;
    std::string error;
    QVERIFY(c->apply(Row{integer(1)}, out, error));
    QCOMPARE(out, (Row{integer(1), text("warehouse"), text("")}));
    QVERIFY(c->apply(Row{integer(2)}, out, error));
    QCOMPARE(out, (Row{integer(2), text("warehouse"), text("")}));
}

void TestMapping::applyShortRow()
{
    auto c = CompiledMapping::compile(Mapping{{columnLink("b", "B")}}, columns({"a", "b"}));
    QVERIFY(c);
    Row out;
    std::string error;
    QVERIFY(!c->apply(Row{text("only one")}, out, error));
    QVERIFY2(error.find(R"(Field "B")") != std::string::npos, error.c_str());
}

void TestMapping::trim()
{
    const std::vector<Transform> tr{t(Transform::Kind::Trim)};
    COMPARE_STR(applyText(tr, text("  hello world  ")), "hello world");
    COMPARE_STR(applyText(tr, text("\t\r\n hello\v\f")), "hello");
    COMPARE_STR(applyText(tr, text("hello")), "hello");
    COMPARE_STR(applyText(tr, text("   ")), "");
    COMPARE_STR(applyText(tr, text("")), "");
    // Unicode white space: no-break space, ideographic space, em space, line separator.
    COMPARE_STR(applyText(tr, text("\u00A0 caf\u00E9\u3000")), "caf\u00E9");
    COMPARE_STR(applyText(tr, text("\u2003x y\u2028")), "x y");
    // Letters outside ASCII at the edges are kept whole.
    COMPARE_STR(applyText(tr, text("\u00E9t\u00E9")), "\u00E9t\u00E9");
    COMPARE_STR(applyText(tr, text(" \u65E5\u672C ")), "\u65E5\u672C");
    // Zero-width space is not white space (Unicode says so; so does QChar::isSpace).
    COMPARE_STR(applyText(tr, text("\u200Bx")), "\u200Bx");
    // Invalid UTF-8 is left alone rather than cut into.
    COMPARE_STR(applyText(tr, text(" a\xC3")), "a\xC3");
    COMPARE_STR(applyText(tr, text("\x80 a ")), "\x80 a");
    // Same answer as Qt for a mix.
    const std::string mixed = " \u00A0\t\u2000mixed\u202F\u205F \u0085";
    COMPARE_STR(applyText(tr, text(mixed)), QString::fromStdString(mixed).trimmed().toStdString());
}

void TestMapping::trimNonText()
{
    OneField f({t(Transform::Kind::Trim)});
    QVERIFY(f.run(integer(42)));
    QCOMPARE(f.result(), text("42"));
    QVERIFY(f.run(real(-2.5)));
    QCOMPARE(f.result(), text("-2.5"));
    QVERIFY(f.run(Value{}));
    QVERIFY(f.result().isNull()); // NULL is not "", destinations tell them apart
}

void TestMapping::lowerUpper()
{
    COMPARE_STR(applyText({t(Transform::Kind::Lower)}, text("Foo@Example.COM")), "foo@example.com");
    COMPARE_STR(applyText({t(Transform::Kind::Upper)}, text("abc-xyz 09_")), "ABC-XYZ 09_");
    COMPARE_STR(applyText({t(Transform::Kind::Upper)}, integer(7)), "7");
    COMPARE_STR(applyText({t(Transform::Kind::Lower)}, real(1e21)), "1e+21");
    OneField f({t(Transform::Kind::Upper)});
    QVERIFY(f.run(Value{}));
    QVERIFY(f.result().isNull());
}

void TestMapping::lowerUpperUnicode()
{
    COMPARE_STR(applyText({t(Transform::Kind::Lower)}, text("\u00C9COLE")), "\u00E9cole");
    COMPARE_STR(applyText({t(Transform::Kind::Upper)}, text("\u00E9cole")), "\u00C9COLE");
    COMPARE_STR(
        applyText({t(Transform::Kind::Upper)}, text("\u041C\u043E\u0441\u043A\u0432\u0430")),
        "\u041C\u041E\u0421\u041A\u0412\u0410");
    // German sharp s: Qt applies the full mapping, ß -> SS. Pinned so a change is noticed.
    COMPARE_STR(applyText({t(Transform::Kind::Upper)}, text("Stra\u00DFe")), "STRASSE");
    COMPARE_STR(applyText({t(Transform::Kind::Upper)}, text("Stra\u00DFe")),
                QString::fromUtf8("Stra\u00DFe").toUpper().toStdString());
    // Mixed ASCII and non-ASCII in one value.
    COMPARE_STR(applyText({t(Transform::Kind::Lower)}, text("JOS\u00C9 Garc\u00CDa")),
                "jos\u00E9 garc\u00EDa");
}

void TestMapping::defaultIfEmpty()
{
    const std::vector<Transform> tr{t(Transform::Kind::DefaultIfEmpty, "n/a")};
    COMPARE_STR(applyText(tr, Value{}), "n/a");
    COMPARE_STR(applyText(tr, text("")), "n/a");
    COMPARE_STR(applyText(tr, text("x")), "x");
    COMPARE_STR(applyText(tr, text(" ")), " "); // not empty; trim first to treat it so
    OneField f(tr);
    QVERIFY(f.run(integer(0)));
    QCOMPARE(f.result(), integer(0)); // zero is a value, not an empty one
    QVERIFY(f.run(real(0.0)));
    QCOMPARE(f.result(), real(0.0));
}

void TestMapping::chainOrder()
{
    // Transforms run in the order given.
    COMPARE_STR(applyText({t(Transform::Kind::Trim), t(Transform::Kind::DefaultIfEmpty, "none")},
                          text("   ")),
                "none");
    COMPARE_STR(applyText({t(Transform::Kind::DefaultIfEmpty, "none"), t(Transform::Kind::Trim)},
                          text("   ")),
                "");
    COMPARE_STR(applyText({t(Transform::Kind::Trim), t(Transform::Kind::Lower)},
                          text("  Ann@Example.COM \n")),
                "ann@example.com");
    COMPARE_STR(applyText({t(Transform::Kind::DefaultIfEmpty, "  Unknown "),
                           t(Transform::Kind::Trim), t(Transform::Kind::Upper)},
                          Value{}),
                "UNKNOWN");
    COMPARE_STR(
        applyText({t(Transform::Kind::DefaultIfEmpty, "0"), t(Transform::Kind::NumberFormat, "2")},
                  Value{}),
        "0.00");
}

void TestMapping::dateFormats_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("expected");

    QTest::newRow("date") << "2024-03-01"
                          << "dd/MM/yyyy"
                          << "01/03/2024";
    QTest::newRow("date US") << "2024-03-01"
                             << "M/d/yy"
                             << "3/1/24";
    QTest::newRow("date at midnight") << "2024-03-01"
                                      << "yyyy-MM-dd HH:mm:ss"
                                      << "2024-03-01 00:00:00";
    QTest::newRow("T and Z") << "2024-03-01T10:00:00Z"
                             << "yyyy-MM-dd HH:mm"
                             << "2024-03-01 10:00";
    QTest::newRow("space, no zone") << "2024-03-01 10:00:00"
                                    << "dd.MM.yyyy HH:mm:ss"
                                    << "01.03.2024 10:00:00";
    QTest::newRow("no seconds") << "2024-03-01T10:05"
                                << "HH:mm:ss"
                                << "10:05:00";
    QTest::newRow("fraction") << "2024-03-01T10:00:00.25Z"
                              << "ss.zzz"
                              << "00.250";
    QTest::newRow("long fraction") << "2024-03-01T10:00:00.123456Z"
                                   << "zzz"
                                   << "123";
    // A zone keeps its own wall time; the offset shows with 't'.
    QTest::newRow("offset") << "2024-03-01T23:30:00+02:00"
                            << "yyyy-MM-dd HH:mm t"
                            << "2024-03-01 23:30 UTC+02:00";
    QTest::newRow("offset compact") << "2024-03-01T23:30:00-0530"
                                    << "HH:mm t"
                                    << "23:30 UTC-05:30";
    QTest::newRow("offset hours") << "2024-03-01T23:30:00+01"
                                  << "HH:mm t"
                                  << "23:30 UTC+01:00";
    QTest::newRow("zone-less is UTC") << "2024-03-31 02:30:00"
                                      << "yyyy-MM-dd HH:mm t"
                                      << "2024-03-31 02:30 UTC";
    QTest::newRow("leap day") << "2024-02-29"
                              << "d MMM yyyy"
                              << "29 Feb 2024";
    QTest::newRow("spaces around") << "  2024-03-01 "
                                   << "yyyyMMdd"
                                   << "20240301";
    QTest::newRow("epoch text") << "1709287200"
                                << "yyyy-MM-dd HH:mm"
                                << "2024-03-01 10:00";
    QTest::newRow("epoch text negative") << "-86400"
                                         << "yyyy-MM-dd"
                                         << "1969-12-31";
    QTest::newRow("quoted literal") << "2024-03-01"
                                    << "'Week of' d MMMM"
                                    << "Week of 1 March";
}

void TestMapping::dateFormats()
{
    QFETCH(QString, input);
    QFETCH(QString, format);
    QFETCH(QString, expected);
    OneField f({t(Transform::Kind::DateFormat, format.toStdString())});
    QVERIFY2(f.run(text(input.toStdString())), f.error.c_str());
    QCOMPARE(f.result().type, ValueType::Text);
    QCOMPARE(QString::fromStdString(f.result().text), expected);
}

void TestMapping::dateUsesCLocale()
{
    const QLocale saved;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    OneField f({t(Transform::Kind::DateFormat, "dddd d MMMM yyyy")});
    const bool ok = f.run(integer(1709287200)); // 2024-03-01 10:00 UTC, epoch seconds
    QLocale::setDefault(saved);
    QVERIFY2(ok, f.error.c_str());
    QCOMPARE(f.result(), text("Friday 1 March 2024"));

    OneField r({t(Transform::Kind::DateFormat, "yyyy-MM-dd HH:mm:ss.zzz")});
    QVERIFY(r.run(real(1709287200.5)));
    QCOMPARE(r.result(), text("2024-03-01 10:00:00.500"));
}

void TestMapping::dateNullAndEmpty()
{
    OneField f({t(Transform::Kind::DateFormat, "dd/MM/yyyy")});
    QVERIFY(f.run(Value{}));
    QVERIFY(f.result().isNull());
    QVERIFY(f.run(text("")));
    QCOMPARE(f.result(), text(""));
}

void TestMapping::dateInvalid_data()
{
    QTest::addColumn<QString>("input");
    for (const char *bad : {"next tuesday",
                            "2024-02-30",
                            "2023-02-29",
                            "2024-13-01",
                            "2024-00-10",
                            "2024-3-1",
                            "01/03/2024",
                            "2024-03-01T25:00:00",
                            "2024-03-01T10:60",
                            "2024-03-01T10",
                            "2024-03-01X",
                            "2024-03-01T10:00:00+",
                            "2024-03-01T10:00:00+2",
                            "2024-03-01T10:00:00+02:0",
                            "2024-03-01T10:00:00 Z",
                            "2024-03-01T10:00:00.",
                            "2024-03-01T10:00:00Zjunk",
                            "2024-03-01T10:00:00+99:00",
                            "1e9",
                            "12.5",
                            "+-5",
                            "99999999999999999999",
                            "9000000000000000"})
        QTest::newRow(bad) << bad;
}

void TestMapping::dateInvalid()
{
    QFETCH(QString, input);
    OneField f({t(Transform::Kind::DateFormat, "yyyy-MM-dd")});
    QVERIFY2(!f.run(text(input.toStdString())),
             qPrintable("accepted as " + QString::fromStdString(f.result().text)));
    QVERIFY(f.error.find("is not a date") != std::string::npos);
}

void TestMapping::dateErrorMessage()
{
    OneField f({t(Transform::Kind::DateFormat, "dd/MM/yyyy")}, "Signup date");
    QVERIFY(!f.run(text("next tuesday")));
    COMPARE_STR(f.error,
                R"(Field "Signup date": "next tuesday" is not a date (expected e.g. 2024-03-01))");
    // Epoch seconds out of any sensible range fail cleanly, not with an overflow.
    QVERIFY(!f.run(integer(std::numeric_limits<std::int64_t>::max())));
    COMPARE_STR(
        f.error,
        R"(Field "Signup date": "9223372036854775807" is not a date (expected e.g. 2024-03-01))");
    QVERIFY(!f.run(real(std::numeric_limits<double>::quiet_NaN())));
    QVERIFY(!f.run(real(1e300)));
}

void TestMapping::numberFormats_data()
{
    QTest::addColumn<Value>("input");
    QTest::addColumn<int>("decimals");
    QTest::addColumn<QString>("expected");

    QTest::newRow("real 2") << real(1234.5) << 2 << "1234.50";
    QTest::newRow("real 0 rounds") << real(1234.56) << 0 << "1235";
    QTest::newRow("real negative") << real(-3.14159) << 3 << "-3.142";
    QTest::newRow("negative zero") << real(-0.001) << 2 << "0.00";
    QTest::newRow("real large") << real(1e20) << 1 << "100000000000000000000.0";
    QTest::newRow("integer 2") << integer(42) << 2 << "42.00";
    QTest::newRow("integer 0") << integer(-7) << 0 << "-7";
    QTest::newRow("integer exact")
        << integer(std::numeric_limits<std::int64_t>::max()) << 1 << "9223372036854775807.0";
    QTest::newRow("text decimal") << text("12.5") << 2 << "12.50";
    QTest::newRow("text spaces") << text(" 12.5\t") << 1 << "12.5";
    QTest::newRow("text plus") << text("+7") << 0 << "7";
    QTest::newRow("text exponent") << text("1e3") << 2 << "1000.00";
    QTest::newRow("text leading point") << text(".5") << 2 << "0.50";
    QTest::newRow("text integer exact") << text("9007199254740993") << 0 << "9007199254740993";
    QTest::newRow("text beyond int64") << text("1e19") << 0 << "10000000000000000000";
    QTest::newRow("text negative") << text("-0.25") << 1 << "-0.2"; // IEEE round-half-even
    QTest::newRow("fifteen decimals") << real(0.1) << 15 << "0.100000000000000";
    QTest::newRow("max double")
        << real(std::numeric_limits<double>::max()) << 15
        << QString(
               "17976931348623157081452742373170435679807056752584499659891747680315726078002853876"
               "05895586327668781715404589535143824642343213268894641827684675467035375169860499105"
               "76551282076245490090389328944075868508455133942304583236903222948165808559332123348"
               "274797826204144723168738177180919299881250404026184124858368.000000000000000");
}

void TestMapping::numberFormats()
{
    QFETCH(Value, input);
    QFETCH(int, decimals);
    QFETCH(QString, expected);
    OneField f({t(Transform::Kind::NumberFormat, std::to_string(decimals))});
    QVERIFY2(f.run(input), f.error.c_str());
    QCOMPARE(f.result().type, ValueType::Text);
    QCOMPARE(QString::fromStdString(f.result().text), expected);
}

void TestMapping::numberInvalid_data()
{
    QTest::addColumn<Value>("input");
    for (const char *bad : {"abc", "1,234.50", "12,5", "1.2.3", "12abc", "nan", "inf", "-infinity",
                            "+-5", "++5", "--5", "0x10", "1e400", "$5", "5 5"})
        QTest::newRow(bad) << text(bad);
    QTest::newRow("real nan") << real(std::numeric_limits<double>::quiet_NaN());
    QTest::newRow("real inf") << real(std::numeric_limits<double>::infinity());
}

void TestMapping::numberInvalid()
{
    QFETCH(Value, input);
    OneField f({t(Transform::Kind::NumberFormat, "2")});
    QVERIFY2(!f.run(input), qPrintable("accepted as " + QString::fromStdString(f.result().text)));
    QVERIFY(f.error.find("is not a number") != std::string::npos);
}

void TestMapping::numberErrorMessage()
{
    OneField f({t(Transform::Kind::NumberFormat, "2")}, "Amount");
    QVERIFY(!f.run(text("1,234.50")));
    COMPARE_STR(f.error, R"(Field "Amount": "1,234.50" is not a number (expected e.g. 1234.5))");
}

void TestMapping::numberNullAndEmpty()
{
    OneField f({t(Transform::Kind::NumberFormat, "2")});
    QVERIFY(f.run(Value{}));
    QVERIFY(f.result().isNull());
    QVERIFY(f.run(text("")));
    QCOMPARE(f.result(), text(""));
}

void TestMapping::longValueTruncatedInMessage()
{
    // 100 copies of "é": the message shows the start, cut on a character boundary.
    std::string longValue;
    for (int i = 0; i < 100; ++i)
        longValue += "\u00E9";
    OneField f({t(Transform::Kind::NumberFormat, "2")}, "N");
    QVERIFY(!f.run(text(longValue)));
    QVERIFY(f.error.size() < 150);
    QVERIFY(f.error.find("\u00E9\u00E9\u2026\"") != std::string::npos);
    QVERIFY(QString::fromStdString(f.error).toUtf8().toStdString() == f.error); // valid UTF-8
}

void TestMapping::reusesOutputBuffers()
{
    auto c = CompiledMapping::compile(
        Mapping{{columnLink("a", "A", {t(Transform::Kind::Trim), t(Transform::Kind::Lower)}),
                 constantLink("a constant long enough to live on the heap", "K"),
                 columnLink("n", "N", {t(Transform::Kind::NumberFormat, "2")})}},
        columns({"a", "n"}));
    QVERIFY(c);
    Row out;
    std::string error;
    QVERIFY(c->apply(Row{text("  A LONG VALUE THAT DOES NOT FIT SSO  "), real(1e10)}, out, error));
    const char *a = out[0].text.data();
    const char *k = out[1].text.data();
    const char *n = out[2].text.data();
    QCOMPARE(out[2], text("10000000000.00"));
    QVERIFY(
        c->apply(Row{text("  Shorter, still long enough  "), integer(123456789012)}, out, error));
    QCOMPARE(out[0], text("shorter, still long enough"));
    QCOMPARE(out[2], text("123456789012.00"));
    QCOMPARE(static_cast<const void *>(out[0].text.data()), static_cast<const void *>(a));
    QCOMPARE(static_cast<const void *>(out[1].text.data()), static_cast<const void *>(k));
    QCOMPARE(static_cast<const void *>(out[2].text.data()), static_cast<const void *>(n));
}

void TestMapping::millionRowsNoAllocation()
{
    auto c = CompiledMapping::compile(
        Mapping{
            {columnLink("email", "Email", {t(Transform::Kind::Trim), t(Transform::Kind::Lower)}),
             columnLink("name", "Name", {t(Transform::Kind::Upper)}),
             columnLink("mrr", "MRR", {t(Transform::Kind::NumberFormat, "2")}),
             columnLink("plan", "Plan",
                        {t(Transform::Kind::DefaultIfEmpty, "free-plan-default-value")}),
             columnLink("id", "Id"), columnLink("seats", "Seats", {t(Transform::Kind::Trim)}),
             constantLink("warehouse-constant-long-enough", "Source")}},
        columns({"id", "email", "name", "mrr", "plan", "seats"}));
    QVERIFY(c);
    const std::vector<Row> rows = {
        {integer(1), text("  Ann.Example@Example.COM  "), text("ann example the first"),
         real(1234.5), Value{}, integer(10)},
        {integer(2), text("bob@example.com"), text("Bob"), text("99.999"), text(""),
         integer(1234567890123)},
        {integer(3), text("\tcarol.longer.address@example.org\n"), text("carol c"), integer(7),
         text("enterprise plan with a long name"), text(" 42 ")},
        {integer(4), text("d@e.f"), text("d"), text("-0.5"), text("pro"), Value{}},
    };
    Row out;
    std::string error;
    for (const auto &r : rows) // warm up: buffers grow to their largest size once
        QVERIFY(c->apply(r, out, error));

    constexpr std::size_t kRows = 1'000'000;
    std::size_t failures = 0;
    QElapsedTimer timer;
    timer.start();
    g_allocations = 0;
    g_countAllocations = true;
    for (std::size_t i = 0; i < kRows; ++i) {
        if (!c->apply(rows[i % rows.size()], out, error))
            ++failures;
    }
    g_countAllocations = false;
    const auto allocations = g_allocations;
    qInfo("applied %zu rows in %lld ms", kRows, static_cast<long long>(timer.elapsed()));

    QCOMPARE(failures, std::size_t(0));
    QCOMPARE(allocations, std::size_t(0));
    // The last row applied is rows[3] (999999 % 4 == 3).
    QCOMPARE(out, (Row{text("d@e.f"), text("D"), text("-0.50"), text("pro"), integer(4), Value{},
                       text("warehouse-constant-long-enough")}));
}

QTEST_GUILESS_MAIN(TestMapping)
#include "testmapping.moc"
