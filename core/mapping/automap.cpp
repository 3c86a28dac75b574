#include "mapping/automap.h"

#include <QString>

#include <unordered_set>

namespace sluice {

namespace {

bool isSeparator(char32_t c)
{
    return c == '_' || c == '-' || c == ' ' || c == '.' || c == '\t';
}

} // namespace

std::string normalizeName(std::string_view name)
{
    bool ascii = true;
    for (char c : name) {
        if (static_cast<unsigned char>(c) & 0x80) {
            ascii = false;
            break;
        }
    }
    std::string out;
    if (ascii) {
        out.reserve(name.size());
        for (char c : name) {
            if (isSeparator(static_cast<unsigned char>(c)))
                continue;
            out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
        return out;
    }
    // "ÉCOLE" and "école" are the same name too.
    const QString lower =
        QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())).toLower();
    QString kept;
    kept.reserve(lower.size());
    for (QChar c : lower) {
        if (!isSeparator(c.unicode()))
            kept += c;
    }
    const QByteArray utf8 = kept.toUtf8();
    out.assign(utf8.constData(), static_cast<std::size_t>(utf8.size()));
    return out;
}

std::vector<MappingSuggestion> autoMap(const std::vector<Column> &columns,
                                       const std::vector<FieldInfo> &fields,
                                       const Mapping &existing)
{
    std::unordered_set<std::string> usedColumns;
    std::unordered_set<std::string> fedFields;
    for (const auto &fm : existing.fields) {
        if (!fm.constant && !fm.column.empty())
            usedColumns.insert(fm.column);
        fedFields.insert(fm.field);
    }

    // The fields that may receive a suggestion, in destination order; a field listed twice
    // is offered once.
    std::vector<const FieldInfo *> open;
    std::unordered_set<std::string_view> offered;
    for (const auto &f : fields) {
        if (f.readOnly || fedFields.contains(f.name) || !offered.insert(f.name).second)
            continue;
        open.push_back(&f);
    }

    std::vector<bool> columnTaken(columns.size(), false);
    for (std::size_t c = 0; c < columns.size(); ++c)
        columnTaken[c] = usedColumns.contains(columns[c].name);
    std::vector<std::optional<MappingSuggestion>> chosen(open.size());

    // Pass 1, exact names, over all fields first: a column whose name is exactly some
    // field's must go to that field even if an earlier field matches it only loosely.
    for (std::size_t f = 0; f < open.size(); ++f) {
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (!columnTaken[c] && columns[c].name == open[f]->name) {
                columnTaken[c] = true;
                chosen[f] = MappingSuggestion{columns[c].name, open[f]->name, MatchKind::Exact};
                break;
            }
        }
    }

    // Pass 2: names equal once case and separators are ignored; a field's label counts too.
    std::vector<std::string> normalizedColumns;
    normalizedColumns.reserve(columns.size());
    for (const auto &col : columns)
        normalizedColumns.push_back(normalizeName(col.name));
    for (std::size_t f = 0; f < open.size(); ++f) {
        if (chosen[f])
            continue;
        for (const std::string *name : {&open[f]->name, &open[f]->label}) {
            const std::string key = normalizeName(*name);
            if (key.empty()) // "_" or "-" alone says nothing about what the field holds
                continue;
            for (std::size_t c = 0; c < columns.size() && !chosen[f]; ++c) {
                if (!columnTaken[c] && normalizedColumns[c] == key) {
                    columnTaken[c] = true;
                    chosen[f] =
                        MappingSuggestion{columns[c].name, open[f]->name, MatchKind::Normalized};
                }
            }
            if (chosen[f])
                break;
        }
    }

    std::vector<MappingSuggestion> out;
    for (auto &s : chosen) {
        if (s)
            out.push_back(std::move(*s));
    }
    return out;
}

} // namespace sluice
