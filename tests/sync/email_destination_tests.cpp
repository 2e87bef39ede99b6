// EmailDestination without a network: what it seals (envelope, message, protection), the SMTP
// request each attempt makes, and what every kind of mail server reply means.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sync/email_destination.h"
#include "sync/email_message.h"

using namespace kiosk;
using namespace kiosk::sync;
using nlohmann::json;
using Kind = DeliveryDecision::Kind;

namespace {

EmailSettings settings() {
    return {"smtp://mail.council.example:587",
            "kiosk@council.example",
            "kiosk-user",
            "s3cret-mail-password",
            "",
            "destinations.email"};
}

const char* kAnswers =
    R"({"service":"moving-home","form":"moving-home","formVersion":1,"language":"pl","answers":[)"
    R"({"id":"full-name","question":"What is your full name?","type":"text","value":"Zofia Wiśniewska","answer":"Zofia Wiśniewska"},)"
    R"({"id":"email","question":"What is your email address?","type":"email","value":"zofia@example.com","answer":"zofia@example.com"}]})";

store::SubmissionToSeal submission(const std::string& destinationSettings) {
    store::SubmissionToSeal toSeal;
    toSeal.serviceId = "moving-home";
    toSeal.formId = "moving-home";
    toSeal.language = "pl";
    toSeal.destination = "email";
    toSeal.answersJson = kAnswers;
    toSeal.destinationSettings = destinationSettings;
    return toSeal;
}

const std::string kPackSettings =
    R"({"open311":{"serviceCode":"x"},"email":{"to":"council-tax@council.example","title":"Tell us you are moving home","replyToQuestion":"email"}})";

store::OutboxItem itemWith(const std::string& requestBody) {
    store::OutboxItem item;
    item.submissionId = "0b9f6a4e-2d7c-4e1a-9c55-3f0d8a1b2c3d";
    item.reference = "SDC1-7K3M-Q9TX";
    item.destination = "email";
    item.requestBody = requestBody;
    return item;
}

HttpResponse reply(long code, bool completed, const std::string& text, int curlCode = 0) {
    HttpResponse response;
    response.transportOk = completed;
    response.status = code;
    response.body = text;
    response.curlCode = curlCode;
    if (!completed) response.transportError = "SMTP exchange failed";
    return response;
}

}  // namespace

TEST_CASE("The email destination seals the whole message and its envelope under the device key", "[email]") {
    const EmailDestination destination(settings());
    const auto toSeal = submission(kPackSettings);
    const store::SealContext context{toSeal, "0b9f6a4e-2d7c-4e1a-9c55-3f0d8a1b2c3d", "SDC1-7K3M-Q9TX",
                                     "kiosk-1", 1795601700000};
    auto encoded = destination.encode(context);
    REQUIRE(encoded.ok());
    CHECK(encoded.value().protection == store::PayloadProtection::DeviceKey);
    CHECK(encoded.value().sealedPayload == kAnswers);
    const json body = json::parse(encoded.value().requestBody);
    CHECK(body.at("mailFrom") == "kiosk@council.example");
    CHECK(body.at("recipients") == json::array({"council-tax@council.example"}));

    EmailMessageInput input;
    input.from = "kiosk@council.example";
    input.to = "council-tax@council.example";
    input.replyTo = "zofia@example.com";
    input.reference = "SDC1-7K3M-Q9TX";
    input.serviceTitle = "Tell us you are moving home";
    input.submissionId = "0b9f6a4e-2d7c-4e1a-9c55-3f0d8a1b2c3d";
    input.kioskId = "kiosk-1";
    input.createdAtMillis = 1795601700000;
    input.answers = {{"full-name", "What is your full name?", "Zofia Wiśniewska"},
                     {"email", "What is your email address?", "zofia@example.com"}};
    CHECK(body.at("message") == buildEmailMessage(input));
    // The password is added to each attempt from the configuration, never sealed.
    CHECK(encoded.value().requestBody.find("s3cret-mail-password") == std::string::npos);

    const HttpRequest request = destination.buildRequest(itemWith(encoded.value().requestBody), 0);
    REQUIRE(request.mail.has_value());
    CHECK(request.url == "smtp://mail.council.example:587");
    CHECK(request.body == buildEmailMessage(input));
    CHECK(request.mail->mailFrom == "kiosk@council.example");
    CHECK(request.mail->recipients == std::vector<std::string>{"council-tax@council.example"});
    CHECK(request.mail->username == "kiosk-user");
    CHECK(request.mail->password == "s3cret-mail-password");
}

