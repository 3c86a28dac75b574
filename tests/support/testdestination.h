#pragma once
// An in-memory destination for engine tests. It declares the modes and batch size it is told
// to, keeps records by key, rejects chosen keys with a message, fails chosen keys transiently a
// set number of times, and can fail a whole write.

#include "destinations/destination.h"

#include <functional>
#include <map>
#include <set>

namespace sluice::test {

class TestDestination : public Destination
{
public:
    DestinationCaps caps{
        {SyncMode::Insert, SyncMode::Update, SyncMode::Upsert, SyncMode::Mirror}, false, 100};
    std::map<std::string, std::vector<Value>> records; // what the destination holds, by key
    std::set<std::string> rejectKeys;                  // rejected with "Invalid record <key>"
    std::map<std::string, int> transientFailures;      // key → remaining Retry answers
    int failAtWrite = -1;                              // this write() call fails as a whole
    bool lost = false;                                 // recordsLost() answer
    int writes = 0;
    std::function<void(int writes)> onWrite;     // called after each write()
    std::vector<std::pair<Op, std::string>> log; // every change that reached write()
    std::map<std::string, std::string> destIds;  // key → Change::destId it last came with
    std::vector<std::string> lastFields;         // from the last openWriter

    DestinationCaps capabilities() const override { return caps; }
    Result<std::vector<ObjectInfo>> objects() override;
    Result<std::vector<FieldInfo>> fields(const std::string &object) override;
    bool recordsLost(const std::string &) override { return lost; }
    Result<std::unique_ptr<Writer>> openWriter(const WriteSpec &spec) override;

    int count(Op op) const;
};

} // namespace sluice::test
