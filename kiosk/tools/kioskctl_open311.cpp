// kioskctl open311: read a council's Open311 GeoReport v2 server (the protocol FixMyStreet and
// mySociety's open311-adapter speak) to list its services and to start a content-pack form from a
// service definition. Only GETs: nothing is ever sent to the council's queue from here.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "kiosk/percent_encoding.h"
#include "kioskctl_commands.h"
#include "sync/transport.h"

namespace kiosk::tools {

namespace {

// Ordered, so the draft reads top down: the warning first, the form next, the mapping last.
using json = nlohmann::ordered_json;

std::string withTrailingSlash(std::string url) {
    if (url.empty() || url.back() != '/') url += '/';
    return url;
}

// GET {base}{path}.json with jurisdiction_id and api_key when given. Error messages name the path
// only: the query may hold the api key.
std::optional<json> getJson(const std::string& baseUrl, const std::string& path,
                            const Open311Options& options, std::optional<std::string> apiKey) {
    std::string query;
    const auto add = [&query](const std::string& key, const std::string& value) {
        query += (query.empty() ? "?" : "&") + key + "=" + percentEncoded(value);
    };
    if (!options.jurisdictionId.empty()) add("jurisdiction_id", options.jurisdictionId);
    if (apiKey) add("api_key", *apiKey);

    sync::CurlTransport transport(KioskConfig::Network{});
    sync::HttpRequest request;
    request.url = withTrailingSlash(baseUrl) + path + ".json" + query;
    request.headers.emplace_back("Accept", "application/json");
    const sync::HttpResponse response = transport.send(request);
    if (!response.transportOk) {
        std::cerr << "kioskctl: GET " << path << ".json failed: " << response.transportError << "\n";
        return std::nullopt;
    }
    json body = json::parse(response.body, nullptr, false);
    if (response.status != 200) {
        std::cerr << "kioskctl: the Open311 server answered HTTP " << response.status << " to GET " << path
                  << ".json";
        std::cerr << "\n";
        // Open311 errors are a list of {"code", "description"}.
        if (body.is_array()) {
            for (const auto& error : body) {
                if (error.is_object() && error.contains("description") && error["description"].is_string())
                    std::cerr << "  " << error["description"].get<std::string>() << "\n";
            }
        }
        return std::nullopt;
    }
    if (body.is_discarded()) {
        std::cerr << "kioskctl: the answer to GET " << path << ".json is not JSON\n";
        return std::nullopt;
    }
    return body;
}

std::optional<std::optional<std::string>> readApiKey(const Open311Options& options) {
    if (!options.apiKeyFile) return std::optional<std::string>{};
    std::ifstream in(*options.apiKeyFile);
    std::string key;
    if (!in || !std::getline(in, key)) {
        std::cerr << "kioskctl: cannot read the api key file " << options.apiKeyFile->string() << "\n";
        return std::nullopt;
    }
    while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
    return std::optional<std::string>{key};
}

// GeoReport v2 says booleans; the open311-adapter sends the strings "true" and "false".
bool openTrue(const json& value) {
    return (value.is_boolean() && value.get<bool>()) ||
           (value.is_string() && value.get<std::string>() == "true");
}

std::string text(const json& object, const char* key) {
    if (!object.is_object() || !object.contains(key)) return "";
    const json& value = object.at(key);
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::optional<json> fetchServices(const std::string& baseUrl, const Open311Options& options,
                                  const std::optional<std::string>& apiKey) {
    auto services = getJson(baseUrl, "services", options, apiKey);
    if (!services) return std::nullopt;
    if (!services->is_array()) {
        std::cerr << "kioskctl: GET services.json did not answer a list of services\n";
        return std::nullopt;
    }
    return services;
}

// A page or form id from an Open311 code: lower case, anything but letters and digits as "-".
std::string idFrom(const std::string& code) {
    std::string id;
    for (unsigned char c : code) id += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '-';
    return id.empty() ? "attribute" : id;
}

struct QuestionType {
    std::string type;
    std::string note;  // what the editor must know when the kiosk's type is not an exact match
};

QuestionType questionTypeFor(const std::string& datatype) {
    if (datatype == "string") return {"short-text", ""};
    if (datatype == "text") return {"long-text", ""};
    if (datatype == "number")
        return {"whole-number", "Open311 numbers may have decimals; the kiosk asks for a whole number."};
    if (datatype == "datetime")
        return {"date",
                "Open311 asks for a date and time; the kiosk asks for a date only. Check the "
                "destination sends it in the form the council expects."};
    if (datatype == "singlevaluelist") return {"one-choice", ""};
    if (datatype == "multivaluelist") return {"several-choices", ""};
    return {"short-text", "Unknown Open311 datatype '" + datatype + "': asked as short text."};
}

}  // namespace

int runOpen311Services(const std::string& baseUrl, const Open311Options& options) {
    const auto apiKey = readApiKey(options);
    if (!apiKey) return 1;
    const auto services = fetchServices(baseUrl, options, *apiKey);
    if (!services) return 1;

    std::vector<std::vector<std::string>> rows = {{"CODE", "NAME", "GROUP", "METADATA"}};
    for (const auto& service : *services) {
        rows.push_back({text(service, "service_code"), text(service, "service_name"), text(service, "group"),
                        openTrue(service.value("metadata", json())) ? "true" : "false"});
    }
    std::vector<std::size_t> widths(4, 0);
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        std::cout << line << "\n";
    }
    std::cout << services->size() << (services->size() == 1 ? " service" : " services")
              << "; metadata true means `kioskctl open311 draft` finds questions to ask.\n";
    return 0;
}

int runOpen311Draft(const std::string& baseUrl, const std::string& serviceCode,
                    const Open311Options& options) {
    const auto apiKey = readApiKey(options);
    if (!apiKey) return 1;
    const auto services = fetchServices(baseUrl, options, *apiKey);
    if (!services) return 1;
    const auto listed = std::find_if(services->begin(), services->end(), [&](const json& service) {
        return text(service, "service_code") == serviceCode;
    });
    if (listed == services->end()) {
        std::cerr << "kioskctl: the Open311 server has no service '" << serviceCode
                  << "'. `kioskctl open311 services URL` lists its services.\n";
        return 1;
    }
    json attributes = json::array();
    if (openTrue(listed->value("metadata", json()))) {
        const auto definition = getJson(baseUrl, "services/" + percentEncoded(serviceCode), options, *apiKey);
        if (!definition) return 1;
        attributes = definition->value("attributes", json::array());
        if (!attributes.is_array()) attributes = json::array();
        std::stable_sort(attributes.begin(), attributes.end(), [](const json& a, const json& b) {
            const auto order = [](const json& attribute) {
                const json& value = attribute.value("order", json(0));
                if (value.is_number()) return value.get<double>();
                try {
                    return std::stod(value.is_string() ? value.get<std::string>() : "0");
                } catch (const std::exception&) {
                    return 0.0;
                }
            };
            return order(a) < order(b);
        });
    }

    const std::string serviceName =
        text(*listed, "service_name").empty() ? serviceCode : text(*listed, "service_name");
    const std::string formId = "open311-" + idFrom(serviceCode);
    std::vector<std::string> toEdit = {
        "Every label is the council's Open311 wording in English only: rewrite each one in plain "
        "English, add \"hint\" and \"errorName\" where they help, and add the pack's other languages.",
        "\"confirmation\" is missing: add what happens next for this service.",
        "In \"service\", choose an \"icon\" and the \"council\" id from manifest.json, and add "
        "\"description\", \"synonyms\" and \"startPage\" as the other services have.",
        "Write \"destinationMapping\" into the service as \"destinationSettings\": {\"open311\": {...}} "
        "in the form docs/open311.md describes (endpoint, format, serviceCode, attributes with their "
        "values, contact, description, address), and add an \"open311\" destination with the api key "
        "to the kiosk configuration."};

    json pages = json::array();
    pages.push_back({{"id", "address"},
                     {"question",
                      {{"type", "address"},
                       {"label", {{"en", "What is the address?"}}},
                       {"hint", {{"en", "Start with the postcode."}}}}}});
    json mappedAttributes = json::array();
    std::set<std::string> pageIds = {"address", "description"};
    for (const auto& attribute : attributes) {
        const std::string code = text(attribute, "code");
        const std::string datatype = text(attribute, "datatype");
        if (attribute.contains("variable") && !openTrue(attribute["variable"])) {
            toEdit.push_back(
                "Attribute '" + code +
                "' is not variable (information for the resident, not a "
                "question): no page was made for it. Show its text on a page's hint if it matters: " +
                text(attribute, "description"));
            continue;
        }
        std::string pageId = idFrom(code);
        while (!pageIds.insert(pageId).second) pageId = "attribute-" + pageId;
        const QuestionType type = questionTypeFor(datatype);
        if (!type.note.empty()) toEdit.push_back("Page '" + pageId + "': " + type.note);
        const std::string description = text(attribute, "description");
        json question = {{"type", type.type},
                         {"label", {{"en", description.empty() ? code : description}}},
                         {"required", openTrue(attribute.value("required", json()))}};
        if (type.type == "one-choice" || type.type == "several-choices") {
            json choices = json::array();
            std::set<std::string> keys;
            for (const auto& value : attribute.value("values", json::array())) {
                const std::string key = text(value, "key");
                const std::string name = text(value, "name");
                if (key.empty() || !keys.insert(key).second) {
                    toEdit.push_back("Page '" + pageId + "': the Open311 value '" + name +
                                     "' has an empty or repeated key and was left out; ask the council.");
                    continue;
                }
                choices.push_back({{"value", key}, {"label", {{"en", name.empty() ? key : name}}}});
            }
            if (choices.empty()) {
                toEdit.push_back("Page '" + pageId + "': the Open311 list has no values; add the choices.");
                choices.push_back({{"value", "edit-me"}, {"label", {{"en", "Edit me"}}}});
            }
            question["choices"] = choices;
        }
        pages.push_back({{"id", pageId}, {"question", question}});
        json mapping = {{"question", pageId}, {"attribute", code}, {"datatype", datatype}};
        if (type.type == "several-choices") {
            mapping["sends"] = "attribute[" + code +
                               "]=KEY once per chosen value (a repeated key; the bracket form "
                               "attribute[" +
                               code + "][]=KEY is rejected)";
        } else {
            mapping["sends"] = "attribute[" + code + "]=" + (type.type == "one-choice" ? "KEY" : "ANSWER");
        }
        const std::string datatypeDescription = text(attribute, "datatype_description");
        if (!datatypeDescription.empty()) mapping["datatype_description"] = datatypeDescription;
        mappedAttributes.push_back(mapping);
    }
    pages.push_back({{"id", "description"},
                     {"question",
                      {{"type", "long-text"},
                       {"label", {{"en", "Tell us anything else we need to know"}}},
                       {"required", false},
                       {"maxLength", 2000}}}});

    json destination = {{"destination", "open311"},
                        {"endpoint", withTrailingSlash(baseUrl)},
                        {"service_code", serviceCode},
                        {"location",
                         {{"question", "address"},
                          {"sends",
                           "address_string (the address's lines and postcode), lat and long when the "
                           "gazetteer has them, and attribute[uprn] if the service defines it"}}},
                        {"description", {{"question", "description"}, {"sends", "description"}}},
                        {"attributes", mappedAttributes}};
    if (!options.jurisdictionId.empty()) destination["jurisdiction_id"] = options.jurisdictionId;

    const json draft = {
        {"draft", "DRAFT made by `kioskctl open311 draft` from GET services/" + serviceCode +
                      ".json. Edit it before use (see \"toEdit\"), then save \"form\" as forms/" + formId +
                      ".json, list it in manifest.json, and add \"service\" to services.json."},
        {"toEdit", toEdit},
        {"form", {{"id", formId}, {"version", 1}, {"title", {{"en", serviceName}}}, {"pages", pages}}},
        {"service",
         {{"id", formId},
          {"title", {{"en", serviceName}}},
          {"icon", "info"},
          {"council", "EDIT-ME"},
          {"destination", "open311"},
          {"form", formId}}},
        {"destinationMapping", destination}};
    std::cout << draft.dump(2) << "\n";
    return 0;
}

}  // namespace kiosk::tools
