// Open311Destination on its own: what encode() seals from the pack's mapping, the request each
// kind of stored progress makes, and what every kind of answer means, in JSON and in XML.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "open311_test_support.h"
#include "scripted_transport.h"
#include "sync/open311_destination.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;

namespace {

constexpr std::int64_t kSealTimeMillis = 1'795'601'700'000;  // 2026-11-25T10:15:00Z
constexpr std::int64_t kNowMillis = kSealTimeMillis + 60'000;

Open311Settings settingsWithKey() {
    Open311Settings settings;
    settings.apiKey = "s3cret key&=";
    settings.configSection = "destinations.open311";
    return settings;
}

store::SubmissionToSeal missedBin(const std::string& format = "json") {
    store::SubmissionToSeal submission;
    submission.serviceId = "missed-bin";
    submission.formId = "missed-bin";
    submission.language = "en";
    submission.destination = "open311";
    submission.answersJson = missedBinAnswers();
    submission.destinationSettings = missedBinSettings(format);
    return submission;
}

Result<store::EncodedPayload> encodeWith(const Open311Destination& destination,
                                         const store::SubmissionToSeal& submission) {
    const store::SealContext context{submission, "0f8fad5b-d9cb-469f-a165-70867728950e", "TST-7K3M-9QX",
                                     "test-kiosk-1", kSealTimeMillis};
    return destination.encode(context);
}

store::OutboxItem itemFor(const store::EncodedPayload& payload, const std::string& progress = "") {
    store::OutboxItem item;
    item.rowId = 1;
    item.submissionId = "0f8fad5b-d9cb-469f-a165-70867728950e";
    item.reference = "TST-7K3M-9QX";
    item.serviceId = "missed-bin";
    item.destination = "open311";
    item.requestBody = payload.requestBody;
    item.protection = payload.protection;
    item.progress = progress;
    return item;
}

struct Sealed {
    Open311Destination destination{settingsWithKey()};
    store::EncodedPayload payload;
    explicit Sealed(const std::string& format = "json") {
        auto encoded = encodeWith(destination, missedBin(format));
        REQUIRE(encoded.ok());
        payload = encoded.value();
    }
    HttpRequest request(const std::string& progress = "") const {
        return destination.buildRequest(itemFor(payload, progress), kNowMillis);
    }
    DeliveryDecision classify(const HttpResponse& response, const std::string& progress = "") const {
        return destination.classify(response, itemFor(payload, progress), kNowMillis);
    }
};

HttpResponse xmlResponse(long status, const std::string& body) {
    HttpResponse response = jsonResponse(status, body);
    response.headers["content-type"] = "text/xml";
    return response;
}

HttpResponse curlFailure(int code) {
    HttpResponse response = transportFailure("Transferred a partial file");
    response.curlCode = code;
    return response;
}

}  // namespace

