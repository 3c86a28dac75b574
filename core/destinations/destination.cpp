#include "destinations/destination.h"

namespace sluice {

const char *syncModeName(SyncMode mode)
{
    switch (mode) {
    case SyncMode::Insert:
        return "insert";
    case SyncMode::Update:
        return "update";
    case SyncMode::Upsert:
        return "upsert";
    case SyncMode::Mirror:
        return "mirror";
    }
    return "upsert";
}

std::optional<SyncMode> syncModeFromName(std::string_view name)
{
    for (auto m : {SyncMode::Insert, SyncMode::Update, SyncMode::Upsert, SyncMode::Mirror}) {
        if (name == syncModeName(m))
            return m;
    }
    return std::nullopt;
}

std::string syncModeExplanation(SyncMode mode)
{
    switch (mode) {
    case SyncMode::Insert:
        return "Insert: adds records for new rows; never changes or removes existing records.";
    case SyncMode::Update:
        return "Update: changes records that already exist in the destination; never adds or "
               "removes any.";
    case SyncMode::Upsert:
        return "Upsert: adds new rows and updates changed ones; records whose rows left the "
               "model are left alone.";
    case SyncMode::Mirror:
        return "Mirror: makes the destination match the model — adds, updates, and deletes "
               "records whose rows left the model.";
    }
    return {};
}

const char *opName(Op op)
{
    switch (op) {
    case Op::Create:
        return "create";
    case Op::Update:
        return "update";
    case Op::Upsert:
        return "upsert";
    case Op::Delete:
        return "delete";
    }
    return "upsert";
}

} // namespace sluice
