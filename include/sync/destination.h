// Destinations: where a sealed submission goes and in what shape (DESIGN.md section 5).
//
// A destination is an adapter with three parts, so the store and the delivery loop need no
// knowledge of any wire format:
//   encode      at seal time, the answers and metadata -> the exact bytes every attempt sends,
//               and how those bytes are protected on the kiosk's disk;
//   buildRequest  a stored item -> the HTTP request for one attempt;
//   classify    the answer -> delivered (with the council's reference), retry, or hold back.
// The kiosk JSON API (KioskApiDestination, "kiosk-api") is the first; Open311, email and signed
// webhooks come later. Each service in the content pack names its destination, the
// DestinationRegistry maps those names to adapters built from the kiosk configuration, and the
// store records the name with each submission so the delivery loop picks the same adapter.
//
// Adapters are immutable once built and shared between the UI thread (sealing) and the sync
// thread (delivery): every method is const and must be safe to call from both at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/config.h"
#include "kiosk/modes/resident_mode.h"
#include "kiosk/result.h"
#include "store/device_identity.h"
#include "store/outbox_store.h"
#include "sync/delivery_policy.h"
#include "sync/transport.h"

namespace kiosk::sync {

// "Check on something I reported": what the kiosk can ask the council about a delivered form.
// Never the answers: by then a readable payload has been deleted.
struct StatusQuery {
    std::string submissionId;
    std::string councilReference;     // the council's id for it, from the delivery answer
    std::string destinationSettings;  // the service's, from the content pack (where to ask)
};

class Destination {
public:
    virtual ~Destination() = default;

    // The adapter kind as the configuration names it: "kiosk-api".
    virtual std::string type() const = 0;

    // Seal time, inside the store's transaction. Must not keep or log the answers; an error
    // message names what is wrong with the configuration or metadata, never an answer.
    virtual Result<store::EncodedPayload> encode(const store::SealContext& context) const = 0;

    // Whether this destination can send at all (address, credentials). An error is a
    // configuration problem: its items wait untouched until an admin fixes it.
    virtual Status readyToSend() const = 0;

    // One attempt. Only called when readyToSend() succeeded. item.requestBody is always the
    // plaintext encode() returned: a DeviceKey payload has been opened by the delivery round.
    virtual HttpRequest buildRequest(const store::OutboxItem& item, std::int64_t nowMillis) const = 0;

    // What the answer means for this item. nowMillis is when the answer arrived.
    virtual DeliveryDecision classify(const HttpResponse& response, const store::OutboxItem& item,
                                      std::int64_t nowMillis) const = 0;

    // Progress to store before this attempt's request goes out, for a destination whose server
    // cannot drop a repeat by itself: if the kiosk dies before the answer is recorded, the next
    // attempt starts from it (Open311 searches for the report first). nullopt: nothing to store,
    // a repeat is harmless (an idempotency key, a Message-ID).
    virtual std::optional<std::string> progressWhileSending(const store::OutboxItem&) const {
        return std::nullopt;
    }

    // The request that asks the council's system how a delivered form is getting on, and what
    // its answer says. nullopt: this destination cannot be asked (a mailbox, a webhook), or the
    // answer was not one it understands.
    virtual std::optional<HttpRequest> statusRequest(const StatusQuery&) const { return std::nullopt; }
    virtual std::optional<CouncilStatus> readStatus(const HttpResponse&, const StatusQuery&) const {
        return std::nullopt;
    }
};

// Destination names (as services and stored submissions use them) -> adapters.
class DestinationRegistry {
public:
    // Adds or replaces the destination called `name`.
    void add(std::string name, std::shared_ptr<const Destination> destination);
    // nullptr when no destination has this name.
    const Destination* find(std::string_view name) const;
    std::vector<std::string> names() const;  // sorted
    bool empty() const { return destinations_.empty(); }

    // The kiosk's own keys (include/store/device_identity.h): payloads an encoder marks
    // PayloadProtection::DeviceKey are sealed to its X25519 public key at seal time and opened
    // with its secret key by the delivery round only. Without it such a seal fails.
    void setDeviceIdentity(std::shared_ptr<const store::DeviceIdentity> identity);
    const store::DeviceIdentity* deviceIdentity() const { return deviceIdentity_.get(); }

private:
    std::map<std::string, std::shared_ptr<const Destination>, std::less<>> destinations_;
    std::shared_ptr<const store::DeviceIdentity> deviceIdentity_;
};

// crypto_box_seal to the device's X25519 public key, and its inverse. Opening fails with
// "invalid_submission" when the bytes were not sealed to this key or were changed.
std::string sealToDevice(const store::DeviceIdentity& device, const std::string& plaintext);
Result<std::string> openFromDevice(const store::DeviceIdentity& device, const std::string& sealed);

// The destinations the configuration names ("destinations" section), or, when it names none, one
// "kiosk-api" destination made from the "council" section, so older configurations work as they
// are. Error "unknown_destination_type" when an entry's type is not one this build has. When any
// destination other than kiosk-api is configured, the device identity is loaded (or created) from
// the data directory; its errors are this function's.
Result<DestinationRegistry> destinationsFromConfig(const KioskConfig& config);

// Seals with the adapter the submission's destination names: one call for the UI thread.
// Error "unknown_destination" when no configured destination has that name (nothing is
// written); otherwise the store's and the encoder's errors.
Result<store::SealedReceipt> sealForDestination(store::OutboxStore& outbox,
                                                const DestinationRegistry& destinations,
                                                const store::SubmissionToSeal& submission,
                                                std::int64_t nowMillis);
// The same with a registry that may have failed to build: its error is the seal's error.
Result<store::SealedReceipt> sealForDestination(store::OutboxStore& outbox,
                                                const Result<DestinationRegistry>& destinations,
                                                const store::SubmissionToSeal& submission,
                                                std::int64_t nowMillis);

}  // namespace kiosk::sync
