// The mapping canvas driven like a user would: real mouse drags on the view, keys, the buttons
// and the transform panel; every check reads the mapping back through MappingEditor::mapping().

#include "mappingeditor.h"
#include "mappingitems.h"
#include "mappingscene.h"

#include <QAction>
#include <QGraphicsView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

using namespace sluice;

namespace {

// The columns of the demo workspace's "marketing_contacts" model.
std::vector<Column> demoColumns()
{
    return {{"contact_id", ColumnType::Integer},   {"email", ColumnType::Text},
            {"first_name", ColumnType::Text},      {"last_name", ColumnType::Text},
            {"title", ColumnType::Text},           {"country", ColumnType::Text},
            {"lifecycle_stage", ColumnType::Text}, {"company", ColumnType::Text},
            {"account_plan", ColumnType::Text},    {"last_seen_on", ColumnType::Date}};
}

// HubSpot-like contact properties.
std::vector<FieldInfo> crmFields()
{
    auto f = [](std::string name, ColumnType type, bool required = false, bool key = false,
                bool readOnly = false) {
        FieldInfo i;
        i.name = std::move(name);
        i.type = type;
        i.required = required;
        i.key = key;
        i.readOnly = readOnly;
        return i;
    };
    return {f("email", ColumnType::Text, true, true),
            f("firstname", ColumnType::Text),
            f("lastname", ColumnType::Text),
            f("jobtitle", ColumnType::Text),
            f("country", ColumnType::Text),
            f("lifecyclestage", ColumnType::Text),
            f("company", ColumnType::Text),
            f("account_plans", ColumnType::Text),
            f("annualrevenue", ColumnType::Real),
            f("lead_score", ColumnType::Integer, true),
            f("lead_source", ColumnType::Text),
            f("hs_object_id", ColumnType::Integer, false, true, true)};
}

FieldMapping conn(std::string column, std::string field, std::vector<Transform> t = {})
{
    FieldMapping m;
    m.column = std::move(column);
    m.field = std::move(field);
    m.transforms = std::move(t);
    return m;
}

FieldMapping fixed(std::string value, std::string field)
{
    FieldMapping m;
    m.constant = std::move(value);
    m.field = std::move(field);
    return m;
}

const FieldMapping *find(const Mapping &m, const std::string &field)
{
    for (const auto &f : m.fields) {
        if (f.field == field)
            return &f;
    }
    return nullptr;
}

} // namespace

class TestMappingEditor : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void dragColumnOntoField();
    void dragOntoNothingDoesNothing();
    void linksFollowResize();
    void autoMapSuggestsAndNeverOverwrites();
    void clickAcceptsOneSuggestion();
    void undoRedoRestoresExactly();
    void problemsForMismatchAndRequired();
    void vanishedColumnIsShownAndKept();
    void keyboardPath();
    void transformEditsAreUndoable();
    void constantValue();
    void openFieldDestination();
    void screenshot();

private:
    QGraphicsView *view() const { return m_editor->findChild<QGraphicsView *>("mappingView"); }
    MappingScene *scene() const { return static_cast<MappingScene *>(view()->scene()); }
    QPoint at(const QPointF &scenePos) const { return view()->mapFromScene(scenePos); }
    QPoint columnPos(const std::string &c) const
    {
        auto *item = scene()->columnItem(c);
        return item ? at(item->sceneBoundingRect().center()) : QPoint();
    }
    QPoint fieldPos(const std::string &f) const
    {
        auto *item = scene()->fieldItem(f);
        return item ? at(item->sceneBoundingRect().center()) : QPoint();
    }
    void drag(const QPoint &from, const QPoint &to);

    MappingEditor *m_editor = nullptr;
};

void TestMappingEditor::init()
{
    m_editor = new MappingEditor;
    m_editor->resize(1100, 720);
    m_editor->setColumns(demoColumns());
    m_editor->setFields(crmFields(), false);
    m_editor->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_editor));
    m_editor->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_editor));
}

void TestMappingEditor::cleanup()
{
    delete m_editor;
    m_editor = nullptr;
}