TEST_CASE("The configuration's \"to\" sends every service's mail to one mailbox", "[email]") {
    auto withOverride = settings();
    withOverride.toOverride = "staging-inbox@council.example";
    const EmailDestination destination(withOverride);
    const auto toSeal = submission(kPackSettings);
    const store::SealContext context{toSeal, "id", "REF", "kiosk-1", 0};
    auto encoded = destination.encode(context);
    REQUIRE(encoded.ok());
    const json body = json::parse(encoded.value().requestBody);
    CHECK(body.at("recipients") == json::array({"staging-inbox@council.example"}));
    CHECK(body.at("message").get<std::string>().find("To: staging-inbox@council.example\r\n") !=
          std::string::npos);
}

TEST_CASE("A service with no mailbox is not sealed, and the error says where to add one", "[email]") {
    const EmailDestination destination(settings());
    for (const std::string& packSettings :
         {std::string("{}"), std::string(R"({"email":{"to":"not an address"}})"),
          std::string(R"({"email":{"to":"a@b.example\r\nBcc: x@y.example"}})")}) {
        const auto toSeal = submission(packSettings);
        const store::SealContext context{toSeal, "id", "REF", "kiosk-1", 0};
        auto encoded = destination.encode(context);
        REQUIRE_FALSE(encoded.ok());
        CHECK(encoded.error().code == ErrorCode::DestinationNotConfigured);
        CHECK(encoded.error().message.find("destinationSettings.email.to") != std::string::npos);
        CHECK(encoded.error().message.find("Zofia") == std::string::npos);
    }
}

TEST_CASE("Without a mail server address or sender the destination is not ready to send", "[email]") {
    CHECK(EmailDestination(settings()).readyToSend().ok());
    auto noUrl = settings();
    noUrl.smtpUrl = "https://mail.council.example";
    CHECK_FALSE(EmailDestination(noUrl).readyToSend().ok());
    auto noFrom = settings();
    noFrom.from = "";
    CHECK_FALSE(EmailDestination(noFrom).readyToSend().ok());
    auto noPassword = settings();
    noPassword.password = "";
    const auto status = EmailDestination(noPassword).readyToSend();
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().message == "destinations.email.password is missing from the kiosk config");
}

TEST_CASE("Mail server replies become delivered, retry or held back", "[email]") {
    const EmailDestination destination(settings());
    const auto item =
        itemWith(R"({"mailFrom":"k@c.example","recipients":["h@c.example"],"message":"x\r\n"})");
    struct Row {
        HttpResponse response;
        Kind kind;
        bool wholeQueue;
        std::string messageHas;
    };
    const std::vector<Row> table = {
        {reply(250, true, "250 2.0.0 Ok: queued as 4F2D1A"), Kind::Delivered, false, ""},
        {reply(250, true, "250 OK"), Kind::Delivered, false, ""},
        {reply(451, false, "451 4.3.0 Temporary failure"), Kind::Retry, false, "451 4.3.0 Temporary failure"},
        {reply(452, false, "452 4.2.2 Mailbox full"), Kind::Retry, false, "452"},
        {reply(421, false, "421 4.3.2 Shutting down"), Kind::Retry, true, "421"},
        {reply(550, false, "550 5.7.1 Message rejected\n"), Kind::HoldBack, false,
         "550 5.7.1 Message rejected"},
        {reply(554, false, "554 5.6.0 Bad message"), Kind::HoldBack, false, "554"},
        {reply(535, false, "535 5.7.8 Authentication credentials invalid", 67), Kind::Retry, true,
         "destinations.email.username and .password"},
        {reply(530, false, "530 5.7.0 Authentication required"), Kind::Retry, true, "login"},
        {reply(0, false, "", 7), Kind::Retry, true, "Could not reach the mail server"},
        {reply(250, false, "250 smtp.test", 64), Kind::Retry, true, "did not finish"},
    };
    for (const auto& row : table) {
        INFO("reply " << row.response.status << " " << row.response.body);
        const DeliveryDecision decision = destination.classify(row.response, item, 0);
        CHECK(decision.kind == row.kind);
        CHECK(decision.affectsWholeQueue == row.wholeQueue);
        if (!row.messageHas.empty()) CHECK(decision.message.find(row.messageHas) != std::string::npos);
        CHECK(decision.message.find("s3cret-mail-password") == std::string::npos);
    }
    CHECK(
        destination.classify(reply(250, true, "250 2.0.0 Ok: queued as 4F2D1A"), item, 0).councilReference ==
        "4F2D1A");
    CHECK(destination.classify(reply(250, true, "250 OK"), item, 0).councilReference.empty());
    // Bytes that are not a stored envelope cannot be sent as they are: held back for an export.
    CHECK(destination.classify(reply(250, true, "250 OK"), itemWith("garbage"), 0).kind == Kind::HoldBack);
}
