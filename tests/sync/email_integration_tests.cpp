// The email destination against a real mail server process (tests/smtp_server/smtp_server.py) on
// loopback: STARTTLS with a throwaway CA trusted through network.caBundle, AUTH, each of the
// sample pack's five services sealed and delivered through CurlTransport and compared byte for
// byte with the message sealed; 451, 550 and a wrong password; no answer text on disk.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "fake_council_process.h"
#include "kiosk/clock.h"
#include "sync/backoff.h"
#include "sync/email_destination.h"
#include "sync/outbox_delivery.h"
#include "sync/transport.h"
#include "test_support.h"

extern char** environ;

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;
using nlohmann::json;

namespace {

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The SMTP test server as a child process, stopped (and reaped) when this goes away.
class SmtpServerProcess {
public:
    SmtpServerProcess(const std::filesystem::path& work, std::vector<std::string> faults) : work_(work) {
        const auto portFile = work / "smtp.port";
        std::vector<std::string> arguments = {SYSTEM_PYTHON3, SMTP_SERVER_SCRIPT,
                                              "--port-file",  portFile.string(),
                                              "--tls-dir",    (work / "tls").string(),
                                              "--out-dir",    (work / "mail").string(),
                                              "--username",   "kiosk-user",
                                              "--password",   "right horse battery"};
        arguments.insert(arguments.end(), faults.begin(), faults.end());
        std::vector<char*> argv;
        for (auto& argument : arguments) argv.push_back(argument.data());
        argv.push_back(nullptr);
        REQUIRE(posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
        for (int i = 0; i < 400 && port_ == 0; ++i) {
            std::ifstream in(portFile);
            if (!(in >> port_)) {
                port_ = 0;
                std::this_thread::sleep_for(std::chrono::milliseconds(25));
            }
        }
        REQUIRE(port_ > 0);
    }
    ~SmtpServerProcess() {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
    std::filesystem::path caBundle() const { return work_ / "tls" / "ca.pem"; }
    std::filesystem::path mail(int number) const {
        char name[16];
        std::snprintf(name, sizeof name, "%04d", number);
        return work_ / "mail" / name;
    }
    int received() const {
        int count = 0;
        if (!std::filesystem::exists(work_ / "mail")) return 0;
        for (const auto& entry : std::filesystem::directory_iterator(work_ / "mail"))
            count += entry.path().extension() == ".eml" ? 1 : 0;
        return count;
    }

private:
    std::filesystem::path work_;
    pid_t pid_ = 0;
    int port_ = 0;
};

// One plausible set of answers per sample service, with Polish and Nepali text and a cell a
// spreadsheet would run as a formula.
std::string answersFor(const std::string& serviceId) {
    json answers = json::array();
    answers.push_back({{"id", "full-name"},
                       {"question", "What is your full name?"},
                       {"type", "text"},
                       {"value", "Zofia Wiśniewska"},
                       {"answer", "Zofia Wiśniewska"}});
    answers.push_back({{"id", "details"},
                       {"question", "Tell us more"},
                       {"type", "text"},
                       {"value", "=cmd|' /C calc'!A0, म घर सर्दैछु"},
                       {"answer", "=cmd|' /C calc'!A0, म घर सर्दैछु"}});
    answers.push_back({{"id", "email"},
                       {"question", "What is your email address?"},
                       {"type", "email"},
                       {"value", "zofia@example.com"},
                       {"answer", "zofia@example.com"}});
    return json{{"service", serviceId},
                {"form", serviceId},
                {"formVersion", 1},
                {"language", "pl"},
                {"answers", answers}}
        .dump();
}

struct EmailFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    std::unique_ptr<SmtpServerProcess> server;
    KioskConfig config;
    std::unique_ptr<store::OutboxStore> outbox;
    VirtualClock clock{SystemClock().nowMillis()};
    Backoff backoff{1, 4, 11};
    json services;

    explicit EmailFixture(std::vector<std::string> faults = {},
                          std::string password = "right horse battery") {
        server = std::make_unique<SmtpServerProcess>(directory.path(), std::move(faults));
        config = makeConfig(directory.path(), keys, "http://127.0.0.1:9");
        config.network.retryBaseSeconds = 1;
        config.network.retryCapSeconds = 4;
        config.network.caBundle = server->caBundle().string();
        KioskConfig::Destination email;
        email.name = "email";
        email.type = "email";
        email.settings = {{"smtpUrl", server->url()},
                          {"from", "kiosk@sample-district.example"},
                          {"username", "kiosk-user"},
                          {"password", std::move(password)}};
        config.destinations.push_back(email);
        outbox = openStore(config);
        services =
            json::parse(readFile(std::filesystem::path(SAMPLE_PACK_DIR) / "services.json")).at("services");
    }

    // Seals a form for `serviceId` through the "email" destination with the pack's settings and
    // returns the message it must arrive as.
    std::string sealFor(const std::string& serviceId) {
        auto submission = makeSubmission(serviceId, answersFor(serviceId));
        submission.destination = "email";
        for (const auto& service : services) {
            if (service.at("id") == serviceId)
                submission.destinationSettings = service.at("destinationSettings").dump();
        }
        auto sealed =
            sealForDestination(*outbox, destinationsFromConfig(config), submission, clock.nowMillis());
        REQUIRE(sealed.ok());
        // The same encoder on the same submission gives the bytes that must reach the mailbox.
        const auto record = outbox->findByReference(sealed.value().reference);
        REQUIRE(record.has_value());
        const store::SealContext context{submission, sealed.value().submissionId, sealed.value().reference,
                                         config.kioskId, record->createdAtMillis};
        const auto destinations = destinationsFromConfig(config);
        auto encoded = destinations.value().find("email")->encode(context);
        REQUIRE(encoded.ok());
        clock.advanceMillis(1);
        return json::parse(encoded.value().requestBody).at("message").get<std::string>();
    }

    DeliveryReport deliver() {
        CurlTransport transport(config.network);
        return deliverDueSubmissions(*outbox, transport, config, clock, backoff);
    }
};

}  // namespace

TEST_CASE("Every sample service's form arrives by email over STARTTLS and AUTH, byte for byte", "[email]") {
    EmailFixture fixture;
    std::vector<std::string> expected;
    for (const auto& service : fixture.services) expected.push_back(fixture.sealFor(service.at("id")));
    REQUIRE(expected.size() == 5);

    const DeliveryReport report = fixture.deliver();
    CHECK(report.delivered == 5);
    CHECK(fixture.outbox->counts().delivered == 5);
    REQUIRE(fixture.server->received() == 5);
    for (int i = 0; i < 5; ++i) {
        const auto mail = fixture.server->mail(i + 1);
        CHECK(readFile(mail.string() + ".eml") == expected[static_cast<std::size_t>(i)]);
        const json envelope = json::parse(readFile(mail.string() + ".json"));
        CHECK(envelope.at("tls") == true);
        CHECK(envelope.at("login") == "kiosk-user");
        CHECK(envelope.at("mailFrom") == "kiosk@sample-district.example");
    }
    // Sending again sends nothing.
    CHECK(fixture.deliver().requests == 0);
    CHECK(fixture.server->received() == 5);
}

TEST_CASE("A 451 from the mail server is retried and then delivered", "[email]") {
    EmailFixture fixture({"--answer-451", "1"});
    const std::string expected = fixture.sealFor("moving-home");
    const DeliveryReport first = fixture.deliver();
    CHECK(first.retried == 1);
    CHECK(first.lastError.find("451") != std::string::npos);
    CHECK(fixture.server->received() == 0);
    fixture.clock.advanceMillis(10000);
    CHECK(fixture.deliver().delivered == 1);
    REQUIRE(fixture.server->received() == 1);
    CHECK(readFile(fixture.server->mail(1).string() + ".eml") == expected);
}

TEST_CASE("A 550 from the mail server holds the form back with the server's reply", "[email]") {
    EmailFixture fixture({"--answer-550", "1"});
    fixture.sealFor("housing-advice");
    const DeliveryReport report = fixture.deliver();
    CHECK(report.heldBack == 1);
    CHECK(report.lastError.find("550 5.7.1 Message rejected by policy") != std::string::npos);
    CHECK(fixture.outbox->counts().heldBack == 1);
    CHECK(fixture.server->received() == 0);
}

TEST_CASE("With a wrong mail password nothing is delivered and every form waits", "[email]") {
    EmailFixture fixture({}, "wrong password");
    fixture.sealFor("moving-home");
    fixture.sealFor("missed-bin");
    const DeliveryReport report = fixture.deliver();
    CHECK(report.delivered == 0);
    CHECK(report.requests == 1);  // the whole queue waits after the first refusal
    CHECK(report.lastError.find("username and .password") != std::string::npos);
    CHECK(report.lastError.find("wrong password") == std::string::npos);
    CHECK(fixture.outbox->counts().waiting == 2);
    CHECK(fixture.server->received() == 0);
}

TEST_CASE("While an email waits, no answer text is in the database or its WAL", "[email]") {
    EmailFixture fixture;
    fixture.config.destinations.front().settings["smtpUrl"] =
        "smtp://127.0.0.1:" + std::to_string(unusedLoopbackPort());
    fixture.sealFor("moving-home");
    fixture.deliver();
    CHECK(fixture.outbox->counts().waiting == 1);
    for (const char* file : {"kiosk.db", "kiosk.db-wal"}) {
        const std::string bytes = readFile(fixture.directory.path() / file);
        INFO(file);
        CHECK(bytes.find("Wi\xC5\x9Bniewska") == std::string::npos);
        CHECK(bytes.find("zofia@example.com") == std::string::npos);
        CHECK(bytes.find("Wi=C5=9Bniewska") == std::string::npos);
        CHECK(bytes.find("calc") == std::string::npos);
    }
}