void TestMappingEditor::drag(const QPoint &from, const QPoint &to)
{
    QWidget *vp = view()->viewport();
    QTest::mousePress(vp, Qt::LeftButton, {}, from);
    QTest::mouseMove(vp, (from + to) / 2);
    QTest::mouseMove(vp, to);
    QTest::mouseRelease(vp, Qt::LeftButton, {}, to);
}

void TestMappingEditor::dragColumnOntoField()
{
    QSignalSpy changed(m_editor, &MappingEditor::changed);
    const QPoint from = columnPos("email");
    const QPoint to = fieldPos("email");
    QVERIFY(!from.isNull() && !to.isNull());
    QVERIFY(view()->viewport()->rect().contains(to));

    QWidget *vp = view()->viewport();
    QTest::mousePress(vp, Qt::LeftButton, {}, from);
    QTest::mouseMove(vp, (from + to) / 2);
    QTest::mouseMove(vp, to);
    // While dragging, the field under the mouse is the drop target.
    QCOMPARE(scene()->dropTarget(), std::string("email"));
    QTest::mouseRelease(vp, Qt::LeftButton, {}, to);

    const Mapping m = m_editor->mapping();
    QCOMPARE(m.fields.size(), 1u);
    QCOMPARE(m.fields[0].column, std::string("email"));
    QCOMPARE(m.fields[0].field, std::string("email"));
    QVERIFY(!m.fields[0].constant);
    QCOMPARE(changed.count(), 1);
    QVERIFY(scene()->linkItem("email"));
    QCOMPARE(m_editor->undoStack()->count(), 1);

    // Dropping another column on the same field replaces the link (one value per field).
    drag(columnPos("first_name"), fieldPos("email"));
    QCOMPARE(m_editor->mapping().fields.size(), 1u);
    QCOMPARE(m_editor->mapping().fields[0].column, std::string("first_name"));
    m_editor->undoStack()->undo();
    QCOMPARE(m_editor->mapping().fields[0].column, std::string("email"));

    // Delete removes the selected link (the drop selected it).
    view()->setFocus();
    QCOMPARE(scene()->selectedLink(), std::string("email"));
    QTest::keyClick(view(), Qt::Key_Delete);
    QVERIFY(m_editor->mapping().fields.empty());
}

void TestMappingEditor::dragOntoNothingDoesNothing()
{
    QSignalSpy changed(m_editor, &MappingEditor::changed);
    m_editor->setMapping({});
    m_editor->setColumns(demoColumns());
    QCOMPARE(changed.count(), 0); // set…() calls are not edits
    drag(columnPos("email"), at(QPointF(scene()->sceneRect().width() / 2, 5)));
    drag(columnPos("email"), columnPos("country"));
    QVERIFY(m_editor->mapping().fields.empty());
    QCOMPARE(m_editor->undoStack()->count(), 0);
    QVERIFY(scene()->dropTarget().empty());
    QCOMPARE(changed.count(), 0);
}

void TestMappingEditor::linksFollowResize()
{
    Mapping m;
    m.fields = {conn("email", "email"), conn("title", "jobtitle")};
    m_editor->setMapping(m);
    const qreal before = scene()->fieldItem("jobtitle")->port().x();
    m_editor->resize(1500, 720);
    QTRY_VERIFY(scene()->fieldItem("jobtitle")->port().x() > before + 100);
    // The curve was rebuilt between the new port positions.
    LinkItem *l = scene()->linkItem("jobtitle");
    QVERIFY(l);
    QVERIFY(l->boundingRect().contains(scene()->fieldItem("jobtitle")->port()));
    QVERIFY(l->boundingRect().contains(scene()->columnItem("title")->port()));
    // Rows never overlap, on either side.
    for (auto *a : scene()->items()) {
        for (auto *b : scene()->items()) {
            if (a != b && a->type() != LinkItem::Type && b->type() != LinkItem::Type &&
                a->type() >= QGraphicsItem::UserType && b->type() >= QGraphicsItem::UserType)
                QVERIFY(!a->sceneBoundingRect()
                             .adjusted(2, 2, -2, -2)
                             .intersects(b->sceneBoundingRect().adjusted(2, 2, -2, -2)));
        }
    }
}

