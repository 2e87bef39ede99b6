// UsageStats: daily counters, the summary the admin charts read (every day present, the funnel,
// the assisted share, accessibility use, help topics), and the CSV export.
#include <catch2/catch.hpp>

#include "store/help_log.h"
#include "store/usage_stats.h"
#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;
// 2026-11-25T10:15:00Z, as kSealTimeMillis
constexpr std::int64_t kToday = kSealTimeMillis;

std::unique_ptr<UsageStats> openStats(const StoreFixture& fixture) {
    auto opened = UsageStats::open(fixture.options);
    INFO((opened ? std::string() : opened.error().message));
    REQUIRE(opened.ok());
    return std::move(opened.value());
}

void record(UsageStats& stats, UsageEventKind kind, std::int64_t when, const std::string& serviceId = "",
            const std::string& language = "", bool assisted = false, int times = 1) {
    for (int i = 0; i < times; ++i)
        REQUIRE(stats.record(UsageEvent{kind, serviceId, language, assisted}, when));
}

}  // namespace

TEST_CASE("recording a usage event is one counter per day and kind", "[store][usage]") {
    StoreFixture fixture;
    auto stats = openStats(fixture);
    record(*stats, UsageEventKind::FormSent, kToday, "missed-bin", "pl", false, 3);
    record(*stats, UsageEventKind::FormSent, kToday + 1000, "missed-bin", "pl", true);
    record(*stats, UsageEventKind::FormSent, kToday - kDay, "missed-bin", "pl", false);
    CHECK(queryInt(stats->handle(), "SELECT count(*) FROM usage_daily") == 3);
    CHECK(queryInt(stats->handle(),
                   "SELECT count FROM usage_daily WHERE kind = 'form_sent' AND assisted = 0 AND day = " +
                       std::to_string(kToday / kDay)) == 3);
    // Nothing that could point at a resident is stored: no time of day, no session, no reference.
    CHECK(queryInt(stats->handle(), "SELECT count(*) FROM pragma_table_info('usage_daily')") == 6);
    CHECK(queryInt(stats->handle(), "PRAGMA synchronous") == 1);  // counts are not worth an fsync
}

TEST_CASE("free text is refused as a usage event's service or language", "[store][usage]") {
    StoreFixture fixture;
    auto stats = openStats(fixture);
    for (const std::string service :
         {"Flat 4, 17 Marigold Terrace", "=HYPERLINK(\"x\")", "Missed-Bin", "-1"}) {
        INFO(service);
        auto refused =
            stats->record(UsageEvent{UsageEventKind::ServiceStarted, service, "en", false}, kToday);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == kiosk::ErrorCode::InvalidArgument);
        CHECK_THAT(refused.error().message, !Catch::Contains(service));
    }
    auto badLanguage =
        stats->record(UsageEvent{UsageEventKind::FormSent, "missed-bin", "Polish please", false}, kToday);
    REQUIRE_FALSE(badLanguage.ok());
    CHECK(queryInt(stats->handle(), "SELECT count(*) FROM usage_daily") == 0);
}