TEST_CASE("Open311 sealing builds the form body from the pack's mapping", "[sync][open311]") {
    const Sealed sealed;
    CHECK(sealed.payload.protection == store::PayloadProtection::DeviceKey);
    CHECK(sealed.payload.sealedPayload == missedBinAnswers());

    const auto envelope = nlohmann::json::parse(sealed.payload.requestBody);
    CHECK(envelope.at("endpoint") == "https://open311.sample-district.example/");
    CHECK(envelope.at("format") == "json");
    CHECK(envelope.at("serviceCode") == "MISSED");
    CHECK(envelope.at("createdAt") == "2026-11-25T10:15:00Z");
    // The api key is added at send time only: it is never in what the store keeps.
    CHECK(sealed.payload.requestBody.find("s3cret") == std::string::npos);
    CHECK(envelope.at("form").get<std::string>().find("api_key") == std::string::npos);

    const auto fields = formFields(envelope.at("form").get<std::string>());
    CHECK(fieldValues(fields, "service_code") == std::vector<std::string>{"MISSED"});
    // Several choices: the same key repeated, never the bracket form.
    CHECK(fieldValues(fields, "attribute[containers]") == std::vector<std::string>{"refuse", "food"});
    CHECK(envelope.at("form").get<std::string>().find("%5D%5B%5D") == std::string::npos);
    CHECK(fieldValues(fields, "attribute[containers][]").empty());
    CHECK(fieldValues(fields, "attribute[kiosk_reference]") == std::vector<std::string>{"TST-7K3M-9QX"});
    CHECK(fieldValues(fields, "first_name") == std::vector<std::string>{"Jane van"});
    CHECK(fieldValues(fields, "last_name") == std::vector<std::string>{"Dyke"});
    CHECK(fieldValues(fields, "phone").empty());  // skipped optional question
    CHECK(fieldValues(fields, "address_string") ==
          std::vector<std::string>{"Flat 4, 17 Marigold Terrace, Maidstone, ME15 6JQ"});
    CHECK(fieldValues(fields, "address_id") == std::vector<std::string>{"200003456789"});
    CHECK(fieldValues(fields, "lat") == std::vector<std::string>{"51.2704"});
    CHECK(fieldValues(fields, "long") == std::vector<std::string>{"0.5227"});
    CHECK(fieldValues(fields, "description") ==
          std::vector<std::string>{"Missed bin reported at a council kiosk.\nWas your bin out by 7am?: Yes\n"
                                   "Tell us anything else: " +
                                   kDistinctiveDetail + "\nKiosk reference: TST-7K3M-9QX"});
}

TEST_CASE("Open311 sealing leaves out lat and long that are zero and names mapping problems",
          "[sync][open311]") {
    const Open311Destination destination(settingsWithKey());
    SECTION("a manual address has no UPRN and no coordinates") {
        auto submission = missedBin();
        submission.answersJson =
            R"({"answers":[{"id":"address","question":"Address","type":"address","value":{"manual":true,)"
            R"("lines":["1 Lane"],"town":"Maidstone","postcode":"ME1 1AA","latitude":0,"longitude":0},"answer":"x"}]})";
        auto encoded = encodeWith(destination, submission);
        REQUIRE(encoded.ok());
        const auto fields =
            formFields(nlohmann::json::parse(encoded->requestBody).at("form").get<std::string>());
        CHECK(fieldValues(fields, "address_string") ==
              std::vector<std::string>{"1 Lane, Maidstone, ME1 1AA"});
        CHECK(fieldValues(fields, "address_id").empty());
        CHECK(fieldValues(fields, "lat").empty());
    }
    SECTION("a service without an open311 mapping") {
        auto submission = missedBin();
        submission.destinationSettings = R"({"email":{}})";
        auto encoded = encodeWith(destination, submission);
        REQUIRE_FALSE(encoded.ok());
        CHECK(encoded.error().code == ErrorCode::InvalidSubmission);
        CHECK(encoded.error().message.find("missed-bin") != std::string::npos);
        CHECK(encoded.error().message.find("destinationSettings.open311") != std::string::npos);
    }
    SECTION("a choice without a server value never quotes the answer") {
        auto submission = missedBin();
        submission.destinationSettings =
            R"({"open311":{"endpoint":"https://x.example/","serviceCode":"MISSED","format":"json",)"
            R"("attributes":{"address":{"code":"where","values":{"a":"b"}}}}})";
        auto encoded = encodeWith(destination, submission);
        REQUIRE_FALSE(encoded.ok());
        CHECK(encoded.error().message.find("attributes.address") != std::string::npos);
        CHECK(encoded.error().message.find("Marigold") == std::string::npos);
    }
    SECTION("a format other than json or xml") {
        auto submission = missedBin("html");
        auto encoded = encodeWith(destination, submission);
        REQUIRE_FALSE(encoded.ok());
        CHECK(encoded.error().message.find("format") != std::string::npos);
    }
}

