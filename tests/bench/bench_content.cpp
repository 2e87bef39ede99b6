// kiosk-bench: content pack load time, service search and postcode lookup with a large pack.
// The pack is generated from the sample pack: its strings and forms, 200 services made from its
// five, and a gazetteer of 100,000 invented addresses (UPRNs start with 9, like the sample's).
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "bench.h"
#include "bench_support.h"
#include "kiosk/content.h"

namespace kiosk::bench {
namespace {

using nlohmann::json;

constexpr const char* kTopics[] = {
    "potholes",       "street lights",  "parking permits", "council tax",    "garden waste",
    "noise",          "dog fouling",    "graffiti",        "school places",  "library cards",
    "blue badges",    "bus passes",     "planning",        "trees",          "flooding",
    "pest control",   "abandoned cars", "housing repairs", "benefits",       "licences",
    "food hygiene",   "public toilets", "allotments",      "elections",      "births",
    "deaths",         "marriages",      "care at home",    "adult learning", "youth clubs",
    "recycling bins", "clinical waste", "bulky items",     "road closures",  "gritting",
    "footpaths",      "playgrounds",    "parks",           "markets",        "business rates",
};
constexpr const char* kAreas[] = {"Oakhurst", "Hazelden", "Kestrel Green", "Millbrook", "Foxley Heath"};
constexpr const char* kStreets[] = {"Acorn Way",      "Kingfisher Close", "Hawthorn Avenue",  "Bluebell Lane",
                                    "Chestnut Drive", "Heron Way",        "Meadowsweet Road", "Larkspur Road",
                                    "Primrose Walk",  "Rowan Crescent",   "Sorrel Way",       "Teasel Close"};
// Letters Royal Mail allows in the last two places of an inward code.
constexpr const char kInwardLetters[] = "ABDEFGHJLNPQRSTUWXYZ";
constexpr int kAddressesPerPostcode = 20;

std::string postcodeFor(int index) {
    // 20 districts x 10 sectors x 400 letter pairs: far more postcodes than any district needs.
    const int district = index / 4000 % 20 + 1;
    const int sector = index / 400 % 10;
    const int letters = index % 400;
    return "ME" + std::to_string(district) + " " + std::to_string(sector) + kInwardLetters[letters / 20] +
           kInwardLetters[letters % 20];
}

void copyFile(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::filesystem::create_directories(to.parent_path());
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
}

// Returns the size of the pack's files in bytes.
std::uintmax_t generatePack(const std::filesystem::path& sample, const std::filesystem::path& pack,
                            int services, int addresses) {
    std::filesystem::remove_all(pack);
    copyFile(sample / "manifest.json", pack / "manifest.json");
    copyFile(sample / "strings.json", pack / "strings.json");
    for (const auto& form : std::filesystem::directory_iterator(sample / "forms"))
        copyFile(form.path(), pack / "forms" / form.path().filename());

    const json base = json::parse(readTextFile(sample / "services.json")).at("services");
    json list = json::array();
    for (int i = 0; i < services; ++i) {
        json service = base.at(static_cast<std::size_t>(i) % base.size());
        if (i >= static_cast<int>(base.size())) {
            const std::string topic = kTopics[i % std::size(kTopics)];
            const std::string area = kAreas[i / std::size(kTopics) % std::size(kAreas)];
            service["id"] = service["id"].get<std::string>() + "-" + std::to_string(i);
            service["title"]["en"] = "Ask about " + topic + " in " + area;
            service["synonyms"]["en"].push_back(topic);
            service["synonyms"]["en"].push_back(area);
        }
        list.push_back(std::move(service));
    }
    writeTextFile(pack / "services.json", json{{"services", list}}.dump(1) + "\n");

    std::string gazetteer = "{\"sample\": true,\n \"addresses\": [\n";
    gazetteer.reserve(static_cast<std::size_t>(addresses) * 190);
    for (int i = 0; i < addresses; ++i) {
        const int postcode = i / kAddressesPerPostcode;
        const json address = {
            {"uprn", std::to_string(900000000001LL + i)},
            {"lines",
             {std::to_string(i % kAddressesPerPostcode + 1) + " " + kStreets[postcode % std::size(kStreets)],
              kAreas[postcode % std::size(kAreas)]}},
            {"town", "Maidstone"},
            {"postcode", postcodeFor(postcode)},
            {"latitude", 51.2 + (i % 1000) * 0.0001},
            {"longitude", 0.5 + (i % 997) * 0.0001},
        };
        gazetteer += (i ? ",\n  " : "  ") + address.dump();
    }
    gazetteer += "\n]}\n";
    writeTextFile(pack / "gazetteer.json", gazetteer);

    std::uintmax_t bytes = 0;
    for (const auto& file : std::filesystem::recursive_directory_iterator(pack))
        if (file.is_regular_file()) bytes += file.file_size();
    return bytes;
}

double threadCpuMillis() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

Figure contentFigure(std::string key, std::string label, double value, std::optional<double> target,
                     std::string note = "") {
    Figure result;
    result.key = std::move(key);
    result.label = std::move(label);
    result.value = value;
    result.unit = "ms";
    result.target = target;
    result.note = std::move(note);
    return result;
}

}  // namespace

void benchContent(const BenchOptions& options, std::vector<Figure>& figures) {
    const int addresses = options.quick ? 2'000 : 100'000;
    const int services = 200;
    const auto packDirectory = options.workDirectory / "large-pack";
    const std::uintmax_t bytes = generatePack(options.samplePack, packDirectory, services, addresses);

    std::vector<double> loadMillis;
    std::optional<ContentPack> pack;
    for (int run = 0; run < (options.quick ? 1 : 3); ++run) {
        const auto start = Clock::now();
        PackLoadResult loaded = loadContentPack(packDirectory);
        loadMillis.push_back(millisSince(start));
        if (!loaded.problems.empty() || !loaded.pack)
            throw std::runtime_error(
                "the generated pack does not load: " +
                (loaded.problems.empty() ? std::string("no pack") : describe(loaded.problems[0])));
        pack = std::move(loaded.pack);
    }
    if (pack->services.size() != static_cast<std::size_t>(services) ||
        pack->gazetteer.size() != static_cast<std::size_t>(addresses))
        throw std::runtime_error("the generated pack lost services or addresses");
    char note[120];
    std::snprintf(note, sizeof note, "%d services, %d addresses, %.1f MB of JSON", services, addresses,
                  static_cast<double>(bytes) / 1e6);
    figures.push_back(
        contentFigure("content.pack_load_ms", "content pack load", median(loadMillis), std::nullopt, note));

    // What residents type: single words, phrases, words in their own language, typos, nothing.
    const std::vector<std::pair<std::string, std::string>> queries = {
        {"bin", "en"},
        {"missed bin collection", "en"},
        {"council tax", "en"},
        {"housing", "en"},
        {"rubbish tip", "en"},
        {"street lights broken", "en"},
        {"parking", "en"},
        {"moving house", "en"},
        {"xylophone", "en"},
        {"Report a missed bin collection in Oakhurst", "en"},
        {"śmieci", "pl"},
        {"gunoi", "ro"},
        {"फोहोर", "ne"},
        {"mieszkanie", "pl"},
        {"a", "en"},
        {"dog", "en"},
        {"flooding Millbrook", "en"},
        {"council", "ro"},
        {"benefits help", "pl"},
    };
    std::mt19937 random(7);
    const int lookups = options.quick ? 300 : 20'000;
    std::vector<double> searchMillis, searchCpuMillis;
    std::size_t found = 0;
    for (int i = 0; i < lookups; ++i) {
        const auto& [query, language] = queries[random() % queries.size()];
        const double cpuStart = threadCpuMillis();
        const auto start = Clock::now();
        const auto results = searchServices(*pack, query, language);
        searchMillis.push_back(millisSince(start));
        searchCpuMillis.push_back(threadCpuMillis() - cpuStart);
        found += results.size();
    }
    const Summary search = summarise(searchMillis);
    const Summary searchCpu = summarise(searchCpuMillis);
    figures.push_back(contentFigure("content.search_p50_ms", "service search p50", search.p50, std::nullopt));
    figures.push_back(contentFigure("content.search_p99_ms", "service search p99", search.p99, 5,
                                    std::to_string(lookups) + " searches over " + std::to_string(services) +
                                        " services, max " + std::to_string(search.max).substr(0, 5) + " ms"));
    figures.push_back(contentFigure("content.search_cpu_p99_ms", "  its CPU time p99 (no waiting for a core)",
                                    searchCpu.p99, std::nullopt));

    // Postcodes as typed: any case and spacing, some with no addresses, some not postcodes.
    const int postcodes = addresses / kAddressesPerPostcode;
    std::vector<double> lookupMillis;
    std::size_t addressesFound = 0;
    for (int i = 0; i < lookups; ++i) {
        std::string typed = postcodeFor(static_cast<int>(random() % static_cast<unsigned>(postcodes)));
        switch (i % 10) {
            case 0:
                typed = postcodeFor(postcodes + i);
                break;  // a real shape, nothing there
            case 1:
                typed = "ME" + std::to_string(i % 100) + "!";
                break;  // not a postcode
            case 2:
                typed.erase(typed.find(' '), 1);
                break;
            case 3:
                for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                break;
            default:
                break;
        }
        const auto start = Clock::now();
        const auto matches = pack->gazetteer.lookup(typed);
        lookupMillis.push_back(millisSince(start));
        addressesFound += matches.size();
    }
    if (addressesFound == 0 || found == 0) throw std::runtime_error("searches and lookups found nothing");
    const Summary lookup = summarise(lookupMillis);
    figures.push_back(
        contentFigure("content.postcode_p50_ms", "postcode lookup p50", lookup.p50, std::nullopt));
    figures.push_back(contentFigure(
        "content.postcode_p99_ms", "postcode lookup p99", lookup.p99, 5,
        std::to_string(lookups) + " lookups among " + std::to_string(addresses) + " addresses"));
}

}  // namespace kiosk::bench
