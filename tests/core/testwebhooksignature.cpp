// Standard Webhooks signatures: the specification's own test vector, raw and whsec_ secrets,
// several signatures in one header (secret rotation), tampering, and the timestamp window.
#include "net/jwt.h"
#include "net/webhooksignature.h"

#include <QtTest>

#include <set>

using namespace sluice;
using namespace sluice::net;

namespace {
// From the Standard Webhooks reference libraries' tests.
constexpr const char *kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char *kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTimestamp = 1614265330;
constexpr const char *kBody = R"({"test": 2432232314})";
constexpr const char *kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
} // namespace

class TestWebhookSignature : public QObject
{
    Q_OBJECT

private slots:
    void matchesTheSpecificationVector()
    {
        auto signer = WebhookSigner::fromSecret(kSecret);
        QVERIFY(signer);
        QCOMPARE(signer->sign(kId, kTimestamp, kBody), std::string(kSignature));
        QVERIFY(signer->verify(kId, "1614265330", kBody, kSignature, kTimestamp));
    }

    void rawSecretIsUsedAsIs()
    {
        // A secret without the prefix is the key itself: the same key as the vector's, raw.
        const std::string key = base64Decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").value();
        auto raw = WebhookSigner::fromSecret(key);
        QVERIFY(raw);
        QCOMPARE(raw->sign(kId, kTimestamp, kBody), std::string(kSignature));
        auto other = WebhookSigner::fromSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        QVERIFY(other);
        QVERIFY(other->sign(kId, kTimestamp, kBody) != kSignature);
    }

    void badSecrets()
    {
        QVERIFY(!WebhookSigner::fromSecret(""));
        auto r = WebhookSigner::fromSecret("whsec_not*base64!");
        QVERIFY(!r);
        QVERIFY(r.error().message.find("not base64") != std::string::npos);
        QVERIFY(r.error().message.find("not*base64") == std::string::npos); // no secret echoed
        QVERIFY(!WebhookSigner::fromSecret("whsec_"));
    }

    void acceptsOneMatchAmongSeveral()
    {
        auto signer = WebhookSigner::fromSecret(kSecret).value();
        const std::string ts = std::to_string(kTimestamp);
        const std::string stale = "v1,Z2FyYmFnZQ==";
        for (const std::string &header :
             {stale + " " + kSignature, std::string(kSignature) + " " + stale,
              "v1a,c29tZSBhc3ltbWV0cmljIHNpZ25hdHVyZQ== " + std::string(kSignature)})
            QVERIFY2(signer.verify(kId, ts, kBody, header, kTimestamp), header.c_str());
        QVERIFY(!signer.verify(kId, ts, kBody, stale, kTimestamp));
        QVERIFY(!signer.verify(kId, ts, kBody, "", kTimestamp));
        // The bare base64 without "v1," is not a signature of this scheme.
        QVERIFY(!signer.verify(kId, ts, kBody, std::string(kSignature).substr(3), kTimestamp));
    }

    void rejectsTampering()
    {
        auto signer = WebhookSigner::fromSecret(kSecret).value();
        const std::string ts = std::to_string(kTimestamp);
        QVERIFY(!signer.verify(kId, ts, R"({"test": 2432232315})", kSignature, kTimestamp));
        QVERIFY(!signer.verify("msg_other", ts, kBody, kSignature, kTimestamp));
        auto otherKey = WebhookSigner::fromSecret("whsec_" + base64Encode("another key")).value();
        QVERIFY(!otherKey.verify(kId, ts, kBody, kSignature, kTimestamp));
        // A replay with a new timestamp but the old signature.
        QVERIFY(!signer.verify(kId, std::to_string(kTimestamp + 10), kBody, kSignature,
                               kTimestamp + 10));
    }

    void timestampWindow()
    {
        auto signer = WebhookSigner::fromSecret(kSecret).value();
        const std::string ts = std::to_string(kTimestamp);
        QVERIFY(signer.verify(kId, ts, kBody, kSignature, kTimestamp + 300));
        QVERIFY(signer.verify(kId, ts, kBody, kSignature, kTimestamp - 300));
        auto old = signer.verify(kId, ts, kBody, kSignature, kTimestamp + 301);
        QVERIFY(!old);
        QVERIFY(old.error().message.find("too far") != std::string::npos);
        QVERIFY(!signer.verify(kId, ts, kBody, kSignature, kTimestamp - 301));
        QVERIFY(!signer.verify(kId, "16142653x0", kBody, kSignature, kTimestamp));
        QVERIFY(!signer.verify(kId, "", kBody, kSignature, kTimestamp));
    }

    void largeBodies()
    {
        auto signer = WebhookSigner::fromSecret(kSecret).value();
        const std::string body(3'000'000, 'x');
        const std::string sig = signer.sign("msg_1", 1, body);
        QVERIFY(signer.verify("msg_1", "1", body, sig, 1));
        std::string changed = body;
        changed.back() = 'y';
        QVERIFY(!signer.verify("msg_1", "1", changed, sig, 1));
    }

    void messageIdsAreUnique()
    {
        std::set<std::string> ids;
        for (int i = 0; i < 1000; ++i) {
            const std::string id = newWebhookMessageId();
            QVERIFY(id.starts_with("msg_"));
            QCOMPARE(id.size(), std::size_t(4 + 32));
            QVERIFY(id.find('.') == std::string::npos); // '.' separates the signed parts
            QVERIFY(ids.insert(id).second);
        }
    }

    void movedFromSignerIsEmpty()
    {
        auto a = WebhookSigner::fromSecret(kSecret).value();
        WebhookSigner b = std::move(a);
        QCOMPARE(b.sign(kId, kTimestamp, kBody), std::string(kSignature));
    }
};

QTEST_GUILESS_MAIN(TestWebhookSignature)
#include "testwebhooksignature.moc"
