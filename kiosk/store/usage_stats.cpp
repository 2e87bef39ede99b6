// UsageStats: the daily counters, their summary for the admin charts and the CSV export.
#include "store/usage_stats.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <tuple>

#include "help_log_queries.h"
#include "kiosk/clock.h"
#include "sqlite_support.h"

namespace kiosk::store {
namespace {

constexpr std::int64_t kMillisPerDay = 24LL * 60 * 60 * 1000;
constexpr int kMaxDays = 3660;  // ten years: more is a mistake, and would only make a huge table
constexpr std::size_t kMaxIdLength = 64;
constexpr std::size_t kMaxLanguageLength = 35;

// Days since 1970-01-01, rounding down for instants before it.
std::int64_t dayNumber(std::int64_t millis) {
    return millis >= 0 ? millis / kMillisPerDay : -((-millis + kMillisPerDay - 1) / kMillisPerDay);
}

std::string dateOfDay(std::int64_t day) {
    return utcDate(day * kMillisPerDay);
}

bool isServiceId(std::string_view text) {
    if (text.empty()) return true;
    if (text.size() > kMaxIdLength) return false;
    const auto lowerOrDigit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!lowerOrDigit(text.front())) return false;
    return std::all_of(text.begin(), text.end(),
                       [&](char c) { return lowerOrDigit(c) || c == '-' || c == '_' || c == '.'; });
}

bool isLanguage(std::string_view text) {
    if (text.empty()) return true;
    if (text.size() > kMaxLanguageLength) return false;
    const auto alphanumeric = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    return alphanumeric(text.front()) &&
           std::all_of(text.begin(), text.end(), [&](char c) { return alphanumeric(c) || c == '-'; });
}

int clampDays(int days) {
    return std::clamp(days, 1, kMaxDays);
}

// Most first, ties by name, so charts and tests see a stable order.
std::vector<NamedCount> sortedCounts(const std::map<std::string, int>& counts) {
    std::vector<NamedCount> sorted;
    for (const auto& [name, count] : counts) sorted.push_back(NamedCount{name, count});
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const NamedCount& a, const NamedCount& b) { return a.count > b.count; });
    return sorted;
}

struct CounterRow {
    std::int64_t day = 0;
    std::string kind;
    std::string serviceId;
    std::string language;
    bool assisted = false;
    int count = 0;
};

std::vector<CounterRow> countersSince(sqlite3* db, std::int64_t firstDay, std::int64_t lastDay) {
    std::vector<CounterRow> rows;
    Statement query(
        db,
        "SELECT day, kind, service_id, language, assisted, count FROM usage_daily "
        "WHERE day BETWEEN ? AND ? AND count > 0 ORDER BY day, kind, service_id, language, assisted");
    query.bind(1, firstDay);
    query.bind(2, lastDay);
    while (query.step() == SQLITE_ROW) {
        rows.push_back(CounterRow{query.columnInt64(0), query.columnText(1), query.columnText(2),
                                  query.columnText(3), query.columnInt(4) != 0, query.columnInt(5)});
    }
    return rows;
}

}  // namespace

const char* usageEventKindName(UsageEventKind kind) {
    switch (kind) {
        case UsageEventKind::SessionStarted:
            return "session_started";
        case UsageEventKind::ServiceStarted:
            return "service_started";
        case UsageEventKind::CheckAnswersReached:
            return "check_answers_reached";
        case UsageEventKind::FormSent:
            return "form_sent";
        case UsageEventKind::ReadAloudUsed:
            return "read_aloud_used";
        case UsageEventKind::LargerTextUsed:
            return "larger_text_used";
        case UsageEventKind::HighContrastUsed:
            return "high_contrast_used";
    }
    return "session_started";
}

std::string utcDate(std::int64_t millis) {
    return formatUtc(millis, "%Y-%m-%d");
}

std::string csvField(std::string_view text) {
    const bool formula =
        !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
    const bool needsQuotes = formula || text.find_first_of(",\"\r\n") != std::string_view::npos ||
                             (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!needsQuotes) return std::string(text);
    std::string field = "\"";
    if (formula) field += '\'';
    for (const char c : text) {
        if (c == '"') field += '"';
        field += c;
    }
    field += '"';
    return field;
}

UsageStats::UsageStats(std::unique_ptr<OutboxStore> connection) : connection_(std::move(connection)) {}

UsageStats::~UsageStats() = default;

sqlite3* UsageStats::handle() {
    return connection_->handle();
}

Result<std::unique_ptr<UsageStats>> UsageStats::open(const StoreOptions& options) {
    StoreOptions countsOnly = options;
    countsOnly.durability = Durability::Outcomes;  // a count lost to a power cut is not worth an fsync
    auto connection = OutboxStore::open(countsOnly);
    if (!connection) return connection.error();
    return std::unique_ptr<UsageStats>(new UsageStats(std::move(connection.value())));
}

Status UsageStats::record(const UsageEvent& event, std::int64_t nowMillis) {
    if (!isServiceId(event.serviceId)) {
        return Error{ErrorCode::InvalidArgument,
                     "A usage event's service must be a service id from the content pack."};
    }
    if (!isLanguage(event.language)) {
        return Error{ErrorCode::InvalidArgument,
                     "A usage event's language must be a language code such as pl."};
    }
    Statement upsert(
        handle(),
        "INSERT INTO usage_daily (day, kind, service_id, language, assisted, count) "
        "VALUES (?, ?, ?, ?, ?, 1) "
        "ON CONFLICT (day, kind, service_id, language, assisted) DO UPDATE SET count = count + 1");
    upsert.bind(1, dayNumber(nowMillis));
    upsert.bind(2, std::string_view(usageEventKindName(event.kind)));
    upsert.bind(3, event.serviceId);
    upsert.bind(4, event.language);
    upsert.bind(5, event.assisted);
    if (int rc = upsert.step(); rc != SQLITE_DONE) return sqliteError(handle(), rc, "record usage");
    return Done{};
}

