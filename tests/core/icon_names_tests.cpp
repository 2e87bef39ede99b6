// The service icon names are listed once, in kiosk/icon_names.h: the content pack schema's enum
// and the pack format's description must say exactly the same, and the pack loader must accept
// every listed name and no other.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "kiosk/content.h"
#include "kiosk/icon_names.h"

namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    REQUIRE(in.good());
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::string> coreIconNames() {
    return std::vector<std::string>(kiosk::kServiceIconNames.begin(), kiosk::kServiceIconNames.end());
}

// The valid test pack in memory, with its first service's icon replaced.
kiosk::PackFiles packWithFirstIcon(const std::string& icon) {
    const fs::path root = fs::path(KIOSK_CORE_TEST_DATA) / "valid-pack";
    kiosk::PackFiles files;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file())
            files[entry.path().lexically_relative(root).generic_string()] = readFile(entry.path());
    auto services = nlohmann::json::parse(files.at("services.json"));
    services.at("services").at(0).at("icon") = icon;
    files["services.json"] = services.dump();
    return files;
}

}  // namespace

TEST_CASE("the schema's icon enum is the core list of service icons, in the same order", "[icons]") {
    const auto schema = nlohmann::json::parse(readFile(KIOSK_PACK_SCHEMA));
    const auto& icon = schema.at("$defs").at("service").at("properties").at("icon");
    REQUIRE(icon.at("enum").is_array());
    CHECK(icon.at("enum").get<std::vector<std::string>>() == coreIconNames());
}

TEST_CASE("the pack format's description lists the same icons", "[icons]") {
    // assets/README.md: "`icon` is one of: `bin`, `recycling`, ... `info`." over two lines.
    const std::string readme = readFile(KIOSK_PACK_FORMAT_README);
    const auto start = readme.find("`icon` is one of:");
    REQUIRE(start != std::string::npos);
    const auto end = readme.find('.', start);
    REQUIRE(end != std::string::npos);
    const std::string sentence = readme.substr(start, end - start);
    std::vector<std::string> listed;
    for (auto open = sentence.find('`', sentence.find(':')); open != std::string::npos;
         open = sentence.find('`', open + 1)) {
        const auto close = sentence.find('`', open + 1);
        REQUIRE(close != std::string::npos);
        listed.push_back(sentence.substr(open + 1, close - open - 1));
        open = close;
    }
    CHECK(listed == coreIconNames());
}

TEST_CASE("each service icon is listed once and found where it is listed", "[icons]") {
    const auto names = coreIconNames();
    REQUIRE_FALSE(names.empty());
    CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        INFO(names[i]);
        REQUIRE(kiosk::serviceIconIndex(names[i]).has_value());
        CHECK(*kiosk::serviceIconIndex(names[i]) == i);
    }
    CHECK_FALSE(kiosk::serviceIconIndex("bins").has_value());
    CHECK_FALSE(kiosk::serviceIconIndex("").has_value());
    CHECK_FALSE(kiosk::serviceIconIndex("globe").has_value());  // the kiosk's own, not a pack's
}

TEST_CASE("the pack loader accepts every listed icon and refuses any other", "[icons]") {
    for (const auto& name : coreIconNames()) {
        INFO(name);
        const auto result = kiosk::loadContentPack(packWithFirstIcon(name));
        REQUIRE(result.pack);
        CHECK(result.pack->services.at(0).icon == name);
    }
    const auto refused = kiosk::loadContentPack(packWithFirstIcon("unicorn"));
    CHECK_FALSE(refused.pack);
    REQUIRE(refused.problems.size() == 1);
    CHECK(refused.problems[0].file == "services.json");
    CHECK(refused.problems[0].jsonPath == "/services/0/icon");
    CHECK_THAT(refused.problems[0].message, Catch::StartsWith("Unknown icon 'unicorn'."));
}
