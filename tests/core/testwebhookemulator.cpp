// The webhook receiver emulator on its own, request by request (no HTTP): it must check
// signatures, timestamps and ids the way Standard Webhooks tells receivers to, since the webhook
// destination's tests trust what it stores.
#include "net/jwt.h"
#include "net/webhooksignature.h"
#include "webhookemulator.h"

#include <QtTest>

#include <chrono>

using namespace sluice::emu;
using json = nlohmann::json;

namespace {

// The Standard Webhooks specification's test vector.
const std::string kSpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kSpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const std::string kSpecTimestamp = "1614265330";
const std::string kSpecBody = "{\"test\": 2432232314}";
const std::string kSpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

const std::string kSecret = "whsec_" + sluice::net::base64Encode("a test key of 24 bytes!!");

std::int64_t now()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json makeEvent(const std::string &type, const std::string &key, json fields = json::object())
{
    fields["key"] = key;
    return {{"id", "evt_" + key + type},
            {"type", type},
            {"timestamp", "2025-01-02T03:04:05.000Z"},
            {"data", fields}};
}

json batch(std::vector<json> events)
{
    return {{"type", "sluice.batch"},
            {"timestamp", "2025-01-02T03:04:05.000Z"},
            {"data", {{"events", events}}}};
}

// A POST signed with the core's signer (checked against the spec's vector in
// testwebhooksignature, and here against the emulator's own HMAC).
EmuRequest post(const std::string &id, const json &body, const std::string &secret = kSecret,
                std::int64_t timestamp = now())
{
    EmuRequest r;
    r.method = "POST";
    r.path = "/webhook";
    r.body = body.dump();
    r.headers = {{"content-type", "application/json"},
                 {"webhook-id", id},
                 {"webhook-timestamp", std::to_string(timestamp)}};
    if (!secret.empty()) {
        auto signer = sluice::net::WebhookSigner::fromSecret(secret).value();
        r.headers.emplace_back("webhook-signature", signer.sign(id, timestamp, r.body));
    }
    return r;
}

void setHeader(EmuRequest &r, const std::string &name, const std::string &value)
{
    for (auto &[k, v] : r.headers) {
        if (k == name) {
            v = value;
            return;
        }
    }
    r.headers.emplace_back(name, value);
}

json bodyOf(const EmuReply &reply)
{
    return reply.body.empty() ? json() : json::parse(reply.body);
}

} // namespace

