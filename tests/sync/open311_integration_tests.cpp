// The open311 destination against the real Open311 replay server (tests/open311_server) over
// loopback: the sample pack's five services sealed with their destinationSettings.open311 from
// services.json, delivered through CurlTransport, and checked in what the server stored
// (GET /admin/requests), including with its token, lost-answer and unavailable fault switches.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "open311_server_process.h"
#include "open311_test_support.h"
#include "sync/backoff.h"
#include "sync/outbox_delivery.h"
#include "sync/transport.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;
using nlohmann::json;

namespace {

std::string readAll(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// destinationSettings of each service in the sample pack, as the kiosk passes them on at seal time.
std::map<std::string, std::string> samplePackSettings() {
    const json services = json::parse(readAll(std::filesystem::path(KIOSK_SAMPLE_PACK) / "services.json"));
    std::map<std::string, std::string> settings;
    for (const auto& service : services.at("services"))
        settings[service.at("id").get<std::string>()] =
            service.value("destinationSettings", json::object()).dump();
    return settings;
}

json answer(const std::string& id, const std::string& type, json value, const std::string& text) {
    return {{"id", id},
            {"question", "Question " + id},
            {"type", type},
            {"value", std::move(value)},
            {"answer", text}};
}

json address(const std::string& uprn, double latitude, double longitude) {
    return {{"uprn", uprn},         {"lines", {"Flat 4", "17 Marigold Terrace"}},
            {"town", "Maidstone"},  {"postcode", "ME15 6JQ"},
            {"latitude", latitude}, {"longitude", longitude}};
}

std::string answersDocument(const std::string& service, json answers) {
    return json{
        {"service", service}, {"form", service}, {"formVersion", 1}, {"language", "en"}, {"answers", answers}}
        .dump();
}

// One filled-in form per sample service, each with an address or a place the server accepts.
std::map<std::string, std::string> sampleAnswers() {
    std::map<std::string, std::string> forms;
    forms["missed-bin"] = missedBinAnswers();
    forms["fly-tipping"] = answersDocument(
        "fly-tipping",
        {answer("has-address", "one-choice", "no-address", "No"),
         answer("location", "long-text", "Behind the library car park", "Behind the library car park"),
         answer("what", "several-choices", {"bags", "tyres"}, "Bags, Tyres"),
         answer("how-much", "one-choice", "car-boot", "A car boot load"),
         answer("dangerous", "yes-no", true, "Yes"),
         answer("phone", "uk-phone", "07700 900982", "07700 900982")});
    forms["bulky-waste"] = answersDocument(
        "bulky-waste",
        {answer("address", "address", address("200003456790", 51.27, 0.52), "17 Marigold Terrace"),
         answer("items", "several-choices", {"sofa", "fridge-freezer"}, "Sofa, Fridge"),
         answer("item-count", "whole-number", 2, "2"),
         answer("collection-date", "date", "2026-12-03", "3 December 2026"),
         answer("where-left", "one-choice", "kerbside", "Kerbside"),
         answer("phone", "uk-phone", "07700 900982", "07700 900982")});
    forms["moving-home"] = answersDocument(
        "moving-home",
        {answer("full-name", "short-text", "Jane van Dyke", "Jane van Dyke"),
         answer("current-address", "address", address("200003456791", 51.28, 0.53), "17 Marigold Terrace"),
         answer("moving-date", "date", "2026-12-10", "10 December 2026"),
         answer("moving-within", "yes-no", false, "No"), answer("other-adults", "whole-number", 1, "1"),
         answer("email", "email", "jane@example.org", "jane@example.org")});
    forms["housing-advice"] = answersDocument(
        "housing-advice",
        {answer("need", "one-choice", "asked-to-leave", "I have been asked to leave"),
         answer("safe-tonight", "yes-no", true, "Yes"), answer("children", "yes-no", false, "No"),
         answer("full-name", "short-text", "Sam Okafor", "Sam Okafor"),
         answer("address", "address", address("200003456792", 51.29, 0.54), "17 Marigold Terrace"),
         answer("phone", "uk-phone", "07700 900983", "07700 900983"),
         answer("call-time", "one-choice", "any-time", "Any time")});
    return forms;
}

struct Open311Fixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    std::unique_ptr<ServerProcess> server;
    KioskConfig config;
    std::unique_ptr<store::OutboxStore> outbox;
    // Real time: the server searches reports by the time it received them.
    VirtualClock clock{SystemClock().nowMillis()};
    std::map<std::string, std::string> packSettings = samplePackSettings();

    explicit Open311Fixture(std::vector<std::string> faults = {}) {
        Open311ServerOptions options;
        options.executable = OPEN311_SERVER_PATH;
        options.workDirectory = directory.path();
        options.dataDirectory = OPEN311_SAMPLE_DISTRICT_DATA;
        options.faults = std::move(faults);
        auto started = startOpen311Server(options);
        if (!started) FAIL(started.error().message);
        server = std::move(started.value());
        config = makeConfig(directory.path(), keys, "http://127.0.0.1:9/unused");
        config.network.retryBaseSeconds = 1;
        config.network.retryCapSeconds = 4;
        config.destinations = {
            {"kiosk-api", "kiosk-api", {}},
            {"open311", "open311", {{"apiKey", "test"}, {"endpoint", server->baseUrl() + "/"}}}};
        outbox = openStore(config);
    }

    store::SealedReceipt sealService(const std::string& serviceId, const std::string& answersJson) {
        store::SubmissionToSeal submission = makeSubmission(serviceId, answersJson);
        submission.destination = "open311";
        submission.destinationSettings = packSettings.at(serviceId);
        auto sealed =
            sealForDestination(*outbox, destinationsFromConfig(config), submission, clock.nowMillis());
        if (!sealed) FAIL(sealed.error().message);
        clock.advanceMillis(1);
        return sealed.value();
    }

    DeliveryReport deliver() {
        CurlTransport transport(config.network);
        return deliverDueSubmissions(*outbox, transport, config, clock);
    }

    // Rounds until nothing waits, moving the clock past each retry delay.
    void deliverUntilDone(int maxRounds = 10) {
        for (int round = 0; round < maxRounds && outbox->counts().waiting > 0; ++round) {
            (void)deliver();
            clock.advanceMillis(10'000);
        }
    }

    json stored() {
        auto requests = server->getJson("/admin/requests");
        if (!requests) FAIL(requests.error().message);
        return requests.value();
    }

    store::SubmissionRecord record(const store::SealedReceipt& receipt) {
        auto found = outbox->findByReference(receipt.reference);
        REQUIRE(found.has_value());
        return *found;
    }
};

const json* storedFor(const json& requests, const std::string& reference) {
    for (const auto& request : requests) {
        if (request.value("description", "").find("Kiosk reference: " + reference) != std::string::npos)
            return &request;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("Open311: every sample service reaches the real server with its attributes and location",
          "[sync][open311][integration]") {
    Open311Fixture fixture;
    std::map<std::string, store::SealedReceipt> receipts;
    for (const auto& [serviceId, answersJson] : sampleAnswers())
        receipts.emplace(serviceId, fixture.sealService(serviceId, answersJson));

    const auto report = fixture.deliver();
    CHECK(report.delivered == 5);
    CHECK(report.heldBack == 0);
    INFO(report.lastError);

    const json requests = fixture.stored();
    REQUIRE(requests.size() == 5);
    for (const auto& [serviceId, receipt] : receipts) {
        INFO(serviceId);
        const json* stored = storedFor(requests, receipt.reference);
        REQUIRE(stored != nullptr);
        const auto record = fixture.record(receipt);
        CHECK(record.state == store::SubmissionState::Delivered);
        CHECK(record.councilReference == std::to_string(stored->at("id").get<long>()));
        CHECK(stored->at("received").at("attribute[kiosk_reference]") == receipt.reference);
    }

    const json& missedBin = *storedFor(requests, receipts.at("missed-bin").reference);
    CHECK(missedBin.at("service_code") == "MISSED_BIN");
    CHECK(missedBin.at("received").at("attribute[containers]") == json({"refuse", "food"}));
    CHECK(missedBin.at("received").at("attribute[bin_out]") == "yes");
    CHECK(missedBin.at("received").at("attribute[kiosk_submission_id]") ==
          receipts.at("missed-bin").submissionId);
    CHECK(missedBin.at("address_id") == "200003456789");
    CHECK(missedBin.at("received").at("lat") == "51.2704");
    CHECK(missedBin.at("received").at("long") == "0.5227");
    CHECK(missedBin.at("address") == "Flat 4, 17 Marigold Terrace, Maidstone, ME15 6JQ");
    CHECK(missedBin.at("description").get<std::string>().find(kDistinctiveDetail) != std::string::npos);
    CHECK_FALSE(missedBin.at("received").contains("attribute[containers][]"));

    const json& flyTipping = *storedFor(requests, receipts.at("fly-tipping").reference);
    CHECK(flyTipping.at("address") == "Behind the library car park");
    CHECK(flyTipping.at("received").at("attribute[waste_type]") == json({"bags", "tyres"}));
    CHECK(flyTipping.at("received").at("attribute[amount]") == "car_boot");
    CHECK(flyTipping.at("received").at("attribute[hazardous]") == "Y");

    const json& bulky = *storedFor(requests, receipts.at("bulky-waste").reference);
    CHECK(bulky.at("received").at("attribute[items]") == json({"sofa", "fridge_freezer"}));
    CHECK(bulky.at("received").at("attribute[item_count]") == "2");

    const json& moving = *storedFor(requests, receipts.at("moving-home").reference);
    CHECK(moving.at("received").at("first_name") == "Jane van");
    CHECK(moving.at("received").at("last_name") == "Dyke");
    CHECK(moving.at("received").at("email") == "jane@example.org");
    CHECK(moving.at("received").at("attribute[moving_within_district]") == "no");

    const json& housing = *storedFor(requests, receipts.at("housing-advice").reference);
    CHECK(housing.at("received").at("attribute[need]") == "asked_to_leave");
    CHECK(housing.at("received").at("attribute[call_time]") == "any_time");
}

TEST_CASE("Open311: a token answer is polled until the server names the report, across a restart",
          "[sync][open311][integration]") {
    Open311Fixture fixture({"--answer-with-token"});
    const auto receipt = fixture.sealService("missed-bin", missedBinAnswers());

    const auto first = fixture.deliver();
    CHECK(first.retried == 1);
    CHECK(fixture.record(receipt).state == store::SubmissionState::Sealed);
    REQUIRE(fixture.stored().size() == 1);

    // The kiosk restarts: the token is read back from the database, not posted again.
    fixture.outbox.reset();
    fixture.outbox = openStore(fixture.config);
    fixture.clock.advanceMillis(10'000);
    const auto second = fixture.deliver();
    CHECK(second.delivered == 1);
    const json requests = fixture.stored();
    REQUIRE(requests.size() == 1);
    CHECK(fixture.record(receipt).councilReference == std::to_string(requests.at(0).at("id").get<long>()));
}

TEST_CASE("Open311: an answer lost after the server stored the report is found by a search, not resent",
          "[sync][open311][integration]") {
    Open311Fixture fixture({"--reset-after-commit", "1"});
    const auto receipt = fixture.sealService("missed-bin", missedBinAnswers());

    const auto first = fixture.deliver();
    CHECK(first.retried == 1);
    fixture.clock.advanceMillis(10'000);
    const auto second = fixture.deliver();
    CHECK(second.delivered == 1);

    const json requests = fixture.stored();
    CHECK(requests.size() == 1);  // no duplicate at the server
    const auto record = fixture.record(receipt);
    CHECK(record.state == store::SubmissionState::Delivered);
    CHECK(record.councilReference == std::to_string(requests.at(0).at("id").get<long>()));
}

TEST_CASE("Open311: a server that is unavailable at first gets the report once it recovers",
          "[sync][open311][integration]") {
    Open311Fixture fixture({"--fail-first", "2"});
    const auto receipt = fixture.sealService("missed-bin", missedBinAnswers());
    fixture.deliverUntilDone();
    CHECK(fixture.record(receipt).state == store::SubmissionState::Delivered);
    CHECK(fixture.stored().size() == 1);
}

TEST_CASE("Open311: no answer is readable in the database while a form waits, and none after",
          "[sync][open311][integration]") {
    Open311Fixture fixture({"--fail-first", "1"});
    const auto receipt = fixture.sealService("missed-bin", missedBinAnswers());
    const auto databaseBytes = [&fixture]() {
        return readAll(fixture.config.dataDirectory / "kiosk.db") +
               readAll(fixture.config.dataDirectory / "kiosk.db-wal");
    };
    REQUIRE(fixture.deliver().retried == 1);  // waiting, with its progress written
    CHECK(fixture.record(receipt).state == store::SubmissionState::Sealed);
    CHECK(databaseBytes().find(kDistinctiveDetail) == std::string::npos);
    CHECK(databaseBytes().find("Marigold") == std::string::npos);
    CHECK(databaseBytes().find("api_key") == std::string::npos);

    fixture.deliverUntilDone();
    const auto record = fixture.record(receipt);
    CHECK(record.state == store::SubmissionState::Delivered);
    CHECK(record.payloadPurged);
    CHECK(databaseBytes().find(kDistinctiveDetail) == std::string::npos);
    // The server did receive it: the string is distinctive, not missing from the form.
    CHECK(fixture.stored().dump().find(kDistinctiveDetail) != std::string::npos);
}
