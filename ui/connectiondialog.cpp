#include "connectiondialog.h"

#include "asyncjob.h"
#include "data/driverinfo.h"
#include "destinations/destinationregistry.h"
#include "engine/connectiontest.h"
#include "secrets/secretsettings.h"
#include "sources/sourceregistry.h"
#include "workspace/workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

#include <limits>

namespace sluice {

namespace {

QString fromStd(const std::string &s)
{
    return QString::fromStdString(s);
}

// The settings to validate and save: secrets are never part of ConnectionDef::settings.
DriverInfo withoutSecrets(const DriverInfo &info)
{
    DriverInfo copy = info;
    std::erase_if(copy.settings,
                  [](const SettingSpec &s) { return s.kind == SettingKind::Secret; });
    return copy;
}

QPixmap statusPixmap(const QWidget *widget, QStyle::StandardPixmap which)
{
    const int size = widget->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, widget);
    return widget->style()->standardIcon(which, nullptr, widget).pixmap(size, size);
}

} // namespace

ConnectionDialog::ConnectionDialog(const QString &workspacePath, const ConnectionDef &connection,
                                   QWidget *parent)
    : QDialog(parent), m_workspacePath(workspacePath), m_original(connection), m_saved(connection),
      m_roleCombo(new QComboBox(this)), m_kindCombo(new QComboBox(this)),
      m_nameEdit(new QLineEdit(this)), m_settingsForm(new QFormLayout),
      m_testButton(new QPushButton(tr("&Test connection"), this)), m_testIcon(new QLabel(this)),
      m_testText(new QLabel(this)), m_errorIcon(new QLabel(this)), m_errorText(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(connection.id == 0 ? tr("New connection") : tr("Edit connection"));

    m_roleCombo->addItem(tr("Source (where rows come from)"),
                         static_cast<int>(ConnectionRole::Source));
    m_roleCombo->addItem(tr("Destination (where rows go)"),
                         static_cast<int>(ConnectionRole::Destination));
    m_roleCombo->setCurrentIndex(connection.role == ConnectionRole::Source ? 0 : 1);
    // Models and syncs rely on an existing connection's role: only a new one may choose it.
    m_roleCombo->setEnabled(connection.id == 0);
    m_nameEdit->setText(fromStd(connection.name));
    m_nameEdit->setPlaceholderText(tr("e.g. Sales warehouse"));

    auto *top = new QFormLayout;
    top->addRow(tr("&Role:"), m_roleCombo);
    top->addRow(tr("&Type:"), m_kindCombo);
    top->addRow(tr("&Name: *"), m_nameEdit);

    auto *settingsBox = new QGroupBox(tr("Settings"), this);
    settingsBox->setLayout(m_settingsForm);
    m_settingsForm->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton);
    testRow->addWidget(m_testIcon, 0, Qt::AlignTop);
    testRow->addWidget(m_testText, 1);
    m_testText->setWordWrap(true);
    m_testText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testIcon->hide();
    // A fixed size: a wrapping message must not squeeze the icon.
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_testIcon->setFixedSize(iconSize, iconSize);
    m_errorIcon->setFixedSize(iconSize, iconSize);

    auto *errorRow = new QHBoxLayout;
    errorRow->addWidget(m_errorIcon, 0, Qt::AlignTop);
    errorRow->addWidget(m_errorText, 1);
    m_errorText->setWordWrap(true);
    m_errorIcon->setPixmap(statusPixmap(this, QStyle::SP_MessageBoxWarning));
    m_errorIcon->hide();
    m_errorText->hide();

    auto *required = new QLabel(tr("* required · point at a setting for an explanation"), this);
    required->setEnabled(false); // the palette's disabled text: a quiet hint in light and dark

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(settingsBox);
    layout->addWidget(required);
    layout->addLayout(testRow);
    layout->addLayout(errorRow);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_roleCombo, &QComboBox::currentIndexChanged, this, [this] { fillKinds(); });
    connect(m_kindCombo, &QComboBox::currentIndexChanged, this, [this] { rebuildForm(); });
    connect(m_testButton, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);

    fillKinds();
    resize(560, sizeHint().height());
}

const DriverInfo *ConnectionDialog::currentDriver() const
{
    const std::string kind = m_kindCombo->currentData().toString().toStdString();
    if (m_roleCombo->currentIndex() == 0) {
        const SourceDriver *d = findSourceDriver(kind);
        return d ? &d->info : nullptr;
    }
    const DestinationDriver *d = findDestinationDriver(kind);
    return d ? &d->info : nullptr;
}

