// Tests for auto-map: which model column it proposes for which destination field.

#include "mapping/automap.h"

#include <QTest>

using namespace sluice;

namespace {

std::vector<Column> cols(std::initializer_list<const char *> names)
{
    std::vector<Column> out;
    for (const char *n : names)
        out.push_back(Column{n, ColumnType::Text});
    return out;
}

std::vector<FieldInfo> fields(std::initializer_list<const char *> names)
{
    std::vector<FieldInfo> out;
    for (const char *n : names)
        out.push_back(FieldInfo{n});
    return out;
}

FieldMapping columnLink(std::string column, std::string field)
{
    FieldMapping fm;
    fm.column = std::move(column);
    fm.field = std::move(field);
    return fm;
}

// "column>field=" for exact, "column>field~" for normalised; one string so QCOMPARE shows all.
QString describe(const std::vector<MappingSuggestion> &suggestions)
{
    QStringList parts;
    for (const auto &s : suggestions) {
        parts << QString::fromStdString(s.column) + ">" + QString::fromStdString(s.field) +
                     (s.match == MatchKind::Exact ? "=" : "~");
    }
    return parts.join(", ");
}

} // namespace

class TestAutoMap : public QObject
{
    Q_OBJECT

private slots:
    void normalize_data();
    void normalize();
    void exactMatches();
    void caseOnlyDifference();
    void separatorsIgnored();
    void exactBeatsNormalizedAcrossFields();
    void exactWinsEvenForLaterField();
    void columnUsedOnce();
    void firstColumnWinsTies();
    void neverTouchesExistingLinks();
    void constantsDoNotUseColumns();
    void readOnlyFieldsSkipped();
    void duplicateFieldOfferedOnce();
    void separatorOnlyNamesDoNotMatch();
    void labelsMatchToo();
    void noMatches();
    void openFieldsMatchThemselves();
    void deterministic();
};

void TestAutoMap::normalize_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("snake") << "First_Name"
                           << "firstname";
    QTest::newRow("spaces") << "first name"
                            << "firstname";
    QTest::newRow("plain") << "firstname"
                           << "firstname";
    QTest::newRow("kebab") << "First-Name"
                           << "firstname";
    QTest::newRow("dots") << "first.name"
                          << "firstname";
    QTest::newRow("mixed") << " E-Mail_Address. "
                           << "emailaddress";
    QTest::newRow("digits kept") << "Address_Line_2"
                                 << "addressline2";
    QTest::newRow("unicode") << "\u00C9COLE_Nom"
                             << "\u00E9colenom";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("only separators") << "_-. "
                                     << "";
}

void TestAutoMap::normalize()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(normalizeName(name.toStdString())), expected);
}

void TestAutoMap::exactMatches()
{
    auto s = autoMap(cols({"name", "email", "unused"}), fields({"email", "name", "phone"}), {});
    // Destination field order, not column order.
    QCOMPARE(describe(s), QString("email>email=, name>name="));
}

void TestAutoMap::caseOnlyDifference()
{
    auto s = autoMap(cols({"email", "FIRST_NAME"}), fields({"Email", "first_name"}), {});
    QCOMPARE(describe(s), QString("email>Email~, FIRST_NAME>first_name~"));
}

void TestAutoMap::separatorsIgnored()
{
    auto s = autoMap(cols({"first_name", "last-name", "e.mail", "zip code"}),
                     fields({"First Name", "LastName", "EMail", "ZIP_CODE"}), {});
    QCOMPARE(describe(s), QString("first_name>First Name~, last-name>LastName~, e.mail>EMail~, "
                                  "zip code>ZIP_CODE~"));
}

// A CRM field is known by its label as well: HubSpot's "company" is "Company Name".
void TestAutoMap::labelsMatchToo()
{
    std::vector<FieldInfo> f = fields({"company", "jobtitle", "email"});
    f[0].label = "Company Name";
    f[1].label = "Job Title";
    auto s = autoMap(cols({"company_name", "job_title", "email", "title"}), f, {});
    QCOMPARE(describe(s), QString("company_name>company~, job_title>jobtitle~, email>email="));
    // The name still wins over another field's label.
    std::vector<FieldInfo> g = fields({"name", "fullname"});
    g[1].label = "Name";
    QCOMPARE(describe(autoMap(cols({"name"}), g, {})), QString("name>name="));
}

void TestAutoMap::exactBeatsNormalizedAcrossFields()
{
    // "EMAIL" comes first and would take "email" loosely in a single pass; the exact
    // "email" field must get it instead.
    auto s = autoMap(cols({"email"}), fields({"EMAIL", "email"}), {});
    QCOMPARE(describe(s), QString("email>email="));

    // With a second candidate the loose field gets the other column.
    auto s2 = autoMap(cols({"email", "E_Mail"}), fields({"EMAIL", "email"}), {});
    QCOMPARE(describe(s2), QString("E_Mail>EMAIL~, email>email="));
}

