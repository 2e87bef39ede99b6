// open311-server: an Open311 GeoReport v2 test server that answers as mySociety's open311-adapter
// (the Open311::Endpoint framework FixMyStreet talks to) answered in the transcripts under
// tests/open311_server/transcripts: the same status codes, content types and bodies, its error
// lists included, its JSON written the way Perl's JSON::XS pretty-prints and its XML the way the
// framework lays it out. What the transcripts do not show follows the GeoReport v2 text; each such
// choice is listed in docs/open311.md. On top of that it stores what it accepted (optionally in a
// state file, so a restart keeps it), lists it at GET /admin/requests, and injects the faults a
// destination adapter must survive. It never prints what residents sent.
//
// Usage: open311-server [--data-dir DIR] [--port N] [--port-file PATH] [--api-key KEY]
//        [--state-file PATH] [--fail-first N] [--reset-after-commit N] [--answer-with-token]
//        [--delay-ms N] [--no-request-search]
// --no-request-search: GET requests.{format} (the list a client searches for a report it may
// already have sent) fails with the framework's Perl error, as on endpoints that do not implement
// GET_Service_Requests; GET requests/{id} and the rest still work.
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using ojson = nlohmann::ordered_json;

std::atomic<bool> shuttingDown{false};

struct Options {
    int port = 0;
    std::string portFile;
    std::string dataDirectory = OPEN311_SERVER_DATA_DIR;  // tests/open311_server/data
    std::string apiKey = "test";                          // the key the recorded server was started with
    std::string stateFile;
    int failFirst = 0;
    int resetAfterCommit = 0;
    bool answerWithToken = false;
    int delayMs = 0;
    bool noRequestSearch = false;
};

std::optional<Options> parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--answer-with-token") {
            options.answerWithToken = true;
            continue;
        }
        if (flag == "--no-request-search") {
            options.noRequestSearch = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::cerr << "open311-server: " << flag << " needs a value\n";
            return std::nullopt;
        }
        const std::string value = argv[++i];
        try {
            if (flag == "--port")
                options.port = std::stoi(value);
            else if (flag == "--port-file")
                options.portFile = value;
            else if (flag == "--data-dir")
                options.dataDirectory = value;
            else if (flag == "--api-key")
                options.apiKey = value;
            else if (flag == "--state-file")
                options.stateFile = value;
            else if (flag == "--fail-first")
                options.failFirst = std::stoi(value);
            else if (flag == "--reset-after-commit")
                options.resetAfterCommit = std::stoi(value);
            else if (flag == "--delay-ms")
                options.delayMs = std::stoi(value);
            else {
                std::cerr << "open311-server: unknown option " << flag << "\n";
                return std::nullopt;
            }
        } catch (const std::exception&) {
            std::cerr << "open311-server: " << flag << " needs a number\n";
            return std::nullopt;
        }
    }
    return options;
}

// --- Writing answers -------------------------------------------------------------------------

