// EmailDestination: the message and envelope made at seal time, the SMTP exchange each attempt
// makes with them, and what the mail server's reply code means.
#include "sync/email_destination.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "sync/email_message.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;
using Kind = DeliveryDecision::Kind;

constexpr std::size_t kMaxReplyInMessage = 200;

Error notConfigured(std::string message) {
    return Error{ErrorCode::DestinationNotConfigured, std::move(message)};
}

std::string textOf(const json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// The answer as the check answers page shows it; answers written before "answer" existed fall
// back to their value.
std::string answerText(const json& answer) {
    if (const auto text = answer.find("answer"); text != answer.end() && text->is_string()) return *text;
    const auto value = answer.find("value");
    if (value == answer.end() || value->is_null()) return "";
    if (value->is_string()) return *value;
    return value->dump(-1, ' ', false, json::error_handler_t::replace);
}

// The pack's "destinationSettings" text -> its "email" object ({} when absent or unreadable).
json emailSettingsOf(const std::string& destinationSettings) {
    const json all =
        json::parse(destinationSettings.empty() ? std::string("{}") : destinationSettings, nullptr, false);
    if (all.is_discarded() || !all.is_object()) return json::object();
    const auto email = all.find("email");
    return email != all.end() && email->is_object() ? *email : json::object();
}

std::string lowerCase(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// "250 2.0.0 Ok: queued as 4F2D1" -> "4F2D1"; "" when the reply names no queue id.
std::string queueIdFrom(const std::string& reply) {
    const std::string marker = "queued as ";
    const auto at = lowerCase(reply).find(marker);
    if (at == std::string::npos) return "";
    std::string id;
    for (std::size_t i = at + marker.size(); i < reply.size() && id.size() < 64; ++i) {
        const char c = reply[i];
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '@'))
            break;
        id += c;
    }
    return id;
}

// The server's reply on one short line, for an admin: control characters and non-ASCII bytes
// dropped, cut to 200 characters.
std::string replyForAdmin(const std::string& reply) {
    std::string out;
    for (const char c : reply) {
        const auto byte = static_cast<unsigned char>(c);
        if (out.size() >= kMaxReplyInMessage) break;
        if (c == '\n') {
            out += ' ';
        } else if (byte >= 0x20 && byte < 0x7f) {
            out += c;
        }
    }
    return out;
}

DeliveryDecision decision(Kind kind, std::string message, bool serverAnswered, bool affectsWholeQueue) {
    DeliveryDecision result;
    result.kind = kind;
    result.message = std::move(message);
    result.councilAnswered = serverAnswered;
    result.affectsWholeQueue = affectsWholeQueue;
    return result;
}

// libcurl's CURLE_LOGIN_DENIED, named here because kiosk_delivery does not include curl.
constexpr int kCurlLoginDenied = 67;

}  // namespace

EmailDestination::EmailDestination(EmailSettings settings) : settings_(std::move(settings)) {}

Result<store::EncodedPayload> EmailDestination::encode(const store::SealContext& context) const {
    const store::SubmissionToSeal& submission = context.submission;
    if (!isSimpleEmailAddress(settings_.from)) {
        return notConfigured(settings_.configSection +
                             ".from in the kiosk configuration must be the address the kiosk sends from, "
                             "for example kiosk@council.example.");
    }
    const json email = emailSettingsOf(submission.destinationSettings);
    const std::string to = settings_.toOverride.empty() ? textOf(email, "to") : settings_.toOverride;
    if (!isSimpleEmailAddress(to)) {
        return notConfigured("The service " + submission.serviceId +
                             " has no mailbox to email: set destinationSettings.email.to in the content pack "
                             "(a plain address such as housing@council.example), or " +
                             settings_.configSection + ".to in the kiosk configuration.");
    }

    const json answers = json::parse(submission.answersJson, nullptr, false);
    if (answers.is_discarded() || !answers.is_object()) {
        return Error{ErrorCode::InvalidSubmission,
                     "The answers to seal are not the JSON object the kiosk writes."};
    }
    EmailMessageInput input;
    input.from = settings_.from;
    input.to = to;
    input.reference = context.reference;
    input.serviceTitle = textOf(email, "title");
    if (input.serviceTitle.empty()) input.serviceTitle = submission.serviceId;
    input.submissionId = context.submissionId;
    input.kioskId = context.kioskId;
    input.createdAtMillis = context.createdAtMillis;
    input.assisted = submission.assisted;
    const std::string replyToQuestion = textOf(email, "replyToQuestion");
    if (const auto list = answers.find("answers"); list != answers.end() && list->is_array()) {
        for (const auto& answer : *list) {
            if (!answer.is_object()) continue;
            EmailAnswer entry{textOf(answer, "id"), textOf(answer, "question"), answerText(answer)};
            if (entry.question.empty()) entry.question = entry.id;
            if (!replyToQuestion.empty() && entry.id == replyToQuestion) {
                // Only a plain address becomes Reply-To; anything else stays just an answer.
                const std::string address = textOf(answer, "value");
                if (isSimpleEmailAddress(address)) input.replyTo = address;
            }
            input.answers.push_back(std::move(entry));
        }
    }

    store::EncodedPayload encoded;
    try {
        encoded.requestBody = json{{"mailFrom", input.from},
                                   {"recipients", json::array({input.to})},
                                   {"message", buildEmailMessage(input)}}
                                  .dump();
    } catch (const json::exception&) {
        return Error{
            ErrorCode::InvalidSubmission,
            "A submission field is not valid UTF-8 text; check the content pack's service settings."};
    }
    encoded.sealedPayload = submission.answersJson;
    encoded.protection = store::PayloadProtection::DeviceKey;
    return encoded;
}

