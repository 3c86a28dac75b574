#pragma once
// Vendor emulators by name, for the sluice-emulator tool and for tests that pick one by name.

#include "emulator.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::emu {

// A new emulator of that vendor ("echo", "hubspot", …), or nullptr when there is none.
std::unique_ptr<Emulator> makeEmulator(std::string_view vendor);
std::vector<std::string> emulatorNames();

} // namespace sluice::emu