class TestWebhookEmulator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsTheSpecificationsTestVector()
    {
        WebhookEmulator e("/webhook", kSpecSecret);
        e.setToleranceSeconds(2'000'000'000); // the vector's timestamp is from 2021
        EmuRequest r;
        r.method = "POST";
        r.path = "/webhook";
        r.body = kSpecBody;
        r.headers = {{"content-type", "application/json"},
                     {"webhook-id", kSpecId},
                     {"webhook-timestamp", kSpecTimestamp},
                     {"webhook-signature", kSpecSignature}};
        // The signature passes; the body is not an event, which is the next thing checked.
        auto reply = e.handle(r);
        QCOMPARE(reply.status, 400);
        QCOMPARE(bodyOf(reply)["error"], json("invalid_payload"));
        QCOMPARE(e.counters().unauthorized, 0);

        // One changed character anywhere fails the signature.
        r.body = "{\"test\": 2432232315}";
        QCOMPARE(e.handle(r).status, 401);
        r.body = kSpecBody;
        setHeader(r, "webhook-id", kSpecId + "x");
        QCOMPARE(e.handle(r).status, 401);
        setHeader(r, "webhook-id", kSpecId);
        setHeader(r, "webhook-timestamp", "1614265331");
        QCOMPARE(e.handle(r).status, 401);
        QCOMPARE(e.counters().unauthorized, 3);
        // During a rotation the header lists several signatures; one match is enough.
        setHeader(r, "webhook-timestamp", kSpecTimestamp);
        setHeader(r, "webhook-signature", "v1,Zm9vYmFy " + kSpecSignature);
        QCOMPARE(e.handle(r).status, 400);
        // The bare base64 is not a v1 signature.
        setHeader(r, "webhook-signature", kSpecSignature.substr(3));
        QCOMPARE(e.handle(r).status, 401);
    }

    void storesSignedEventsAndRefusesUnsignedOnes()
    {
        WebhookEmulator e("/webhook", kSecret);
        auto ok = e.handle(post("msg_1", batch({makeEvent("record.created", "1", {{"name", "A"}}),
                                                makeEvent("record.created", "2")})));
        QCOMPARE(ok.status, 200);
        QCOMPARE(bodyOf(ok)["received"], json(2));
        QCOMPARE(e.eventCount(), 2u);
        QCOMPARE(e.events()[0].messageId, std::string("msg_1"));
        QCOMPARE(e.events()[0].key, std::string("1"));
        QCOMPARE(e.events()[0].id, std::string("evt_1record.created"));
        QCOMPARE(e.events()[0].data["name"], json("A"));

        // A single event (not a batch) is fine too.
        QCOMPARE(e.handle(post("msg_2", makeEvent("record.updated", "1", {{"name", "B"}}))).status,
                 200);
        QCOMPARE(e.current().at("1")["name"], json("B"));

        auto unsigned_ = post("msg_3", batch({makeEvent("record.created", "3")}), "");
        QCOMPARE(e.handle(unsigned_).status, 401);
        auto otherKey = post("msg_3", batch({makeEvent("record.created", "3")}),
                             "whsec_" + sluice::net::base64Encode("another key"));
        auto refused = e.handle(otherKey);
        QCOMPARE(refused.status, 401);
        QCOMPARE(bodyOf(refused)["error"], json("invalid_signature"));
        // Too old, or too far in the future: refused even with a good signature.
        QCOMPARE(
            e.handle(post("msg_3", batch({makeEvent("record.created", "3")}), kSecret, now() - 301))
                .status,
            401);
        QCOMPARE(
            e.handle(post("msg_3", batch({makeEvent("record.created", "3")}), kSecret, now() + 301))
                .status,
            401);
        QCOMPARE(
            e.handle(post("msg_3", batch({makeEvent("record.created", "3")}), kSecret, now() - 290))
                .status,
            200);
        QCOMPARE(e.counters().unauthorized, 4);
        QCOMPARE(e.eventCount(), 4u);

        auto noId = post("", batch({makeEvent("record.created", "4")}));
        QCOMPARE(e.handle(noId).status, 400);
        auto notJson = post("msg_5", batch({}));
        setHeader(notJson, "content-type", "text/plain");
        // The signature covers the body only, so only the media type is wrong here.
        QCOMPARE(e.handle(notJson).status, 415);
        auto noKey = post("msg_6", batch({json{{"type", "record.created"},
                                               {"timestamp", "2025-01-02T03:04:05Z"},
                                               {"data", {{"name", "no key"}}}}}));
        QCOMPARE(e.handle(noKey).status, 400);
        QCOMPARE(e.eventCount(), 4u);
    }

    void aRedeliveredIdIsAcknowledgedButNotStoredTwice()
    {
        WebhookEmulator e("/webhook", kSecret);
        const json body =
            batch({makeEvent("record.created", "1"), makeEvent("record.created", "2")});
        QCOMPARE(e.handle(post("msg_same", body)).status, 200);
        auto again = e.handle(post("msg_same", body, kSecret, now() + 5)); // re-signed later
        QCOMPARE(again.status, 200);
        QCOMPARE(bodyOf(again)["duplicate"], json(true));
        QCOMPARE(e.eventCount(), 2u);
        QCOMPARE(e.counters().duplicates, 1);
        QCOMPARE(e.counters().idConflicts, 0);
        QCOMPARE(e.deliveriesById().at("msg_same"), 2);
        QCOMPARE(e.acceptedIds().size(), 1u);

        // Restamped timestamps do not make a different message; other events under the same
        // id do (a sender bug the tests look for).
        json restamped = body;
        restamped["timestamp"] = "2030-01-01T00:00:00Z";
        restamped["data"]["events"][0]["timestamp"] = "2030-01-01T00:00:00Z";
        QCOMPARE(e.handle(post("msg_same", restamped)).status, 200);
        QCOMPARE(e.counters().idConflicts, 0);
        QCOMPARE(e.handle(post("msg_same", batch({makeEvent("record.created", "3")}))).status, 200);
        QCOMPARE(e.counters().idConflicts, 1);
        QCOMPARE(e.eventCount(), 2u);
    }

    void refusesWhatItIsToldToRefuse()
    {
        WebhookEmulator e("/webhook", kSecret);
        e.rejectWhen("email", "bad@", 422, "email bad@ is not valid");
        const json bad = batch({makeEvent("record.created", "1", {{"email", "ok@example.com"}}),
                                makeEvent("record.created", "2", {{"email", "bad@"}})});
        auto refused = e.handle(post("msg_bad", bad));
        QCOMPARE(refused.status, 422);
        QCOMPARE(bodyOf(refused)["message"], json("email bad@ is not valid"));
        QCOMPARE(e.eventCount(), 0u); // all or nothing
        QCOMPARE(e.counters().rejected, 1);
        // A refused id was not processed: the same id is taken once the rule is lifted.
        e.clearRejections();
        QCOMPARE(e.handle(post("msg_bad", bad)).status, 200);
        QCOMPARE(e.eventCount(), 2u);
        QCOMPARE(e.counters().duplicates, 0);

        e.setMaxBodyBytes(100);
        QCOMPARE(e.handle(post("msg_big", bad)).status, 413);
        e.setMaxBodyBytes(0);

        e.requireHeader("x-api-key", "k-123");
        QCOMPARE(e.handle(post("msg_k", batch({makeEvent("record.created", "9")}))).status, 401);
        auto withKey = post("msg_k", batch({makeEvent("record.created", "9")}));
        withKey.headers.emplace_back("x-api-key", "k-123");
        QCOMPARE(e.handle(withKey).status, 200);

        e.setGone(true);
        auto gone = e.handle(post("msg_g", batch({makeEvent("record.created", "10")})));
        QCOMPARE(gone.status, 410);
        QCOMPARE(e.counters().gone, 1);
    }

    void answersOnlyOnItsPath()
    {
        WebhookEmulator e("/hooks/in", "");
        auto r = post("msg_1", batch({makeEvent("record.created", "1")}), "");
        QCOMPARE(e.handle(r).status, 404);
        r.path = "/hooks/in";
        QCOMPARE(e.handle(r).status, 200); // no secret set: unsigned is fine
        r.method = "HEAD";
        QCOMPARE(e.handle(r).status, 200);
        r.method = "GET";
        QCOMPARE(e.handle(r).status, 405);
        r.method = "PUT";
        QCOMPARE(e.handle(r).status, 405);
        QCOMPARE(e.counters().probes, 2);
        QCOMPARE(e.eventCount(), 1u);
    }

    void currentAppliesDeletes()
    {
        WebhookEmulator e;
        QCOMPARE(e.handle(post("m1",
                               batch({makeEvent("record.created", "1", {{"n", 1}}),
                                      makeEvent("record.created", "2", {{"n", 2}})}),
                               ""))
                     .status,
                 200);
        QCOMPARE(e.handle(post("m2",
                               batch({makeEvent("record.deleted", "1"),
                                      makeEvent("record.updated", "2", {{"n", 3}})}),
                               ""))
                     .status,
                 200);
        const auto now = e.current();
        QCOMPARE(now.size(), 1u);
        QCOMPARE(now.at("2")["n"], json(3));
        QCOMPARE(e.eventCount("record.created"), 2u);
        QCOMPARE(e.distinctKeys(), 2u);
        QCOMPARE(e.eventsFor("1").size(), 2u);
    }
};

QTEST_GUILESS_MAIN(TestWebhookEmulator)
#include "testwebhookemulator.moc"