void TestAutoMap::exactWinsEvenForLaterField()
{
    // Column "Email" matches field "email" loosely and field "Email" exactly.
    auto s = autoMap(cols({"Email", "email_address"}), fields({"email", "Email"}), {});
    QCOMPARE(describe(s), QString("Email>Email="));
}

void TestAutoMap::columnUsedOnce()
{
    auto s = autoMap(cols({"firstname"}), fields({"first_name", "FirstName", "First Name"}), {});
    QCOMPARE(describe(s), QString("firstname>first_name~"));
}

void TestAutoMap::firstColumnWinsTies()
{
    auto s = autoMap(cols({"id", "E-mail", "EMAIL"}), fields({"email"}), {});
    QCOMPARE(describe(s), QString("E-mail>email~"));
    // Two columns with the same exact name (a join without aliases): the first, once.
    auto s2 = autoMap(cols({"id", "id"}), fields({"id", "ID"}), {});
    QCOMPARE(describe(s2), QString("id>id=, id>ID~"));
}

void TestAutoMap::neverTouchesExistingLinks()
{
    Mapping existing;
    existing.fields.push_back(columnLink("name", "Full name")); // user's own link
    existing.fields.push_back(columnLink("email", "Work email"));
    auto s = autoMap(cols({"email", "name", "phone", "Full_Name"}),
                     fields({"email", "name", "Full name", "Work email", "phone"}), existing);
    // "Full name" and "Work email" are already fed: left alone even though "Full_Name"
    // matches. Columns "email" and "name" are in use: not proposed again for the fields of
    // the same name.
    QCOMPARE(describe(s), QString("phone>phone="));

    // A user link to a column the model no longer has still keeps its field.
    Mapping stale;
    stale.fields.push_back(columnLink("old_col", "email"));
    auto s2 = autoMap(cols({"email"}), fields({"email"}), stale);
    QVERIFY(s2.empty());
}

void TestAutoMap::constantsDoNotUseColumns()
{
    Mapping existing;
    FieldMapping constant;
    constant.constant = "warehouse";
    constant.field = "source";
    existing.fields.push_back(constant);
    auto s = autoMap(cols({"source", "lead_source"}), fields({"source", "Lead Source"}), existing);
    QCOMPARE(describe(s), QString("lead_source>Lead Source~"));
}

void TestAutoMap::readOnlyFieldsSkipped()
{
    auto f = fields({"id", "createdate", "email"});
    f[0].readOnly = true;
    f[1].readOnly = true;
    auto s = autoMap(cols({"id", "createdate", "email"}), f, {});
    QCOMPARE(describe(s), QString("email>email="));
}

void TestAutoMap::duplicateFieldOfferedOnce()
{
    auto s = autoMap(cols({"email", "Email"}), fields({"email", "email"}), {});
    QCOMPARE(describe(s), QString("email>email="));
}

void TestAutoMap::separatorOnlyNamesDoNotMatch()
{
    auto s = autoMap(cols({"_", " "}), fields({"-", "."}), {});
    QVERIFY(s.empty());
}

void TestAutoMap::noMatches()
{
    QVERIFY(autoMap(cols({"a", "b"}), fields({"c", "d"}), {}).empty());
    QVERIFY(autoMap({}, fields({"c"}), {}).empty());
    QVERIFY(autoMap(cols({"a"}), {}, {}).empty());
}

void TestAutoMap::openFieldsMatchThemselves()
{
    // A CSV destination makes its own columns: the caller passes the model columns as fields.
    const auto model = cols({"id", "Email", "email", "first name", "MRR ($)"});
    std::vector<FieldInfo> asFields;
    for (const auto &c : model)
        asFields.push_back(FieldInfo{c.name, c.type});
    auto s = autoMap(model, asFields, {});
    QCOMPARE(describe(s), QString("id>id=, Email>Email=, email>email=, first name>first name=, "
                                  "MRR ($)>MRR ($)="));
}

void TestAutoMap::deterministic()
{
    const auto c = cols({"Email", "e_mail", "NAME", "name", "zip"});
    const auto f = fields({"email", "EMAIL", "Name", "name", "Zip", "ZIP"});
    const auto first = describe(autoMap(c, f, {}));
    QCOMPARE(first, QString("Email>email~, e_mail>EMAIL~, NAME>Name~, name>name=, zip>Zip~"));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(describe(autoMap(c, f, {})), first);
}

QTEST_GUILESS_MAIN(TestAutoMap)
#include "testautomap.moc"
