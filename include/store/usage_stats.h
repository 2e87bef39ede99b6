// UsageStats: anonymous counts of how the kiosk is used, per UTC day, for the admin charts and
// a CSV a council officer opens in a spreadsheet.
//
// Only counters are kept: (day, event kind, service id, language, assisted) -> count. There is
// no session id, no reference, no time of day and no answer, so no count can be traced back to
// a resident. Recording is one upsert on its own connection, committed with synchronous=NORMAL:
// a power cut may lose the last few counts, which does not matter for statistics and spares
// the caller (the UI thread's executor) an fsync.
//
// One UsageStats per thread; it opens its own connection to the kiosk database.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/result.h"
#include "store/outbox_store.h"

namespace kiosk::store {

// What the UI reports. The accessibility kinds count sessions, so the caller records each of
// them at most once per resident session (on first use), and SessionStarted once per session.
enum class UsageEventKind {
    SessionStarted,       // a resident touched "Start"
    ServiceStarted,       // a service's form was opened (serviceId)
    CheckAnswersReached,  // the check-answers page was shown (serviceId)
    FormSent,             // a form was sealed (serviceId, language, assisted)
    ReadAloudUsed,        // read-aloud was used in this session
    LargerTextUsed,       // larger text was switched on in this session
    HighContrastUsed,     // high contrast was switched on in this session
};
// "session_started", "service_started", "check_answers_reached", "form_sent", "read_aloud_used",
// "larger_text_used", "high_contrast_used": as stored and as the CSV's event column shows them.
const char* usageEventKindName(UsageEventKind kind);

struct UsageEvent {
    UsageEventKind kind = UsageEventKind::SessionStarted;
    std::string serviceId;  // service id from the content pack; "" when the event has none
    std::string language;   // BCP 47 tag of the language in use; "" when not known
    bool assisted = false;  // a volunteer was assisting
};

struct DailyCount {
    std::string date;  // "2026-11-25" (UTC)
    int count = 0;
};

struct NamedCount {
    std::string name;  // service id, language tag or help topic
    int count = 0;
};

struct ServiceFunnel {
    std::string serviceId;
    int started = 0;
    int reachedCheckAnswers = 0;
    int sent = 0;
};

// The last `days` UTC days up to and including today.
struct UsageSummary {
    int days = 0;
    std::string firstDate;                    // "2026-10-27"
    std::string lastDate;                     // today, "2026-11-25"
    std::vector<DailyCount> formsSentPerDay;  // oldest first, one entry per day, zeros included
    std::vector<NamedCount> sentByService;    // most first, ties by name
    std::vector<NamedCount> sentByLanguage;   // most first; "" when the language was not known
    std::vector<ServiceFunnel> funnel;        // every service with any count, by service id
    int formsSent = 0;
    int formsSentAssisted = 0;
    double assistedShare = 0;  // formsSentAssisted / formsSent, 0 when nothing was sent
    int sessions = 0;
    int sessionsWithReadAloud = 0;
    int sessionsWithLargerText = 0;
    int sessionsWithHighContrast = 0;
    std::vector<NamedCount> helpSessionsByTopic;  // from the help log; most first
    int helpSessions = 0;
};

class UsageStats {
public:
    // Opens (creating and migrating if needed) the kiosk database at options.databaseFile, with
    // OutboxStore::open's settings and error codes, except that commits use synchronous=NORMAL
    // whatever options.durability says.
    static Result<std::unique_ptr<UsageStats>> open(const StoreOptions& options);
    ~UsageStats();
    UsageStats(const UsageStats&) = delete;
    UsageStats& operator=(const UsageStats&) = delete;

    // Adds one to the day's counter: one INSERT ... ON CONFLICT DO UPDATE. serviceId must be ""
    // or a lowercase id (letters, digits, '-', '_', '.'; up to 64) and language "" or a language
    // tag, so free text cannot slip into the statistics. Error "invalid_argument", or a database code.
    Status record(const UsageEvent& event, std::int64_t nowMillis);

    UsageSummary summary(std::int64_t nowMillis, int days = 30);

    // The same days as a CSV (RFC 4180: CRLF line ends, fields quoted when they need it):
    //   date,event,service_id,language,assisted,topic,count
    // one row per non-zero counter, oldest day first:
    //   date       UTC day, YYYY-MM-DD
    //   event      a usageEventKindName, or "help_session" for a volunteer's help session
    //   service_id the service (form events), else empty
    //   language   the language tag, else empty
    //   assisted   "yes" or "no" for form_sent, else empty
    //   topic      the help topic for help_session rows, else empty
    //   count      how many
    // Days with nothing have no rows. Nothing in it identifies a resident or a volunteer.
    std::string csv(std::int64_t nowMillis, int days);

    sqlite3* handle();  // for tests only

private:
    explicit UsageStats(std::unique_ptr<OutboxStore> connection);
    std::unique_ptr<OutboxStore> connection_;  // owns the configured, migrated SQLite connection
};

// One RFC 4180 field: quoted (with quotes doubled) when it holds a comma, a quote, CR or LF,
// or starts or ends with a space. A field a spreadsheet would run as a formula (=, +, -, @, tab
// at the start) is prefixed with an apostrophe inside quotes.
std::string csvField(std::string_view text);

// "2026-11-25" for the UTC day that holds this instant.
std::string utcDate(std::int64_t millis);

}  // namespace kiosk::store