TEST_CASE("Open311 requests: the POST, a token poll and a search", "[sync][open311]") {
    const Sealed sealed("xml");
    SECTION("first attempt posts the form with jurisdiction and api key added") {
        const HttpRequest request = sealed.request();
        CHECK(request.method == "POST");
        CHECK(request.freshConnection);  // never resent by libcurl on a dead keep-alive connection
        CHECK(request.url == "https://open311.sample-district.example/requests.xml");
        CHECK(headerOf(request, "Content-Type") == "application/x-www-form-urlencoded");
        const auto fields = formFields(request.body);
        CHECK(fieldValues(fields, "api_key") == std::vector<std::string>{"s3cret key&="});
        CHECK(fieldValues(fields, "jurisdiction_id") == std::vector<std::string>{"sample_district"});
        CHECK(fieldValues(fields, "attribute[containers]").size() == 2);
    }
    SECTION("a token is polled") {
        const HttpRequest request = sealed.request("token:abc123");
        CHECK(request.method == "GET");
        CHECK(request.url.rfind("https://open311.sample-district.example/tokens/abc123.xml?", 0) == 0);
        CHECK(request.body.empty());
    }
    SECTION("after a lost answer the server's reports are searched") {
        const HttpRequest request = sealed.request("check:1");
        CHECK(request.method == "GET");
        CHECK(request.url.rfind("https://open311.sample-district.example/requests.xml?service_code=MISSED&",
                                0) == 0);
        CHECK(request.url.find("start_date=2026-11-24T10%3A15%3A00Z") != std::string::npos);
        CHECK(request.url.find("end_date=2026-11-26T10%3A16%3A00Z") != std::string::npos);
    }
    SECTION("the configuration's endpoint and jurisdiction override the pack's") {
        Open311Settings settings = settingsWithKey();
        settings.endpointOverride = "http://127.0.0.1:9000/open311";
        settings.jurisdictionOverride = "staging";
        const Open311Destination staging(settings);
        const HttpRequest request = staging.buildRequest(itemFor(sealed.payload), kNowMillis);
        CHECK(request.url == "http://127.0.0.1:9000/open311/requests.xml");
        CHECK(fieldValues(formFields(request.body), "jurisdiction_id") ==
              std::vector<std::string>{"staging"});
    }
    SECTION("no api key: not ready, and the message says where to put it") {
        const Open311Destination unconfigured(Open311Settings{});
        REQUIRE_FALSE(unconfigured.readyToSend().ok());
        CHECK(unconfigured.readyToSend().error().code == ErrorCode::DestinationNotConfigured);
        CHECK(unconfigured.readyToSend().error().message.find("apiKey") != std::string::npos);
    }
}

