// DeliveryPolicy::classify, row by row: what each council answer does to a submission.
#include <catch2/catch.hpp>

#include "scripted_transport.h"
#include "sync/delivery_policy.h"

using kiosk::sync::DeliveryDecision;
using kiosk::sync::DeliveryPolicy;
using kiosk::sync::HttpResponse;
using kiosk::sync::parseRetryAfter;
using kiosk::sync::testing::ackFor;
using kiosk::sync::testing::jsonResponse;
using kiosk::sync::testing::transportFailure;
using Kind = DeliveryDecision::Kind;

namespace {

const std::string kKey = "6f1c2b1e-0d8a-4c52-9b7e-3f0a1d2c4e5f";
constexpr std::int64_t kNow = 1'795'602'900;  // 2026-11-25T10:35:00Z

DeliveryDecision classify(const HttpResponse& response) {
    return DeliveryPolicy::classify(response, kKey, kNow);
}

HttpResponse withHeader(HttpResponse response, const std::string& name, const std::string& value) {
    response.headers[name] = value;
    return response;
}

}  // namespace

TEST_CASE("A 201 or 200 acknowledgement naming our key is a delivery", "[sync][policy]") {
    for (long status : {200L, 201L}) {
        const auto decision = classify(jsonResponse(status, ackFor(kKey, "SDC-000123")));
        CHECK(decision.kind == Kind::Delivered);
        CHECK(decision.councilReference == "SDC-000123");
        CHECK(decision.councilAnswered);
    }
    auto withCharset = jsonResponse(201, ackFor(kKey, "SDC-9"));
    withCharset.headers["content-type"] = "application/json; charset=utf-8";
    CHECK(classify(withCharset).kind == Kind::Delivered);
}

TEST_CASE("A 2xx that is not our acknowledgement is retried, never delivered", "[sync][policy]") {
    HttpResponse captivePortal;
    captivePortal.transportOk = true;
    captivePortal.status = 200;
    captivePortal.headers["content-type"] = "text/html; charset=utf-8";
    captivePortal.body = "<html><body>Welcome to Library Wi-Fi</body></html>";
    const auto portal = classify(captivePortal);
    CHECK(portal.kind == Kind::Retry);
    CHECK_FALSE(portal.councilAnswered);
    CHECK(portal.affectsWholeQueue);
    CHECK_THAT(portal.message, Catch::Contains("Unexpected answer"));

    const auto wrongKey = classify(jsonResponse(201, ackFor("another-key", "SDC-000123")));
    CHECK(wrongKey.kind == Kind::Retry);
    CHECK_THAT(wrongKey.message, Catch::Contains("Unexpected answer"));

    const std::string ack = ackFor(kKey);
    const auto truncated = classify(jsonResponse(201, ack.substr(0, ack.size() / 2)));
    CHECK(truncated.kind == Kind::Retry);
    CHECK_FALSE(truncated.councilAnswered);

    CHECK(classify(jsonResponse(201, R"({"idempotencyKey":")" + kKey + R"(","councilReference":""})")).kind ==
          Kind::Retry);
    CHECK(classify(jsonResponse(201, R"({"idempotencyKey":")" + kKey + R"("})")).kind == Kind::Retry);
    CHECK(classify(jsonResponse(204, "")).kind == Kind::Retry);

    auto ackAsText = jsonResponse(201, ackFor(kKey));
    ackAsText.headers["content-type"] = "text/plain";
    CHECK(classify(ackAsText).kind == Kind::Retry);
}

TEST_CASE("Redirects are retried, not followed or trusted", "[sync][policy]") {
    auto redirect = jsonResponse(302, "");
    redirect.headers["content-type"] = "text/html";
    redirect.headers["location"] = "http://portal.example/login";
    const auto decision = classify(redirect);
    CHECK(decision.kind == Kind::Retry);
    CHECK(decision.affectsWholeQueue);
    CHECK_THAT(decision.message, Catch::Contains("302"));
}

TEST_CASE("Timeouts, conflicts, rate limits and server errors are retried", "[sync][policy]") {
    for (long status : {408L, 409L, 425L, 429L, 500L, 502L, 503L, 504L}) {
        INFO("status " << status);
        const auto decision = classify(jsonResponse(status, R"({"error":"busy"})"));
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.councilAnswered);
        CHECK_FALSE(decision.retryAfterSeconds.has_value());
    }
    CHECK_FALSE(classify(jsonResponse(500, "{}")).affectsWholeQueue);  // may be this payload only
    CHECK(classify(jsonResponse(503, "{}")).affectsWholeQueue);
    CHECK_THAT(classify(jsonResponse(409, "{}")).message, Catch::Contains("still processing"));
}

TEST_CASE("Retry-After is read as seconds or as an HTTP-date", "[sync][policy]") {
    const auto limited =
        classify(withHeader(jsonResponse(429, R"({"error":"slow down"})"), "retry-after", "120"));
    CHECK(limited.kind == Kind::Retry);
    REQUIRE(limited.retryAfterSeconds.has_value());
    CHECK(*limited.retryAfterSeconds == 120);
    CHECK(limited.affectsWholeQueue);

    const auto dated =
        classify(withHeader(jsonResponse(503, "{}"), "retry-after", "Wed, 25 Nov 2026 10:40:00 GMT"));
    REQUIRE(dated.retryAfterSeconds.has_value());
    CHECK(*dated.retryAfterSeconds == 300);

    CHECK(parseRetryAfter("Wed, 25 Nov 2026 10:00:00 GMT", kNow) == 0);  // already past
    CHECK_FALSE(parseRetryAfter("soon", kNow).has_value());
    CHECK_FALSE(parseRetryAfter("", kNow).has_value());
    CHECK(parseRetryAfter("99999999999", kNow) == 86400);
}

