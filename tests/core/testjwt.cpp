// RS256 JWTs, base64/base64url and PKCE: RFC test vectors, signatures checked against the openssl
// command line (an independent implementation), tampering, wrong and bad keys, and no key
// material in any message.
#include "net/jwt.h"
#include "net/pkce.h"
#include "testutil.h"

#include <QProcess>
#include <QtTest>

#include <set>

using namespace sluice;
using namespace sluice::net;

class TestJwt : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    RsaKeyPair m_pkcs8;
    RsaKeyPair m_pkcs1;

    std::filesystem::path file(const char *name) const
    {
        return m_tmp.path().toStdString() + "/" + name;
    }

    // Runs the openssl command line; returns stdout, fails the test on a non-zero exit.
    QByteArray openssl(const QStringList &args, const QByteArray &input = {})
    {
        QProcess p;
        p.start("openssl", args);
        if (!input.isEmpty())
            p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(60'000);
        if (p.exitCode() != 0)
            qWarning() << "openssl" << args << p.readAllStandardError();
        return p.exitCode() == 0 ? p.readAllStandardOutput() : QByteArray("<failed>");
    }

    // A body line of the key's base64: if a message contained it, key material would leak.
    static std::string keyBodyLine(const std::string &pem)
    {
        const auto start = pem.find('\n') + 1;
        return pem.substr(start, 40);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        auto a = generateRsaKeyPair(2048, false);
        QVERIFY(a);
        m_pkcs8 = *a;
        auto b = generateRsaKeyPair(2048, true);
        QVERIFY(b);
        m_pkcs1 = *b;
        QVERIFY(m_pkcs8.privateKeyPem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        QVERIFY(m_pkcs1.privateKeyPem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        QVERIFY(m_pkcs8.publicKeyPem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    }

    void base64Rfc4648Vectors_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("f") << QByteArray("f") << QByteArray("Zg==");
        QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8=");
        QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
        QTest::newRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg==");
        QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("Zm9vYmE=");
        QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
        QTest::newRow("high bytes") << QByteArray("\xfb\xff\xbf", 3) << QByteArray("+/+/");
    }
    void base64Rfc4648Vectors()
    {
        QFETCH(QByteArray, plain);
        QFETCH(QByteArray, encoded);
        const std::string p = plain.toStdString();
        QCOMPARE(base64Encode(p), encoded.toStdString());
        QCOMPARE(base64Decode(encoded.toStdString()).value(), p);
        // base64url: - and _ instead of + and /, no padding; decoding accepts both.
        std::string url = encoded.toStdString();
        std::replace(url.begin(), url.end(), '+', '-');
        std::replace(url.begin(), url.end(), '/', '_');
        const std::string unpadded = url.substr(0, url.find('='));
        QCOMPARE(base64UrlEncode(p), unpadded);
        QCOMPARE(base64UrlDecode(unpadded).value(), p);
        QCOMPARE(base64UrlDecode(url).value(), p);
    }

    void base64RejectsBadText_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("bad char") << QByteArray("Zm9v!");
        QTest::newRow("url char in std") << QByteArray("-_8=");
        QTest::newRow("one char over") << QByteArray("Zm9vY");
        QTest::newRow("padding in middle") << QByteArray("Zg==Zg==");
        QTest::newRow("too much padding") << QByteArray("Zg===");
        QTest::newRow("space") << QByteArray("Zm 9v");
    }
    void base64RejectsBadText()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!base64Decode(text.toStdString()));
    }

    void signsWhatOpensslVerifies_data()
    {
        QTest::addColumn<bool>("pkcs1");
        QTest::newRow("PKCS#8 (BEGIN PRIVATE KEY)") << false;
        QTest::newRow("PKCS#1 (BEGIN RSA PRIVATE KEY)") << true;
    }
    void signsWhatOpensslVerifies()
    {
        QFETCH(bool, pkcs1);
        const RsaKeyPair &keys = pkcs1 ? m_pkcs1 : m_pkcs8;
        const nlohmann::json claims = {{"iss", "sa@example-project.iam.gserviceaccount.com"},
                                       {"scope", "https://www.googleapis.com/auth/spreadsheets"},
                                       {"aud", "https://oauth2.googleapis.com/token"},
                                       {"iat", 1700000000},
                                       {"exp", 1700003600}};
        auto jwt = signJwtRs256(claims, keys.privateKeyPem, {{"kid", "1"}});
        QVERIFY2(jwt, jwt ? "" : jwt.error().message.c_str());
        auto decoded = decodeJwt(*jwt);
        QVERIFY(decoded);
        QCOMPARE(decoded->header, (nlohmann::json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "1"}}));
        QCOMPARE(decoded->claims, claims);

        // RSASSA-PKCS1-v1_5 is deterministic: openssl's own signature of the same input must be
        // the same bytes, and openssl must accept ours.
        const auto dot = jwt->rfind('.');
        const std::string input = jwt->substr(0, dot);
        const std::string signature = base64UrlDecode(jwt->substr(dot + 1)).value();
        test::writeFile(file("key.pem"), keys.privateKeyPem);
        test::writeFile(file("pub.pem"), keys.publicKeyPem);
        test::writeFile(file("input.txt"), input);
        test::writeFile(file("sig.bin"), signature);
        const QByteArray theirs =
            openssl({"dgst", "-sha256", "-sign", QString::fromStdString(file("key.pem").string()),
                     QString::fromStdString(file("input.txt").string())});
        QCOMPARE(theirs.toStdString(), signature);
        const QByteArray verified =
            openssl({"dgst", "-sha256", "-verify", QString::fromStdString(file("pub.pem").string()),
                     "-signature", QString::fromStdString(file("sig.bin").string()),
                     QString::fromStdString(file("input.txt").string())});
        QVERIFY(verified.contains("Verified OK"));

        auto ok = verifyJwtRs256(*jwt, keys.publicKeyPem);
        QVERIFY(ok);
        QCOMPARE(ok->claims["iss"], claims["iss"]);
    }

    void verifiesWithCertificateAndPkcs1PublicKey()
    {
        test::writeFile(file("key.pem"), m_pkcs8.privateKeyPem);
        const QByteArray cert =
            openssl({"req", "-x509", "-key", QString::fromStdString(file("key.pem").string()),
                     "-subj", "/CN=test", "-days", "1"});
        QVERIFY(cert.startsWith("-----BEGIN CERTIFICATE-----"));
        const QByteArray rsaPub = openssl(
            {"rsa", "-in", QString::fromStdString(file("key.pem").string()), "-RSAPublicKey_out"});
        QVERIFY(rsaPub.startsWith("-----BEGIN RSA PUBLIC KEY-----"));
        auto jwt = signJwtRs256({{"sub", "x"}}, m_pkcs8.privateKeyPem);
        QVERIFY(jwt);
        QVERIFY(verifyJwtRs256(*jwt, cert.toStdString()));
        QVERIFY(verifyJwtRs256(*jwt, rsaPub.toStdString()));
        QVERIFY(!verifyJwtRs256(*jwt, m_pkcs1.publicKeyPem)); // the other key
    }

    void rejectsTamperedOrForeignTokens()
    {
        auto jwt = signJwtRs256({{"iss", "a"}, {"exp", 100}}, m_pkcs8.privateKeyPem);
        QVERIFY(jwt);
        const auto first = jwt->find('.');
        const auto second = jwt->find('.', first + 1);

        // Claims changed after signing.
        std::string tampered = jwt->substr(0, first + 1) +
                               base64UrlEncode(R"({"iss":"a","exp":999999})") + jwt->substr(second);
        auto r = verifyJwtRs256(tampered, m_pkcs8.publicKeyPem);
        QVERIFY(!r);
        QCOMPARE(r.error().message, std::string("Invalid JWT Signature."));

        // A flipped signature bit.
        std::string flipped = *jwt;
        flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
        QVERIFY(!verifyJwtRs256(flipped, m_pkcs8.publicKeyPem));

        // Signed by another key.
        auto other = signJwtRs256({{"iss", "a"}, {"exp", 100}}, m_pkcs1.privateKeyPem);
        QVERIFY(other);
        QVERIFY(!verifyJwtRs256(*other, m_pkcs8.publicKeyPem));

        // "alg":"none" with no signature, and an HS256 header: never accepted.
        const std::string none = base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                                 jwt->substr(first + 1, second - first - 1) + ".";
        QVERIFY(!verifyJwtRs256(none, m_pkcs8.publicKeyPem));
        const std::string hs = base64UrlEncode(R"({"alg":"HS256"})") + jwt->substr(first);
        QVERIFY(!verifyJwtRs256(hs, m_pkcs8.publicKeyPem));

        // Malformed.
        for (const char *bad : {"", "a.b", "a.b.c.d", "!!.e30.x", "e30.!!.x"})
            QVERIFY2(!verifyJwtRs256(bad, m_pkcs8.publicKeyPem), bad);
        QVERIFY(!decodeJwt("e30.W10.x")); // claims are an array, not an object
    }

    void acceptsAKeyWithEscapedNewlines()
    {
        std::string escaped;
        for (char c : m_pkcs8.privateKeyPem)
            escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
        auto jwt = signJwtRs256({{"iss", "a"}}, escaped);
        QVERIFY2(jwt, jwt ? "" : jwt.error().message.c_str());
        QVERIFY(verifyJwtRs256(*jwt, m_pkcs8.publicKeyPem));
    }

    void badKeysGiveClearMessagesWithoutKeyMaterial()
    {
        const std::string body = keyBodyLine(m_pkcs8.privateKeyPem);
        // Damaged: a chunk of the base64 body removed.
        std::string damaged = m_pkcs8.privateKeyPem;
        damaged.erase(100, 200);
        test::writeFile(file("ec.pem"), "");
        const QByteArray ec =
            openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"});
        QVERIFY(ec.startsWith("-----BEGIN PRIVATE KEY-----"));
        test::writeFile(file("key.pem"), m_pkcs8.privateKeyPem);
        const QByteArray encrypted =
            openssl({"pkcs8", "-topk8", "-in", QString::fromStdString(file("key.pem").string()),
                     "-passout", "pass:secret"});
        QVERIFY(encrypted.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

        struct Case
        {
            std::string key;
            std::string expect;
        };
        const std::vector<Case> cases = {
            {"", "not in PEM format"},
            {body, "not in PEM format"},
            {damaged, "cannot be read"},
            {m_pkcs8.publicKeyPem, "cannot be read"},
            {ec.toStdString(), "not an RSA key"},
            {encrypted.toStdString(), "protected by a password"},
        };
        for (const auto &c : cases) {
            auto r = signJwtRs256({{"iss", "a"}}, c.key);
            QVERIFY(!r);
            QVERIFY2(r.error().message.find(c.expect) != std::string::npos,
                     r.error().message.c_str());
            QVERIFY(r.error().message.find(body) == std::string::npos);
            QVERIFY(r.error().detail.find(body) == std::string::npos);
        }
        auto pub = verifyJwtRs256(signJwtRs256({{"a", 1}}, m_pkcs8.privateKeyPem).value(),
                                  "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        QVERIFY(!pub);
        QVERIFY(pub.error().message.find("public key cannot be read") != std::string::npos);
    }

    void pkceRfc7636Vector()
    {
        // RFC 7636 Appendix B.
        QCOMPARE(codeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                 std::string("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        QVERIFY(verifyCodeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                                        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        QVERIFY(!verifyCodeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj",
                                         "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    void pkceVerifiersAreValidAndRandom()
    {
        const std::string allowed =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
        std::set<std::string> seen;
        std::set<char> chars;
        for (std::size_t length : {43u, 64u, 128u}) {
            for (int i = 0; i < 50; ++i) {
                auto v = makeCodeVerifier(length);
                QVERIFY(v);
                QCOMPARE(v->size(), length);
                for (char c : *v) {
                    QVERIFY(allowed.find(c) != std::string::npos);
                    chars.insert(c);
                }
                QVERIFY(seen.insert(*v).second);
                QCOMPARE(codeChallengeS256(*v).size(), std::size_t(43)); // 32 bytes, base64url
            }
        }
        QVERIFY(chars.size() > 60); // the whole set is used, not only base64url's 64
        QVERIFY(!makeCodeVerifier(42));
        QVERIFY(!makeCodeVerifier(129));

        auto a = makeState();
        auto b = makeState();
        QVERIFY(a && b);
        QCOMPARE(a->size(), std::size_t(43));
        QVERIFY(*a != *b);
    }

    void constantTimeCompare()
    {
        QVERIFY(constantTimeEquals("", ""));
        QVERIFY(constantTimeEquals("abc", "abc"));
        QVERIFY(!constantTimeEquals("abc", "abd"));
        QVERIFY(!constantTimeEquals("abc", "abcd"));
        QVERIFY(!constantTimeEquals("", "a"));
    }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "testjwt.moc"