TEST_CASE("Open311 answers to the POST", "[sync][open311]") {
    const Sealed sealed;
    using Kind = DeliveryDecision::Kind;
    SECTION("200 with a service_request_id in JSON") {
        const auto decision =
            sealed.classify(jsonResponse(200, R"([{"service_notice":"ok","service_request_id":42}])"));
        CHECK(decision.kind == Kind::Delivered);
        CHECK(decision.councilReference == "42");
        CHECK_FALSE(decision.possibleDuplicate);
    }
    SECTION("200 with a service_request_id in XML") {
        const auto decision = sealed.classify(xmlResponse(
            200,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_requests>\n  <request>\n"
            "    <service_notice>ok &amp; thanks</service_notice>\n"
            "    <service_request_id> 9 </service_request_id>\n  </request>\n</service_requests>\n"));
        CHECK(decision.kind == Kind::Delivered);
        CHECK(decision.councilReference == "9");
    }
    SECTION("a token: polled later, the token kept as progress") {
        const auto decision = sealed.classify(jsonResponse(200, R"([{"token":"f00dfeed"}])"));
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.progress == std::optional<std::string>("token:f00dfeed"));
        const auto xmlDecision = sealed.classify(
            xmlResponse(200, "<service_requests><request><token>beef</token></request></service_requests>"));
        CHECK(xmlDecision.progress == std::optional<std::string>("token:beef"));
    }
    SECTION("400 with an errors list is held back with the server's words") {
        const auto decision = sealed.classify(jsonResponse(
            400,
            R"([{"code":400,"description":"Error in input for POST_Service_Request\nFailed //any\n - a\n - b"}])"));
        CHECK(decision.kind == Kind::HoldBack);
        CHECK(decision.message.find("HTTP 400") != std::string::npos);
        CHECK(decision.message.find("Error in input for POST_Service_Request") != std::string::npos);
        CHECK(decision.message.find(" - b") == std::string::npos);  // first three lines only
        const auto xmlDecision = sealed.classify(xmlResponse(
            400, "<errors><error><code>400</code><description>Bad request</description></error></errors>"));
        CHECK(xmlDecision.kind == Kind::HoldBack);
        CHECK(xmlDecision.message.find("Bad request") != std::string::npos);
    }
    SECTION("an error saying the report already exists is a delivery") {
        const auto decision = sealed.classify(jsonResponse(
            400, R"([{"code":400,"description":"Request with this kiosk_reference already exists"}])"));
        CHECK(decision.kind == Kind::Delivered);
        const auto duplicate = sealed.classify(xmlResponse(
            422,
            "<errors><error><code>422</code><description>Duplicate report</description></error></errors>"));
        CHECK(duplicate.kind == Kind::Delivered);
    }
    SECTION("401 and 403 hold back for an admin and name the api key, never the key itself") {
        for (long status : {401L, 403L}) {
            const auto decision =
                sealed.classify(jsonResponse(status, R"([{"code":403,"description":"Bad api_key"}])"));
            CHECK(decision.kind == Kind::HoldBack);
            CHECK(decision.message.find("api key") != std::string::npos);
            CHECK(decision.message.find("s3cret") == std::string::npos);
        }
    }
    SECTION("404 holds back") {
        HttpResponse response = jsonResponse(404, "Not found");
        response.headers["content-type"] = "text/plain";
        CHECK(sealed.classify(response).kind == Kind::HoldBack);
    }
    SECTION("5xx retries with Retry-After honoured and the progress unchanged") {
        HttpResponse response = jsonResponse(503, R"([{"code":503,"description":"Service Unavailable"}])");
        response.headers["retry-after"] = "7";
        const auto decision = sealed.classify(response);
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.retryAfterSeconds == std::optional<int>(7));
        CHECK(decision.progress == std::optional<std::string>(""));
    }
    SECTION("a refused connection retries and sends again, no search needed") {
        const auto decision = sealed.classify(transportFailure());
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.progress == std::optional<std::string>(""));
        CHECK(decision.affectsWholeQueue);
    }
    SECTION("an answer lost after sending, or a 200 we cannot read: search before sending again") {
        for (int code : {18, 28, 52, 56}) {
            const auto decision = sealed.classify(curlFailure(code));
            CHECK(decision.kind == Kind::Retry);
            CHECK(decision.progress == std::optional<std::string>("check:1"));
        }
        HttpResponse portal = jsonResponse(200, "<html><body>Sign in to the library Wi-Fi</body>");
        portal.headers["content-type"] = "text/html";
        const auto decision = sealed.classify(portal);
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.progress == std::optional<std::string>("check:1"));
    }
}

