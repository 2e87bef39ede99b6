// Fuzz target: what the Open311 destination makes of a server's answer body, in JSON or XML.
//
// Input: the body as it came. It goes through readOpen311Answer (the small XML reader or the JSON
// parser), every record's fields through open311Text, and through parseOpen311Status and the
// destination's classifier for a POST, a token poll and a search. Whatever the bytes, nothing may
// crash, and a record list is always a list.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "sync/open311_answer.h"
#include "sync/open311_destination.h"

namespace {

using namespace kiosk::sync;

const std::string kEnvelope =
    R"({"endpoint":"https://open311.example/","format":"xml","serviceCode":"MISSED","jurisdictionId":"",)"
    R"("reference":"TST-7K3M-9QX","createdAt":"2026-01-01T00:00:00Z","createdAtMillis":1767225600000,)"
    R"("form":"service_code=MISSED"})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    if (const auto records = readOpen311Answer(body)) {
        FUZZ_CHECK(records->is_array());
        for (const auto& record : *records) {
            for (const char* key : {"service_request_id", "token", "description", "code", "status"})
                (void)open311Text(record, key);
        }
    }
    HttpResponse response;
    response.transportOk = true;
    response.status = size > 0 && data[0] % 2 == 0 ? 200 : 400;
    response.body = body;
    (void)parseOpen311Status(response, "7");

    Open311Settings settings;
    settings.apiKey = "fuzz-key";
    const Open311Destination destination(settings);
    kiosk::store::OutboxItem item;
    item.reference = "TST-7K3M-9QX";
    item.requestBody = kEnvelope;
    for (const char* progress :
         {"", "token:abc", "check:1", "resend-unchecked", "check:1;resent-unchecked"}) {
        item.progress = progress;
        const DeliveryDecision decision = destination.classify(response, item, 1'767'225'600'000);
        FUZZ_CHECK(decision.message.find("fuzz-key") == std::string::npos);
    }
    return 0;
}
