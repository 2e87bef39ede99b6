// council-kiosk's command line: the soak options and how they combine with the others.
#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <vector>

#include "kiosk/platform/options.h"

using kiosk::platform::parseCommandLine;
using kiosk::platform::ParseResult;

namespace {

ParseResult parse(std::initializer_list<const char*> arguments) {
    std::vector<std::string> strings{"council-kiosk", "--config", "kiosk.json"};
    strings.insert(strings.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& text : strings) argv.push_back(text.data());
    return parseCommandLine(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("options: --soak takes frames, a seed and how often to rasterise") {
    const ParseResult result =
        parse({"--headless", "--soak", "1000000", "--seed", "42", "--rasterise-every", "25"});
    REQUIRE(result.error.empty());
    REQUIRE(result.options.soakFrames == 1'000'000L);
    REQUIRE(result.options.soakSeed == 42u);
    REQUIRE(result.options.soakRasteriseEvery == 25);
}

TEST_CASE("options: the soak's defaults are seed 1 and one rasterised frame in 50") {
    const ParseResult result = parse({"--headless", "--soak", "20000"});
    REQUIRE(result.error.empty());
    REQUIRE(result.options.soakSeed == 1u);
    REQUIRE(result.options.soakRasteriseEvery == 50);
    REQUIRE_FALSE(parse({"--headless"}).options.soakFrames.has_value());
}

TEST_CASE("options: soak values that are not whole numbers in range are refused with the rule") {
    REQUIRE(parse({"--headless", "--soak", "0"}).error ==
            "--soak must be a number of frames from 1 to 1000000000.");
    REQUIRE(parse({"--headless", "--soak", "-5"}).error ==
            "--soak must be a number of frames from 1 to 1000000000.");
    REQUIRE(parse({"--headless", "--soak", "1e6"}).error ==
            "--soak must be a number of frames from 1 to 1000000000.");
    REQUIRE(parse({"--headless", "--soak", "10", "--seed", "x"}).error == "--seed must be a whole number.");
    REQUIRE(parse({"--headless", "--soak", "10", "--rasterise-every", "0"}).error ==
            "--rasterise-every must be a number from 1 to 1000000.");
    REQUIRE(parse({"--headless", "--soak"}).error == "--soak needs a value.");
}

TEST_CASE("options: --soak needs --headless and cannot be combined with --script") {
    REQUIRE(parse({"--soak", "100"}).error == "--soak needs --headless.");
    REQUIRE(parse({"--headless", "--soak", "100", "--script", "a.txt"}).error ==
            "--soak and --script cannot be used together.");
}