void TestMappingEditor::autoMapSuggestsAndNeverOverwrites()
{
    // The user's own (odd) choice: the company column feeds jobtitle.
    Mapping m;
    m.fields = {conn("company", "jobtitle", {{Transform::Kind::Trim, {}}})};
    m_editor->setMapping(m);
    const FieldMapping mine = m.fields[0];

    QTest::mouseClick(m_editor->findChild<QPushButton *>("autoMapButton"), Qt::LeftButton);
    QVERIFY(m_editor->findChild<QPushButton *>("acceptAllButton")->isVisible());
    // Suggestions are not links yet.
    QCOMPARE(m_editor->mapping(), m);
    for (const char *f :
         {"email", "firstname", "lastname", "country", "lifecyclestage", "account_plans"})
        QVERIFY2(scene()->suggestionItem(f), f);
    QVERIFY(!scene()->suggestionItem("jobtitle")); // fed by the user
    QVERIFY(!scene()->suggestionItem("company"));  // its column is in use
    QVERIFY(!scene()->suggestionItem("hs_object_id"));

    QTest::mouseClick(m_editor->findChild<QPushButton *>("acceptAllButton"), Qt::LeftButton);
    const Mapping after = m_editor->mapping();
    QCOMPARE(after.fields.front(), mine);
    auto expect = [&](const char *field, const char *column) {
        const FieldMapping *f = find(after, field);
        QVERIFY2(f, field);
        QCOMPARE(f->column, std::string(column));
    };
    expect("email", "email");
    expect("firstname", "first_name");
    expect("lastname", "last_name");
    expect("country", "country");
    expect("lifecyclestage", "lifecycle_stage");
    expect("account_plans", "account_plan"); // close names
    QCOMPARE(after.fields.size(), 7u);
    QVERIFY(!m_editor->findChild<QPushButton *>("acceptAllButton")->isVisible());

    // One undo step takes them all back, suggestions included; redo re-applies them.
    m_editor->undoStack()->undo();
    QCOMPARE(m_editor->mapping(), m);
    QVERIFY(scene()->suggestionItem("email"));
    m_editor->undoStack()->redo();
    QCOMPARE(m_editor->mapping(), after);

    // Again: nothing left to suggest, and Dismiss hides the note.
    QTest::mouseClick(m_editor->findChild<QPushButton *>("autoMapButton"), Qt::LeftButton);
    QVERIFY(!scene()->suggestionItem("email"));
    QVERIFY(m_editor->findChild<QPushButton *>("dismissButton")->isVisible());
    QTest::mouseClick(m_editor->findChild<QPushButton *>("dismissButton"), Qt::LeftButton);
    QVERIFY(!m_editor->findChild<QPushButton *>("dismissButton")->isVisible());
    QCOMPARE(m_editor->mapping(), after);
}

void TestMappingEditor::clickAcceptsOneSuggestion()
{
    QTest::mouseClick(m_editor->findChild<QPushButton *>("autoMapButton"), Qt::LeftButton);
    LinkItem *s = scene()->suggestionItem("lastname");
    QVERIFY(s);
    QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, at(s->midpoint()));
    const Mapping m = m_editor->mapping();
    QCOMPARE(m.fields.size(), 1u);
    QCOMPARE(m.fields[0], conn("last_name", "lastname"));
    QVERIFY(!scene()->suggestionItem("lastname"));
    QVERIFY(scene()->suggestionItem("email")); // the others stay pending

    // A link the user makes to a suggested field replaces the suggestion.
    drag(columnPos("contact_id"), fieldPos("email"));
    QVERIFY(!scene()->suggestionItem("email"));
    QTest::mouseClick(m_editor->findChild<QPushButton *>("acceptAllButton"), Qt::LeftButton);
    QCOMPARE(find(m_editor->mapping(), "email")->column, std::string("contact_id"));
}