TEST_CASE("Open311 token polls and searches", "[sync][open311]") {
    const Sealed sealed;
    using Kind = DeliveryDecision::Kind;
    SECTION("the token poll names the request") {
        const auto decision = sealed.classify(
            jsonResponse(200, R"([{"service_request_id":"77","token":"f00dfeed"}])"), "token:f00dfeed");
        CHECK(decision.kind == Kind::Delivered);
        CHECK(decision.councilReference == "77");
    }
    SECTION("the token poll has no id yet: keep polling") {
        const auto decision =
            sealed.classify(jsonResponse(200, R"([{"token":"f00dfeed"}])"), "token:f00dfeed");
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.progress == std::optional<std::string>("token:f00dfeed"));
        const auto down = sealed.classify(jsonResponse(500, "[]"), "token:f00dfeed");
        CHECK(down.progress == std::optional<std::string>("token:f00dfeed"));
        const auto lost = sealed.classify(curlFailure(56), "token:f00dfeed");
        CHECK(lost.progress == std::optional<std::string>("token:f00dfeed"));
    }
    SECTION("the search finds our report by its reference line") {
        const std::string list =
            R"([{"service_request_id":3,"description":"Kiosk reference: TST-7K3M-9QX1"},)"
            R"({"service_request_id":4,"description":"Missed bin\nKiosk reference: TST-7K3M-9QX"}])";
        const auto decision = sealed.classify(jsonResponse(200, list), "check:1");
        CHECK(decision.kind == Kind::Delivered);
        CHECK(decision.councilReference == "4");
        CHECK_FALSE(decision.possibleDuplicate);
        const auto xml = sealed.classify(
            xmlResponse(200,
                        "<service_requests><request><description>Missed\nKiosk reference: "
                        "TST-7K3M-9QX</description><service_request_id>5</service_request_id></request>"
                        "</service_requests>"),
            "check:2");
        CHECK(xml.councilReference == "5");
    }
    SECTION("the search does not find it: send again") {
        const auto decision = sealed.classify(
            jsonResponse(200, R"([{"service_request_id":3,"description":"Kiosk reference: OTHER"}])"),
            "check:1");
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.progress == std::optional<std::string>(""));
        CHECK(sealed.request("").method == "POST");
    }
    SECTION("the server cannot be searched: one resend, flagged as a possible duplicate") {
        for (long status : {400L, 404L, 500L}) {
            const auto decision = sealed.classify(jsonResponse(status, "[]"), "check:1");
            CHECK(decision.kind == Kind::Retry);
            CHECK(decision.progress == std::optional<std::string>("resend-unchecked"));
        }
        const auto garbage = sealed.classify(jsonResponse(200, "Internal error"), "check:1");
        CHECK(garbage.progress == std::optional<std::string>("resend-unchecked"));
        CHECK(sealed.request("resend-unchecked").method == "POST");

        const auto delivered =
            sealed.classify(jsonResponse(200, R"([{"service_request_id":8}])"), "resend-unchecked");
        CHECK(delivered.kind == Kind::Delivered);
        CHECK(delivered.possibleDuplicate);
    }
    SECTION("never a third copy: a second lost answer after an unchecked resend is held back") {
        const auto lost = sealed.classify(curlFailure(52), "resend-unchecked");
        CHECK(lost.progress == std::optional<std::string>("check:1;resent-unchecked"));
        CHECK(sealed.request("check:1;resent-unchecked").method == "GET");
        const auto unsearchable = sealed.classify(jsonResponse(404, "[]"), "check:1;resent-unchecked");
        CHECK(unsearchable.kind == Kind::HoldBack);
        const auto found = sealed.classify(
            jsonResponse(200, R"([{"service_request_id":9,"description":"Kiosk reference: TST-7K3M-9QX"}])"),
            "check:1;resent-unchecked");
        CHECK(found.kind == Kind::Delivered);
        CHECK(found.possibleDuplicate);
    }
    SECTION("a token after an unchecked resend keeps the flag") {
        const auto decision = sealed.classify(jsonResponse(200, R"([{"token":"ab"}])"), "resend-unchecked");
        CHECK(decision.progress == std::optional<std::string>("token:ab;resent-unchecked"));
        const auto polled =
            sealed.classify(jsonResponse(200, R"([{"service_request_id":1}])"), "token:ab;resent-unchecked");
        CHECK(polled.possibleDuplicate);
    }
}