UsageSummary UsageStats::summary(std::int64_t nowMillis, int days) {
    days = clampDays(days);
    const std::int64_t lastDay = dayNumber(nowMillis);
    const std::int64_t firstDay = lastDay - days + 1;

    UsageSummary summary;
    summary.days = days;
    summary.firstDate = dateOfDay(firstDay);
    summary.lastDate = dateOfDay(lastDay);
    std::vector<int> sentPerDay(static_cast<std::size_t>(days), 0);
    std::map<std::string, int> sentByService;
    std::map<std::string, int> sentByLanguage;
    std::map<std::string, ServiceFunnel> funnel;

    for (const CounterRow& row : countersSince(handle(), firstDay, lastDay)) {
        if (row.kind == usageEventKindName(UsageEventKind::SessionStarted)) {
            summary.sessions += row.count;
        } else if (row.kind == usageEventKindName(UsageEventKind::ReadAloudUsed)) {
            summary.sessionsWithReadAloud += row.count;
        } else if (row.kind == usageEventKindName(UsageEventKind::LargerTextUsed)) {
            summary.sessionsWithLargerText += row.count;
        } else if (row.kind == usageEventKindName(UsageEventKind::HighContrastUsed)) {
            summary.sessionsWithHighContrast += row.count;
        } else if (row.kind == usageEventKindName(UsageEventKind::ServiceStarted)) {
            funnel[row.serviceId].started += row.count;
        } else if (row.kind == usageEventKindName(UsageEventKind::CheckAnswersReached)) {
            funnel[row.serviceId].reachedCheckAnswers += row.count;
        } else if (row.kind == usageEventKindName(UsageEventKind::FormSent)) {
            funnel[row.serviceId].sent += row.count;
            sentPerDay[static_cast<std::size_t>(row.day - firstDay)] += row.count;
            sentByService[row.serviceId] += row.count;
            sentByLanguage[row.language] += row.count;
            summary.formsSent += row.count;
            if (row.assisted) summary.formsSentAssisted += row.count;
        }
    }

    for (int offset = 0; offset < days; ++offset) {
        summary.formsSentPerDay.push_back(
            DailyCount{dateOfDay(firstDay + offset), sentPerDay[static_cast<std::size_t>(offset)]});
    }
    summary.sentByService = sortedCounts(sentByService);
    summary.sentByLanguage = sortedCounts(sentByLanguage);
    for (auto& [serviceId, counts] : funnel) {
        counts.serviceId = serviceId;
        summary.funnel.push_back(counts);
    }
    if (summary.formsSent > 0) {
        summary.assistedShare = static_cast<double>(summary.formsSentAssisted) / summary.formsSent;
    }
    for (const auto& [topic, count] : helpSessionsByTopic(handle(), firstDay * kMillisPerDay)) {
        summary.helpSessionsByTopic.push_back(NamedCount{topic, count});
        summary.helpSessions += count;
    }
    return summary;
}

std::string UsageStats::csv(std::int64_t nowMillis, int days) {
    days = clampDays(days);
    const std::int64_t lastDay = dayNumber(nowMillis);
    const std::int64_t firstDay = lastDay - days + 1;

    struct Row {
        std::int64_t day;
        std::string event, serviceId, language, assisted, topic;
        int count;
    };
    std::vector<Row> rows;
    for (const CounterRow& counter : countersSince(handle(), firstDay, lastDay)) {
        const bool formSent = counter.kind == usageEventKindName(UsageEventKind::FormSent);
        rows.push_back(Row{counter.day, counter.kind, counter.serviceId, counter.language,
                           formSent ? (counter.assisted ? "yes" : "no") : "", "", counter.count});
    }
    {
        // Per day, topic and language; the volunteer's staff id stays out of the export.
        Statement query(
            handle(),
            "SELECT recorded_at_ms / ?, topic, COALESCE(language, ''), COUNT(*) FROM help_sessions "
            "WHERE recorded_at_ms BETWEEN ? AND ? GROUP BY 1, 2, 3");
        query.bind(1, kMillisPerDay);
        query.bind(2, firstDay * kMillisPerDay);
        query.bind(3, (lastDay + 1) * kMillisPerDay - 1);
        while (query.step() == SQLITE_ROW) {
            rows.push_back(Row{query.columnInt64(0), "help_session", "", query.columnText(2), "",
                               query.columnText(1), query.columnInt(3)});
        }
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return std::tie(a.day, a.event, a.serviceId, a.language, a.assisted, a.topic) <
               std::tie(b.day, b.event, b.serviceId, b.language, b.assisted, b.topic);
    });

    std::string out = "date,event,service_id,language,assisted,topic,count\r\n";
    for (const Row& row : rows) {
        out += dateOfDay(row.day) + ',' + csvField(row.event) + ',' + csvField(row.serviceId) + ',' +
               csvField(row.language) + ',' + row.assisted + ',' + csvField(row.topic) + ',' +
               std::to_string(row.count) + "\r\n";
    }
    return out;
}

}  // namespace kiosk::store
