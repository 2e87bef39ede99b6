// Open311Destination: the pack's mapping turned into a GeoReport v2 request at seal time, and the
// delivery steps (post, poll a token, search after a lost answer) driven by stored progress.
#include "sync/open311_destination.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "kiosk/percent_encoding.h"
#include "sync/kiosk_api_destination.h"

namespace kiosk::sync {
namespace {

using json = nlohmann::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kUncheckedSuffix = ";resent-unchecked";
constexpr const char* kResendUnchecked = "resend-unchecked";
// How far either side of the submission's creation (and of now) a search looks: the kiosk may
// have been offline for weeks before its first attempt, and its clock may be off.
constexpr std::int64_t kSearchMarginMillis = 24LL * 60 * 60 * 1000;
constexpr std::size_t kMaxServerMessageBytes = 400;

// --- Delivery progress ----------------------------------------------------------------------

struct Progress {
    enum class Step { Send, PollToken, Search };
    Step step = Step::Send;
    std::string token;             // PollToken
    int ambiguousAnswers = 0;      // Search: how many answers may have been lost so far
    bool resentUnchecked = false;  // one resend happened without a search
};

Progress parseProgress(std::string text) {
    Progress progress;
    const std::string suffix = kUncheckedSuffix;
    if (text.size() >= suffix.size() &&
        text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
        progress.resentUnchecked = true;
        text.resize(text.size() - suffix.size());
    }
    if (text == kResendUnchecked) {
        progress.resentUnchecked = true;
    } else if (text.rfind("token:", 0) == 0 && text.size() > 6) {
        progress.step = Progress::Step::PollToken;
        progress.token = text.substr(6);
    } else if (text.rfind("check:", 0) == 0) {
        progress.step = Progress::Step::Search;
        int count = 1;
        const auto [end, error] = std::from_chars(text.data() + 6, text.data() + text.size(), count);
        progress.ambiguousAnswers = error == std::errc() && count > 0 ? count : 1;
    }
    return progress;
}

std::string progressText(const Progress& progress) {
    const std::string suffix = progress.resentUnchecked ? kUncheckedSuffix : "";
    switch (progress.step) {
        case Progress::Step::PollToken:
            return "token:" + progress.token + suffix;
        case Progress::Step::Search:
            return "check:" + std::to_string(progress.ambiguousAnswers) + suffix;
        case Progress::Step::Send:
            break;
    }
    return progress.resentUnchecked ? kResendUnchecked : "";
}

// --- The stored envelope ----------------------------------------------------------------------

struct Envelope {
    std::string endpoint;
    std::string format;  // "json" or "xml"
    std::string serviceCode;
    std::string jurisdictionId;
    std::string reference;
    std::int64_t createdAtMillis = 0;
    std::string form;  // form-encoded body without jurisdiction_id and api_key
};

std::optional<Envelope> readEnvelope(const std::string& requestBody) {
    const json parsed = json::parse(requestBody, nullptr, false);
    if (!parsed.is_object()) return std::nullopt;
    Envelope envelope;
    try {
        envelope.endpoint = parsed.at("endpoint").get<std::string>();
        envelope.format = parsed.at("format").get<std::string>();
        envelope.serviceCode = parsed.at("serviceCode").get<std::string>();
        envelope.jurisdictionId = parsed.value("jurisdictionId", "");
        envelope.reference = parsed.at("reference").get<std::string>();
        envelope.createdAtMillis = parsed.at("createdAtMillis").get<std::int64_t>();
        envelope.form = parsed.at("form").get<std::string>();
    } catch (const json::exception&) {
        return std::nullopt;
    }
    if (envelope.format != "json" && envelope.format != "xml") return std::nullopt;
    return envelope;
}

std::string withTrailingSlash(std::string url) {
    if (url.empty() || url.back() != '/') url += '/';
    return url;
}

std::string formEncoded(const Fields& fields) {
    std::string body;
    for (const auto& [key, value] : fields) {
        if (!body.empty()) body += '&';
        body += percentEncoded(key) + "=" + percentEncoded(value);
    }
    return body;
}

// --- Encoding the answers -------------------------------------------------------------------

Error mappingProblem(const store::SubmissionToSeal& submission, const std::string& what) {
    return Error{ErrorCode::InvalidSubmission, "Service \"" + submission.serviceId +
                                                   "\": destinationSettings.open311 " + what +
                                                   " in the content pack's services.json."};
}

const json* findAnswer(const json& answers, const std::string& questionId) {
    for (const auto& answer : answers) {
        if (answer.is_object() && answer.value("id", "") == questionId) {
            const auto value = answer.find("value");
            if (value == answer.end() || value->is_null()) return nullptr;  // skipped
            return &answer;
        }
    }
    return nullptr;
}

std::string displayText(const json& answer) {
    const auto text = answer.find("answer");
    if (text != answer.end() && text->is_string()) return text->get<std::string>();
    return "";
}

// A scalar answer value as Open311 text, through the mapping's "values" when it names one.
std::optional<std::string> serverValue(const json& value, const json& valueMap) {
    std::string text;
    if (value.is_string()) {
        text = value.get<std::string>();
    } else if (value.is_boolean()) {
        text = value.get<bool>() ? "true" : "false";
    } else if (value.is_number()) {
        text = value.dump();
    } else {
        return std::nullopt;
    }
    if (valueMap.is_object()) {
        const auto mapped = valueMap.find(text);
        if (mapped != valueMap.end() && mapped->is_string()) return mapped->get<std::string>();
        if (mapped != valueMap.end()) return std::nullopt;
    }
    return text;
}

std::string numberText(double value) {
    std::array<char, 32> buffer{};
    const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return error == std::errc() ? std::string(buffer.data(), end) : std::string();
}

double numberOr(const json& object, const char* key) {
    const auto found = object.find(key);
    if (found == object.end()) return 0.0;
    if (found->is_number()) return found->get<double>();
    if (found->is_string()) {
        const std::string text = found->get<std::string>();
        double value = 0.0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        return error == std::errc() ? value : 0.0;
    }
    return 0.0;
}

void appendLocation(const json& value, Fields& fields) {
    if (!value.is_object()) return;
    std::vector<std::string> parts;
    if (const auto lines = value.find("lines"); lines != value.end() && lines->is_array()) {
        for (const auto& line : *lines) {
            if (line.is_string() && !line.get<std::string>().empty())
                parts.push_back(line.get<std::string>());
        }
    }
    for (const char* key : {"town", "postcode"}) {
        const std::string part = value.value(key, json()).is_string() ? value.at(key).get<std::string>() : "";
        if (!part.empty()) parts.push_back(part);
    }
    std::string addressString;
    for (const auto& part : parts) addressString += (addressString.empty() ? "" : ", ") + part;
    if (!addressString.empty()) fields.emplace_back("address_string", addressString);
    const json uprn = value.value("uprn", json());
    const std::string uprnText = uprn.is_string()   ? uprn.get<std::string>()
                                 : uprn.is_number() ? uprn.dump()
                                                    : "";
    if (!uprnText.empty()) fields.emplace_back("address_id", uprnText);
    const double latitude = numberOr(value, "latitude");
    const double longitude = numberOr(value, "longitude");
    if (latitude != 0.0 && longitude != 0.0) {
        fields.emplace_back("lat", numberText(latitude));
        fields.emplace_back("long", numberText(longitude));
    }
}

std::string textOf(const json& answer) {
    const json& value = answer.at("value");
    return value.is_string() ? value.get<std::string>() : displayText(answer);
}

// "Jane van Dyke" -> ("Jane van", "Dyke"): the last word is the surname, as a back office that
// needs both usually files it; one word is a first name only.
std::pair<std::string, std::string> splitFullName(const std::string& fullName) {
    std::string name = fullName;
    while (!name.empty() && name.back() == ' ') name.pop_back();
    const auto space = name.find_last_of(' ');
    if (space == std::string::npos) return {name, ""};
    std::string first = name.substr(0, space);
    while (!first.empty() && first.back() == ' ') first.pop_back();
    return {first, name.substr(space + 1)};
}

Result<Fields> contactFields(const json& contact, const json& answers,
                             const store::SubmissionToSeal& submission) {
    Fields fields;
    if (contact.is_null()) return fields;
    if (!contact.is_object()) return mappingProblem(submission, "\"contact\" must be an object");
    const auto question = [&](const char* key) -> std::string {
        const auto found = contact.find(key);
        return found != contact.end() && found->is_string() ? found->get<std::string>() : "";
    };
    const std::string first = question("firstName");
    const std::string last = question("lastName");
    if (!first.empty() && first == last) {
        if (const json* answer = findAnswer(answers, first)) {
            const auto [given, family] = splitFullName(textOf(*answer));
            if (!given.empty()) fields.emplace_back("first_name", given);
            if (!family.empty()) fields.emplace_back("last_name", family);
        }
    } else {
        for (const auto& [key, field] : {std::pair{first, "first_name"}, std::pair{last, "last_name"}}) {
            if (key.empty()) continue;
            if (const json* answer = findAnswer(answers, key)) fields.emplace_back(field, textOf(*answer));
        }
    }
    for (const auto& [key, field] :
         {std::pair{question("email"), "email"}, std::pair{question("phone"), "phone"}}) {
        if (key.empty()) continue;
        if (const json* answer = findAnswer(answers, key)) fields.emplace_back(field, textOf(*answer));
    }
    return fields;
}

std::string descriptionFor(const json& mapping, const json& answers, const std::string& reference) {
    std::vector<std::string> lines;
    const json description = mapping.value("description", json::object());
    if (description.is_object()) {
        const json intro = description.value("intro", json());
        if (intro.is_string() && !intro.get<std::string>().empty()) lines.push_back(intro.get<std::string>());
        const json questions = description.value("questions", json::array());
        if (questions.is_array()) {
            for (const auto& id : questions) {
                if (!id.is_string()) continue;
                const json* answer = findAnswer(answers, id.get<std::string>());
                if (answer == nullptr) continue;
                const std::string label = answer->value("question", json()).is_string()
                                              ? answer->at("question").get<std::string>()
                                              : id.get<std::string>();
                lines.push_back(label + ": " + displayText(*answer));
            }
        }
    }
    // Always last, so a search of the server's reports can recognise ours after a lost answer.
    lines.push_back("Kiosk reference: " + reference);
    std::string text;
    for (const auto& line : lines) text += (text.empty() ? "" : "\n") + line;
    return text;
}

// --- Reading answers ------------------------------------------------------------------------

std::string lowerCase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The server's error descriptions, each cut to its first three lines (Data::Rx reports run long),
// joined and capped.
std::string errorDescriptions(const std::optional<json>& records) {
    std::string text;
    if (!records) return text;
    for (const auto& record : *records) {
        const std::string description = open311Text(record, "description");
        std::size_t lineStart = 0;
        for (int line = 0; line < 3 && lineStart < description.size(); ++line) {
            const std::size_t lineEnd = std::min(description.find('\n', lineStart), description.size());
            const std::string piece = description.substr(lineStart, lineEnd - lineStart);
            if (!piece.empty()) text += (text.empty() ? "" : line == 0 ? "; " : " / ") + piece;
            lineStart = lineEnd + 1;
        }
        if (lineStart < description.size()) text += " ...";
    }
    if (text.size() > kMaxServerMessageBytes) text = text.substr(0, kMaxServerMessageBytes) + " ...";
    return text;
}

bool saysAlreadyExists(const std::optional<json>& records) {
    if (!records) return false;
    for (const auto& record : *records) {
        const std::string description = lowerCase(open311Text(record, "description"));
        if (description.find("already exists") != std::string::npos ||
            description.find("duplicate") != std::string::npos)
            return true;
    }
    return false;
}

std::string firstField(const std::optional<json>& records, const char* key) {
    if (!records) return "";
    for (const auto& record : *records) {
        const std::string text = open311Text(record, key);
        if (!text.empty()) return text;
    }
    return "";
}

// A description holding the line "Kiosk reference: <reference>" exactly (so ABC1 never matches
// ABC12).
bool mentionsReference(const std::string& description, const std::string& reference) {
    const std::string line = "Kiosk reference: " + reference;
    for (std::size_t found = description.find(line); found != std::string::npos;
         found = description.find(line, found + 1)) {
        const bool startsLine = found == 0 || description[found - 1] == '\n';
        const std::size_t end = found + line.size();
        const bool endsLine =
            end == description.size() || description[end] == '\n' || description[end] == '\r';
        if (startsLine && endsLine) return true;
    }
    return false;
}

// curl codes after which the request may have reached the server and been committed: a partial
// or empty answer, a receive failure, a timeout while waiting for the answer.
bool mayHaveBeenCommitted(const HttpResponse& response) {
    switch (response.curlCode) {
        case 18:  // CURLE_PARTIAL_FILE
        case 28:  // CURLE_OPERATION_TIMEDOUT
        case 52:  // CURLE_GOT_NOTHING
        case 56:  // CURLE_RECV_ERROR
            return true;
        default:
            return false;
    }
}

bool isTemporaryStatus(long status) {
    return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
}

DeliveryDecision retry(std::string message, const Progress& progress) {
    DeliveryDecision decision;
    decision.kind = DeliveryDecision::Kind::Retry;
    decision.message = std::move(message);
    decision.progress = progressText(progress);
    return decision;
}

DeliveryDecision holdBack(std::string message) {
    DeliveryDecision decision;
    decision.kind = DeliveryDecision::Kind::HoldBack;
    decision.message = std::move(message);
    return decision;
}

DeliveryDecision delivered(std::string councilReference, const Progress& progress) {
    DeliveryDecision decision;
    decision.kind = DeliveryDecision::Kind::Delivered;
    decision.councilReference = std::move(councilReference);
    decision.possibleDuplicate = progress.resentUnchecked;
    decision.councilAnswered = true;
    return decision;
}

std::string statusText(const HttpResponse& response) {
    return "HTTP " + std::to_string(response.status);
}

}  // namespace

Open311Destination::Open311Destination(Open311Settings settings) : settings_(std::move(settings)) {}

Result<store::EncodedPayload> Open311Destination::encode(const store::SealContext& context) const {
    const store::SubmissionToSeal& submission = context.submission;
    const json settings = json::parse(submission.destinationSettings, nullptr, false);
    const json mapping = settings.is_object() ? settings.value("open311", json()) : json();
    if (!mapping.is_object())
        return mappingProblem(submission, "is missing: add one, or route the service elsewhere");

    const auto text = [&mapping](const char* key) {
        const auto found = mapping.find(key);
        return found != mapping.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    Envelope envelope;
    envelope.endpoint = text("endpoint");
    envelope.format = mapping.contains("format") ? text("format") : "json";
    envelope.serviceCode = text("serviceCode");
    envelope.jurisdictionId = text("jurisdictionId");
    envelope.reference = context.reference;
    envelope.createdAtMillis = context.createdAtMillis;
    if (envelope.endpoint.empty() && settings_.endpointOverride.empty())
        return mappingProblem(submission, "needs an \"endpoint\" (the server's base URL, ending in /)");
    if (envelope.serviceCode.empty()) return mappingProblem(submission, "needs a \"serviceCode\"");
    if (envelope.format != "json" && envelope.format != "xml")
        return mappingProblem(submission, "\"format\" must be \"json\" or \"xml\"");

    const json document = json::parse(submission.answersJson, nullptr, false);
    if (!document.is_object() || !document.value("answers", json()).is_array()) {
        return Error{
            ErrorCode::InvalidSubmission,
            "Service \"" + submission.serviceId + "\": the answers are not the kiosk's answers document."};
    }
    const json& answers = document.at("answers");

    Fields fields;
    fields.emplace_back("service_code", envelope.serviceCode);
    fields.emplace_back("description", descriptionFor(mapping, answers, context.reference));

    const json attributes = mapping.value("attributes", json::object());
    if (!attributes.is_object()) return mappingProblem(submission, "\"attributes\" must be an object");
    for (const auto& [questionId, attribute] : attributes.items()) {
        if (!attribute.is_object() || !attribute.value("code", json()).is_string() ||
            attribute.at("code").get<std::string>().empty()) {
            return mappingProblem(submission, "attributes." + questionId + " needs a \"code\"");
        }
        const std::string key = "attribute[" + attribute.at("code").get<std::string>() + "]";
        const json valueMap = attribute.value("values", json());
        const json* answer = findAnswer(answers, questionId);
        if (answer == nullptr) continue;
        const json& value = answer->at("value");
        // Several choices go as the same key repeated: the bracket form attribute[x][]= is dropped
        // by GeoReport v2 servers (docs/open311.md, transcript 07).
        const std::vector<json> items =
            value.is_array() ? value.get<std::vector<json>>() : std::vector<json>{value};
        for (const auto& item : items) {
            auto sent = serverValue(item, valueMap);
            if (!sent && !value.is_array() && !valueMap.is_object()) sent = displayText(*answer);
            if (!sent) {
                return mappingProblem(submission, "attributes." + questionId +
                                                      ".values has no server value for one of the answers");
            }
            fields.emplace_back(key, *sent);
        }
    }
    if (const std::string code = text("referenceAttribute"); !code.empty())
        fields.emplace_back("attribute[" + code + "]", context.reference);
    if (const std::string code = text("submissionIdAttribute"); !code.empty())
        fields.emplace_back("attribute[" + code + "]", context.submissionId);

    auto contact = contactFields(mapping.value("contact", json()), answers, submission);
    if (!contact) return contact.error();
    fields.insert(fields.end(), contact->begin(), contact->end());

    // "address": one question id, or several tried in order (an address, else a typed description
    // of the place); a typed answer becomes address_string.
    const json addressSetting = mapping.value("address", json());
    std::vector<json> addressQuestions = addressSetting.is_array() ? addressSetting.get<std::vector<json>>()
                                                                   : std::vector<json>{addressSetting};
    for (const auto& question : addressQuestions) {
        if (!question.is_string()) continue;
        const json* answer = findAnswer(answers, question.get<std::string>());
        if (answer == nullptr) continue;
        const json& value = answer->at("value");
        if (value.is_object()) {
            appendLocation(value, fields);
        } else if (value.is_string() && !value.get<std::string>().empty()) {
            fields.emplace_back("address_string", value.get<std::string>());
        } else {
            continue;
        }
        break;
    }
    envelope.form = formEncoded(fields);

    const json stored = {{"endpoint", envelope.endpoint},
                         {"format", envelope.format},
                         {"serviceCode", envelope.serviceCode},
                         {"jurisdictionId", envelope.jurisdictionId},
                         {"reference", envelope.reference},
                         {"createdAt", formatUtcTimestamp(envelope.createdAtMillis)},
                         {"createdAtMillis", envelope.createdAtMillis},
                         {"form", envelope.form}};
    store::EncodedPayload payload;
    payload.requestBody = stored.dump(-1, ' ', false, json::error_handler_t::replace);
    payload.sealedPayload = submission.answersJson;
    payload.protection = store::PayloadProtection::DeviceKey;
    return payload;
}

Status Open311Destination::readyToSend() const {
    if (settings_.apiKey.empty()) {
        return Error{ErrorCode::DestinationNotConfigured,
                     settings_.configSection +
                         ".apiKey is missing: add the api key the council gave for its Open311 server to the "
                         "kiosk configuration."};
    }
    return Done{};
}

HttpRequest Open311Destination::buildRequest(const store::OutboxItem& item, std::int64_t nowMillis) const {
    HttpRequest request;
    const auto envelope = readEnvelope(item.requestBody);
    if (!envelope) return request;  // classify holds it back; an empty URL reaches no server
    const std::string endpoint = withTrailingSlash(
        settings_.endpointOverride.empty() ? envelope->endpoint : settings_.endpointOverride);
    const std::string jurisdiction =
        settings_.jurisdictionOverride.empty() ? envelope->jurisdictionId : settings_.jurisdictionOverride;
    const std::string extension = "." + envelope->format;
    request.headers.emplace_back("Accept", envelope->format == "xml" ? "text/xml" : "application/json");

    std::string credentials;
    if (!jurisdiction.empty()) credentials += "&jurisdiction_id=" + percentEncoded(jurisdiction);
    credentials += "&api_key=" + percentEncoded(settings_.apiKey);

    const Progress progress = parseProgress(item.progress);
    switch (progress.step) {
        case Progress::Step::PollToken:
            request.method = "GET";
            request.url = endpoint + "tokens/" + percentEncoded(progress.token) + extension + "?" +
                          credentials.substr(1);
            return request;
        case Progress::Step::Search: {
            request.method = "GET";
            const std::int64_t start = envelope->createdAtMillis - kSearchMarginMillis;
            const std::int64_t end = std::max(nowMillis, envelope->createdAtMillis) + kSearchMarginMillis;
            request.url = endpoint + "requests" + extension +
                          "?service_code=" + percentEncoded(envelope->serviceCode) +
                          "&start_date=" + percentEncoded(formatUtcTimestamp(start)) +
                          "&end_date=" + percentEncoded(formatUtcTimestamp(end)) + credentials;
            return request;
        }
        case Progress::Step::Send:
            break;
    }
    request.method = "POST";
    request.freshConnection = true;  // Open311 has no idempotency key: libcurl must never resend it
    request.url = endpoint + "requests" + extension;
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = envelope->form + credentials;
    return request;
}

DeliveryDecision Open311Destination::classify(const HttpResponse& response, const store::OutboxItem& item,
                                              std::int64_t nowMillis) const {
    if (!readEnvelope(item.requestBody)) {
        return holdBack("The stored Open311 request cannot be read; export it and send it another way.");
    }
    Progress progress = parseProgress(item.progress);
    const std::optional<json> records =
        response.transportOk ? readOpen311Answer(response.body) : std::optional<json>();
    const auto retryAfter = [&]() {
        const auto header = response.headers.find("retry-after");
        return header == response.headers.end() ? std::optional<int>()
                                                : parseRetryAfter(header->second, nowMillis / 1000);
    };
    const auto apiKeyRefused = [&]() {
        return holdBack("The Open311 server refused the api key (" + statusText(response) + "): correct " +
                        settings_.configSection +
                        ".apiKey in the kiosk configuration, then try the held-back forms again.");
    };

    // Token polls and searches are GETs: a lost answer there changes nothing at the server.
    if (!response.transportOk) {
        if (progress.step == Progress::Step::Send && mayHaveBeenCommitted(response)) {
            progress.step = Progress::Step::Search;
            ++progress.ambiguousAnswers;
            return retry("No complete answer from the Open311 server after sending (curl error " +
                             std::to_string(response.curlCode) +
                             "); its reports will be searched for this one before sending again.",
                         progress);
        }
        DeliveryDecision decision = retry("Open311 server not reached: " + response.transportError, progress);
        decision.affectsWholeQueue = true;
        return decision;
    }

    switch (progress.step) {
        case Progress::Step::PollToken: {
            if (response.status == 200 && records) {
                if (const std::string id = firstField(records, "service_request_id"); !id.empty())
                    return delivered(id, progress);
                DeliveryDecision decision =
                    retry("The Open311 server has not given the report a number yet.", progress);
                decision.councilAnswered = true;
                return decision;
            }
            if (response.status == 401 || response.status == 403) return apiKeyRefused();
            if (response.status == 400 || response.status == 404) {
                return holdBack("The Open311 server does not know the token it gave for this report (" +
                                statusText(response) + "); ask the council for the report's number.");
            }
            DeliveryDecision decision = retry("Open311 token lookup: " + statusText(response), progress);
            decision.retryAfterSeconds = retryAfter();
            return decision;
        }
        case Progress::Step::Search: {
            if (response.status == 200 && records) {
                for (const auto& record : *records) {
                    if (mentionsReference(open311Text(record, "description"), item.reference)) {
                        const std::string id = open311Text(record, "service_request_id");
                        if (!id.empty()) return delivered(id, progress);
                    }
                }
                progress.step = Progress::Step::Send;
                DeliveryDecision decision = retry(
                    "The Open311 server's reports do not include this one: sending it again.", progress);
                decision.retryAfterSeconds = 0;
                decision.councilAnswered = true;
                return decision;
            }
            if (response.status == 401 || response.status == 403) return apiKeyRefused();
            if (response.status == 429 || response.status == 502 || response.status == 503 ||
                response.status == 504) {
                DeliveryDecision decision = retry("Open311 search: " + statusText(response), progress);
                decision.retryAfterSeconds = retryAfter();
                return decision;
            }
            // The server cannot be searched: one resend, flagged, and never a third copy.
            if (progress.resentUnchecked) {
                return holdBack("The Open311 server may already have this report but cannot be searched (" +
                                statusText(response) +
                                "); ask the council whether it arrived before trying again.");
            }
            progress = Progress{};
            progress.resentUnchecked = true;
            DeliveryDecision decision =
                retry("The Open311 server cannot be searched (" + statusText(response) +
                          "): sending once more; if both arrive the council sees a possible duplicate.",
                      progress);
            decision.retryAfterSeconds = 0;
            return decision;
        }
        case Progress::Step::Send:
            break;
    }

    if (response.status == 200 || response.status == 201) {
        if (const std::string id = firstField(records, "service_request_id"); !id.empty())
            return delivered(id, progress);
        if (const std::string token = firstField(records, "token"); !token.empty()) {
            progress.step = Progress::Step::PollToken;
            progress.token = token;
            DeliveryDecision decision =
                retry("The Open311 server accepted the report and will give its number later.", progress);
            decision.councilAnswered = true;
            return decision;
        }
        // A 200 we cannot read may still mean the report was stored.
        progress.step = Progress::Step::Search;
        ++progress.ambiguousAnswers;
        return retry("The Open311 server's answer could not be read (" + statusText(response) +
                         "); its reports will be searched for this one before sending again.",
                     progress);
    }
    if (response.status == 401 || response.status == 403) return apiKeyRefused();
    if (response.status == 404) {
        return holdBack(
            "The Open311 server has no such address (HTTP 404): check the service's endpoint in the "
            "content pack and " +
            settings_.configSection + ".endpoint.");
    }
    if (isTemporaryStatus(response.status) || response.status < 200 ||
        (response.status >= 300 && response.status < 400)) {
        DeliveryDecision decision = retry("Open311 server: " + statusText(response), progress);
        decision.retryAfterSeconds = retryAfter();
        decision.councilAnswered = records.has_value();
        decision.affectsWholeQueue = response.status >= 500 || response.status == 429;
        return decision;
    }
    if (saysAlreadyExists(records)) {
        DeliveryDecision decision = delivered("", progress);
        decision.message = "The Open311 server already had this report.";
        return decision;
    }
    const std::string descriptions = errorDescriptions(records);
    return holdBack("The Open311 server refused the report (" + statusText(response) + ")" +
                    (descriptions.empty() ? "." : ": " + descriptions));
}

std::optional<std::string> Open311Destination::progressWhileSending(const store::OutboxItem& item) const {
    Progress progress = parseProgress(item.progress);
    // Token polls and searches are GETs: repeating one changes nothing at the server.
    if (progress.step != Progress::Step::Send) return std::nullopt;
    progress.step = Progress::Step::Search;
    ++progress.ambiguousAnswers;
    return progressText(progress);
}

HttpRequest Open311Destination::statusRequest(const std::string& serviceEndpoint, const std::string& format,
                                              const std::string& serviceRequestId,
                                              const std::string& serviceJurisdictionId) const {
    return open311StatusRequest(
        settings_.endpointOverride.empty() ? serviceEndpoint : settings_.endpointOverride, format,
        serviceRequestId,
        settings_.jurisdictionOverride.empty() ? serviceJurisdictionId : settings_.jurisdictionOverride);
}

std::optional<HttpRequest> Open311Destination::statusRequest(const StatusQuery& query) const {
    if (query.councilReference.empty()) return std::nullopt;
    const json settings = json::parse(query.destinationSettings, nullptr, false);
    const json* mapping =
        settings.is_object() && settings.contains("open311") ? &settings["open311"] : nullptr;
    const auto text = [mapping](const char* key, const char* fallback) {
        return mapping && mapping->is_object() && (*mapping)[key].is_string()
                   ? (*mapping)[key].get<std::string>()
                   : std::string(fallback);
    };
    const std::string endpoint = text("endpoint", "");
    if (endpoint.empty() && settings_.endpointOverride.empty()) return std::nullopt;
    return statusRequest(endpoint, text("format", "json"), query.councilReference,
                         text("jurisdictionId", ""));
}

std::optional<CouncilStatus> Open311Destination::readStatus(const HttpResponse& response,
                                                            const StatusQuery& query) const {
    const auto found = parseOpen311Status(response, query.councilReference);
    if (!found) return std::nullopt;
    CouncilStatus council;
    if (found->status == "open")
        council.progress = CouncilProgress::InProgress;
    else if (found->status == "closed")
        council.progress = CouncilProgress::Closed;
    else
        return std::nullopt;
    if (const auto updated = parseUtcTimestamp(found->updatedDatetime)) council.updatedAtMillis = *updated;
    return council;
}

}  // namespace kiosk::sync
