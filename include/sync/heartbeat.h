// The fleet heartbeat: every few minutes an online kiosk POSTs to the council's /v1/heartbeat
// (sync/openapi.yaml) how it is doing, so whoever looks after a fleet of library kiosks sees
// which one is unwell: versions, queue depth by state, the age of the oldest waiting form, free
// disk, a short code for the last delivery error and uptime. Counts, codes and versions only:
// never an answer, a reference, a name or a message a server wrote.
//
// Signed like a submission (device bearer token, Standard Webhooks signature) but keyed by a
// fresh UUID each time: a repeated heartbeat is harmless, so nothing is kept to resend.
// Needs no libcurl: the request goes through the Transport interface.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "sync/kiosk_api_destination.h"
#include "sync/transport.h"

namespace kiosk::store {
class OutboxStore;
class HelpLog;
}  // namespace kiosk::store

namespace kiosk::sync {

// The version of this build (the CMake project version), e.g. "0.1.0".
const char* kioskSoftwareVersion();

struct PackIdentity {
    std::string packId = "unknown";
    std::string version = "unknown";  // the manifest's version as text ("1")
};

// packId and version from <packDirectory>/manifest.json; "unknown" for whichever cannot be
// read (no pack, unreadable file, a missing or odd field). Never throws.
PackIdentity readPackIdentity(const std::filesystem::path& packDirectory);

struct Heartbeat {
    std::string kioskId;
    std::string softwareVersion;
    std::string packId;
    std::string packVersion;
    // Submissions by state (OutboxStore::counts).
    int sealed = 0;  // waiting to be delivered
    int delivered = 0;
    int heldBack = 0;
    int deliveredOutOfBand = 0;
    int helpSessionsWaiting = 0;
    std::int64_t oldestWaitingAgeSeconds = 0;     // of the oldest waiting submission; 0 when none waits
    std::optional<std::uintmax_t> freeDiskBytes;  // available to the kiosk in its data directory
    std::string lastErrorCode = "none";           // lastErrorCode() of the last delivery error
    std::int64_t uptimeSeconds = 0;
    std::int64_t sentAtMillis = 0;
};

// A short, fixed code for a delivery error message as the delivery round and the store write
// them, so the council learns what kind of trouble a kiosk has without any text that could
// quote a server or a form: "none" (empty message), "network", "timeout", "http_<status>"
// (for example "http_503", "http_401"), "unexpected_answer" (a 2xx without the council's JSON,
// such as a captive portal), "redirect", "held_back", "not_configured", "database" or "other".
std::string lastErrorCode(std::string_view lastErrorMessage);

// The heartbeat as of nowMillis: counts from the outbox and the help log, the pack's identity
// from config.packDirectory, free space in config.dataDirectory, and uptime since
// startedAtMillis. lastErrorMessage is the last delivery round's error (the sync status's
// lastError, or OutboxStore::lastError() when no round has run); it is reported as
// lastErrorCode() while anything waits or is held back, and as "none" once nothing does, since
// an error no form still suffers from is history.
Heartbeat gatherHeartbeat(store::OutboxStore& outbox, store::HelpLog& helpLog, const KioskConfig& config,
                          std::string_view lastErrorMessage, std::int64_t startedAtMillis,
                          std::int64_t nowMillis);

// Compact JSON, keys sorted, as the Heartbeat schema in sync/openapi.yaml names them.
std::string encodeHeartbeat(const Heartbeat& heartbeat);

// The council took it: 200 with a JSON object whose "received" is true.
bool heartbeatAcknowledged(const HttpResponse& response);

// What the delivery side last found, which decides whether a heartbeat is worth sending.
struct DeliveryState {
    bool councilReachable = false;  // the last delivery attempt got an answer from the council
    std::string lastError;          // the last delivery round's error message ("" when none)
};

// The sync thread's "heartbeat" job: run() sends one heartbeat when the kiosk is online and says
// when the next one is due. "Online" means the last delivery attempt reached the council, or
// nothing waits (then the heartbeat is the only way the council learns an idle kiosk is alive).
// A kiosk known to be offline, or whose council API is not configured, sends nothing. Whatever
// happens, the next heartbeat is one interval later: a failed heartbeat is not retried sooner,
// and it never touches the delivery backoff or the queue.
class HeartbeatJob {
public:
    enum class Outcome { NotRunYet, Disabled, SkippedOffline, SkippedNotConfigured, Acknowledged, Failed };

    // clock, transport and council must outlive the job. startedAtMillis: when the kiosk
    // software started.
    HeartbeatJob(const KioskConfig& config, const Clock& clock, Transport& transport,
                 const KioskApiDestination& council, std::int64_t startedAtMillis);

    bool enabled() const { return intervalMillis_ > 0; }  // network.heartbeatIntervalSeconds > 0
    std::int64_t intervalMillis() const { return intervalMillis_; }
    // The first heartbeat is due one interval after the first delivery round (whose start is
    // spread at random across a fleet); never (INT64_MAX) when heartbeats are off.
    std::int64_t firstDueAtMillis(std::int64_t firstDeliveryRoundAtMillis) const;

    // Sends at most one heartbeat and returns when the next is due (INT64_MAX when off).
    std::int64_t run(std::int64_t nowMillis, store::OutboxStore& outbox, store::HelpLog& helpLog,
                     const DeliveryState& delivery);

    Outcome lastOutcome() const { return lastOutcome_; }
    std::int64_t lastAcknowledgedMillis() const { return lastAcknowledgedMillis_; }  // 0: none yet

private:
    KioskConfig config_;
    const Clock& clock_;
    Transport& transport_;
    const KioskApiDestination& council_;
    std::int64_t startedAtMillis_;
    std::int64_t intervalMillis_;
    Outcome lastOutcome_ = Outcome::NotRunYet;
    std::int64_t lastAcknowledgedMillis_ = 0;
};

}  // namespace kiosk::sync