void TestMappingEditor::undoRedoRestoresExactly()
{
    Mapping start;
    start.fields = {
        conn("email", "email", {{Transform::Kind::Trim, {}}, {Transform::Kind::Lower, {}}}),
        conn("title", "jobtitle"), fixed("warehouse", "lead_source"),
        conn("first_name", "firstname")};
    m_editor->setMapping(start);
    QCOMPARE(m_editor->undoStack()->count(), 0);

    std::vector<Mapping> states{m_editor->mapping()};
    // 1: a new link by drag.
    drag(columnPos("country"), fieldPos("country"));
    states.push_back(m_editor->mapping());
    // 2: remove a link in the middle (order matters when it comes back).
    QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, fieldPos("jobtitle"));
    QCOMPARE(scene()->selectedLink(), std::string("jobtitle"));
    view()->setFocus();
    QTest::keyClick(view(), Qt::Key_Delete);
    states.push_back(m_editor->mapping());
    // 3: replace a link that has transforms.
    drag(columnPos("last_name"), fieldPos("email"));
    states.push_back(m_editor->mapping());
    QCOMPARE(states.size(), 4u);
    for (std::size_t i = 1; i < states.size(); ++i)
        QVERIFY(states[i] != states[i - 1]);

    // Ctrl+Z walks back through every state, Ctrl+Shift+Z forward again.
    view()->setFocus();
    for (int i = static_cast<int>(states.size()) - 2; i >= 0; --i) {
        QTest::keyClick(view(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(m_editor->mapping(), states[static_cast<std::size_t>(i)]);
    }
    QCOMPARE(m_editor->mapping(), start);
    for (std::size_t i = 1; i < states.size(); ++i) {
        QTest::keyClick(view(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(m_editor->mapping(), states[i]);
    }
}

void TestMappingEditor::problemsForMismatchAndRequired()
{
    Mapping m;
    m.fields = {conn("email", "email"), conn("contact_id", "country"),
                conn("company", "annualrevenue")};
    m_editor->setMapping(m);
    const QStringList p = m_editor->problems();
    // company (text) into a number field; lead_score required and unmapped. integer→text is fine.
    QCOMPARE(p.size(), 2);
    QVERIFY(p.filter("annualrevenue").size() == 1);
    QVERIFY(p.filter("annualrevenue").first().contains("company"));
    QVERIFY(p.filter("lead_score").first().contains("required"));
    QVERIFY(p.filter("country").isEmpty());
    // Flagged on the canvas too.
    QVERIFY(scene()->linkItem("annualrevenue")->hasWarning());
    QVERIFY(scene()->fieldItem("annualrevenue")->hasProblem());
    QVERIFY(scene()->fieldItem("lead_score")->hasProblem());
    QVERIFY(!scene()->linkItem("country")->hasWarning());
    QVERIFY(!scene()->fieldItem("email")->hasProblem());
    QVERIFY(m_editor->findChild<QLabel *>("mappingProblems")->isVisible());

    // Formatting a number keeps it a number; a date formatted as text is not a date.
    m_editor->setMapping(
        {{conn("contact_id", "annualrevenue", {{Transform::Kind::NumberFormat, "2"}}),
          fixed("0", "lead_score"), conn("email", "email")}});
    QVERIFY2(m_editor->problems().isEmpty(), qPrintable(m_editor->problems().join('\n')));
    QVERIFY(!m_editor->findChild<QLabel *>("mappingProblems")->isVisible());
    m_editor->setMapping({{fixed("many", "lead_score"), conn("email", "email")}});
    QCOMPARE(m_editor->problems().size(), 1);
    QVERIFY(m_editor->problems().first().contains("many"));

    // A required field that is hidden because read-only is not demanded; a mapped field the
    // destination does not have is.
    m_editor->setMapping(
        {{fixed("1", "lead_score"), conn("email", "email"), conn("email", "no_such_field")}});
    QCOMPARE(m_editor->problems().size(), 1);
    QVERIFY(m_editor->problems().first().contains("no_such_field"));
    QVERIFY(scene()->fieldItem("no_such_field")->row().missing);
}

void TestMappingEditor::vanishedColumnIsShownAndKept()
{
    Mapping m;
    m.fields = {conn("email", "email"), conn("phone_number", "jobtitle"), fixed("3", "lead_score")};
    m_editor->setMapping(m);
    SourceItem *gone = scene()->sourceItemForLink("jobtitle");
    QVERIFY(gone);
    QCOMPARE(gone->kind(), SourceItem::Kind::Vanished);
    QCOMPARE(gone->name(), std::string("phone_number"));
    QVERIFY(scene()->linkItem("jobtitle"));
    QCOMPARE(m_editor->mapping(), m);
    QCOMPARE(m_editor->problems().size(), 1);
    QVERIFY(m_editor->problems().first().contains("phone_number"));

    // The model gets the column back: the link is an ordinary one again.
    auto cols = demoColumns();
    cols.push_back({"phone_number", ColumnType::Text});
    m_editor->setColumns(cols);
    QVERIFY(m_editor->problems().isEmpty());
    QCOMPARE(scene()->sourceItemForLink("jobtitle"), nullptr);
    m_editor->setColumns(demoColumns());

    // Clicking the dangling row selects its link; Delete removes it; undo brings it back.
    QTest::mouseClick(view()->viewport(), Qt::LeftButton, {},
                      at(scene()->sourceItemForLink("jobtitle")->sceneBoundingRect().center()));
    QCOMPARE(scene()->selectedLink(), std::string("jobtitle"));
    view()->setFocus();
    QTest::keyClick(view(), Qt::Key_Delete);
    QVERIFY(!find(m_editor->mapping(), "jobtitle"));
    m_editor->undoStack()->undo();
    QCOMPARE(m_editor->mapping(), m);
}

void TestMappingEditor::keyboardPath()
{
    view()->setFocus();
    QTest::keyClick(view(), Qt::Key_Down); // first column
    QTest::keyClick(view(), Qt::Key_Down);
    QCOMPARE(scene()->currentColumn(), std::string("email"));
    QTest::keyClick(view(), Qt::Key_Right); // to the fields: the first one
    QCOMPARE(scene()->currentField(), std::string("email"));
    QTest::keyClick(view(), Qt::Key_L, Qt::ControlModifier);
    QCOMPARE(m_editor->mapping().fields.size(), 1u);
    QCOMPARE(m_editor->mapping().fields[0], conn("email", "email"));

    QTest::keyClick(view(), Qt::Key_Left);
    QTest::keyClick(view(), Qt::Key_Down); // first_name
    QTest::keyClick(view(), Qt::Key_Right);
    QTest::keyClick(view(), Qt::Key_Down); // firstname
    QCOMPARE(scene()->currentColumn(), std::string("first_name"));
    QCOMPARE(scene()->currentField(), std::string("firstname"));
    auto *linkButton = m_editor->findChild<QPushButton *>("linkButton");
    QVERIFY(linkButton->isEnabled());
    QTest::mouseClick(linkButton, Qt::LeftButton);
    QCOMPARE(m_editor->mapping().fields.size(), 2u);
    QCOMPARE(m_editor->mapping().fields[1], conn("first_name", "firstname"));

    // Moving onto a linked field selects its link; Delete removes it.
    view()->setFocus();
    QTest::keyClick(view(), Qt::Key_Up);
    QCOMPARE(scene()->selectedLink(), std::string("email"));
    QTest::keyClick(view(), Qt::Key_Delete);
    QCOMPARE(m_editor->mapping().fields.size(), 1u);
    QCOMPARE(m_editor->mapping().fields[0].field, std::string("firstname"));
}

void TestMappingEditor::transformEditsAreUndoable()
{
    Mapping m;
    m.fields = {conn("email", "email"), conn("title", "jobtitle")};
    m_editor->setMapping(m);
    QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, fieldPos("email"));
    QCOMPARE(scene()->selectedLink(), std::string("email"));
    auto *panel = m_editor->findChild<QWidget *>("transformPanel");
    auto *list = panel->findChild<QListWidget *>("transformList");
    QVERIFY(list->isVisible());
    QCOMPARE(list->count(), 0);

    auto action = [&](const char *name) {
        auto *a = panel->findChild<QAction *>(name);
        if (!a)
            qFatal("no action %s", name);
        return a;
    };
    action("add_trim")->trigger();
    action("add_date")->trigger();
    using K = Transform::Kind;
    QCOMPARE(find(m_editor->mapping(), "email")->transforms,
             (std::vector<Transform>{{K::Trim, {}}, {K::DateFormat, "yyyy-MM-dd"}}));
    QCOMPARE(list->count(), 2);
    QCOMPARE(list->currentRow(), 1);

    // Edit the format in the panel's argument field.
    auto *arg = panel->findChild<QLineEdit *>("transformArgument");
    QVERIFY(arg->isVisible());
    arg->setFocus();
    arg->selectAll();
    QTest::keyClicks(arg, "dd/MM/yyyy");
    QTest::keyClick(arg, Qt::Key_Return);
    QCOMPARE(find(m_editor->mapping(), "email")->transforms,
             (std::vector<Transform>{{K::Trim, {}}, {K::DateFormat, "dd/MM/yyyy"}}));
    // Reorder: the date format first.
    QTest::mouseClick(panel->findChild<QPushButton *>("moveTransformUp"), Qt::LeftButton);
    QCOMPARE(find(m_editor->mapping(), "email")->transforms,
             (std::vector<Transform>{{K::DateFormat, "dd/MM/yyyy"}, {K::Trim, {}}}));
    QCOMPARE(list->currentRow(), 0);
    // Remove the selected one.
    QTest::mouseClick(panel->findChild<QPushButton *>("removeTransformButton"), Qt::LeftButton);
    QCOMPARE(find(m_editor->mapping(), "email")->transforms,
             (std::vector<Transform>{{K::Trim, {}}}));
    QCOMPARE(m_editor->undoStack()->count(), 5);

    // Each was its own step.
    m_editor->undoStack()->undo();
    QCOMPARE(find(m_editor->mapping(), "email")->transforms,
             (std::vector<Transform>{{K::DateFormat, "dd/MM/yyyy"}, {K::Trim, {}}}));
    m_editor->undoStack()->undo();
    m_editor->undoStack()->undo();
    QCOMPARE(find(m_editor->mapping(), "email")->transforms,
             (std::vector<Transform>{{K::Trim, {}}, {K::DateFormat, "yyyy-MM-dd"}}));
    QCOMPARE(list->count(), 2); // the panel follows undo
    m_editor->undoStack()->undo();
    m_editor->undoStack()->undo();
    QCOMPARE(m_editor->mapping(), m);
    QCOMPARE(list->count(), 0);
    QCOMPARE(find(m_editor->mapping(), "jobtitle")->transforms.size(), 0u);
}

void TestMappingEditor::constantValue()
{
    m_editor->setMapping({{conn("email", "email")}});
    QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, fieldPos("lead_source"));
    QCOMPARE(scene()->currentField(), std::string("lead_source"));
    auto *button = m_editor->findChild<QPushButton *>("constantButton");
    QVERIFY(button->isEnabled());
    // The button opens a modal input dialog: answer it when it shows up.
    QTimer::singleShot(0, this, [] {
        QTRY_VERIFY(qobject_cast<QInputDialog *>(QApplication::activeModalWidget()));
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        dialog->setTextValue("warehouse");
        dialog->accept();
    });
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY(find(m_editor->mapping(), "lead_source"));
    const Mapping withConstant = m_editor->mapping();
    const FieldMapping *c = find(withConstant, "lead_source");
    QCOMPARE(c->constant, std::optional<std::string>("warehouse"));
    QVERIFY(c->column.empty());
    SourceItem *item = scene()->sourceItemForLink("lead_source");
    QVERIFY(item);
    QCOMPARE(item->kind(), SourceItem::Kind::Constant);
    QCOMPARE(scene()->linkItem("lead_source")->style(), LinkItem::Style::Constant);

    // The panel edits the value of the selected constant, undoably.
    QCOMPARE(scene()->selectedLink(), std::string("lead_source"));
    auto *value = m_editor->findChild<QLineEdit *>("constantValue");
    QVERIFY(value->isVisible());
    value->setFocus();
    value->selectAll();
    QTest::keyClicks(value, "crm");
    QTest::keyClick(value, Qt::Key_Return);
    QCOMPARE(find(m_editor->mapping(), "lead_source")->constant, std::optional<std::string>("crm"));
    m_editor->undoStack()->undo();
    QCOMPARE(find(m_editor->mapping(), "lead_source")->constant,
             std::optional<std::string>("warehouse"));
}

void TestMappingEditor::openFieldDestination()
{
    m_editor->setFields({}, true);
    QVERIFY(m_editor->findChild<QPushButton *>("addFieldButton")->isVisible());
    QVERIFY(m_editor->problems().isEmpty());

    // Dropping a column on the empty field side makes a field named like it.
    const QPointF emptyRight(scene()->sceneRect().width() * 0.8,
                             scene()->columnItem("email")->sceneBoundingRect().center().y());
    drag(columnPos("email"), at(emptyRight));
    QCOMPARE(m_editor->mapping().fields.size(), 1u);
    QCOMPARE(m_editor->mapping().fields[0], conn("email", "email"));

    // Auto-map: one new field per remaining column, same name.
    QTest::mouseClick(m_editor->findChild<QPushButton *>("autoMapButton"), Qt::LeftButton);
    QVERIFY(scene()->suggestionItem("contact_id"));
    QVERIFY(scene()->fieldItem("contact_id")->row().suggestedOnly);
    QVERIFY(m_editor->grab().save(QDir::temp().filePath("sluice-mapping-canvas-csv.png")));
    QTest::mouseClick(m_editor->findChild<QPushButton *>("acceptAllButton"), Qt::LeftButton);
    const Mapping m = m_editor->mapping();
    QCOMPARE(m.fields.size(), demoColumns().size());
    for (const auto &c : demoColumns()) {
        const FieldMapping *f = find(m, c.name);
        QVERIFY2(f, c.name.c_str());
        QCOMPARE(f->column, c.name);
    }
    QVERIFY(m_editor->problems().isEmpty());
    // Add field… asks for a name; the field can then be linked, and the add is undoable.
    QTimer::singleShot(0, this, [] {
        QTRY_VERIFY(qobject_cast<QInputDialog *>(QApplication::activeModalWidget()));
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        dialog->setTextValue("  Segment  ");
        dialog->accept();
    });
    const int steps = m_editor->undoStack()->count();
    QTest::mouseClick(m_editor->findChild<QPushButton *>("addFieldButton"), Qt::LeftButton);
    QTRY_VERIFY(scene()->fieldItem("Segment"));
    QCOMPARE(scene()->currentField(), std::string("Segment"));
    QCOMPARE(m_editor->undoStack()->count(), steps + 1);
    QCOMPARE(m_editor->mapping().fields.size(), demoColumns().size()); // no link by itself
    m_editor->undoStack()->undo();
    QVERIFY(!scene()->fieldItem("Segment"));

    // Dismissed suggestions leave no field behind.
    m_editor->undoStack()->undo();
    QTest::mouseClick(m_editor->findChild<QPushButton *>("dismissButton"), Qt::LeftButton);
    QVERIFY(!scene()->fieldItem("contact_id"));
    QCOMPARE(m_editor->mapping().fields.size(), 1u);
}

void TestMappingEditor::screenshot()
{
    Mapping m;
    m.fields = {conn("email", "email", {{Transform::Kind::Trim, {}}, {Transform::Kind::Lower, {}}}),
                conn("first_name", "firstname", {{Transform::Kind::Trim, {}}}),
                conn("last_name", "lastname"),
                conn("title", "jobtitle"),
                conn("company", "annualrevenue"),
                conn("phone_number", "lead_score"),
                fixed("warehouse", "lead_source")};
    m_editor->setMapping(m);
    QTest::mouseClick(m_editor->findChild<QPushButton *>("autoMapButton"), Qt::LeftButton);
    QTest::mouseClick(view()->viewport(), Qt::LeftButton, {}, fieldPos("email"));
    QCoreApplication::processEvents();
    const QString path = QDir::temp().filePath("sluice-mapping-canvas.png");
    QVERIFY(m_editor->grab().save(path));
    qInfo("screenshot: %s", qPrintable(path));

    // The same in a dark palette: everything is drawn from the palette, nothing hard-coded.
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
    dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x60));
    dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe0));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    m_editor->setPalette(dark);
    QCOMPARE(scene()->palette().color(QPalette::Base), dark.color(QPalette::Base));
    const QString darkPath = QDir::temp().filePath("sluice-mapping-canvas-dark.png");
    QVERIFY(m_editor->grab().save(darkPath));
    qInfo("screenshot: %s", qPrintable(darkPath));
}

QTEST_MAIN(TestMappingEditor)
#include "testmappingeditor.moc"