void ConnectionDialog::fillKinds()
{
    QSignalBlocker block(m_kindCombo);
    m_kindCombo->clear();
    if (m_roleCombo->currentIndex() == 0) {
        for (const auto &d : sourceDrivers())
            m_kindCombo->addItem(fromStd(d.info.label), fromStd(d.info.kind));
    } else {
        for (const auto &d : destinationDrivers())
            m_kindCombo->addItem(fromStd(d.info.label), fromStd(d.info.kind));
    }
    const int index = m_kindCombo->findData(fromStd(m_original.kind));
    m_kindCombo->setCurrentIndex(index >= 0 ? index : 0);
    rebuildForm();
}

void ConnectionDialog::rebuildForm()
{
    ++m_testGeneration; // a test still running describes the old form: drop its answer
    m_testing = false;
    m_testButton->setEnabled(true);
    showTestResult(true, QString());
    showError(QString());
    while (m_settingsForm->rowCount() > 0)
        m_settingsForm->removeRow(0);
    m_fields.clear();

    const DriverInfo *info = currentDriver();
    if (!info)
        return;
    // Editing: show what is stored, as stored (relative paths stay relative to the workspace
    // folder). Switching to another kind starts from that kind's defaults.
    const bool sameKind = m_original.id != 0 && info->kind == m_original.kind;
    for (int i = 0; i < static_cast<int>(info->settings.size()); ++i) {
        const SettingSpec &spec = info->settings[i];
        nlohmann::json value = spec.defaultValue;
        if (sameKind) {
            // A secret's stored value is a marker or an env: reference, never the secret: the
            // editor uses it only to say that one is stored.
            auto it = m_original.settings.find(spec.key);
            if (it != m_original.settings.end())
                value = *it;
        }
        QWidget *row = nullptr;
        QWidget *editor = createEditor(spec, value, &row);
        editor->setObjectName(fromStd(spec.key));
        editor->setToolTip(fromStd(spec.help));
        QString label = fromStd(spec.label);
        if (spec.required)
            label += QStringLiteral(" *");
        if (spec.kind == SettingKind::Boolean) {
            static_cast<QCheckBox *>(editor)->setText(fromStd(spec.label));
            m_settingsForm->addRow(QString(), row);
        } else {
            m_settingsForm->addRow(label + QLatin1Char(':'), row);
            if (QWidget *labelWidget = m_settingsForm->labelForField(row))
                labelWidget->setToolTip(fromStd(spec.help));
        }
        m_fields.push_back(Field{i, editor, row});
    }
    fitHeight();
}

void ConnectionDialog::fitHeight()
{
    // Another driver has a different number of settings: fit the height, keep the width.
    layout()->activate();
    resize(width(), qMax(height(), sizeHint().height()));
}