TEST_CASE("Open311 status lookup builds the GET and reads JSON and XML", "[sync][open311]") {
    const HttpRequest request =
        open311StatusRequest("https://open311.sample-district.example", "json", "42", "sample_district");
    CHECK(request.method == "GET");
    CHECK(request.url ==
          "https://open311.sample-district.example/requests/42.json?jurisdiction_id=sample_district");

    auto json = parseOpen311Status(
        jsonResponse(200,
                     R"([{"service_request_id":42,"status":"closed","status_notes":"Collected on Tuesday",)"
                     R"("updated_datetime":"2026-11-26T09:00:00Z"}])"),
        "42");
    REQUIRE(json.ok());
    CHECK(json->status == "closed");
    CHECK(json->statusNotes == "Collected on Tuesday");
    CHECK(json->updatedDatetime == "2026-11-26T09:00:00Z");

    auto xml = parseOpen311Status(
        xmlResponse(200,
                    "<?xml version=\"1.0\"?><service_requests><request><service_request_id>42"
                    "</service_request_id><status>open</status><status_notes/><updated_datetime>"
                    "2026-11-25T10:15:00Z</updated_datetime></request></service_requests>"),
        "42");
    REQUIRE(xml.ok());
    CHECK(xml->status == "open");
    CHECK(xml->statusNotes.empty());

    auto missing = parseOpen311Status(jsonResponse(404, R"([{"code":404,"description":"not found"}])"), "42");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::NotFound);
    auto broken = parseOpen311Status(jsonResponse(200, "<html>"), "42");
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().code == ErrorCode::Unreadable);
}

TEST_CASE("Checking a report asks the service's Open311 endpoint and reads the council's status",
          "[sync][open311][status]") {
    const Open311Destination destination(settingsWithKey());
    const std::string settings =
        R"({"open311":{"endpoint":"https://open311.sample-district.example/","format":"xml",)"
        R"("serviceCode":"MISSED_BIN","jurisdictionId":"sample_district"}})";
    const StatusQuery query{"6f1c0a52-0000-4000-8000-000000000001", "42", settings};
    const auto request = destination.statusRequest(query);
    REQUIRE(request.has_value());
    CHECK(request->method == "GET");
    CHECK(request->url ==
          "https://open311.sample-district.example/requests/42.xml?jurisdiction_id=sample_district");
    CHECK(request->url.find("api_key") == std::string::npos);  // status lookups are public

    const auto open = destination.readStatus(
        xmlResponse(200,
                    "<?xml version=\"1.0\"?><service_requests><request><service_request_id>42"
                    "</service_request_id><status>open</status><updated_datetime>2026-11-25T10:15:00Z"
                    "</updated_datetime></request></service_requests>"),
        query);
    REQUIRE(open.has_value());
    CHECK(open->progress == CouncilProgress::InProgress);
    CHECK(open->updatedAtMillis == 1'795'601'700'000);
    const auto closed =
        destination.readStatus(jsonResponse(200, R"([{"service_request_id":42,"status":"closed"}])"), query);
    REQUIRE(closed.has_value());
    CHECK(closed->progress == CouncilProgress::Closed);
    CHECK_FALSE(destination.readStatus(jsonResponse(500, "[]"), query).has_value());

    // Not delivered yet (no council id), or a service with no endpoint: nothing to ask.
    CHECK_FALSE(destination.statusRequest(StatusQuery{"id", "", settings}).has_value());
    CHECK_FALSE(destination.statusRequest(StatusQuery{"id", "42", "{}"}).has_value());
}

TEST_CASE("The Open311 XML reader handles entities and refuses what it cannot read", "[sync][open311]") {
    const auto read = readOpen311Xml(
        "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c --><errors a=\"x>y\">\n <error>\n"
        "  <code>400</code>\n  <description>a &lt;b&gt; &amp; &quot;c&quot; &#65;&#x42; "
        "<![CDATA[<raw>]]></description>\n"
        " </error>\n</errors>\n");
    REQUIRE(read.has_value());
    REQUIRE(read->size() == 1);
    CHECK(open311Text(read->at(0), "code") == "400");
    CHECK(open311Text(read->at(0), "description") == "a <b> & \"c\" AB <raw>");

    CHECK(readOpen311Xml("<service_requests></service_requests>")->empty());
    for (const char* broken :
         {"", "<", "<a>", "<a></b>", "<a>&bogus;</a>", "<a>&#0;</a>", "<a>&#xD800;</a>", "<a></a>trailing",
          "<!DOCTYPE a [<!ENTITY x \"y\">]><a/>", "<a b=\"unterminated></a>"}) {
        CHECK_FALSE(readOpen311Xml(broken).has_value());
    }
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "<a>";
    CHECK_FALSE(readOpen311Xml(deep).has_value());
}
