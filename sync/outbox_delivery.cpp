// One delivery round: due outbox items -> their destination's request -> Transport -> the
// destination's classifier -> store. Exactly-once rests on three things here: the same bytes
// and the same key on every attempt (the destination builds the request from the stored
// bytes), "delivered" recorded only after a positive acknowledgement, and the council
// deduplicating by key when an acknowledgement was lost and we send again.
#include "sync/outbox_delivery.h"

#include <algorithm>
#include <map>
#include <set>

#include "kiosk/secure_wipe.h"
#include "store/outbox_store.h"
#include "sync/backoff.h"
#include "sync/destination.h"
#include "sync/transport.h"

namespace kiosk::sync {
namespace {

constexpr int kBatchSize = 50;
// Full jitter may draw 0 ms; a floor keeps a failing item from being retried in a tight loop.
constexpr std::int64_t kMinimumRetryDelayMillis = 1000;

std::int64_t pollMillis(const KioskConfig& config) {
    return std::int64_t{std::max(config.network.pollIntervalSeconds, 1)} * 1000;
}

DeliveryReport configurationProblem(std::string message, const Clock& clock, const KioskConfig& config) {
    DeliveryReport report;
    report.lastError = std::move(message);
    report.stoppedEarly = true;
    report.resumeAtMillis = clock.nowMillis() + pollMillis(config);
    return report;
}

// A stored destination name that no configured destination has: the form is fine, the kiosk's
// configuration (or the pack that named it) is not, so the item waits and says why.
DeliveryDecision unknownDestination(const std::string& name) {
    DeliveryDecision decision;
    decision.kind = DeliveryDecision::Kind::Retry;
    decision.message = "No destination named \"" + name +
                       "\" is configured on this kiosk; add it to destinations in the kiosk configuration";
    return decision;
}

// A payload the kiosk cannot open (sealed to another kiosk's key, changed on disk) can never be
// sent from here: it is held back for an admin, whose export still carries the stored bytes. A
// device key that is missing from the configuration is a configuration problem: the form waits.
DeliveryDecision unreadablePayload(const Error& why) {
    DeliveryDecision decision;
    decision.kind = why.code == ErrorCode::DestinationNotConfigured ? DeliveryDecision::Kind::Retry
                                                                    : DeliveryDecision::Kind::HoldBack;
    decision.message = why.message;
    return decision;
}

// The item as its destination must see it: a payload encrypted to the device key is opened here,
// on the sync thread, just for this attempt.
Result<store::OutboxItem> openedForSending(const store::OutboxItem& item,
                                           const DestinationRegistry& destinations) {
    if (item.protection != store::PayloadProtection::DeviceKey) return item;
    const store::DeviceIdentity* device = destinations.deviceIdentity();
    if (device == nullptr) {
        return Error{ErrorCode::DestinationNotConfigured,
                     "The form is encrypted to the kiosk's device key, which could not be loaded."};
    }
    auto opened = openFromDevice(*device, item.requestBody);
    if (!opened) return opened.error();
    store::OutboxItem readable = item;
    readable.requestBody = std::move(opened.value());
    return readable;
}

}  // namespace

std::filesystem::path databasePath(const KioskConfig& config) {
    return config.dataDirectory / "kiosk.db";
}

DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport,
                                     const KioskConfig& config, const Clock& clock) {
    Backoff backoff(config.network.retryBaseSeconds, config.network.retryCapSeconds);
    return deliverDueSubmissions(outbox, transport, config, clock, backoff);
}

DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport,
                                     const KioskConfig& config, const Clock& clock, Backoff& backoff) {
    const auto destinations = destinationsFromConfig(config);
    if (!destinations) return configurationProblem(destinations.error().message, clock, config);
    return deliverDueSubmissions(outbox, transport, destinations.value(), config, clock, backoff);
}

DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport,
                                     const DestinationRegistry& destinations, const KioskConfig& config,
                                     const Clock& clock, Backoff& backoff) {
    // Destinations that cannot send at all (no address, unusable secret) are found before any
    // request; when none can, the round is a configuration problem and touches nothing.
    std::map<std::string, std::string, std::less<>> notReady;  // name -> what to fix
    for (const auto& name : destinations.names()) {
        if (auto ready = destinations.find(name)->readyToSend(); !ready)
            notReady[name] = ready.error().message;
    }
    if (!destinations.empty() && notReady.size() == destinations.names().size()) {
        return configurationProblem(notReady.begin()->second, clock, config);
    }

    DeliveryReport report;
    // Asking the store with the round's start time means an item retried during this round
    // (scheduled at least a second later) is not picked up again by the next batch.
    const std::int64_t roundStartMillis = clock.nowMillis();
    std::set<std::int64_t> tried;
    bool waitingForConfiguration = false;

    while (true) {
        auto batch = outbox.dueForDelivery(roundStartMillis, kBatchSize);
        std::erase_if(batch, [&](const store::OutboxItem& item) { return tried.count(item.rowId) > 0; });
        if (batch.empty()) break;

        for (const auto& item : batch) {
            tried.insert(item.rowId);
            if (const auto problem = notReady.find(item.destination); problem != notReady.end()) {
                // Left as it is (no attempt counted): it goes once the configuration is fixed.
                waitingForConfiguration = true;
                report.lastError = problem->second;
                continue;
            }

            const Destination* destination = destinations.find(item.destination);
            DeliveryDecision decision;
            std::int64_t nowMillis = clock.nowMillis();
            if (destination == nullptr) {
                decision = unknownDestination(item.destination);
            } else if (auto readable = openedForSending(item, destinations); !readable) {
                decision = unreadablePayload(readable.error());
            } else {
                if (const auto inFlight = destination->progressWhileSending(readable.value())) {
                    if (auto kept = outbox.recordProgress(item.rowId, *inFlight); !kept) {
                        wipeString(readable.value().requestBody);
                        // Finished by another connection meanwhile: nothing to send.
                        if (kept.error().code == ErrorCode::NotWaiting) continue;
                        // Sending without the note could repeat a report after a crash.
                        report.lastError = "Could not record a delivery step: " + kept.error().message;
                        report.stoppedEarly = true;
                        report.resumeAtMillis = nowMillis + pollMillis(config);
                        return report;
                    }
                }
                HttpRequest request = destination->buildRequest(readable.value(), nowMillis);
                const HttpResponse response = transport.send(request);
                wipeString(request.body);
                ++report.requests;
                nowMillis = clock.nowMillis();
                decision = destination->classify(response, readable.value(), nowMillis);
                wipeString(readable.value().requestBody);
                report.councilAnswered = decision.councilAnswered;
            }

            Status recorded = Done{};
            switch (decision.kind) {
                case DeliveryDecision::Kind::Delivered:
                    recorded = outbox.recordDelivered(item.rowId, decision.councilReference, nowMillis,
                                                      decision.possibleDuplicate);
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
                        std::max(backoff.delayMillis(item.attempts, decision.retryAfterSeconds),
                                 kMinimumRetryDelayMillis);
                    recorded = outbox.recordRetry(item.rowId, nowMillis + delay, decision.message, nowMillis,
                                                  decision.progress);
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
            if (!recorded && recorded.error().code != ErrorCode::NotWaiting) {
                // If the database cannot record outcomes, sending more would only repeat work the
                // council has to deduplicate. A delivered-but-unrecorded item is resent later
                // and the council answers with the same acknowledgement.
                report.lastError = "Could not record a delivery result: " + recorded.error().message;
                report.stoppedEarly = true;
                report.resumeAtMillis = nowMillis + pollMillis(config);
            }
            if (report.stoppedEarly) return report;
        }
    }
    if (waitingForConfiguration) {
        // Those items are still due: without this the worker would find them due at once.
        report.stoppedEarly = true;
        report.resumeAtMillis = clock.nowMillis() + pollMillis(config);
    }
    return report;
}

}  // namespace kiosk::sync
