#include "mappingdocument.h"

#include "mapping/automap.h"

#include <QDate>
#include <QDateTime>

#include <algorithm>
#include <unordered_set>

namespace sluice {

// The base of every edit: gives the commands access to the document's primitive changes,
// which the public API deliberately does not offer (they would bypass the undo stack).
class MappingCommand : public QUndoCommand
{
public:
    MappingCommand(MappingDocument *doc, const QString &text) : QUndoCommand(text), m_doc(doc) {}

protected:
    Mapping &mapping() { return m_doc->m_mapping; }
    void insertLink(int index, const FieldMapping &link) { m_doc->insertLink(index, link); }
    void replaceLink(int index, const FieldMapping &link) { m_doc->replaceLink(index, link); }
    void removeLinkAt(int index) { m_doc->removeLinkAt(index); }
    std::vector<std::string> addedFields() const { return m_doc->m_addedFields; }
    void setAddedFields(const std::vector<std::string> &f) { m_doc->setAddedFields(f); }
    std::vector<SuggestedLink> suggestions() const { return m_doc->m_suggestions; }
    void setSuggestions(const std::vector<SuggestedLink> &s) { m_doc->setSuggestionsQuietly(s); }

    MappingDocument *m_doc;
};

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

// Adds a link, or replaces the one feeding the same field, keeping its place in the list.
class SetLinkCommand : public MappingCommand
{
public:
    SetLinkCommand(MappingDocument *doc, const FieldMapping &link, const QString &text)
        : MappingCommand(doc, text), m_link(link)
    {
        m_index = doc->linkIndex(link.field);
        if (m_index >= 0)
            m_old = doc->mapping().fields[static_cast<std::size_t>(m_index)];
        else
            m_index = static_cast<int>(doc->mapping().fields.size());
    }
    void redo() override
    {
        if (m_old)
            replaceLink(m_index, m_link);
        else
            insertLink(m_index, m_link);
    }
    void undo() override
    {
        if (m_old)
            replaceLink(m_index, *m_old);
        else
            removeLinkAt(m_index);
    }

private:
    FieldMapping m_link;
    std::optional<FieldMapping> m_old;
    int m_index = -1;
};

class RemoveLinkCommand : public MappingCommand
{
public:
    RemoveLinkCommand(MappingDocument *doc, int index, const QString &text)
        : MappingCommand(doc, text), m_index(index),
          m_old(doc->mapping().fields[static_cast<std::size_t>(index)])
    {
    }
    void redo() override { removeLinkAt(m_index); }
    void undo() override { insertLink(m_index, m_old); }

private:
    int m_index;
    FieldMapping m_old;
};

class AddFieldCommand : public MappingCommand
{
public:
    AddFieldCommand(MappingDocument *doc, std::string name, const QString &text)
        : MappingCommand(doc, text), m_name(std::move(name))
    {
    }
    void redo() override
    {
        auto f = addedFields();
        f.push_back(m_name);
        setAddedFields(f);
    }
    void undo() override
    {
        auto f = addedFields();
        std::erase(f, m_name);
        setAddedFields(f);
    }

private:
    std::string m_name;
};

// Accepting suggestions appends their links and takes them off the pending list; undo puts
// both back exactly.
class AcceptCommand : public MappingCommand
{
public:
    AcceptCommand(MappingDocument *doc, std::vector<FieldMapping> links,
                  std::vector<SuggestedLink> after, const QString &text)
        : MappingCommand(doc, text), m_links(std::move(links)), m_before(doc->suggestions()),
          m_after(std::move(after))
    {
    }
    void redo() override
    {
        for (const auto &l : m_links)
            insertLink(static_cast<int>(mapping().fields.size()), l);
        setSuggestions(m_after);
    }
    void undo() override
    {
        for (std::size_t i = 0; i < m_links.size(); ++i)
            removeLinkAt(static_cast<int>(mapping().fields.size()) - 1);
        setSuggestions(m_before);
    }

private:
    std::vector<FieldMapping> m_links;
    std::vector<SuggestedLink> m_before;
    std::vector<SuggestedLink> m_after;
};

// The output of a link's transforms, for the type check: formatting a date gives text,
// formatting a number still reads as a number; the other transforms keep the kind of value.
ColumnType typeAfterTransforms(ColumnType type, const std::vector<Transform> &transforms)
{
    for (const auto &t : transforms) {
        if (t.kind == Transform::Kind::DateFormat)
            type = ColumnType::Text;
        else if (t.kind == Transform::Kind::NumberFormat)
            type = ColumnType::Real;
    }
    return type;
}

bool typesFit(ColumnType from, ColumnType to)
{
    if (from == ColumnType::Unknown || to == ColumnType::Unknown || from == to ||
        to == ColumnType::Text)
        return true;
    switch (to) {
    case ColumnType::Real:
        return from == ColumnType::Integer;
    case ColumnType::Integer:
    case ColumnType::Boolean:
        return from == ColumnType::Integer || from == ColumnType::Boolean;
    case ColumnType::Date:
    case ColumnType::DateTime:
        return from == ColumnType::Date || from == ColumnType::DateTime;
    default:
        return false;
    }
}

bool constantFits(const QString &value, ColumnType to)
{
    const QString v = value.trimmed();
    bool ok = true;
    switch (to) {
    case ColumnType::Integer:
        v.toLongLong(&ok);
        return ok;
    case ColumnType::Real:
        v.toDouble(&ok);
        return ok;
    case ColumnType::Boolean: {
        const QString l = v.toLower();
        return l == u"true" || l == u"false" || l == u"1" || l == u"0" || l == u"yes" || l == u"no";
    }
    case ColumnType::Date:
    case ColumnType::DateTime:
        return QDate::fromString(v, Qt::ISODate).isValid() ||
               QDateTime::fromString(v, Qt::ISODate).isValid();
    default:
        return true;
    }
}

// Levenshtein distance, giving up (returning limit + 1) once it must exceed limit.
int editDistance(const std::string &a, const std::string &b, int limit)
{
    if (std::abs(static_cast<int>(a.size()) - static_cast<int>(b.size())) > limit)
        return limit + 1;
    std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        prev[j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = static_cast<int>(i);
        int best = cur[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min(
                {prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            best = std::min(best, cur[j]);
        }
        if (best > limit)
            return limit + 1;
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

} // namespace

MappingDocument::MappingDocument(QObject *parent) : QObject(parent), m_undo(new QUndoStack(this)) {}

void MappingDocument::setColumns(const std::vector<Column> &columns)
{
    m_columns = columns;
    pruneSuggestions();
    Q_EMIT layoutChanged();
}

void MappingDocument::setFields(const std::vector<FieldInfo> &fields, bool openFields)
{
    m_fields = fields;
    m_openFields = openFields;
    pruneSuggestions();
    Q_EMIT layoutChanged();
}

void MappingDocument::setMapping(const Mapping &mapping)
{
    m_undo->clear();
    m_mapping = mapping;
    m_addedFields.clear();
    m_suggestions.clear();
    Q_EMIT suggestionsChanged();
    Q_EMIT layoutChanged();
}

std::vector<FieldRow> MappingDocument::fieldRows() const
{
    std::vector<FieldRow> rows;
    std::unordered_set<std::string> shown;
    auto fedByMapping = [&](const std::string &name) { return linkIndex(name) >= 0; };
    for (const auto &f : m_fields) {
        if (shown.contains(f.name))
            continue;
        if (f.readOnly && !fedByMapping(f.name))
            continue; // nothing can be written there: not worth a row
        shown.insert(f.name);
        rows.push_back({f.name, f.type, f.required, f.key, f.readOnly, false, false, f.label});
    }
    for (const auto &l : m_mapping.fields) {
        if (shown.insert(l.field).second)
            rows.push_back(
                {l.field, ColumnType::Unknown, false, false, false, !m_openFields, false});
    }
    for (const auto &name : m_addedFields) {
        if (shown.insert(name).second)
            rows.push_back({name, ColumnType::Unknown, false, false, false, false, false});
    }
    if (m_openFields) {
        for (const auto &s : m_suggestions) {
            if (shown.insert(s.field).second)
                rows.push_back({s.field, ColumnType::Unknown, false, false, false, false, true});
        }
    }
    return rows;
}

bool MappingDocument::hasColumn(const std::string &name) const
{
    return column(name) != nullptr;
}

const Column *MappingDocument::column(const std::string &name) const
{
    for (const auto &c : m_columns) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

std::optional<FieldRow> MappingDocument::fieldRow(const std::string &name) const
{
    for (auto &r : fieldRows()) {
        if (r.name == name)
            return r;
    }
    return std::nullopt;
}

int MappingDocument::linkIndex(const std::string &field) const
{
    for (std::size_t i = 0; i < m_mapping.fields.size(); ++i) {
        if (m_mapping.fields[i].field == field)
            return static_cast<int>(i);
    }
    return -1;
}

QString MappingDocument::typeInWords(ColumnType type)
{
    switch (type) {
    case ColumnType::Integer:
        return tr("a whole number");
    case ColumnType::Real:
        return tr("a number");
    case ColumnType::Text:
        return tr("text");
    case ColumnType::Boolean:
        return tr("yes/no");
    case ColumnType::Date:
        return tr("a date");
    case ColumnType::DateTime:
        return tr("a date and time");
    case ColumnType::Unknown:
        break;
    }
    return tr("any value");
}

QString MappingDocument::mismatch(const FieldMapping &link) const
{
    ColumnType fieldType = ColumnType::Unknown;
    for (const auto &f : m_fields) {
        if (f.name == link.field) {
            fieldType = f.type;
            break;
        }
    }
    if (fieldType == ColumnType::Unknown)
        return {};
    if (link.constant) {
        if (constantFits(q(*link.constant), fieldType))
            return {};
        return tr("The constant “%1” is not %2, which “%3” expects.")
            .arg(q(*link.constant), typeInWords(fieldType), q(link.field));
    }
    const Column *c = column(link.column);
    if (!c)
        return {}; // reported as a vanished column instead
    const ColumnType from = typeAfterTransforms(c->type, link.transforms);
    if (typesFit(from, fieldType))
        return {};
    return tr("Column “%1” gives %2, but “%3” expects %4. Map another column to it, or change "
              "the model.")
        .arg(q(link.column), typeInWords(from), q(link.field), typeInWords(fieldType));
}

QStringList MappingDocument::problems() const
{
    QStringList out;
    for (const auto &f : m_fields) {
        if (f.required && !f.readOnly && linkIndex(f.name) < 0)
            out << tr("“%1” is required by the destination, but nothing is mapped to it. Drag a "
                      "column onto it or give it a constant value.")
                       .arg(q(f.name));
    }
    std::unordered_set<std::string> seen;
    for (const auto &l : m_mapping.fields) {
        if (!seen.insert(l.field).second) {
            out << tr("“%1” is fed by more than one link. Remove all but one.").arg(q(l.field));
            continue;
        }
        if (!l.constant && !hasColumn(l.column))
            out << tr("Column “%1” is mapped to “%2”, but the model no longer returns it. "
                      "Remove the link or map another column.")
                       .arg(q(l.column), q(l.field));
        bool known = m_openFields;
        for (const auto &f : m_fields) {
            if (f.name != l.field)
                continue;
            known = true;
            if (f.readOnly)
                out << tr("“%1” is read-only in the destination and cannot receive values. "
                          "Remove the link.")
                           .arg(q(l.field));
        }
        if (!known)
            out << tr("“%1” is mapped, but the destination has no such field. Remove the link.")
                       .arg(q(l.field));
        const QString why = mismatch(l);
        if (!why.isEmpty())
            out << why;
    }
    return out;
}

void MappingDocument::link(const std::string &column, const std::string &field)
{
    if (column.empty() || field.empty())
        return;
    FieldMapping l;
    l.column = column;
    l.field = field;
    const int i = linkIndex(field);
    if (i >= 0) {
        const auto &old = m_mapping.fields[static_cast<std::size_t>(i)];
        if (!old.constant && old.column == column)
            return;
    }
    m_undo->push(new SetLinkCommand(this, l, tr("Link %1 to %2").arg(q(column), q(field))));
}

void MappingDocument::setConstant(const std::string &field, const std::string &value)
{
    if (field.empty())
        return;
    FieldMapping l;
    l.constant = value;
    l.field = field;
    const int i = linkIndex(field);
    if (i >= 0) {
        const auto &old = m_mapping.fields[static_cast<std::size_t>(i)];
        if (old.constant == l.constant)
            return;
        if (old.constant)
            l.transforms = old.transforms; // editing the value keeps its transforms
    }
    m_undo->push(new SetLinkCommand(this, l, tr("Set %1 to a constant").arg(q(field))));
}

void MappingDocument::removeLink(const std::string &field)
{
    const int i = linkIndex(field);
    if (i >= 0)
        m_undo->push(new RemoveLinkCommand(this, i, tr("Remove the link to %1").arg(q(field))));
}

void MappingDocument::setTransforms(const std::string &field,
                                    const std::vector<Transform> &transforms)
{
    const int i = linkIndex(field);
    if (i < 0 || m_mapping.fields[static_cast<std::size_t>(i)].transforms == transforms)
        return;
    FieldMapping l = m_mapping.fields[static_cast<std::size_t>(i)];
    l.transforms = transforms;
    m_undo->push(new SetLinkCommand(this, l, tr("Change the transforms of %1").arg(q(field))));
}

bool MappingDocument::addField(const std::string &name)
{
    if (!m_openFields || name.empty())
        return false;
    for (const auto &r : fieldRows()) {
        if (r.name == name && !r.suggestedOnly)
            return false;
    }
    m_undo->push(new AddFieldCommand(this, name, tr("Add field %1").arg(q(name))));
    return true;
}

int MappingDocument::suggest()
{
    std::vector<FieldInfo> targets;
    for (const auto &r : fieldRows()) {
        if (r.suggestedOnly || r.missing)
            continue;
        FieldInfo f;
        f.name = r.name;
        f.type = r.type;
        f.readOnly = r.readOnly;
        f.label = r.label;
        targets.push_back(f);
    }
    std::vector<SuggestedLink> out;
    for (const auto &s : autoMap(m_columns, targets, m_mapping))
        out.push_back({s.column, s.field,
                       s.match == MatchKind::Exact ? SuggestedLink::Tier::Exact
                                                   : SuggestedLink::Tier::Normalized});

    std::unordered_set<std::string> usedColumns, fedFields;
    for (const auto &l : m_mapping.fields) {
        if (!l.constant)
            usedColumns.insert(l.column);
        fedFields.insert(l.field);
    }
    for (const auto &s : out) {
        usedColumns.insert(s.column);
        fedFields.insert(s.field);
    }

    // Third tier: close names ("adress" ~ "address"), closest pairs first, each column and
    // field used once. Short names are left alone: "id" and "ip" are two edits apart too.
    struct Candidate
    {
        int distance;
        std::size_t column;
        std::size_t field;
    };
    std::vector<Candidate> close;
    std::vector<std::string> fieldNorm(targets.size());
    for (std::size_t f = 0; f < targets.size(); ++f)
        fieldNorm[f] = normalizeName(targets[f].name);
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        if (usedColumns.contains(m_columns[c].name))
            continue;
        const std::string cn = normalizeName(m_columns[c].name);
        if (cn.size() < 5)
            continue;
        for (std::size_t f = 0; f < targets.size(); ++f) {
            if (targets[f].readOnly || fedFields.contains(targets[f].name) ||
                fieldNorm[f].size() < 5)
                continue;
            const int limit = std::min<int>(2, static_cast<int>(cn.size()) / 4);
            const int d = editDistance(cn, fieldNorm[f], limit);
            if (d <= limit)
                close.push_back({d, c, f});
        }
    }
    std::stable_sort(close.begin(), close.end(), [](const Candidate &a, const Candidate &b) {
        return a.distance < b.distance;
    });
    for (const auto &cand : close) {
        const auto &col = m_columns[cand.column].name;
        const auto &field = targets[cand.field].name;
        if (usedColumns.contains(col) || fedFields.contains(field))
            continue;
        usedColumns.insert(col);
        fedFields.insert(field);
        out.push_back({col, field, SuggestedLink::Tier::Close});
    }

    // A destination that makes its own columns gets one new field per column left over.
    if (m_openFields) {
        std::unordered_set<std::string> existing;
        for (const auto &r : fieldRows())
            existing.insert(r.name);
        for (const auto &c : m_columns) {
            if (usedColumns.contains(c.name) || existing.contains(c.name) ||
                fedFields.contains(c.name))
                continue;
            usedColumns.insert(c.name);
            fedFields.insert(c.name);
            out.push_back({c.name, c.name, SuggestedLink::Tier::NewField});
        }
    }

    m_suggestions = std::move(out);
    Q_EMIT suggestionsChanged();
    Q_EMIT layoutChanged();
    return static_cast<int>(m_suggestions.size());
}

void MappingDocument::accept(const std::vector<SuggestedLink> &chosen)
{
    // Copy first: chosen may be m_suggestions itself.
    const std::vector<SuggestedLink> picked = chosen;
    std::vector<FieldMapping> links;
    std::unordered_set<std::string> taken;
    for (const auto &s : picked) {
        // Never overwrite: a field someone linked since the suggestion was made is skipped.
        if (linkIndex(s.field) >= 0 || !hasColumn(s.column) || !taken.insert(s.field).second)
            continue;
        FieldMapping l;
        l.column = s.column;
        l.field = s.field;
        links.push_back(l);
    }
    std::vector<SuggestedLink> after;
    for (const auto &s : m_suggestions) {
        // Matched by column and field: the caller need not know the tier.
        if (std::none_of(picked.begin(), picked.end(), [&](const SuggestedLink &p) {
                return p.column == s.column && p.field == s.field;
            }))
            after.push_back(s);
    }
    if (links.empty() && after.size() == m_suggestions.size())
        return;
    const QString text =
        links.size() == 1 ? tr("Accept the suggestion for %1").arg(q(links.front().field))
                          : tr("Accept %n suggestion(s)", nullptr, static_cast<int>(links.size()));
    m_undo->push(new AcceptCommand(this, std::move(links), std::move(after), text));
}

void MappingDocument::dismissSuggestions()
{
    if (m_suggestions.empty())
        return;
    m_suggestions.clear();
    Q_EMIT suggestionsChanged();
    Q_EMIT layoutChanged();
}

void MappingDocument::insertLink(int index, const FieldMapping &link)
{
    index = std::clamp(index, 0, static_cast<int>(m_mapping.fields.size()));
    m_mapping.fields.insert(m_mapping.fields.begin() + index, link);
    notify();
}

void MappingDocument::replaceLink(int index, const FieldMapping &link)
{
    if (index < 0 || index >= static_cast<int>(m_mapping.fields.size()))
        return;
    m_mapping.fields[static_cast<std::size_t>(index)] = link;
    notify();
}

void MappingDocument::removeLinkAt(int index)
{
    if (index < 0 || index >= static_cast<int>(m_mapping.fields.size()))
        return;
    m_mapping.fields.erase(m_mapping.fields.begin() + index);
    notify();
}

void MappingDocument::setAddedFields(const std::vector<std::string> &fields)
{
    m_addedFields = fields;
    Q_EMIT layoutChanged();
    Q_EMIT mappingChanged();
}

void MappingDocument::setSuggestionsQuietly(const std::vector<SuggestedLink> &suggestions)
{
    m_suggestions = suggestions;
    Q_EMIT suggestionsChanged();
    Q_EMIT layoutChanged();
}

void MappingDocument::pruneSuggestions()
{
    const auto before = m_suggestions.size();
    std::erase_if(m_suggestions, [&](const SuggestedLink &s) {
        if (linkIndex(s.field) >= 0 || !hasColumn(s.column))
            return true;
        for (const auto &l : m_mapping.fields) {
            if (!l.constant && l.column == s.column)
                return true;
        }
        return false;
    });
    if (m_suggestions.size() != before)
        Q_EMIT suggestionsChanged();
}

void MappingDocument::notify()
{
    pruneSuggestions();
    Q_EMIT layoutChanged();
    Q_EMIT mappingChanged();
}

} // namespace sluice
