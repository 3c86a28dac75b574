#pragma once
// The model behind the mapping canvas (the MapDocument pattern of Tiled): owns the Mapping being
// edited, the model columns and destination fields it is checked against, the pending auto-map
// suggestions and the QUndoStack. Every edit goes through a small QUndoCommand, so the views
// only ever redraw from here and undo restores exactly what was there.

#include "destinations/destination.h"
#include "mapping/mapping.h"

#include <QObject>
#include <QStringList>
#include <QUndoStack>

#include <optional>
#include <string>
#include <vector>

namespace sluice {

struct SuggestedLink
{
    enum class Tier
    {
        Exact,      // same name
        Normalized, // same once case, spaces, underscores… are ignored
        Close,      // normalised names at most two edits apart
        NewField    // open-field destination: a new field named like the column
    };
    std::string column;
    std::string field;
    Tier tier = Tier::Exact;

    bool operator==(const SuggestedLink &) const = default;
};

// One row on the destination side of the canvas.
struct FieldRow
{
    std::string name;
    ColumnType type = ColumnType::Unknown;
    bool required = false;
    bool key = false;
    bool readOnly = false;      // shown only because the mapping feeds it (a problem)
    bool missing = false;       // mapped, but the destination does not have it
    bool suggestedOnly = false; // open fields: exists only as an auto-map suggestion
    std::string label;          // the destination's own name for it, when it has one
};

class MappingDocument : public QObject
{
    Q_OBJECT

public:
    explicit MappingDocument(QObject *parent = nullptr);

    void setColumns(const std::vector<Column> &columns);
    void setFields(const std::vector<FieldInfo> &fields, bool openFields);
    // Replaces the mapping, drops suggestions and added fields, clears the undo stack.
    void setMapping(const Mapping &mapping);

    const Mapping &mapping() const { return m_mapping; }
    const std::vector<Column> &columns() const { return m_columns; }
    bool openFields() const { return m_openFields; }
    QUndoStack *undoStack() const { return m_undo; }

    // What the canvas shows on each side.
    std::vector<FieldRow> fieldRows() const;
    bool hasColumn(const std::string &name) const;
    const Column *column(const std::string &name) const;
    std::optional<FieldRow> fieldRow(const std::string &name) const;
    // Index into mapping().fields of the link feeding field, or -1.
    int linkIndex(const std::string &field) const;
    // Why this link's value does not fit its field; empty when it fits.
    QString mismatch(const FieldMapping &link) const;
    QStringList problems() const;

    // Edits; each pushes one undo command (nothing when it would change nothing).
    void link(const std::string &column, const std::string &field); // adds or replaces
    void setConstant(const std::string &field, const std::string &value);
    void removeLink(const std::string &field);
    void setTransforms(const std::string &field, const std::vector<Transform> &transforms);
    bool addField(const std::string &name); // open-field destinations only; false if it exists

    // Auto-map: replaces the pending suggestions; returns how many there are.
    int suggest();
    const std::vector<SuggestedLink> &suggestions() const { return m_suggestions; }
    void accept(const std::vector<SuggestedLink> &suggestions);
    void acceptAll() { accept(m_suggestions); }
    void dismissSuggestions();

    static QString typeInWords(ColumnType type);

Q_SIGNALS:
    void mappingChanged();     // a link was added, removed or edited (also by undo/redo)
    void layoutChanged();      // columns, fields, suggestions or added fields changed
    void suggestionsChanged(); // the pending suggestions changed

private:
    friend class MappingCommand;
    // The primitive changes commands are made of; each notifies the views.
    void insertLink(int index, const FieldMapping &link);
    void replaceLink(int index, const FieldMapping &link);
    void removeLinkAt(int index);
    void setAddedFields(const std::vector<std::string> &fields);
    void setSuggestionsQuietly(const std::vector<SuggestedLink> &suggestions);
    void pruneSuggestions();
    void notify();

    Mapping m_mapping;
    std::vector<Column> m_columns;
    std::vector<FieldInfo> m_fields;
    bool m_openFields = false;
    std::vector<std::string> m_addedFields; // open fields: added with "Add field…"
    std::vector<SuggestedLink> m_suggestions;
    QUndoStack *m_undo;
};

} // namespace sluice