TEST_CASE("the summary has every day, the funnel, the assisted share and accessibility use",
          "[store][usage]") {
    StoreFixture fixture;
    auto stats = openStats(fixture);
    record(*stats, UsageEventKind::SessionStarted, kToday, "", "", false, 10);
    record(*stats, UsageEventKind::SessionStarted, kToday - 3 * kDay, "", "", false, 2);
    record(*stats, UsageEventKind::ReadAloudUsed, kToday, "", "en", false, 3);
    record(*stats, UsageEventKind::LargerTextUsed, kToday, "", "en", false, 2);
    record(*stats, UsageEventKind::HighContrastUsed, kToday - kDay, "", "", false, 1);

    record(*stats, UsageEventKind::ServiceStarted, kToday, "missed-bin", "en", false, 8);
    record(*stats, UsageEventKind::CheckAnswersReached, kToday, "missed-bin", "en", false, 6);
    record(*stats, UsageEventKind::FormSent, kToday, "missed-bin", "en", false, 3);
    record(*stats, UsageEventKind::FormSent, kToday, "missed-bin", "pl", true, 2);
    record(*stats, UsageEventKind::ServiceStarted, kToday - 3 * kDay, "fly-tipping", "ne", false, 4);
    record(*stats, UsageEventKind::CheckAnswersReached, kToday - 3 * kDay, "fly-tipping", "ne", false, 2);
    record(*stats, UsageEventKind::FormSent, kToday - 3 * kDay, "fly-tipping", "ne", true, 1);
    record(*stats, UsageEventKind::FormSent, kToday - 7 * kDay, "fly-tipping", "en", false, 100);  // outside

    {
        auto helpLog = HelpLog::open(fixture.options);
        REQUIRE(helpLog.ok());
        for (const char* topic : {"nhs-app", "nhs-app", "email-account"}) {
            REQUIRE(helpLog.value()->record(HelpSessionToRecord{"stf-3f9a1c2b7d0e", topic, 20, "done", ""},
                                            kToday));
        }
        REQUIRE(helpLog.value()->record(HelpSessionToRecord{"stf-3f9a1c2b7d0e", "other", 5, "done", ""},
                                        kToday - 9 * kDay));  // outside
    }

    const UsageSummary summary = stats->summary(kToday, 7);
    CHECK(summary.days == 7);
    CHECK(summary.firstDate == "2026-11-19");
    CHECK(summary.lastDate == "2026-11-25");
    REQUIRE(summary.formsSentPerDay.size() == 7);
    CHECK(summary.formsSentPerDay.front().date == "2026-11-19");
    CHECK(summary.formsSentPerDay.back().date == "2026-11-25");
    std::vector<int> perDay;
    for (const auto& day : summary.formsSentPerDay) perDay.push_back(day.count);
    CHECK(perDay == std::vector<int>{0, 0, 0, 1, 0, 0, 5});

    CHECK(summary.formsSent == 6);
    CHECK(summary.formsSentAssisted == 3);
    CHECK(summary.assistedShare == Approx(0.5));
    REQUIRE(summary.sentByService.size() == 2);
    CHECK(summary.sentByService[0].name == "missed-bin");
    CHECK(summary.sentByService[0].count == 5);
    CHECK(summary.sentByService[1].name == "fly-tipping");
    CHECK(summary.sentByService[1].count == 1);
    REQUIRE(summary.sentByLanguage.size() == 3);
    CHECK(summary.sentByLanguage[0].name == "en");
    CHECK(summary.sentByLanguage[0].count == 3);
    CHECK(summary.sentByLanguage[1].name == "pl");
    CHECK(summary.sentByLanguage[2].name == "ne");

    REQUIRE(summary.funnel.size() == 2);
    CHECK(summary.funnel[0].serviceId == "fly-tipping");
    CHECK(summary.funnel[0].started == 4);
    CHECK(summary.funnel[0].reachedCheckAnswers == 2);
    CHECK(summary.funnel[0].sent == 1);
    CHECK(summary.funnel[1].serviceId == "missed-bin");
    CHECK(summary.funnel[1].started == 8);
    CHECK(summary.funnel[1].reachedCheckAnswers == 6);
    CHECK(summary.funnel[1].sent == 5);

    CHECK(summary.sessions == 12);
    CHECK(summary.sessionsWithReadAloud == 3);
    CHECK(summary.sessionsWithLargerText == 2);
    CHECK(summary.sessionsWithHighContrast == 1);

    CHECK(summary.helpSessions == 3);
    REQUIRE(summary.helpSessionsByTopic.size() == 2);
    CHECK(summary.helpSessionsByTopic[0].name == "nhs-app");
    CHECK(summary.helpSessionsByTopic[0].count == 2);
    CHECK(summary.helpSessionsByTopic[1].name == "email-account");

    // With a longer window the older counts come in.
    const UsageSummary month = stats->summary(kToday);
    CHECK(month.days == 30);
    CHECK(month.formsSentPerDay.size() == 30);
    CHECK(month.formsSent == 106);
    CHECK(month.helpSessions == 4);
}

TEST_CASE("a summary of a kiosk with no use is all zeros, every day present", "[store][usage]") {
    StoreFixture fixture;
    auto stats = openStats(fixture);
    const UsageSummary summary = stats->summary(kToday, 3);
    REQUIRE(summary.formsSentPerDay.size() == 3);
    for (const auto& day : summary.formsSentPerDay) CHECK(day.count == 0);
    CHECK(summary.formsSentPerDay[1].date == "2026-11-24");
    CHECK(summary.formsSent == 0);
    CHECK(summary.assistedShare == 0);
    CHECK(summary.funnel.empty());
    CHECK(summary.helpSessionsByTopic.empty());
    CHECK(stats->summary(kToday, 0).formsSentPerDay.size() == 1);  // at least today
}