Status EmailDestination::readyToSend() const {
    const std::string url = lowerCase(settings_.smtpUrl);
    if (url.rfind("smtp://", 0) != 0 && url.rfind("smtps://", 0) != 0) {
        return notConfigured(settings_.configSection +
                             ".smtpUrl in the kiosk config must be the mail server, for example "
                             "smtp://mail.council.example:587");
    }
    if (!isSimpleEmailAddress(settings_.from)) {
        return notConfigured(settings_.configSection + ".from in the kiosk config must be an email address");
    }
    if (!settings_.username.empty() && settings_.password.empty()) {
        return notConfigured(settings_.configSection + ".password is missing from the kiosk config");
    }
    return Done{};
}

HttpRequest EmailDestination::buildRequest(const store::OutboxItem& item, std::int64_t) const {
    HttpRequest request;
    request.method = "MAIL";
    request.url = settings_.smtpUrl;
    MailEnvelope envelope;
    envelope.username = settings_.username;
    envelope.password = settings_.password;
    const json stored = json::parse(item.requestBody, nullptr, false);
    if (stored.is_object()) {
        envelope.mailFrom = textOf(stored, "mailFrom");
        if (const auto list = stored.find("recipients"); list != stored.end() && list->is_array()) {
            for (const auto& recipient : *list) {
                if (recipient.is_string()) envelope.recipients.push_back(recipient.get<std::string>());
            }
        }
        request.body = textOf(stored, "message");
    }
    request.mail = std::move(envelope);
    return request;
}

DeliveryDecision EmailDestination::classify(const HttpResponse& response, const store::OutboxItem& item,
                                            std::int64_t) const {
    const json stored = json::parse(item.requestBody, nullptr, false);
    if (!stored.is_object() || textOf(stored, "message").empty()) {
        return decision(Kind::HoldBack,
                        "The stored email for this form is unreadable; export it for the council", false,
                        false);
    }
    const long code = response.status;
    const std::string reply = replyForAdmin(response.body);
    if (response.transportOk && code == 250) {
        DeliveryDecision delivered = decision(Kind::Delivered, "", true, false);
        delivered.councilReference = queueIdFrom(response.body);
        return delivered;
    }
    if (code == 535 || code == 530 || response.curlCode == kCurlLoginDenied) {
        return decision(Kind::Retry,
                        "The mail server refused the kiosk's login (" + std::to_string(code) + "): check " +
                            settings_.configSection + ".username and .password in the kiosk config",
                        code != 0, true);
    }
    if (code == 0) {
        const std::string what = response.transportError.empty() ? "no answer" : response.transportError;
        return decision(Kind::Retry, "Could not reach the mail server: " + what, false, true);
    }
    if (code == 421) {
        return decision(Kind::Retry, "The mail server is not taking mail now: " + reply, true, true);
    }
    if (code >= 400 && code < 500) {
        return decision(Kind::Retry, "The mail server asked to try later: " + reply, true, false);
    }
    if (code >= 500 && code < 600) {
        return decision(Kind::HoldBack, "The mail server refused the message: " + reply, true, false);
    }
    // A 2xx or 3xx without a completed exchange (the connection broke after a reply).
    const std::string what = response.transportError.empty() ? reply : response.transportError;
    return decision(Kind::Retry, "The mail exchange did not finish: " + what, true, true);
}

}  // namespace kiosk::sync
