// UK postcode normalisation, gazetteer lookups and service search ranking.
#include <catch2/catch.hpp>

#include "kiosk/content.h"

using kiosk::normaliseUkPostcode;

namespace {

const std::filesystem::path kData = KIOSK_CORE_TEST_DATA;

const kiosk::ContentPack& testPack() {
    static const kiosk::ContentPack pack = [] {
        auto result = kiosk::loadContentPack(kData / "valid-pack");
        REQUIRE(result.pack);
        return std::move(*result.pack);
    }();
    return pack;
}

std::vector<std::string> ids(const std::vector<const kiosk::Service*>& services) {
    std::vector<std::string> result;
    for (const auto* service : services) result.push_back(service->id);
    return result;
}

}  // namespace

TEST_CASE("postcodes are normalised in any case and spacing") {
    struct Row {
        const char* typed;
        const char* expected;  // nullptr: not shaped like a postcode
    };
    const Row rows[] = {
        {"me141aa", "ME14 1AA"}, {" ME14 1AA ", "ME14 1AA"}, {"me14  1aa", "ME14 1AA"},
        {"M1 1AE", "M1 1AE"},    {"b338th", "B33 8TH"},      {"cr26xh", "CR2 6XH"},
        {"dn551pt", "DN55 1PT"}, {"w1a 0ax", "W1A 0AX"},     {"ec1a1bb", "EC1A 1BB"},
        {"gir0aa", "GIR 0AA"},   {"GIR 0AA", "GIR 0AA"},     {"\tsw1a 2aa\n", "SW1A 2AA"},
        {"", nullptr},           {"ME14", nullptr},          {"ME14 1A", nullptr},
        {"ME14 AAA", nullptr},   {"ME141AAA", nullptr},      {"1ME 1AA", nullptr},
        {"ME14-1AA", nullptr},   {"M 1AA", nullptr},         {"ABC1 1AA", nullptr},
        {"ME14 11A", nullptr},   {"ＭＥ14 1AA", nullptr},
    };
    for (const auto& row : rows) {
        INFO("typed: '" << row.typed << "'");
        const auto normalised = normaliseUkPostcode(row.typed);
        if (row.expected) {
            REQUIRE(normalised.has_value());
            CHECK(*normalised == row.expected);
        } else {
            CHECK_FALSE(normalised.has_value());
        }
    }
}

TEST_CASE("the gazetteer finds addresses by postcode in pack order and by UPRN") {
    const auto& gazetteer = testPack().gazetteer;
    const auto matches = gazetteer.lookup("me14 4aa");
    REQUIRE(matches.size() == 3);
    CHECK(matches[0]->uprn == "200000000001");
    CHECK(matches[1]->uprn == "200000000002");
    CHECK(matches[2]->uprn == "200000000003");
    CHECK(matches[1]->postcode == "ME14 4AA");  // stored normalised
    CHECK(gazetteer.lookup("ME15 6JQ").size() == 1);
    CHECK(gazetteer.lookup("ME14 9ZZ").empty());
    CHECK(gazetteer.lookup("not a postcode").empty());
    REQUIRE(gazetteer.findByUprn("200000000010"));
    CHECK(gazetteer.findByUprn("200000000010")->singleLine() == "10 Beech Road, Maidstone ME15 6JQ");
    CHECK(gazetteer.findByUprn("200000000003")->singleLine() == "Flat 1, 3 Acorn Way, Maidstone ME14 4AA");
    CHECK(gazetteer.findByUprn("999") == nullptr);
}

TEST_CASE("a large gazetteer keeps every address findable") {
    kiosk::Gazetteer gazetteer;
    for (int i = 0; i < 100000; ++i) {
        kiosk::Address address;
        address.uprn = std::to_string(100000000 + i);
        address.lines = {std::to_string(i % 50 + 1) + " Long Street"};
        address.town = "Maidstone";
        address.postcode = "ME" + std::to_string(10 + i / 5000) + " " + std::to_string(i / 50 % 10) + "A" +
                           static_cast<char>('A' + i / 500 % 10);
        gazetteer.add(address);
    }
    CHECK(gazetteer.size() == 100000);
    const auto matches = gazetteer.lookup("me10 0aa");
    REQUIRE(matches.size() == 50);
    CHECK(matches.front()->uprn == "100000000");
    CHECK(gazetteer.findByUprn("100099999")->postcode == "ME29 9AJ");
}

TEST_CASE("an empty search lists every service in pack order") {
    CHECK(ids(kiosk::searchServices(testPack(), "", "en")) ==
          std::vector<std::string>{"missed-bin", "bulky-waste", "pothole"});
    CHECK(ids(kiosk::searchServices(testPack(), "  ,  ", "en")).size() == 3);
}

TEST_CASE("search ranks title matches before synonym and description matches") {
    // "bin": missed-bin's title, pothole's synonym "bin lorry damage", bulky-waste's description.
    CHECK(ids(kiosk::searchServices(testPack(), "bin", "en")) ==
          std::vector<std::string>{"missed-bin", "pothole", "bulky-waste"});
    CHECK(ids(kiosk::searchServices(testPack(), "BIN", "en")) ==
          std::vector<std::string>{"missed-bin", "pothole", "bulky-waste"});
    CHECK(ids(kiosk::searchServices(testPack(), "sofa", "en")) == std::vector<std::string>{"bulky-waste"});
    CHECK(ids(kiosk::searchServices(testPack(), "pothole", "en")) == std::vector<std::string>{"pothole"});
    CHECK(kiosk::searchServices(testPack(), "parking permit", "en").empty());
}

TEST_CASE("search prefers services matching more of the words") {
    // "collection" is in two titles; "bulky" only in one of them.
    CHECK(ids(kiosk::searchServices(testPack(), "bulky collection", "en")) ==
          std::vector<std::string>{"bulky-waste", "missed-bin"});
    CHECK(ids(kiosk::searchServices(testPack(), "wheelie", "en")) == std::vector<std::string>{"missed-bin"});
}

TEST_CASE("search uses the chosen language and English, ignoring case in Polish letters") {
    CHECK(ids(kiosk::searchServices(testPack(), "ŚMIECI", "pl")) == std::vector<std::string>{"missed-bin"});
    CHECK(ids(kiosk::searchServices(testPack(), "zgłoś", "pl")) == std::vector<std::string>{"missed-bin"});
    CHECK(ids(kiosk::searchServices(testPack(), "fridge", "pl")) == std::vector<std::string>{"bulky-waste"});
    // Polish synonyms are not used for an English search.
    CHECK(kiosk::searchServices(testPack(), "śmieci", "en").empty());
}
