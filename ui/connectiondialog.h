#pragma once
// Adds or edits one connection. The settings form is generated from the chosen driver's
// declared settings (SettingSpec), so a new driver needs no UI code. "Test connection" runs in
// the background; OK validates and saves through the workspace (in the background too) and shows
// problems inline instead of closing.

#include "workspace/definitions.h"

#include <QDialog>

#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sluice {

struct DriverInfo;
struct SettingSpec;

class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    // `connection.id == 0` adds a new connection; otherwise edits that one (its role is fixed).
    ConnectionDialog(const QString &workspacePath, const ConnectionDef &connection,
                     QWidget *parent = nullptr);

    // The connection as the form describes it now, secrets left out (OK hands typed secrets to
    // the workspace, which moves them into the secret store).
    ConnectionDef connection() const;
    // The id the workspace gave the connection once OK saved it.
    std::int64_t savedId() const { return m_saved.id; }

    QComboBox *roleCombo() const { return m_roleCombo; }
    QComboBox *kindCombo() const { return m_kindCombo; }
    QLineEdit *nameEdit() const { return m_nameEdit; }
    QPushButton *testButton() const { return m_testButton; }
    QLabel *testResultLabel() const { return m_testText; }
    QLabel *errorLabel() const { return m_errorText; }
    // The editor widget for a setting key (QLineEdit, QSpinBox, QComboBox, QCheckBox, …).
    QWidget *settingEditor(const QString &key) const;
    bool isTesting() const { return m_testing; }

public slots:
    void testConnection();
    void accept() override;

signals:
    void testFinished();

private:
    struct Field
    {
        int spec = 0;              // index into the driver's settings
        QWidget *editor = nullptr; // what settingEditor() returns
        QWidget *row = nullptr;    // the editor plus its Browse… button
    };

    const DriverInfo *currentDriver() const;
    void fillKinds();
    void rebuildForm();
    void fitHeight();
    QWidget *createEditor(const SettingSpec &spec, const nlohmann::json &value, QWidget **row);
    nlohmann::json valueOf(const SettingSpec &spec, QWidget *editor) const;
    // Adds the typed secrets; an empty secret field keeps the stored one (its marker).
    void addSecrets(ConnectionDef &c) const;
    void showTestResult(bool ok, const QString &text);
    void showError(const QString &text);
    void setBusy(bool busy);

    QString m_workspacePath;
    ConnectionDef m_original;
    ConnectionDef m_saved;
    std::vector<Field> m_fields;
    quint64 m_testGeneration = 0;
    bool m_testing = false;
    bool m_saving = false;

    QComboBox *m_roleCombo;
    QComboBox *m_kindCombo;
    QLineEdit *m_nameEdit;
    QFormLayout *m_settingsForm;
    QPushButton *m_testButton;
    QLabel *m_testIcon;
    QLabel *m_testText;
    QLabel *m_errorIcon;
    QLabel *m_errorText;
    QDialogButtonBox *m_buttons;
};

} // namespace sluice
