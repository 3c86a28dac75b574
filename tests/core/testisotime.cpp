// ISO 8601 dates and times as the destinations read them: real calendar dates only, times with
// or without seconds, fractions and zones, and nothing trailing.

#include "util/isotime.h"

#include <QtTest>

using namespace sluice;

class TestIsoTime : public QObject
{
    Q_OBJECT

private slots:
    void dates_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("days");
        QTest::newRow("epoch") << "1970-01-01" << true << qint64(0);
        QTest::newRow("before the epoch") << "1969-12-31" << true << qint64(-1);
        QTest::newRow("leap day") << "2024-02-29" << true << qint64(19782);
        QTest::newRow("2000 was leap") << "2000-02-29" << true << qint64(11016);
        QTest::newRow("1900 was not") << "1900-02-29" << false << qint64(0);
        QTest::newRow("2023 was not") << "2023-02-29" << false << qint64(0);
        QTest::newRow("April 31") << "2024-04-31" << false << qint64(0);
        QTest::newRow("month 13") << "2024-13-01" << false << qint64(0);
        QTest::newRow("day 0") << "2024-01-00" << false << qint64(0);
        QTest::newRow("slashes") << "2024/01/02" << false << qint64(0);
        QTest::newRow("short") << "2024-1-2" << false << qint64(0);
        QTest::newRow("empty") << "" << false << qint64(0);
    }
    void dates()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(qint64, days);
        const std::string s = text.toStdString();
        std::int64_t got = 0;
        QCOMPARE(parseIsoDate(s, got), ok);
        if (ok)
            QCOMPARE(got, days);
    }

    void dateTimes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("ms");
        const qint64 day = 19782LL * 86'400'000; // 2024-02-29
        QTest::newRow("date only") << "2024-02-29" << true << day;
        QTest::newRow("minutes") << "2024-02-29 10:30" << true << day + 37'800'000;
        QTest::newRow("seconds, T") << "2024-02-29T10:30:15" << true << day + 37'815'000;
        QTest::newRow("fraction, Z") << "2024-02-29T10:30:15.25Z" << true << day + 37'815'250;
        QTest::newRow("long fraction") << "2024-02-29T10:30:15.123456Z" << true << day + 37'815'123;
        QTest::newRow("offset") << "2024-02-29T10:30:00+02:00" << true << day + 30'600'000;
        QTest::newRow("negative offset") << "2024-02-29T10:30:00-0130" << true << day + 43'200'000;
        QTest::newRow("over midnight") << "2024-02-29T00:30:00+01:00" << true << day - 1'800'000;
        QTest::newRow("hour 24") << "2024-02-29T24:00" << false << qint64(0);
        QTest::newRow("minute 60") << "2024-02-29T10:60" << false << qint64(0);
        QTest::newRow("empty fraction") << "2024-02-29T10:30:15." << false << qint64(0);
        QTest::newRow("bad zone") << "2024-02-29T10:30:15+25:00" << false << qint64(0);
        QTest::newRow("trailing text") << "2024-02-29T10:30:15Z now" << false << qint64(0);
        QTest::newRow("no time after T") << "2024-02-29T" << false << qint64(0);
        QTest::newRow("bad date") << "2024-02-30T10:00" << false << qint64(0);
    }
    void dateTimes()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(qint64, ms);
        const std::string s = text.toStdString();
        std::int64_t got = 0;
        QCOMPARE(parseIsoDateTime(s, got), ok);
        if (ok)
            QCOMPARE(got, ms);
    }
};

QTEST_APPLESS_MAIN(TestIsoTime)
#include "testisotime.moc"
