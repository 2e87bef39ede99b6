// Open311Destination ("open311"): reports to a council's Open311 GeoReport v2 server, as
// FixMyStreet sends them (docs/open311.md, "The open311 destination").
//
// Seal: the service's destinationSettings.open311 mapping (from the content pack) turns the
// answers into the form-encoded POST body: service_code, description, attribute[code]=value
// (a several-choices answer as the same key repeated, never attribute[code][]), contact and
// location fields. The stored request is a small JSON envelope,
//   {"endpoint","format","serviceCode","jurisdictionId","reference","createdAt","form"}
// where "form" is that body without jurisdiction_id and api_key: both are added at send time, so
// the api key (a secret from the kiosk configuration) is never stored, and a configuration's
// endpoint and jurisdiction overrides (staging, tests) apply to forms already waiting. The
// envelope holds the answers in readable form, so it is protected with the device key and purged
// once delivered.
//
// Send and answer: one request per attempt, chosen by the item's stored progress:
//   ""                     POST {endpoint}requests.{format}
//   "token:<t>"            GET {endpoint}tokens/<t>.{format} until the server names the request
//   "check:<n>"            GET {endpoint}requests.{format}?service_code&start_date&end_date, looking
//                          for "Kiosk reference: <ref>" in a description, after n answers that may
//                          have been lost once the server had committed the report
//   "resend-unchecked"     POST again, because the server could not be searched
// A ";resent-unchecked" suffix on "token:" and "check:" remembers that one unchecked resend has
// happened: the eventual Delivered is flagged possibleDuplicate, and a second ambiguous answer is
// held back for an admin instead of sending a third copy. Before each POST the round stores the
// "check:" progress (progressWhileSending), so a kiosk killed while the POST is in flight also
// searches before sending again; the answer it does hear replaces that progress. Open311 has no idempotency
// key, so this is exactly-once where the server can be searched and at most one flagged duplicate where it
// cannot.
#pragma once

#include <string>

#include "sync/destination.h"
#include "sync/open311_answer.h"

namespace kiosk::sync {

struct Open311Settings {
    std::string apiKey;                     // from the kiosk configuration only; never stored
    std::string endpointOverride;           // replaces every service's endpoint when set (staging, tests)
    std::string jurisdictionOverride;       // replaces every service's jurisdiction_id when set
    std::string configSection = "open311";  // "destinations.<name>", named in error messages
};

class Open311Destination final : public Destination {
public:
    static constexpr const char* kType = "open311";

    explicit Open311Destination(Open311Settings settings);

    std::string type() const override { return kType; }
    // Errors (each names the service and the setting, never an answer): "invalid_submission"
    // when the service has no usable destinationSettings.open311 mapping or the answers are not
    // the kiosk's answers document.
    Result<store::EncodedPayload> encode(const store::SealContext& context) const override;
    // "destination_not_configured" without an api key.
    Status readyToSend() const override;
    HttpRequest buildRequest(const store::OutboxItem& item, std::int64_t nowMillis) const override;
    DeliveryDecision classify(const HttpResponse& response, const store::OutboxItem& item,
                              std::int64_t nowMillis) const override;
    // Before a POST: "check:<n+1>", so a kiosk killed before it heard the answer searches the
    // server's reports before sending again (keeping ";resent-unchecked" when set).
    std::optional<std::string> progressWhileSending(const store::OutboxItem& item) const override;

    // "Check on something I reported": GET requests/{id} at the service's endpoint (from the
    // pack's destinationSettings.open311, with this configuration's overrides); "open" reads as
    // in progress, "closed" as closed.
    std::optional<HttpRequest> statusRequest(const StatusQuery& query) const override;
    std::optional<CouncilStatus> readStatus(const HttpResponse& response,
                                            const StatusQuery& query) const override;

    // The status lookup for a delivered report, with this configuration's endpoint and
    // jurisdiction overrides applied to the service's own endpoint and jurisdiction.
    HttpRequest statusRequest(const std::string& serviceEndpoint, const std::string& format,
                              const std::string& serviceRequestId,
                              const std::string& serviceJurisdictionId = "") const;

private:
    Open311Settings settings_;
};

}  // namespace kiosk::sync
