#pragma once
// Shows what a dry run found: how many records a run would add, change and remove, and
// sample records with the values that would be sent.

#include "engine/syncengine.h"

#include <QDialog>

namespace sluice {

class DryRunDialog : public QDialog
{
    Q_OBJECT

public:
    DryRunDialog(const QString &syncName, const RunResult &result, QWidget *parent = nullptr);
};

} // namespace sluice
