// One delivery round over the help log. Exactly-once rests on the same three things as for
// submissions: the stored bytes and the same key on every attempt, "delivered" recorded only
// after an acknowledgement naming the key, and the council deduplicating a resend by key.
#include "sync/help_session_delivery.h"

#include <algorithm>
#include <set>

#include "store/help_log.h"
#include "sync/backoff.h"
#include "sync/transport.h"

namespace kiosk::sync {
namespace {

constexpr int kBatchSize = 50;
// Full jitter may draw 0 ms; a floor keeps a failing item from being retried in a tight loop.
constexpr std::int64_t kMinimumRetryDelayMillis = 1000;

std::int64_t pollMillis(const KioskConfig& config) {
    return std::int64_t{std::max(config.network.pollIntervalSeconds, 1)} * 1000;
}

}  // namespace

KioskApiSettings councilApiSettings(const KioskConfig& config) {
    KioskApiSettings settings;
    settings.apiBaseUrl = config.council.apiBaseUrl;
    settings.publicKeyBase64 = config.council.publicKeyBase64;
    settings.deviceToken = config.council.deviceToken;
    settings.webhookSecret = config.council.webhookSecret;
    settings.configSection = "council";
    return settings;
}

DeliveryReport deliverDueHelpSessions(store::HelpLog& helpLog, Transport& transport,
                                      const KioskConfig& config, const Clock& clock, Backoff& backoff) {
    const KioskApiDestination council(councilApiSettings(config));
    return deliverDueHelpSessions(helpLog, transport, council, config, clock, backoff);
}

DeliveryReport deliverDueHelpSessions(store::HelpLog& helpLog, Transport& transport,
                                      const KioskApiDestination& council, const KioskConfig& config,
                                      const Clock& clock, Backoff& backoff) {
    DeliveryReport report;
    const std::int64_t roundStartMillis = clock.nowMillis();
    if (auto ready = council.readyToSend(); !ready) {
        // Only a problem when something waits: a kiosk that records no help sessions and sends
        // its forms elsewhere must not show an error for an API it does not use.
        if (!helpLog.due(roundStartMillis, 1).empty()) {
            report.lastError = "Help sessions cannot be sent: " + ready.error().message;
            report.stoppedEarly = true;
            report.resumeAtMillis = roundStartMillis + pollMillis(config);
        }
        return report;
    }

    std::set<std::int64_t> tried;
    while (true) {
        auto batch = helpLog.due(roundStartMillis, kBatchSize);
        std::erase_if(batch, [&](const store::HelpSessionItem& item) { return tried.count(item.rowId) > 0; });
        if (batch.empty()) break;

        for (const auto& item : batch) {
            tried.insert(item.rowId);
            const HttpResponse response =
                transport.send(council.buildHelpSessionRequest(item, clock.nowMillis()));
            ++report.requests;
            const std::int64_t nowMillis = clock.nowMillis();
            const DeliveryDecision decision = council.classifyHelpSession(response, item, nowMillis);
            report.councilAnswered = decision.councilAnswered;

            Status recorded = Done{};
            switch (decision.kind) {
                case DeliveryDecision::Kind::Delivered:
                    recorded = helpLog.recordDelivered(item.rowId, decision.councilReference, nowMillis);
                    if (recorded) {
                        ++report.delivered;
                        report.lastError.clear();
                    }
                    break;
                case DeliveryDecision::Kind::HoldBack:
                    recorded = helpLog.recordHeldBack(item.rowId, decision.message, nowMillis);
                    if (recorded) {
                        ++report.heldBack;
                        report.lastError =
                            "Held back help session " + item.helpSessionId + ": " + decision.message;
                    }
                    break;
                case DeliveryDecision::Kind::Retry: {
                    const std::int64_t delay =
                        std::max(backoff.delayMillis(item.attempts, decision.retryAfterSeconds),
                                 kMinimumRetryDelayMillis);
                    recorded =
                        helpLog.recordRetry(item.rowId, nowMillis + delay, decision.message, nowMillis);
                    if (recorded) {
                        ++report.retried;
                        report.lastError = decision.message;
                    }
                    if (decision.affectsWholeQueue) {
                        report.stoppedEarly = true;
                        report.resumeAtMillis = nowMillis + delay;
                    }
                    break;
                }
            }
            // "not_waiting": another connection finished this record first; the council
            // deduplicated our request, so nothing is wrong.
            if (!recorded && recorded.error().code != ErrorCode::NotWaiting) {
                report.lastError =
                    "Could not record a help session delivery result: " + recorded.error().message;
                report.stoppedEarly = true;
                report.resumeAtMillis = nowMillis + pollMillis(config);
            }
            if (report.stoppedEarly) return report;
        }
    }
    return report;
}

void addRound(DeliveryReport& total, const DeliveryReport& later) {
    total.delivered += later.delivered;
    total.retried += later.retried;
    total.heldBack += later.heldBack;
    if (later.requests > 0) {
        total.councilAnswered = later.councilAnswered;
        total.lastError = later.lastError;
    } else if (!later.lastError.empty() && total.lastError.empty()) {
        total.lastError = later.lastError;
    }
    total.requests += later.requests;
    if (later.stoppedEarly) {
        total.resumeAtMillis =
            total.stoppedEarly ? std::min(total.resumeAtMillis, later.resumeAtMillis) : later.resumeAtMillis;
        total.stoppedEarly = true;
    }
}

}  // namespace kiosk::sync