TEST_CASE("Other 4xx hold the submission back with the council's message", "[sync][policy]") {
    const auto badRequest = classify(jsonResponse(400, R"({"error":"formVersion 7 is not known"})"));
    CHECK(badRequest.kind == Kind::HoldBack);
    CHECK(badRequest.message == "formVersion 7 is not known");

    const auto unprocessable = classify(jsonResponse(422, R"({"error":{"message":"Service closed"}})"));
    CHECK(unprocessable.kind == Kind::HoldBack);
    CHECK(unprocessable.message == "Service closed");

    HttpResponse htmlGone;
    htmlGone.transportOk = true;
    htmlGone.status = 410;
    htmlGone.headers["content-type"] = "text/html";
    htmlGone.body = "<h1>Gone</h1>";
    const auto gone = classify(htmlGone);
    CHECK(gone.kind == Kind::HoldBack);
    CHECK(gone.message == "HTTP 410");

    for (long status : {404L, 413L}) CHECK(classify(jsonResponse(status, "{}")).kind == Kind::HoldBack);
}

TEST_CASE("401 and 403 are retried with a message that tells the admin what to fix", "[sync][policy]") {
    for (long status : {401L, 403L}) {
        const auto decision = classify(jsonResponse(status, R"({"error":"Unknown device token"})"));
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.affectsWholeQueue);
        CHECK_THAT(decision.message, Catch::Contains("deviceToken"));
    }
}

TEST_CASE("A transport error is retried and says the council was not reached", "[sync][policy]") {
    const auto decision = classify(transportFailure());
    CHECK(decision.kind == Kind::Retry);
    CHECK_FALSE(decision.councilAnswered);
    CHECK(decision.affectsWholeQueue);
    CHECK_THAT(decision.message, Catch::Contains("Connection refused"));
}

TEST_CASE("HTTP-dates are read in all three forms RFC 9110 names", "[sync][policy][http-date]") {
    using kiosk::sync::parseHttpDate;
    constexpr std::int64_t k1994 = 784'111'777;                             // Sun, 06 Nov 1994 08:49:37 GMT
    CHECK(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT", kNow) == k1994);   // IMF-fixdate
    CHECK(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", kNow) == k1994);  // obsolete RFC 850
    CHECK(parseHttpDate("Sun Nov  6 08:49:37 1994", kNow) == k1994);        // obsolete asctime
    CHECK(parseHttpDate("Wed, 25 Nov 2026 10:40:00 GMT", kNow) == kNow + 300);
    CHECK(parseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT", kNow) == 0);
    CHECK(parseHttpDate("Tue, 29 Feb 2028 23:59:59 GMT", kNow) == 1'835'481'599);  // leap day
    CHECK(parseHttpDate("Thu Nov 26 10:35:00 2026", kNow) == kNow + 86400);        // two-digit day
    // An RFC 850 year more than 50 years ahead belongs to the previous century; otherwise this one.
    CHECK(parseHttpDate("Wednesday, 25-Nov-26 10:40:00 GMT", kNow) == kNow + 300);
    CHECK(parseHttpDate("Wednesday, 01-Jan-70 00:00:00 GMT", kNow) == 3'155'760'000);  // 44 years ahead: 2070
}

TEST_CASE("Malformed HTTP-dates are refused", "[sync][policy][http-date]") {
    using kiosk::sync::parseHttpDate;
    for (const char* text : {
             "",
             "soon",
             "Sun, 06 Nov 1994 08:49:37",      // no zone
             "Sun, 06 Nov 1994 08:49:37 UTC",  // only GMT is allowed
             "Sun, 6 Nov 1994 08:49:37 GMT",   // day must be two digits
             "Sun, 06 nov 1994 08:49:37 GMT",  // month names are case-sensitive
             "Sun, 06 Nox 1994 08:49:37 GMT",
             "Sun, 31 Feb 1994 08:49:37 GMT",  // no such day
             "Sun, 29 Feb 2027 08:49:37 GMT",  // not a leap year
             "Sun, 06 Nov 1994 24:00:00 GMT",
             "Sun, 06 Nov 1994 08:60:00 GMT",
             "Sun, 06 Nov 94 08:49:37 GMT",  // two-digit year in the fixdate form
             "Sun, 06 Nov 1994 08:49:37 GMT extra",
             "Sunday, 06-Nov-1994 08:49:37 GMT",  // four-digit year in the RFC 850 form
             "Sun, 06-Nov-94 08:49:37 GMT",       // RFC 850 needs the full day name
             "Sun Nov 6 08:49:37 1994",           // asctime pads a one-digit day with a space
             "Sun Nov  6 08:49:37 94",
             "Sun Nov  6 8:49:37 1994",
             "Xyz, 06 Nov 1994 08:49:37 GMT",
         }) {
        INFO("'" << text << "'");
        CHECK_FALSE(parseHttpDate(text, kNow).has_value());
    }
    CHECK_FALSE(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 UTC", kNow).has_value());
    CHECK(parseRetryAfter("  Sun Nov  6 08:49:37 1994 ", kNow) == 0);  // padding trimmed; past gives 0
}
