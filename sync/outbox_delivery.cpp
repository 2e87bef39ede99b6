// One delivery round: due outbox items -> signed POST /v1/submissions -> DeliveryPolicy -> store.
// Exactly-once rests on three things here: the same bytes and the same Idempotency-Key on every
// attempt, "delivered" recorded only after a positive acknowledgement, and the council
// deduplicating by key when an acknowledgement was lost and we send again.
#include <algorithm>
#include <set>

#include "store/outbox_store.h"
#include "sync/backoff.h"
#include "sync/delivery_policy.h"
#include "sync/sync_worker.h"
#include "sync/transport.h"
#include "sync/webhook_signature.h"

namespace kiosk::sync {
namespace {

constexpr int kBatchSize = 50;
// Full jitter may draw 0 ms; a floor keeps a failing item from being retried in a tight loop.
constexpr std::int64_t kMinimumRetryDelayMillis = 1000;

std::string submissionsUrl(const std::string& apiBaseUrl) {
    std::string base = apiBaseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/v1/submissions";
}

HttpRequest buildRequest(const store::OutboxItem& item, const KioskConfig& config,
                         const std::vector<unsigned char>& webhookKey, std::int64_t nowSeconds) {
    HttpRequest request;
    request.method = "POST";
    request.url = submissionsUrl(config.council.apiBaseUrl);
    request.body = item.requestBody;
    request.headers = {
        {"Content-Type", "application/json"},
        {"Accept", "application/json"},
        {"Idempotency-Key", item.submissionId},
        {"Authorization", "Bearer " + config.council.deviceToken},
        // Standard Webhooks: the same id on every attempt lets the council drop replays.
        {"webhook-id", item.submissionId},
        {"webhook-timestamp", std::to_string(nowSeconds)},
        {"webhook-signature", signWebhook(webhookKey, item.submissionId, nowSeconds, item.requestBody)},
    };
    return request;
}

DeliveryReport configurationProblem(std::string message, const Clock& clock, const KioskConfig& config) {
    DeliveryReport report;
    report.lastError = std::move(message);
    report.stoppedEarly = true;
    report.resumeAtMillis = clock.nowMillis() + std::int64_t{std::max(config.network.pollIntervalSeconds, 1)} * 1000;
    return report;
}

}  // namespace

std::filesystem::path databasePath(const KioskConfig& config) { return config.dataDirectory / "kiosk.db"; }

DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport, const KioskConfig& config,
                                     const Clock& clock) {
    Backoff backoff(config.network.retryBaseSeconds, config.network.retryCapSeconds);
    return deliverDueSubmissions(outbox, transport, config, clock, backoff);
}

DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport, const KioskConfig& config,
                                     const Clock& clock, Backoff& backoff) {
    if (config.council.apiBaseUrl.empty()) {
        return configurationProblem("council.apiBaseUrl is not set in the kiosk config", clock, config);
    }
    const auto webhookKey = decodeWebhookSecret(config.council.webhookSecret);
    if (!webhookKey) {
        return configurationProblem("council.webhookSecret in the kiosk config is missing or not whsec_<base64>",
                                    clock, config);
    }

    DeliveryReport report;
    // Asking the store with the round's start time means an item retried during this round
    // (scheduled at least a second later) is not picked up again by the next batch.
    const std::int64_t roundStartMillis = clock.nowMillis();
    std::set<std::int64_t> tried;

    while (true) {
        auto batch = outbox.dueForDelivery(roundStartMillis, kBatchSize);
        std::erase_if(batch, [&](const store::OutboxItem& item) { return tried.count(item.rowId) > 0; });
        if (batch.empty()) break;

        for (const auto& item : batch) {
            tried.insert(item.rowId);
            const HttpResponse response = transport.send(buildRequest(item, config, *webhookKey, clock.nowSeconds()));
            ++report.requests;
            const std::int64_t nowMillis = clock.nowMillis();
            const DeliveryDecision decision =
                DeliveryPolicy::classify(response, item.submissionId, nowMillis / 1000);
            report.councilAnswered = decision.councilAnswered;

            Status recorded = Done{};
            switch (decision.kind) {
                case DeliveryDecision::Kind::Delivered:
                    recorded = outbox.recordDelivered(item.rowId, decision.councilReference, nowMillis);
                    if (recorded) {
                        ++report.delivered;
                        report.lastError.clear();
                    }
                    break;
                case DeliveryDecision::Kind::HoldBack:
                    recorded = outbox.recordHeldBack(item.rowId, decision.message, nowMillis);
                    if (recorded) {
                        ++report.heldBack;
                        report.lastError = "Held back " + item.reference + ": " + decision.message;
                    }
                    break;
                case DeliveryDecision::Kind::Retry: {
                    const std::int64_t delay =
                        std::max(backoff.delayMillis(item.attempts, decision.retryAfterSeconds), kMinimumRetryDelayMillis);
                    recorded = outbox.recordRetry(item.rowId, nowMillis + delay, decision.message, nowMillis);
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
            // "not_waiting": another connection (kioskctl sync --once beside the worker) finished
            // this item first; the council deduplicated our request, so nothing is wrong.
            if (!recorded && recorded.error().code != "not_waiting") {
                // If the database cannot record outcomes, sending more would only repeat work the
                // council has to deduplicate. A delivered-but-unrecorded item is resent later
                // and the council answers with the same acknowledgement.
                report.lastError = "Could not record a delivery result: " + recorded.error().message;
                report.stoppedEarly = true;
                report.resumeAtMillis =
                    nowMillis + std::int64_t{std::max(config.network.pollIntervalSeconds, 1)} * 1000;
            }
            if (report.stoppedEarly) return report;
        }
    }
    return report;
}

}  // namespace kiosk::sync