QWidget *ConnectionDialog::createEditor(const SettingSpec &spec, const nlohmann::json &value,
                                        QWidget **row)
{
    // Any edit makes an earlier test result stale.
    auto stale = [this] {
        ++m_testGeneration;
        if (m_testing) {
            m_testing = false;
            m_testButton->setEnabled(true);
        }
        showTestResult(true, QString());
    };
    switch (spec.kind) {
    case SettingKind::Number: {
        QWidget *editor;
        if (value.is_number_float() || spec.defaultValue.is_number_float()) {
            auto *box = new QDoubleSpinBox;
            box->setRange(-1e12, 1e12);
            box->setDecimals(3);
            box->setValue(value.is_number() ? value.get<double>() : 0.0);
            connect(box, &QDoubleSpinBox::valueChanged, this, stale);
            editor = box;
        } else {
            auto *box = new QSpinBox;
            box->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
            box->setValue(value.is_number() ? value.get<int>() : 0);
            connect(box, &QSpinBox::valueChanged, this, stale);
            editor = box;
        }
        *row = editor;
        return editor;
    }
    case SettingKind::Choice: {
        auto *combo = new QComboBox;
        for (const auto &c : spec.choices)
            combo->addItem(fromStd(c), fromStd(c));
        const int index =
            value.is_string() ? combo->findData(fromStd(value.get<std::string>())) : -1;
        combo->setCurrentIndex(index >= 0 ? index : 0);
        connect(combo, &QComboBox::currentIndexChanged, this, stale);
        *row = combo;
        return combo;
    }
    case SettingKind::Boolean: {
        auto *check = new QCheckBox;
        check->setChecked(value.is_boolean() && value.get<bool>());
        connect(check, &QCheckBox::toggled, this, stale);
        *row = check;
        return check;
    }
    case SettingKind::Secret: {
        // Secrets are never shown back: the field starts empty even when editing, and left
        // empty it keeps the stored secret. A typed one goes to the secret store, not the
        // workspace file; "env:NAME" reads it from the environment instead.
        auto *edit = new QLineEdit;
        edit->setEchoMode(QLineEdit::Password);
        if (isSecretMarker(value) && secretMarkerKey(value))
            edit->setPlaceholderText(tr("Stored securely; leave empty to keep it"));
        else if (auto name = envReferenceName(value))
            edit->setPlaceholderText(
                tr("Read from the environment variable %1; leave empty to keep it")
                    .arg(fromStd(*name)));
        else
            edit->setPlaceholderText(tr("Kept in the secret store, or env:NAME"));
        connect(edit, &QLineEdit::textChanged, this, stale);
        *row = edit;
        return edit;
    }
    case SettingKind::FilePath:
    case SettingKind::FolderPath: {
        auto *edit = new QLineEdit;
        if (value.is_string())
            edit->setText(fromStd(value.get<std::string>()));
        edit->setPlaceholderText(
            spec.kind == SettingKind::FilePath
                ? tr("A file; relative paths start at the workspace folder")
                : tr("A folder; relative paths start at the workspace folder"));
        connect(edit, &QLineEdit::textChanged, this, stale);
        auto *browse = new QPushButton(tr("Browse…"));
        const bool folder = spec.kind == SettingKind::FolderPath;
        const QString label = fromStd(spec.label);
        connect(browse, &QPushButton::clicked, this, [this, edit, folder, label] {
            const QDir base = QFileInfo(m_workspacePath).absoluteDir();
            const QString current =
                edit->text().isEmpty() ? base.path() : base.absoluteFilePath(edit->text());
            const QString chosen = folder ? QFileDialog::getExistingDirectory(this, label, current)
                                          : QFileDialog::getOpenFileName(this, label, current);
            if (chosen.isEmpty())
                return;
            // Inside the workspace folder the path is stored relative, so the workspace and its
            // files can move together.
            const QString relative = base.relativeFilePath(chosen);
            edit->setText(relative.startsWith(QLatin1String(".."))
                              ? QDir::toNativeSeparators(chosen)
                              : relative);
        });
        auto *row_ = new QWidget;
        auto *h = new QHBoxLayout(row_);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(edit, 1);
        h->addWidget(browse);
        *row = row_;
        return edit;
    }
    case SettingKind::Text:
        break;
    }
    auto *edit = new QLineEdit;
    if (value.is_string())
        edit->setText(fromStd(value.get<std::string>()));
    connect(edit, &QLineEdit::textChanged, this, stale);
    *row = edit;
    return edit;
}

nlohmann::json ConnectionDialog::valueOf(const SettingSpec &spec, QWidget *editor) const
{
    switch (spec.kind) {
    case SettingKind::Number:
        if (auto *d = qobject_cast<QDoubleSpinBox *>(editor))
            return d->value();
        return static_cast<QSpinBox *>(editor)->value();
    case SettingKind::Choice:
        return static_cast<QComboBox *>(editor)->currentData().toString().toStdString();
    case SettingKind::Boolean:
        return static_cast<QCheckBox *>(editor)->isChecked();
    default: {
        const QString text = static_cast<QLineEdit *>(editor)->text().trimmed();
        if (text.isEmpty())
            return nullptr; // left out: an empty optional setting is "not set"
        return text.toStdString();
    }
    }
}

QWidget *ConnectionDialog::settingEditor(const QString &key) const
{
    const DriverInfo *info = currentDriver();
    if (!info)
        return nullptr;
    for (const Field &f : m_fields) {
        if (fromStd(info->settings[f.spec].key) == key)
            return f.editor;
    }
    return nullptr;
}

