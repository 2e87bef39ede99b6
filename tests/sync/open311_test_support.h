// Shared pieces for the Open311 destination's tests: a missed-bin answers document as the kiosk
// writes it, the service's pack mapping, and a decoder for form-encoded bodies and queries.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kiosk::sync::testing {

// A distinctive answer, so tests can look for it in the database file and on the wire.
inline const std::string kDistinctiveDetail = "Zebra-crossing-marmalade-7731";

inline std::string missedBinAnswers(const std::string& moreDetails = kDistinctiveDetail) {
    return R"J({"service":"missed-bin","form":"missed-bin","formVersion":1,"language":"en","answers":[)J"
           R"J({"id":"address","question":"What is the address of the missed collection?","type":"address",)J"
           R"J("value":{"uprn":"200003456789","lines":["Flat 4","17 Marigold Terrace"],"town":"Maidstone",)J"
           R"J("postcode":"ME15 6JQ","latitude":51.2704,"longitude":0.5227},)J"
           R"J("answer":"Flat 4, 17 Marigold Terrace, Maidstone, ME15 6JQ"},)J"
           R"J({"id":"bins","question":"Which bins were missed?","type":"several-choices",)J"
           R"J("value":["refuse","food"],"answer":"General rubbish (black bin), Food waste (caddy)"},)J"
           R"J({"id":"bin-out","question":"Was your bin out by 7am?","type":"yes-no","value":true,"answer":"Yes"},)J"
           R"J({"id":"more-details","question":"Tell us anything else","type":"long-text","value":")J" +
           moreDetails + R"J(","answer":")J" + moreDetails +
           R"J("},)J"
           R"J({"id":"full-name","question":"What is your full name?","type":"short-text",)J"
           R"J("value":"Jane van Dyke","answer":"Jane van Dyke"},)J"
           R"J({"id":"phone","question":"Phone number (optional)","type":"uk-phone","value":null,"answer":"Not provided"}]})J";
}

inline std::string missedBinSettings(
    const std::string& format = "json",
    const std::string& endpoint = "https://open311.sample-district.example/") {
    return R"J({"open311":{"endpoint":")J" + endpoint + R"J(","format":")J" + format +
           R"J(","serviceCode":"MISSED","jurisdictionId":"sample_district",)J"
           R"J("attributes":{"bins":{"code":"containers","values":{"refuse":"refuse","recycling":"recycling",)J"
           R"J("food":"food","garden":"garden"}}},)J"
           R"J("contact":{"firstName":"full-name","lastName":"full-name","phone":"phone"},)J"
           R"J("description":{"intro":"Missed bin reported at a council kiosk.","questions":["bin-out","more-details"]},)J"
           R"J("address":"address","referenceAttribute":"kiosk_reference"}})J";
}

inline std::string percentDecoded(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

// "a=1&b=2" -> {{"a","1"},{"b","2"}}, keys and values decoded, order and repeats kept.
inline std::vector<std::pair<std::string, std::string>> formFields(const std::string& body) {
    std::vector<std::pair<std::string, std::string>> fields;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find('&', start);
        if (end == std::string::npos) end = body.size();
        const std::string pair = body.substr(start, end - start);
        const auto equals = pair.find('=');
        if (!pair.empty())
            fields.emplace_back(percentDecoded(pair.substr(0, equals)),
                                equals == std::string::npos ? "" : percentDecoded(pair.substr(equals + 1)));
        start = end + 1;
    }
    return fields;
}

inline std::vector<std::string> fieldValues(const std::vector<std::pair<std::string, std::string>>& fields,
                                            const std::string& key) {
    std::vector<std::string> values;
    for (const auto& [name, value] : fields) {
        if (name == key) values.push_back(value);
    }
    return values;
}

}  // namespace kiosk::sync::testing