std::string quoted(const std::string& text) {
    return ojson(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// JSON::XS->pretty: three-space indent, " : " after keys, a newline at the very end. Keys keep the
// order they were built in; the Perl server's own order is a random hash order, so no client can
// rely on it.
void writePerlJson(const ojson& value, int depth, std::string& out) {
    const std::string inner(static_cast<std::size_t>(depth + 1) * 3, ' ');
    const std::string outer(static_cast<std::size_t>(depth) * 3, ' ');
    if (value.is_object()) {
        if (value.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        std::size_t left = value.size();
        for (const auto& [key, item] : value.items()) {
            out += inner + quoted(key) + " : ";
            writePerlJson(item, depth + 1, out);
            out += --left ? ",\n" : "\n";
        }
        out += outer + "}";
    } else if (value.is_array()) {
        if (value.empty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        std::size_t left = value.size();
        for (const auto& item : value) {
            out += inner;
            writePerlJson(item, depth + 1, out);
            out += --left ? ",\n" : "\n";
        }
        out += outer + "]";
    } else if (value.is_string()) {
        out += quoted(value.get<std::string>());
    } else {
        out += value.dump();
    }
}

std::string perlJson(const ojson& value) {
    std::string out;
    writePerlJson(value, 0, out);
    return out + "\n";
}

std::string xmlEscaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// The element each list's items are written as.
std::string itemElementName(const std::string& listName) {
    static const std::map<std::string, std::string> names = {{"services", "service"},
                                                             {"attributes", "attribute"},
                                                             {"values", "value"},
                                                             {"service_requests", "request"},
                                                             {"errors", "error"}};
    const auto found = names.find(listName);
    return found == names.end() ? "item" : found->second;
}

// Elements come out in key order, except that a list value's <name> precedes its <key> (file 03).
std::vector<std::string> xmlKeyOrder(const std::string& element, const ojson& object) {
    std::vector<std::string> keys;
    for (const auto& [key, item] : object.items()) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    if (element == "value") {
        std::stable_partition(keys.begin(), keys.end(), [](const std::string& key) { return key == "name"; });
    }
    return keys;
}

void writeXmlElement(const std::string& name, const ojson& value, int depth, std::string& out) {
    const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    if (value.is_object()) {
        out += indent + "<" + name + ">\n";
        for (const std::string& key : xmlKeyOrder(name, value))
            writeXmlElement(key, value.at(key), depth + 1, out);
        out += indent + "</" + name + ">\n";
    } else if (value.is_array()) {
        if (value.empty()) {
            out += indent + "<" + name + "></" + name + ">\n";
            return;
        }
        out += indent + "<" + name + ">\n";
        for (const auto& item : value) writeXmlElement(itemElementName(name), item, depth + 1, out);
        out += indent + "</" + name + ">\n";
    } else {
        const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
        out += indent + "<" + name + ">" + xmlEscaped(text) + "</" + name + ">\n";
    }
}

enum class Format { Json, Xml };

struct Answer {
    int status = 200;
    std::string contentTypeHeader = "Content-Type";
    std::string contentType;
    std::string body;
};

// `xmlRoot` names the document element: a list's items are named after it (services -> service).
Answer formatted(Format format, int status, const ojson& value, const std::string& xmlRoot) {
    Answer answer;
    answer.status = status;
    if (format == Format::Json) {
        answer.contentType = "application/json";
        answer.body = perlJson(value);
    } else {
        answer.contentType = "text/xml";
        answer.body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
        writeXmlElement(xmlRoot, value, 0, answer.body);
    }
    return answer;
}

ojson errorList(int code, const std::vector<std::string>& descriptions) {
    ojson list = ojson::array();
    for (const auto& description : descriptions)
        list.push_back({{"code", code}, {"description", description}});
    return list;
}

Answer errors(Format format, int status, const std::vector<std::string>& descriptions) {
    return formatted(format, status, errorList(status, descriptions), "errors");
}

Answer plainText(int status, const std::string& body, const std::string& header = "Content-Type") {
    return Answer{status, header, "text/plain", body};
}

// The two paths the recorded test endpoint does not implement answer with the Perl error the
// framework caught (files 20 and 23); the recording shortened the server's file path to
// "<adapter>/", and so does this server.
Answer perlCrash(Format format, const std::string& message) {
    return errors(format, 500,
                  {message + " at <adapter>/perllib/Open311/Endpoint.pm line " +
                   (message.find("get_token") != std::string::npos ? "634" : "811") + ".\n"});
}

// --- Time ------------------------------------------------------------------------------------

std::string w3cTime(std::int64_t epoch) {
    const std::time_t time = static_cast<std::time_t>(epoch);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// W3C datetimes as GeoReport v2 filters take them: a date, or a date and time with Z, an offset
// or neither (then UTC).
std::optional<std::int64_t> parseW3cTime(const std::string& text) {
    static const std::regex shape(
        R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$)");
    std::smatch match;
    if (!std::regex_match(text, match, shape)) return std::nullopt;
    std::tm tm{};
    tm.tm_year = std::stoi(match[1]) - 1900;
    tm.tm_mon = std::stoi(match[2]) - 1;
    tm.tm_mday = std::stoi(match[3]);
    if (match[4].matched) tm.tm_hour = std::stoi(match[4]);
    if (match[5].matched) tm.tm_min = std::stoi(match[5]);
    if (match[6].matched) tm.tm_sec = std::stoi(match[6]);
    std::int64_t epoch = timegm(&tm);
    const std::string zone = match[7].matched ? match[7].str() : "Z";
    if (zone != "Z") {
        const int sign = zone[0] == '-' ? -1 : 1;
        const std::string digits = std::regex_replace(zone.substr(1), std::regex(":"), "");
        epoch -= sign * (std::stoi(digits.substr(0, 2)) * 3600 + std::stoi(digits.substr(2, 2)) * 60);
    }
    return epoch;
}

std::int64_t now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// --- Validation as Data::Rx reports it -------------------------------------------------------

// One failure line and, for an //any, the failures of each of its alternatives.
struct Failure {
    std::string message;
    std::vector<Failure> alternatives;
};

// Data::Rx's //num.
bool isRxNumber(const std::string& text) {
    static const std::regex number(R"(^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$)");
    return std::regex_match(text, number);
}

bool isIdentifier(const std::string& text) {
    static const std::regex identifier(R"(^\w+$)");
    return std::regex_match(text, identifier);
}

// Nested failures are listed under their //any: an alternative's first failure is marked "- ",
// the rest are indented to line up with it (files 11 to 16).
void appendFailures(const std::vector<Failure>& failures, int depth, std::vector<std::string>& lines) {
    const std::string marker(static_cast<std::size_t>(4 * depth - 2), ' ');
    for (std::size_t i = 0; i < failures.size(); ++i) {
        lines.push_back((i == 0 ? marker + "- " : marker + "  ") + failures[i].message);
        for (const auto& alternative : failures[i].alternatives)
            appendFailures({alternative}, depth + 1, lines);
    }
}

std::string at(const std::string& key) {
    return "$data->{" + key + "}";
}

struct Attribute {
    std::string code;
    std::string datatype;
    bool required = false;
    bool variable = true;
    std::vector<std::string> keys;
};

struct Service {
    ojson listing;     // the entry of GET services
    ojson definition;  // GET services/{code}
    std::vector<Attribute> attributes;
};

using Params = std::map<std::string, std::vector<std::string>>;

std::optional<Failure> checkAttributeValue(const Attribute& attribute,
                                           const std::vector<std::string>& values) {
    const std::string key = "attribute[" + attribute.code + "]";
    if (attribute.datatype == "number") {
        if (!isRxNumber(values.back()))
            return Failure{"Failed //num: value is not a number (error: type at " + at(key) + ")", {}};
        return std::nullopt;
    }
    const bool single = attribute.datatype == "singlevaluelist";
    if (!single && attribute.datatype != "multivaluelist") return std::nullopt;
    const auto listed = [&](const std::string& value) {
        return std::find(attribute.keys.begin(), attribute.keys.end(), value) != attribute.keys.end();
    };
    const bool allListed = single ? listed(values.back()) : std::all_of(values.begin(), values.end(), listed);
    if (allListed) return std::nullopt;
    Failure failure{
        "Failed //any: matched none of the available alternatives (error: none at " + at(key) + ")", {}};
    // The recorded optional singlevaluelist (3 values) fails 4 //str alternatives: one more than
    // its values. Multivaluelist failures were not recorded; one per value is assumed.
    const std::size_t alternatives = attribute.keys.size() + (single ? 1 : 0);
    for (std::size_t i = 0; i < alternatives; ++i) {
        failure.alternatives.push_back(
            {"Failed //str: found value is not the required value (error: value at " + at(key) + ")", {}});
    }
    return failure;
}

// One of the three location alternatives of POST_Service_Request (lat+long, address_string,
// address_id): the framework builds each with the location keys of the later alternatives as
// optional, so lat and long are "unexpected" in the second and third (files 07, 12 to 16).
std::vector<Failure> checkAlternative(std::size_t alternative, const Service& service, const Params& params) {
    static const std::vector<std::vector<std::string>> locations = {
        {"lat", "long"}, {"address_string"}, {"address_id"}};
    std::set<std::string> required = {"service_code"};
    std::set<std::string> allowed = {"api_key",     "jurisdiction_id", "email",     "device_id",
                                     "account_id",  "first_name",      "last_name", "phone",
                                     "description", "media_url",       "url"};
    for (const auto& key : locations[alternative]) required.insert(key);
    for (std::size_t later = alternative + 1; later < locations.size(); ++later) {
        for (const auto& key : locations[later]) allowed.insert(key);
    }
    for (const auto& attribute : service.attributes) {
        const std::string key = "attribute[" + attribute.code + "]";
        (attribute.required && attribute.variable ? required : allowed).insert(key);
    }

    std::vector<Failure> failures;
    std::string unexpected;
    for (const auto& [key, values] : params) {
        if (!required.count(key) && !allowed.count(key)) unexpected += (unexpected.empty() ? "" : " ") + key;
    }
    if (!unexpected.empty())
        failures.push_back(
            {"Failed //rec: found unexpected entries: " + unexpected + " (error: unexpected at $data)", {}});
    for (const auto& key : required) {
        if (!params.count(key))
            failures.push_back(
                {"Failed //rec: no value given for required entry " + key + " (error: missing at $data)",
                 {}});
    }
    for (const auto& [key, values] : params) {
        if (!required.count(key) && !allowed.count(key)) continue;
        if ((key == "lat" || key == "long") && !isRxNumber(values.back())) {
            failures.push_back({"Failed //num: value is not a number (error: type at " + at(key) + ")", {}});
        } else if (key == "jurisdiction_id" && !isIdentifier(values.back())) {
            failures.push_back(
                {"Failed /open311/regex: found value isn't a valid identifier (error: type at " + at(key) +
                     ")",
                 {}});
        }
        for (const auto& attribute : service.attributes) {
            if (key != "attribute[" + attribute.code + "]") continue;
            if (auto failure = checkAttributeValue(attribute, values)) failures.push_back(*failure);
        }
    }
    return failures;
}

// --- The server ------------------------------------------------------------------------------

struct StoredRequest {
    long id = 0;
    std::string serviceCode;
    std::string serviceName;
    std::string address;
    std::string addressId;
    std::optional<std::string> description;
    std::int64_t requestedAt = 0;
    std::string token;
    ojson received;  // every parameter but api_key; a repeated key keeps all its values
};

ojson toJson(const StoredRequest& request) {
    ojson out = {{"id", request.id},
                 {"service_code", request.serviceCode},
                 {"service_name", request.serviceName},
                 {"address", request.address},
                 {"address_id", request.addressId},
                 {"requested_at", request.requestedAt},
                 {"token", request.token},
                 {"received", request.received}};
    if (request.description) out["description"] = *request.description;
    return out;
}

StoredRequest fromJson(const ojson& in) {
    StoredRequest request;
    request.id = in.at("id").get<long>();
    request.serviceCode = in.at("service_code").get<std::string>();
    request.serviceName = in.at("service_name").get<std::string>();
    request.address = in.at("address").get<std::string>();
    request.addressId = in.at("address_id").get<std::string>();
    request.requestedAt = in.at("requested_at").get<std::int64_t>();
    request.token = in.at("token").get<std::string>();
    request.received = in.at("received");
    if (in.contains("description")) request.description = in.at("description").get<std::string>();
    return request;
}

// A service request as GET requests shows it. The recorded endpoint keeps neither lat/long nor
// zipcode nor media_url (file 17 shows 0, 0, "", "" after a POST with lat and long); /admin/requests
// has what was actually sent.
ojson publicView(const StoredRequest& request) {
    ojson out = {{"address", request.address}, {"address_id", request.addressId}};
    if (request.description) out["description"] = *request.description;
    out["lat"] = 0;
    out["long"] = 0;
    out["media_url"] = "";
    out["requested_datetime"] = w3cTime(request.requestedAt);
    out["service_code"] = request.serviceCode;
    out["service_name"] = request.serviceName;
    out["service_request_id"] = request.id;
    out["status"] = "open";
    out["updated_datetime"] = w3cTime(request.requestedAt);
    out["zipcode"] = "";
    return out;
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeFileAtomically(const std::string& path, const std::string& text) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
    }
    std::filesystem::rename(temporary, path);
}

class Open311Server {
public:
    explicit Open311Server(Options options)
        : options_(std::move(options)),
          failFirstLeft_(options_.failFirst),
          resetLeft_(options_.resetAfterCommit) {}

    bool load() {
        const std::filesystem::path data = options_.dataDirectory;
        const ojson listing = ojson::parse(readFile(data / "services.json"), nullptr, false);
        if (!listing.is_array()) {
            std::cerr << "open311-server: " << (data / "services.json").string() << " is not a JSON list\n";
            return false;
        }
        for (const auto& entry : listing) {
            Service service;
            service.listing = entry;
            const std::string code = entry.value("service_code", "");
            const auto definitionFile = data / "services" / (code + ".json");
            service.definition = ojson::parse(readFile(definitionFile), nullptr, false);
            if (!service.definition.is_object()) {
                std::cerr << "open311-server: " << definitionFile.string()
                          << " is missing or not a JSON object\n";
                return false;
            }
            for (const auto& attributeJson : service.definition.value("attributes", ojson::array())) {
                Attribute attribute;
                attribute.code = attributeJson.value("code", "");
                attribute.datatype = attributeJson.value("datatype", "");
                attribute.required = attributeJson.value("required", "false") == "true";
                attribute.variable = attributeJson.value("variable", "true") == "true";
                for (const auto& value : attributeJson.value("values", ojson::array()))
                    attribute.keys.push_back(value.value("key", ""));
                service.attributes.push_back(attribute);
            }
            order_.push_back(code);
            services_[code] = std::move(service);
        }
        if (!options_.stateFile.empty() && std::filesystem::exists(options_.stateFile)) {
            const ojson state = ojson::parse(readFile(options_.stateFile), nullptr, false);
            if (!state.is_object()) {
                std::cerr << "open311-server: the state file is not JSON\n";
                return false;
            }
            nextId_ = state.value("next_id", 0L);
            for (const auto& request : state.value("requests", ojson::array()))
                requests_.push_back(fromJson(request));
        }
        return true;
    }

    void handle(const httplib::Request& request, httplib::Response& response) {
        waitForDelay();
        std::lock_guard lock(mutex_);
        std::string path = request.path.substr(request.path.find_first_not_of('/') == std::string::npos
                                                   ? request.path.size()
                                                   : request.path.find_first_not_of('/'));
        const auto slash = path.rfind('/');
        const auto dot = path.rfind('.');
        std::string resource = path;
        std::string extension;
        if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
            resource = path.substr(0, dot);
            extension = path.substr(dot + 1);
        }
        const std::string head = resource.substr(0, resource.find('/'));
        const std::string tail =
            resource.find('/') == std::string::npos ? "" : resource.substr(resource.find('/') + 1);
        const bool known =
            ((head == "services" || head == "requests") && tail.find('/') == std::string::npos) ||
            (head == "tokens" && !tail.empty() && tail.find('/') == std::string::npos);
        if (!known) return send(response, plainText(404, "Not found", "Content-type"));
        if (extension != "json" && extension != "xml")
            return send(response, plainText(404, "Bad extension. We support .xml and .json"));
        const Format format = extension == "json" ? Format::Json : Format::Xml;

        Params params;
        for (const auto& [key, value] : request.params) params[key].push_back(value);

        if (request.method == "POST") {
            if (head == "requests" && tail.empty()) return postRequest(format, params, response);
            return send(response, plainText(404, "Not found", "Content-type"));
        }
        if (head == "services" && tail.empty()) return send(response, serviceList(format, params));
        if (head == "services") return send(response, serviceDefinition(format, tail, params));
        if (head == "requests" && tail.empty()) return send(response, requestList(format, params));
        if (head == "requests") return send(response, oneRequest(format, tail));
        return send(response, tokenLookup(format, tail));
    }

    void adminRequests(httplib::Response& response) {
        std::lock_guard lock(mutex_);
        ojson list = ojson::array();
        for (const auto& request : requests_) list.push_back(toJson(request));
        response.set_content(list.dump(2), "application/json");
    }

private:
    static void send(httplib::Response& response, const Answer& answer) {
        response.status = answer.status;
        response.body = answer.body;
        response.set_header(answer.contentTypeHeader.c_str(), answer.contentType);
    }

    void waitForDelay() const {
        const auto wakeAt = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.delayMs);
        while (std::chrono::steady_clock::now() < wakeAt && !shuttingDown.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    // GET parameters pass the framework's schema too; only jurisdiction_id can fail it here.
    static std::optional<Answer> badJurisdiction(Format format, const Params& params,
                                                 const std::string& schema) {
        const auto found = params.find("jurisdiction_id");
        if (found == params.end() || isIdentifier(found->second.back())) return std::nullopt;
        return errors(format, 400,
                      {"Error in input for " + schema,
                       "Failed /open311/regex: found value isn't a valid identifier (error: type at " +
                           at("jurisdiction_id") + ")"});
    }

    Answer serviceList(Format format, const Params& params) const {
        if (auto bad = badJurisdiction(format, params, "GET_Service_List")) return *bad;
        ojson list = ojson::array();
        for (const auto& code : order_) list.push_back(services_.at(code).listing);
        return formatted(format, 200, list, "services");
    }

    Answer serviceDefinition(Format format, const std::string& code, const Params& params) const {
        if (auto bad = badJurisdiction(format, params, "GET_Service_Definition")) return *bad;
        const auto found = services_.find(code);
        if (found == services_.end()) return errors(format, 404, {"Resource not found"});
        return formatted(format, 200, found->second.definition, "service_definition");
    }

    Answer requestList(Format format, const Params& params) const {
        if (auto bad = badJurisdiction(format, params, "GET_Service_Requests")) return *bad;
        if (options_.noRequestSearch)
            return perlCrash(format,
                             "Can't locate object method \"get_service_requests\" via package \"My::Ep\"");
        const auto listed = [&](const std::string& key) {
            std::set<std::string> values;
            const auto found = params.find(key);
            if (found == params.end()) return values;
            std::stringstream items(found->second.back());
            for (std::string item; std::getline(items, item, ',');) values.insert(item);
            return values;
        };
        std::optional<std::int64_t> start, end;
        for (const auto* key : {"start_date", "end_date"}) {
            const auto found = params.find(key);
            if (found == params.end()) continue;
            const auto time = parseW3cTime(found->second.back());
            if (!time) {
                return errors(format, 400,
                              {"Error in input for GET_Service_Requests",
                               "Failed /open311/datetime: found value isn't a datetime (error: type at " +
                                   at(key) + ")"});
            }
            (std::string(key) == "start_date" ? start : end) = time;
        }
        const auto ids = listed("service_request_id");
        const auto codes = listed("service_code");
        const auto statuses = listed("status");
        ojson list = ojson::array();
        for (const auto& request : requests_) {
            // GeoReport v2: given ids, the other filters are ignored.
            if (!ids.empty()) {
                if (!ids.count(std::to_string(request.id))) continue;
            } else {
                if (!codes.empty() && !codes.count(request.serviceCode)) continue;
                if (!statuses.empty() && !statuses.count("open")) continue;
                if (start && request.requestedAt < *start) continue;
                if (end && request.requestedAt > *end) continue;
            }
            list.push_back(publicView(request));
        }
        return formatted(format, 200, list, "service_requests");
    }

    Answer oneRequest(Format format, const std::string& id) const {
        for (const auto& request : requests_) {
            if (std::to_string(request.id) == id)
                return formatted(format, 200, ojson::array({publicView(request)}), "service_requests");
        }
        return perlCrash(format, "Can't call method \"service_request_id\" on an undefined value");
    }

    Answer tokenLookup(Format format, const std::string& token) const {
        if (!options_.answerWithToken)
            return perlCrash(format, "Can't locate object method \"get_token\" via package \"My::Ep\"");
        for (const auto& request : requests_) {
            if (!request.token.empty() && request.token == token) {
                return formatted(format, 200,
                                 ojson::array({{{"service_request_id", request.id}, {"token", token}}}),
                                 "service_requests");
            }
        }
        return errors(format, 404, {"Resource not found"});
    }

    void postRequest(Format format, Params params, httplib::Response& response) {
        if (failFirstLeft_ > 0) {
            --failFirstLeft_;
            send(response, errors(format, 503, {"Service Unavailable"}));
            response.set_header("Retry-After", "1");
            return;
        }
        const auto apiKey = params.find("api_key");
        if (apiKey == params.end()) {
            return send(response, errors(format, 400,
                                         {"Error in input for POST_Service_Request",
                                          "Failed //rec: no value given for required entry api_key (error: "
                                          "missing at $data)"}));
        }
        if (apiKey->second.back() != options_.apiKey)
            return send(response, errors(format, 403, {"Bad api_key"}));
        const auto code = params.find("service_code");
        const auto service = code == params.end() ? services_.end() : services_.find(code->second.back());
        if (service == services_.end()) return send(response, errors(format, 400, {"Bad request"}));

        // Parameters named like an attribute the service does not define are dropped before the
        // schema sees them: the bracket form attribute[x][]=v (file 07) then counts as missing.
        for (auto it = params.begin(); it != params.end();) {
            const bool attributeLike = it->first.rfind("attribute[", 0) == 0;
            const bool defined =
                std::any_of(service->second.attributes.begin(), service->second.attributes.end(),
                            [&](const Attribute& a) { return it->first == "attribute[" + a.code + "]"; });
            it = attributeLike && !defined ? params.erase(it) : std::next(it);
        }

        std::vector<std::vector<Failure>> alternatives;
        for (std::size_t alternative = 0; alternative < 3; ++alternative) {
            alternatives.push_back(checkAlternative(alternative, service->second, params));
            if (alternatives.back().empty()) break;
        }
        if (!alternatives.back().empty()) {
            std::vector<std::string> lines = {
                "Error in input for POST_Service_Request",
                "Failed //any: matched none of the available alternatives (error: "
                "none at $data)"};
            for (const auto& failures : alternatives) appendFailures(failures, 1, lines);
            return send(response, errors(format, 400, lines));
        }

        StoredRequest stored;
        stored.id = nextId_++;
        stored.serviceCode = service->first;
        stored.serviceName = service->second.listing.value("service_name", "");
        const auto value = [&](const std::string& key) {
            const auto found = params.find(key);
            return found == params.end() ? std::string() : found->second.back();
        };
        stored.address = value("address_string");
        stored.addressId = value("address_id");
        if (params.count("description")) stored.description = value("description");
        stored.requestedAt = now();
        if (options_.answerWithToken) stored.token = newToken();
        stored.received = ojson::object();
        for (const auto& [key, values] : params) {
            if (key == "api_key") continue;
            stored.received[key] = values.size() == 1 ? ojson(values.front()) : ojson(values);
        }
        requests_.push_back(stored);
        saveState();

        const ojson answer = options_.answerWithToken
                                 ? ojson::array({{{"token", stored.token}}})
                                 : ojson::array({{{"service_notice", "This is a test service"},
                                                  {"service_request_id", stored.id}}});
        const Answer ok = formatted(format, 200, answer, "service_requests");
        if (resetLeft_ > 0) {
            --resetLeft_;
            // The request is committed; the status line and headers go out, the body never does,
            // and the connection closes: the client cannot tell whether it was stored.
            response.status = 200;
            response.set_content_provider(ok.body.size(), ok.contentType,
                                          [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
            return;
        }
        send(response, ok);
    }

    std::string newToken() {
        static const char digits[] = "0123456789abcdef";
        std::string token;
        for (int i = 0; i < 16; ++i) token += digits[random_() % 16];
        return token;
    }

    void saveState() const {
        if (options_.stateFile.empty()) return;
        ojson list = ojson::array();
        for (const auto& request : requests_) list.push_back(toJson(request));
        writeFileAtomically(options_.stateFile,
                            ojson{{"next_id", nextId_}, {"requests", list}}.dump(1) + "\n");
    }

    Options options_;
    std::mutex mutex_;
    std::map<std::string, Service> services_;
    std::vector<std::string> order_;
    std::vector<StoredRequest> requests_;
    long nextId_ = 0;
    int failFirstLeft_;
    int resetLeft_;
    std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace

int main(int argc, char** argv) {
    const auto options = parseOptions(argc, argv);
    if (!options) return 2;

    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    Open311Server open311(*options);
    if (!open311.load()) return 2;

    httplib::Server server;
    server.set_tcp_nodelay(true);
    server.Get("/admin/requests", [&](const httplib::Request&, httplib::Response& response) {
        open311.adminRequests(response);
    });
    const auto handler = [&](const httplib::Request& request, httplib::Response& response) {
        open311.handle(request, response);
    };
    server.Get(".*", handler);
    server.Post(".*", handler);

    int port = options->port;
    if (port == 0) {
        port = server.bind_to_any_port("127.0.0.1");
    } else if (!server.bind_to_port("127.0.0.1", port)) {
        port = -1;
    }
    if (port <= 0) {
        std::cerr << "open311-server: could not listen on 127.0.0.1\n";
        return 1;
    }
    if (!options->portFile.empty()) writeFileAtomically(options->portFile, std::to_string(port) + "\n");

    std::thread signalWaiter([&server, stopSignals] {
        int received = 0;
        sigwait(&stopSignals, &received);
        shuttingDown.store(true);
        server.stop();
    });
    server.listen_after_bind();
    kill(getpid(), SIGTERM);
    signalWaiter.join();
    return 0;
}