ConnectionDef ConnectionDialog::connection() const
{
    ConnectionDef c;
    c.id = m_original.id;
    c.name = m_nameEdit->text().trimmed().toStdString();
    c.role =
        m_roleCombo->currentIndex() == 0 ? ConnectionRole::Source : ConnectionRole::Destination;
    c.kind = m_kindCombo->currentData().toString().toStdString();
    c.settings = nlohmann::json::object();
    const DriverInfo *info = currentDriver();
    if (!info)
        return c;
    for (const Field &f : m_fields) {
        const SettingSpec &spec = info->settings[f.spec];
        if (spec.kind == SettingKind::Secret)
            continue; // added by addSecrets() for testing and saving only
        nlohmann::json v = valueOf(spec, f.editor);
        if (!v.is_null())
            c.settings[spec.key] = std::move(v);
    }
    return c;
}

void ConnectionDialog::addSecrets(ConnectionDef &c) const
{
    const DriverInfo *info = currentDriver();
    if (!info)
        return;
    const bool sameKind = m_original.id != 0 && info->kind == m_original.kind;
    for (const Field &f : m_fields) {
        const SettingSpec &spec = info->settings[f.spec];
        if (spec.kind != SettingKind::Secret)
            continue;
        nlohmann::json v = valueOf(spec, f.editor);
        if (!v.is_null()) {
            c.settings[spec.key] = std::move(v);
        } else if (sameKind) {
            auto it = m_original.settings.find(spec.key);
            if (it != m_original.settings.end())
                c.settings[spec.key] = *it; // the stored one, read from the store when used
        }
    }
}

void ConnectionDialog::testConnection()
{
    if (m_testing)
        return;
    ConnectionDef c = connection();
    addSecrets(c); // a typed secret is used for the test; it is saved only by OK
    const quint64 generation = ++m_testGeneration;
    m_testing = true;
    m_testButton->setEnabled(false);
    m_testIcon->hide();
    m_testText->setText(tr("Testing…"));
    DriverContext context{QFileInfo(m_workspacePath).absolutePath().toStdString()};
    runThenCallback(
        this, [c, context] { return sluice::testConnection(c, context); },
        [this, generation](Result<std::string> result) {
            if (generation != m_testGeneration)
                return; // the form changed meanwhile
            m_testing = false;
            m_testButton->setEnabled(!m_saving);
            if (result)
                showTestResult(true, fromStd(*result));
            else
                showTestResult(false, fromStd(result.error().message));
            emit testFinished();
        });
}

void ConnectionDialog::showTestResult(bool ok, const QString &text)
{
    m_testText->setText(text);
    m_testIcon->setVisible(!text.isEmpty());
    if (!text.isEmpty())
        m_testIcon->setPixmap(
            statusPixmap(this, ok ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxCritical));
    m_testText->setAccessibleDescription(ok ? tr("Test succeeded") : tr("Test failed"));
}

void ConnectionDialog::showError(const QString &text)
{
    m_errorText->setText(text);
    m_errorText->setVisible(!text.isEmpty());
    m_errorIcon->setVisible(!text.isEmpty());
}

void ConnectionDialog::setBusy(bool busy)
{
    m_saving = busy;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    m_testButton->setEnabled(!busy && !m_testing);
}

void ConnectionDialog::accept()
{
    if (m_saving)
        return;
    const ConnectionDef c = connection();
    if (c.name.empty()) {
        showError(tr("Give the connection a name."));
        m_nameEdit->setFocus();
        return;
    }
    const DriverInfo *info = currentDriver();
    if (!info) {
        showError(tr("Choose the type of connection."));
        return;
    }
    if (std::string problem = validateSettings(withoutSecrets(*info), c.settings);
        !problem.empty()) {
        showError(fromStd(problem));
        return;
    }
    showError(QString());
    setBusy(true);
    const std::string path = m_workspacePath.toStdString();
    ConnectionDef withSecrets = c;
    addSecrets(withSecrets); // the workspace moves them into the secret store
    runThenCallback(
        this,
        [path, c = std::move(withSecrets)]() -> Result<std::int64_t> {
            auto ws = Workspace::open(path);
            if (!ws)
                return std::unexpected(ws.error());
            return ws->saveConnection(c);
        },
        [this, c](Result<std::int64_t> id) {
            setBusy(false);
            if (!id) {
                showError(fromStd(id.error().message));
                return;
            }
            m_saved = c;
            m_saved.id = *id;
            QDialog::accept();
        });
}

} // namespace sluice
