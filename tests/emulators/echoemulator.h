#pragma once
// The simplest emulator, for tests of the HTTP layer and of EmulatorServer itself: it answers
// every request with what it received, and a few paths ask for a given status or size.

#include "emulator.h"

namespace sluice::emu {

class EchoEmulator : public Emulator
{
public:
    // GET/POST/… anything: 200 {"method","path","query":{…},"headers":{…},"body"}.
    // /status/<code>[?retryAfter=<value>]: that status (with that Retry-After), same body.
    // /bytes/<n>: 200 with an n-byte text/plain body.
    EmuReply handle(const EmuRequest &request) override;

    long handled = 0;               // requests that reached handle()
    std::vector<EmuRequest> recent; // the last 100 of them, oldest first
};

} // namespace sluice::emu
