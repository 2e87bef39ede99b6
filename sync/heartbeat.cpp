// The fleet heartbeat: gathered from the store, the pack manifest and the disk, written as JSON,
// sent signed through the council API destination, and timed by the sync thread's job.
#include "sync/heartbeat.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <system_error>

#include "store/help_log.h"
#include "store/outbox_store.h"

#ifndef KIOSK_SOFTWARE_VERSION
#error "KIOSK_SOFTWARE_VERSION must be defined by the build (sync/CMakeLists.txt)"
#endif

namespace kiosk::sync {
namespace {

using nlohmann::json;

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// A pack id or version longer than this is not one a council wrote on purpose; cut it so a
// broken manifest cannot swell every heartbeat.
constexpr std::size_t kMaxPackFieldLength = 64;

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool containsIgnoringCase(std::string_view text, std::string_view word) {
    const auto lower = [](unsigned char c) { return static_cast<char>(std::tolower(c)); };
    return std::search(text.begin(), text.end(), word.begin(), word.end(), [&](char a, char b) {
               return lower(static_cast<unsigned char>(a)) == lower(static_cast<unsigned char>(b));
           }) != text.end();
}

// The first "HTTP <three digits>" in a message the delivery policy wrote ("HTTP 503",
// "The council refused this kiosk's credentials (HTTP 401): ...").
std::optional<int> httpStatusIn(std::string_view message) {
    for (std::size_t at = message.find("HTTP "); at != std::string_view::npos;
         at = message.find("HTTP ", at + 1)) {
        const std::string_view digits = message.substr(at + 5, 3);
        const bool threeDigits = digits.size() == 3 && std::all_of(digits.begin(), digits.end(), [](char c) {
                                     return c >= '0' && c <= '9';
                                 });
        const bool endsThere =
            at + 8 >= message.size() || !std::isdigit(static_cast<unsigned char>(message[at + 8]));
        if (threeDigits && endsThere) return std::stoi(std::string(digits));
    }
    return std::nullopt;
}

// A text field of the manifest, or a whole number written as text when numbers are allowed
// (pack versions are whole numbers today; a text version is kept as written).
std::string packField(const json& manifest, const char* key, bool numberAllowed) {
    const auto found = manifest.find(key);
    if (found == manifest.end()) return "unknown";
    std::string text;
    if (found->is_string()) {
        text = found->get<std::string>();
    } else if (numberAllowed && found->is_number_integer()) {
        text = std::to_string(found->get<std::int64_t>());
    }
    if (text.empty()) return "unknown";
    if (text.size() > kMaxPackFieldLength) text.resize(kMaxPackFieldLength);
    return text;
}

}  // namespace

const char* kioskSoftwareVersion() {
    return KIOSK_SOFTWARE_VERSION;
}

PackIdentity readPackIdentity(const std::filesystem::path& packDirectory) {
    PackIdentity identity;
    if (packDirectory.empty()) return identity;
    std::ifstream in(packDirectory / "manifest.json", std::ios::binary);
    if (!in) return identity;
    const json manifest = json::parse(in, nullptr, false);
    if (manifest.is_discarded() || !manifest.is_object()) return identity;
    identity.packId = packField(manifest, "packId", false);
    identity.version = packField(manifest, "version", true);
    return identity;
}

std::string lastErrorCode(std::string_view message) {
    if (message.empty()) return "none";
    // Checked first: a held-back message ends with the council's own words, which must never
    // be searched for anything that could end up in the code.
    if (startsWith(message, "Held back")) return "held_back";
    if (startsWith(message, "No answer from the council")) {
        return containsIgnoringCase(message, "timed out") || containsIgnoringCase(message, "timeout")
                   ? "timeout"
                   : "network";
    }
    if (startsWith(message, "Unexpected redirect")) return "redirect";
    if (startsWith(message, "Unexpected answer")) return "unexpected_answer";
    // The database's own words follow these, so they are recognised before any search.
    if (startsWith(message, "Could not open the kiosk database") || startsWith(message, "Could not purge") ||
        startsWith(message, "Could not record"))
        return "database";
    if (startsWith(message, "No destination named") || startsWith(message, "Help sessions cannot be sent"))
        return "not_configured";
    if (const auto status = httpStatusIn(message)) return "http_" + std::to_string(*status);
    if (message.find("kiosk config") != std::string_view::npos) return "not_configured";
    return "other";
}

Heartbeat gatherHeartbeat(store::OutboxStore& outbox, store::HelpLog& helpLog, const KioskConfig& config,
                          std::string_view lastErrorMessage, std::int64_t startedAtMillis,
                          std::int64_t nowMillis) {
    const store::QueueCounts submissions = outbox.counts();
    const store::QueueCounts helpSessions = helpLog.counts();
    const PackIdentity pack = readPackIdentity(config.packDirectory);

    Heartbeat heartbeat;
    heartbeat.kioskId = config.kioskId;
    heartbeat.softwareVersion = kioskSoftwareVersion();
    heartbeat.packId = pack.packId;
    heartbeat.packVersion = pack.version;
    heartbeat.sealed = submissions.waiting;
    heartbeat.delivered = submissions.delivered;
    heartbeat.heldBack = submissions.heldBack;
    heartbeat.deliveredOutOfBand = submissions.deliveredOutOfBand;
    heartbeat.helpSessionsWaiting = helpSessions.waiting;
    if (submissions.oldestWaitingCreatedAtMillis > 0) {
        heartbeat.oldestWaitingAgeSeconds =
            std::max<std::int64_t>(nowMillis - submissions.oldestWaitingCreatedAtMillis, 0) / 1000;
    }
    std::error_code spaceError;
    const auto space = std::filesystem::space(config.dataDirectory, spaceError);
    if (!spaceError) heartbeat.freeDiskBytes = space.available;
    const bool anythingUnfinished =
        submissions.waiting + submissions.heldBack + helpSessions.waiting + helpSessions.heldBack > 0;
    heartbeat.lastErrorCode = anythingUnfinished ? lastErrorCode(lastErrorMessage) : "none";
    heartbeat.uptimeSeconds = std::max<std::int64_t>(nowMillis - startedAtMillis, 0) / 1000;
    heartbeat.sentAtMillis = nowMillis;
    return heartbeat;
}

std::string encodeHeartbeat(const Heartbeat& heartbeat) {
    const json body = {
        {"kioskId", heartbeat.kioskId},
        {"softwareVersion", heartbeat.softwareVersion},
        {"packId", heartbeat.packId},
        {"packVersion", heartbeat.packVersion},
        {"queue",
         {{"sealed", heartbeat.sealed},
          {"delivered", heartbeat.delivered},
          {"held_back", heartbeat.heldBack},
          {"delivered_out_of_band", heartbeat.deliveredOutOfBand}}},
        {"helpSessionsWaiting", heartbeat.helpSessionsWaiting},
        {"oldestWaitingAgeSeconds", heartbeat.oldestWaitingAgeSeconds},
        {"freeDiskBytes", heartbeat.freeDiskBytes ? json(*heartbeat.freeDiskBytes) : json(nullptr)},
        {"lastErrorCode", heartbeat.lastErrorCode},
        {"uptimeSeconds", heartbeat.uptimeSeconds},
        {"sentAt", formatUtcTimestamp(heartbeat.sentAtMillis)},
    };
    // nlohmann's objects keep keys sorted. A kiosk id that is not UTF-8 is the configuration's
    // fault; a replacement character keeps the heartbeat going rather than throwing here.
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool heartbeatAcknowledged(const HttpResponse& response) {
    if (!response.transportOk || response.status != 200) return false;
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return false;
    const auto received = body.find("received");
    return received != body.end() && received->is_boolean() && received->get<bool>();
}

HeartbeatJob::HeartbeatJob(const KioskConfig& config, const Clock& clock, Transport& transport,
                           const KioskApiDestination& council, std::int64_t startedAtMillis)
    : config_(config),
      clock_(clock),
      transport_(transport),
      council_(council),
      startedAtMillis_(startedAtMillis),
      intervalMillis_(std::int64_t{std::max(config.network.heartbeatIntervalSeconds, 0)} * 1000) {}

std::int64_t HeartbeatJob::firstDueAtMillis(std::int64_t firstDeliveryRoundAtMillis) const {
    return enabled() ? firstDeliveryRoundAtMillis + intervalMillis_ : kNever;
}

std::int64_t HeartbeatJob::run(std::int64_t nowMillis, store::OutboxStore& outbox, store::HelpLog& helpLog,
                               const DeliveryState& delivery) {
    if (!enabled()) {
        lastOutcome_ = Outcome::Disabled;
        return kNever;
    }
    if (!council_.readyToSend()) {
        // An unsigned heartbeat would only be refused; the delivery status already says what to fix.
        lastOutcome_ = Outcome::SkippedNotConfigured;
        return nowMillis + intervalMillis_;
    }
    const Heartbeat heartbeat =
        gatherHeartbeat(outbox, helpLog, config_, delivery.lastError, startedAtMillis_, nowMillis);
    const bool nothingWaits = heartbeat.sealed == 0 && heartbeat.helpSessionsWaiting == 0;
    if (!delivery.councilReachable && !nothingWaits) {
        // The delivery round already knows the council cannot be reached; it will find out
        // first when that changes, and a heartbeat now would only wait for the same timeout.
        lastOutcome_ = Outcome::SkippedOffline;
        return nowMillis + intervalMillis_;
    }
    const HttpResponse response =
        transport_.send(council_.buildHeartbeatRequest(encodeHeartbeat(heartbeat), nowMillis));
    if (heartbeatAcknowledged(response)) {
        lastOutcome_ = Outcome::Acknowledged;
        lastAcknowledgedMillis_ = nowMillis;
    } else {
        lastOutcome_ = Outcome::Failed;
    }
    // Counted from when the request ended, so a heartbeat that took longer than the interval
    // to time out cannot make the next one due at once.
    return std::max(nowMillis, clock_.nowMillis()) + intervalMillis_;
}

}  // namespace kiosk::sync
