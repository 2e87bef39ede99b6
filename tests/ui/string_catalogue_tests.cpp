// The sample pack's UI string catalogue has English text for every key the screens use, and
// the text follows GOV.UK's wording rules.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "kiosk/ui/string_keys.h"

namespace {

nlohmann::json loadCatalogue() {
    std::ifstream file(std::string(KIOSK_SOURCE_DIR) + "/assets/packs/sample-district/strings.json");
    REQUIRE(file.good());
    return nlohmann::json::parse(file);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace

TEST_CASE("Every key the screens use has English text", "[catalogue]") {
    const nlohmann::json catalogue = loadCatalogue();
    for (const char* key : kiosk::ui::keys::kAllKeys) {
        INFO(key);
        REQUIRE(catalogue.contains(key));
        REQUIRE(catalogue[key].contains("en"));
        CHECK_FALSE(catalogue[key]["en"].get<std::string>().empty());
    }
}

TEST_CASE("Catalogue wording follows GOV.UK", "[catalogue]") {
    const nlohmann::json catalogue = loadCatalogue();
    for (const auto& [key, text] : catalogue.items()) {
        const std::string english = lower(text.value("en", ""));
        INFO(key << ": " << english);
        CHECK(english.find("please") == std::string::npos);
        CHECK(english.find("sorry") == std::string::npos);
        CHECK(english.find("invalid") == std::string::npos);
        CHECK(english.find("oops") == std::string::npos);
        CHECK(english.find("next") != 0);  // the button is "Continue", never "Next"
    }
    CHECK(catalogue["common.continue"]["en"] == "Continue");
    CHECK(catalogue["error-summary.title"]["en"] == "There is a problem");
    CHECK(catalogue["timeout.body"]["en"].get<std::string>().find("{seconds}") != std::string::npos);
}

TEST_CASE("The out-of-order text is built in for when no pack loads", "[catalogue]") {
    const nlohmann::json catalogue = loadCatalogue();
    CHECK(catalogue["out-of-order.heading"]["en"] == kiosk::ui::keys::kBuiltInOutOfOrderHeading);
    CHECK(catalogue["out-of-order.body"]["en"] == kiosk::ui::keys::kBuiltInOutOfOrderBody);
}
