#pragma once
// The sync editor: one dialog to build or change a sync (model, destination object, key match,
// mode, schedule and the field mapping), check it with a dry run and run it now. Everything that
// touches the workspace, a source or a destination runs in the background.

#include "engine/syncengine.h"
#include "workspace/definitions.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;
class QTimeEdit;

namespace sluice {

class MappingEditor;
class SyncRunner;

class SyncEditor : public QDialog
{
    Q_OBJECT

public:
    // syncId 0 starts a new sync.
    explicit SyncEditor(const QString &workspacePath, std::int64_t syncId = 0,
                        QWidget *parent = nullptr);
    ~SyncEditor() override;

    std::int64_t syncId() const { return m_sync.id; }
    // True while anything is loading, saving or running in the background.
    bool isBusy() const;
    bool hasUnsavedChanges() const { return m_dirty; }
    // Why Save is blocked right now, in plain words; empty when the sync can be saved.
    QStringList saveBlockers() const;

    // Schedule JSON as stored in SyncDef::schedule (the scheduler issue will add types):
    //   {"type":"manual"}
    //   {"type":"interval","minutes":N}   (N >= 1; "every N hours" is stored as N*60 minutes)
    //   {"type":"daily","time":"HH:MM"}   (local time, 24-hour clock)
    // Any other shape is shown as "Other" and stored back unchanged.
    static nlohmann::json manualSchedule();

Q_SIGNALS:
    void statusMessage(const QString &text);
    void workspaceEdited(); // something was saved or a run was recorded: other pages reload

public Q_SLOTS:
    void save();
    void dryRun();
    void runNow();
    void stop();

protected:
    void reject() override;

private:
    struct Lists;
    struct DestinationInfo;
    struct Schema;

    void buildUi();
    void loadLists();
    void applyLists(Lists lists);
    void loadDestination();
    void applyDestination(DestinationInfo info);
    void loadSchema();
    void applySchema(Schema schema);
    void fillKeyFields();
    // The chosen destination object: the picked item's name, or the typed text.
    QString chosenObject() const;
    const ModelDef *currentModel() const;
    bool currentOpenFields() const;
    void fillModeExplanation();
    void fillScheduleFromJson(const nlohmann::json &schedule);
    nlohmann::json scheduleJson() const;
    SyncDef currentDef() const;
    void markDirty();
    void updateState();
    // Saves (in the background) when needed, then calls next with the saved id.
    void saveThen(std::function<void()> next);
    void startRun(bool dry);
    void onProgress(const RunProgress &progress);
    void onFinished(const RunResult &result);
    void showPlan(const RunResult &result);
    void appendLog(const QString &line);

    QString m_workspacePath;
    SyncDef m_sync; // as loaded or last saved; the widgets hold the edits
    std::vector<ModelDef> m_models;
    std::vector<ConnectionDef> m_destinations;
    std::vector<ObjectInfo> m_objects;
    std::vector<FieldInfo> m_fields;
    std::vector<SyncMode> m_modes;
    bool m_openFields = false;
    bool m_schemaLoaded = false;
    QString m_loadedObject; // the object whose fields were last asked for
    QString m_schemaError;
    QString m_destinationError;
    int m_loading = 0;               // background loads under way
    int m_destinationGeneration = 0; // drops results of loads that a newer choice replaced
    int m_schemaGeneration = 0;
    bool m_mappingFromSync = true; // the first schema load shows the saved mapping
    bool m_saving = false;
    bool m_dirty = false;
    bool m_filling = false;         // the widgets are being filled by code, not edited by the user
    nlohmann::json m_otherSchedule; // a schedule shape this editor does not know, kept as is
    QElapsedTimer m_logClock;
    RunProgress::Phase m_lastPhase = RunProgress::Phase::Done;

    QLineEdit *m_name;
    QComboBox *m_model;
    QComboBox *m_destination;
    QComboBox *m_object;
    QLabel *m_objectNote;
    QLabel *m_modelKey;
    QComboBox *m_keyField;
    QComboBox *m_mode;
    QLabel *m_modeExplanation;
    QLabel *m_guardLabel;
    QSpinBox *m_guard;
    QComboBox *m_scheduleType;
    QSpinBox *m_every;
    QTimeEdit *m_dailyAt;
    QLabel *m_scheduleNote;
    QTabWidget *m_tabs;
    MappingEditor *m_mapping;
    QLabel *m_loadError;
    QLabel *m_planSummary;
    QTableWidget *m_planTable;
    QProgressBar *m_progress;
    QLabel *m_runResult;
    QPlainTextEdit *m_log;
    QLabel *m_blockers;
    QLabel *m_saveError;
    QPushButton *m_saveButton;
    QPushButton *m_dryRunButton;
    QPushButton *m_runButton;
    QPushButton *m_stopButton;
    SyncRunner *m_runner;
};

} // namespace sluice