TEST_CASE("the CSV has a documented header and one plain row per counter", "[store][usage]") {
    StoreFixture fixture;
    auto stats = openStats(fixture);
    record(*stats, UsageEventKind::FormSent, kToday, "missed-bin", "pl", true, 2);
    record(*stats, UsageEventKind::FormSent, kToday, "missed-bin", "pl", false);
    record(*stats, UsageEventKind::SessionStarted, kToday - kDay, "", "", false, 4);
    record(*stats, UsageEventKind::ServiceStarted, kToday - 10 * kDay, "missed-bin", "en");  // outside
    {
        auto helpLog = HelpLog::open(fixture.options);
        REQUIRE(helpLog.ok());
        REQUIRE(helpLog.value()->record(HelpSessionToRecord{"stf-3f9a1c2b7d0e", "nhs-app", 20, "done", "ro"},
                                        kToday));
    }

    const std::string csv = stats->csv(kToday, 2);
    CHECK(csv ==
          "date,event,service_id,language,assisted,topic,count\r\n"
          "2026-11-24,session_started,,,,,4\r\n"
          "2026-11-25,form_sent,missed-bin,pl,no,,1\r\n"
          "2026-11-25,form_sent,missed-bin,pl,yes,,2\r\n"
          "2026-11-25,help_session,,ro,,nhs-app,1\r\n");
    // No volunteer, no reference, no time of day.
    CHECK(csv.find("stf-") == std::string::npos);
    CHECK(stats->csv(kToday, 1).find("session_started") == std::string::npos);
    CHECK(stats->csv(kToday + 30 * kDay, 5) == "date,event,service_id,language,assisted,topic,count\r\n");
}

TEST_CASE("CSV fields are quoted as RFC 4180 says and never run as formulas", "[store][usage]") {
    CHECK(csvField("missed-bin") == "missed-bin");
    CHECK(csvField("") == "");
    CHECK(csvField("a,b") == "\"a,b\"");
    CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvField("two\nlines") == "\"two\nlines\"");
    CHECK(csvField("cr\r") == "\"cr\r\"");
    CHECK(csvField(" padded") == "\" padded\"");
    CHECK(csvField("=SUM(A1:A9)") == "\"'=SUM(A1:A9)\"");
    CHECK(csvField("+44") == "\"'+44\"");
    CHECK(csvField("@cmd") == "\"'@cmd\"");
    CHECK(csvField("-2") == "\"'-2\"");
}

TEST_CASE("utcDate gives the UTC day", "[store][usage]") {
    CHECK(utcDate(kToday) == "2026-11-25");
    CHECK(utcDate(0) == "1970-01-01");
    CHECK(utcDate(-1) == "1969-12-31");
    CHECK(utcDate(1'795'651'199'999) == "2026-11-25");  // 23:59:59.999
    CHECK(utcDate(1'795'651'200'000) == "2026-11-26");
}

TEST_CASE("thousands of usage events in a row are each counted once", "[store][usage]") {
    // The executor records one event per counted action on the UI thread; how long that takes is
    // a benchmark figure, not a test. Here: every one of a long run lands in its counter.
    StoreFixture fixture;
    auto stats = openStats(fixture);
    constexpr int kEvents = 2000;
    for (int i = 0; i < kEvents; ++i) {
        const auto kind = i % 2 == 0 ? UsageEventKind::ServiceStarted : UsageEventKind::FormSent;
        REQUIRE(stats->record(UsageEvent{kind, i % 3 == 0 ? "missed-bin" : "fly-tipping", "en", i % 5 == 0},
                              kToday + i));
    }
    const UsageSummary summary = stats->summary(kToday, 1);
    CHECK(summary.formsSent == kEvents / 2);
    // FormSent events are the odd i; assisted are those with i % 5 == 0 among them.
    int assisted = 0;
    for (int i = 1; i < kEvents; i += 2) assisted += i % 5 == 0 ? 1 : 0;
    CHECK(summary.formsSentAssisted == assisted);
}
