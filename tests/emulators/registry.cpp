#include "registry.h"

#include "echoemulator.h"
#include "hubspotemulator.h"
#include "oauthemulator.h"
#include "salesforceemulator.h"
#include "sheetsemulator.h"
#include "webhookemulator.h"

namespace sluice::emu {

namespace {

template <class E> std::unique_ptr<Emulator> make()
{
    return std::make_unique<E>();
}

struct Entry
{
    std::string_view name;
    std::unique_ptr<Emulator> (*make)();
};

// One line per vendor emulator.
constexpr Entry kEmulators[] = {
    {"echo", &make<EchoEmulator>},     {"hubspot", &make<HubSpotEmulator>},
    {"oauth", &make<OAuthEmulator>},   {"salesforce", &make<SalesforceEmulator>},
    {"sheets", &make<SheetsEmulator>}, {"webhook", &make<WebhookEmulator>},
};

} // namespace

std::unique_ptr<Emulator> makeEmulator(std::string_view vendor)
{
    for (const Entry &entry : kEmulators) {
        if (entry.name == vendor)
            return entry.make();
    }
    return nullptr;
}

std::vector<std::string> emulatorNames()
{
    std::vector<std::string> names;
    for (const Entry &entry : kEmulators)
        names.emplace_back(entry.name);
    return names;
}

} // namespace sluice::emu
