#include "testdestination.h"

namespace sluice::test {

namespace {

class TestWriter : public Writer
{
public:
    explicit TestWriter(TestDestination &d) : m_d(d) {}

    Result<std::vector<RecordResult>> write(std::span<const Change> batch) override
    {
        if (m_d.writes++ == m_d.failAtWrite)
            return fail(ErrorKind::Destination, "The test destination is down.");
        std::vector<RecordResult> out;
        for (const Change &c : batch) {
            m_d.log.emplace_back(c.op, c.key);
            m_d.destIds[c.key] = c.destId;
            RecordResult r;
            if (auto it = m_d.transientFailures.find(c.key);
                it != m_d.transientFailures.end() && it->second > 0) {
                --it->second;
                r.status = RecordResult::Status::Retry;
                r.message = "503 Service Unavailable";
                r.retryAfterMs = 1;
            } else if (m_d.rejectKeys.count(c.key)) {
                r.status = RecordResult::Status::Rejected;
                r.message = "Invalid record " + c.key;
            } else {
                const bool exists = m_d.records.count(c.key) != 0;
                switch (c.op) {
                case Op::Create:
                    if (exists) {
                        r.status = RecordResult::Status::Rejected;
                        r.message = "A record with key " + c.key + " already exists";
                    } else {
                        m_d.records[c.key] = c.values;
                    }
                    break;
                case Op::Update:
                    if (!exists) {
                        r.status = RecordResult::Status::Rejected;
                        r.message = "No record with key " + c.key;
                    } else {
                        m_d.records[c.key] = c.values;
                    }
                    break;
                case Op::Upsert:
                    m_d.records[c.key] = c.values;
                    break;
                case Op::Delete:
                    m_d.records.erase(c.key);
                    break;
                }
                if (r.status == RecordResult::Status::Ok)
                    r.destId = "id-" + c.key;
            }
            out.push_back(r);
        }
        if (m_d.onWrite)
            m_d.onWrite(m_d.writes);
        return out;
    }
    Result<void> commit() override { return {}; }
    void abort() override {}

private:
    TestDestination &m_d;
};

} // namespace

Result<std::vector<ObjectInfo>> TestDestination::objects()
{
    return std::vector<ObjectInfo>{{"things", "Things", true}};
}

Result<std::vector<FieldInfo>> TestDestination::fields(const std::string &)
{
    return std::vector<FieldInfo>{};
}

Result<std::unique_ptr<Writer>> TestDestination::openWriter(const WriteSpec &spec)
{
    lastFields = spec.fields;
    return std::make_unique<TestWriter>(*this);
}

int TestDestination::count(Op op) const
{
    int n = 0;
    for (const auto &[o, k] : log)
        n += o == op;
    return n;
}

} // namespace sluice::test
