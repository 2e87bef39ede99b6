// Fuzz target: what the kiosk makes of the council's answer to a delivery.
//
// Input: a small HTTP answer as text, "STATUS\nheader line\n...\n\nbody" (a first line of "-"
// means the exchange failed in transport). Each header line goes through addResponseHeaderLine as
// libcurl would hand it over, then the answer through DeliveryPolicy::classify, which parses the
// JSON acknowledgement and classifies the status, and every header value through parseRetryAfter.
#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "sync/delivery_policy.h"
#include "sync/transport.h"

namespace {

using namespace kiosk::sync;

// The key every seed acknowledgement names, so the fuzzer starts from deliveries that succeed.
const std::string kIdempotencyKey = "0f8fad5b-d9cb-469f-a165-70867728950e";
constexpr std::int64_t kNowSeconds = 1'767'225'600;  // 2026-01-01

HttpResponse responseFrom(const std::string& text) {
    HttpResponse response;
    const std::size_t headersEnd = text.find("\n\n");
    const std::string head = text.substr(0, headersEnd);
    if (headersEnd != std::string::npos) response.body = text.substr(headersEnd + 2);
    std::size_t lineStart = 0;
    bool first = true;
    while (lineStart <= head.size()) {
        std::size_t lineEnd = head.find('\n', lineStart);
        if (lineEnd == std::string::npos) lineEnd = head.size();
        const std::string line = head.substr(lineStart, lineEnd - lineStart);
        if (first) {
            response.transportOk = line != "-";
            if (!response.transportOk) {
                response.transportError = "Connection reset by peer";
            } else {
                // As libcurl gives it: a long, whatever the digits say.
                long status = 0;
                for (char c : line.substr(0, 18)) {
                    if (!std::isdigit(static_cast<unsigned char>(c))) break;
                    status = status * 10 + (c - '0');
                }
                response.status = status;
            }
            first = false;
        } else {
            addResponseHeaderLine(response, line + "\r\n");
        }
        lineStart = lineEnd + 1;
    }
    return response;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const HttpResponse response = responseFrom(text);

    const DeliveryDecision decision = DeliveryPolicy::classify(response, kIdempotencyKey, kNowSeconds);
    FUZZ_CHECK(!decision.message.empty());
    switch (decision.kind) {
        case DeliveryDecision::Kind::Delivered:
            FUZZ_CHECK(response.transportOk);
            FUZZ_CHECK(response.status == 200 || response.status == 201);
            FUZZ_CHECK(!decision.councilReference.empty());
            FUZZ_CHECK(response.body.find(kIdempotencyKey) != std::string::npos);
            break;
        case DeliveryDecision::Kind::HoldBack:
            FUZZ_CHECK(response.status >= 400 && response.status < 500);
            FUZZ_CHECK(decision.message.size() <= 300);
            break;
        case DeliveryDecision::Kind::Retry:
            FUZZ_CHECK(decision.councilReference.empty());
            break;
    }
    if (decision.retryAfterSeconds)
        FUZZ_CHECK(*decision.retryAfterSeconds >= 0 && *decision.retryAfterSeconds <= 86400);

    for (const auto& [name, value] : response.headers) {
        FUZZ_CHECK(std::none_of(name.begin(), name.end(), [](unsigned char c) { return std::isupper(c); }));
        FUZZ_CHECK(name.empty() || (name.front() != ' ' && name.back() != ' '));
        for (std::int64_t now :
             {std::int64_t{0}, kNowSeconds, std::int64_t{INT64_MAX / 2}, std::int64_t{-kNowSeconds}}) {
            if (auto seconds = parseRetryAfter(value, now)) FUZZ_CHECK(*seconds >= 0 && *seconds <= 86400);
        }
    }
    return 0;
}
