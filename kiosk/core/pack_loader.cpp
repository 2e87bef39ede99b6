// loadContentPack: reads manifest.json and the files it lists (from a directory or from memory),
// checks the pack as a whole (shapes, ids, references between files, gazetteer) and collects every
// problem found.
// Forms are read in form_loader.cpp; file reading and shape checks live in pack_reader.cpp.
#include <algorithm>
#include <set>
#include <unordered_map>

#include "kiosk/icon_names.h"
#include "pack_reader.h"

namespace kiosk {
namespace {

using pack::childPath;
using pack::excerpt;
using pack::FileChecker;
using pack::json;

// The service icons (kiosk/icon_names.h), as closestMatch and joinWords take them.
const std::vector<std::string> kIcons(kServiceIconNames.begin(), kServiceIconNames.end());

// One gazetteer with hundreds of thousands of rows can repeat the same mistake everywhere;
// after this many problems in one file the rest are counted, not listed.
constexpr std::size_t kMaxProblemsPerFile = 100;

bool isInsidePack(const std::string& relativePath) {
    if (relativePath.empty()) return false;
    const std::filesystem::path path(relativePath);
    if (path.is_absolute() || path.has_root_name() || path.has_root_directory()) return false;
    for (const auto& part : path) {
        if (part == "..") return false;
    }
    return true;
}

// Checks a path listed in the manifest; returns it when the file is there to read.
std::optional<std::string> listedFile(const pack::PackSource& source, const json& value,
                                      const std::string& path, FileChecker& manifest) {
    if (!value.is_string()) {
        manifest.problem(path, "A file name must be text, like \"forms/missed-bin.json\".");
        return std::nullopt;
    }
    const std::string name = value.get<std::string>();
    if (!isInsidePack(name)) {
        manifest.problem(
            path,
            "'" + excerpt(name) +
                "' is not a path inside the pack. Use a relative path, like \"forms/missed-bin.json\".");
        return std::nullopt;
    }
    if (!source.hasFile(name)) {
        manifest.problem(
            path,
            "The file '" + excerpt(name) +
                "' is listed here but is missing from the pack. Add the file or remove it from the list.");
        return std::nullopt;
    }
    return name;
}

struct ManifestFiles {
    std::optional<std::string> strings, services, gazetteer;
    std::vector<std::string> forms;
};

ManifestFiles readManifest(const json& root, const pack::PackSource& source, FileChecker& checker,
                           ContentPack& pack) {
    ManifestFiles files;
    if (!root.is_object()) {
        checker.problem("",
                        "manifest.json must hold one JSON object with \"packId\", \"version\", "
                        "\"languages\", \"councils\" and \"files\".");
        return files;
    }
    pack.packId = checker.string(root, "", "packId", true).value_or("");
    if (auto version = checker.integer(root, "", "version", true)) {
        if (*version < 1)
            checker.problem("/version", "\"version\" must be 1 or more, and go up with every new pack.");
        pack.version = *version;
    }
    pack.sample = checker.boolean(root, "", "sample", false).value_or(false);

    if (const json* languages = checker.array(root, "", "languages", true)) {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < languages->size(); ++i) {
            const std::string path = childPath("/languages", i);
            const json& item = (*languages)[i];
            if (!item.is_object()) {
                checker.problem(
                    path,
                    "Each language must be an object like {\"code\": \"pl\", \"nativeName\": \"Polski\"}.");
                continue;
            }
            Language language;
            language.code = checker.string(item, path, "code", true).value_or("");
            language.nativeName = checker.string(item, path, "nativeName", true).value_or("");
            if (!language.code.empty() && !seen.insert(language.code).second) {
                checker.problem(childPath(path, "code"), "Language '" + excerpt(language.code) +
                                                             "' is listed twice. Remove one of them.");
                continue;
            }
            pack.languages.push_back(std::move(language));
        }
        if (!seen.count(kFallbackLanguage)) {
            checker.problem("/languages",
                            "Add English ({\"code\": \"en\", \"nativeName\": \"English\"}): it is the "
                            "fallback for every other language.");
        }
    }

    // What volunteers record help with (staff screens, English only for now).
    if (const json* topics = checker.array(root, "", "helpTopics", false)) {
        for (std::size_t i = 0; i < topics->size(); ++i) {
            const std::string path = childPath("/helpTopics", i);
            const json& item = (*topics)[i];
            if (!item.is_object()) {
                checker.problem(path, "Each help topic must be an object with \"id\" and \"title\".");
                continue;
            }
            HelpTopic topic;
            topic.id = checker.string(item, path, "id", true).value_or("");
            topic.title = checker.string(item, path, "title", true).value_or("");
            if (!topic.id.empty() && !topic.title.empty()) pack.helpTopics.push_back(std::move(topic));
        }
    }

    if (const json* councils = checker.array(root, "", "councils", true)) {
        if (councils->empty())
            checker.problem("/councils", "Add at least one council, with \"id\" and \"name\".");
        std::unordered_map<std::string, std::size_t> seen;
        for (std::size_t i = 0; i < councils->size(); ++i) {
            const std::string path = childPath("/councils", i);
            const json& item = (*councils)[i];
            if (!item.is_object()) {
                checker.problem(path, "Each council must be an object with \"id\" and \"name\".");
                continue;
            }
            Council council;
            council.id = checker.string(item, path, "id", true).value_or("");
            council.name = checker.localText(item, path, "name", true);
            council.contact = checker.localText(item, path, "contact", false);
            council.trackingUrl = checker.string(item, path, "trackingUrl", false).value_or("");
            if (!council.id.empty()) {
                if (auto earlier = seen.find(council.id); earlier != seen.end()) {
                    checker.problem(childPath(path, "id"), "Duplicate council id '" + excerpt(council.id) +
                                                               "': also used at " +
                                                               childPath("/councils", earlier->second) +
                                                               ". Give each council its own id.");
                    continue;
                }
                seen[council.id] = i;
            }
            pack.councils.push_back(std::move(council));
        }
    }

    const json* list = checker.object(root, "", "files", true);
    if (!list) return files;
    const auto single = [&](const char* key, bool required) -> std::optional<std::string> {
        const std::string path = childPath("/files", key);
        if (!list->contains(key)) {
            if (required)
                checker.problem(path, std::string("Add the required field \"") + key + "\" (the file name).");
            return std::nullopt;
        }
        return listedFile(source, (*list)[key], path, checker);
    };
    files.strings = single("strings", false);
    files.services = single("services", true);
    files.gazetteer = single("gazetteer", false);
    if (const json* forms = checker.array(*list, "/files", "forms", true)) {
        for (std::size_t i = 0; i < forms->size(); ++i) {
            if (auto name = listedFile(source, (*forms)[i], childPath("/files/forms", i), checker)) {
                files.forms.push_back(*name);
            }
        }
    }
    return files;
}

void readStrings(const json& root, FileChecker& checker, ContentPack& pack) {
    if (!root.is_object()) {
        checker.problem("", "strings.json must hold one JSON object of key -> {\"en\": \"...\"}.");
        return;
    }
    for (const auto& [key, value] : root.items()) {
        pack.strings[key] = checker.localTextValue(value, childPath("", key));
    }
}

void readServices(const json& root, FileChecker& checker, ContentPack& pack) {
    if (!root.is_object()) {
        checker.problem("", "services.json must hold one JSON object: {\"services\": [...]}.");
        return;
    }
    const json* services = checker.array(root, "", "services", true);
    if (!services) return;
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < services->size(); ++i) {
        const std::string path = childPath("/services", i);
        const json& item = (*services)[i];
        if (!item.is_object()) {
            checker.problem(
                path,
                "Each service must be an object with \"id\", \"title\", \"icon\", \"council\" and \"form\".");
            continue;
        }
        Service service;
        service.id = checker.string(item, path, "id", true).value_or("");
        service.title = checker.localText(item, path, "title", true);
        service.description = checker.localText(item, path, "description", false);
        if (auto icon = checker.string(item, path, "icon", true)) {
            if (std::find(kIcons.begin(), kIcons.end(), *icon) == kIcons.end()) {
                std::string message = "Unknown icon '" + excerpt(*icon) + "'.";
                if (auto suggestion = pack::closestMatch(*icon, kIcons))
                    message += " Did you mean '" + *suggestion + "'?";
                checker.problem(childPath(path, "icon"),
                                message + " Use one of: " + pack::joinWords(kIcons) + ".");
            }
            service.icon = *icon;
        }
        if (const json* synonyms = checker.object(item, path, "synonyms", false)) {
            for (const auto& [language, words] : synonyms->items()) {
                const std::string wordsPath = childPath(childPath(path, "synonyms"), language);
                if (!words.is_array() ||
                    std::any_of(words.begin(), words.end(), [](const json& w) { return !w.is_string(); })) {
                    checker.problem(wordsPath,
                                    "Synonyms must be a list of words, like [\"rubbish\", \"refuse\"].");
                    continue;
                }
                service.synonyms[language] = words.get<std::vector<std::string>>();
            }
        }
        service.council = checker.string(item, path, "council", true).value_or("");
        if (!service.council.empty() && !pack.findCouncil(service.council)) {
            std::vector<std::string> ids;
            for (const auto& council : pack.councils) ids.push_back(council.id);
            checker.problem(childPath(path, "council"),
                            "Unknown council '" + excerpt(service.council) +
                                "'. Use one of the council ids in manifest.json: " + pack::joinWords(ids) +
                                ".");
        }
        service.destination = checker.string(item, path, "destination", false).value_or("kiosk-api");
        // Each destination type reads its own key; the adapter checks the contents when it seals.
        if (const json* settings = checker.object(item, path, "destinationSettings", false))
            service.destinationSettings = settings->dump();
        service.formId = checker.string(item, path, "form", true).value_or("");
        if (const json* start = checker.object(item, path, "startPage", false)) {
            const std::string startPath = childPath(path, "startPage");
            service.startPage.summary = checker.localText(*start, startPath, "summary", false);
            service.startPage.youWillNeed = checker.localText(*start, startPath, "youWillNeed", false);
            service.startPage.timeToComplete = checker.localText(*start, startPath, "timeToComplete", false);
            service.startPage.otherWays = checker.localText(*start, startPath, "otherWays", false);
        }
        if (!service.id.empty()) {
            if (auto earlier = seen.find(service.id); earlier != seen.end()) {
                checker.problem(childPath(path, "id"), "Duplicate service id '" + excerpt(service.id) +
                                                           "': also used at " +
                                                           childPath("/services", earlier->second) +
                                                           ". Give each service its own id.");
                continue;
            }
            seen[service.id] = i;
        }
        pack.services.push_back(std::move(service));
    }
}

// Service -> form references can only be checked once every form file has been read.
void checkServiceForms(const json& root, FileChecker& checker, const ContentPack& pack) {
    const json& services = root["services"];
    for (std::size_t i = 0; i < services.size(); ++i) {
        const json& item = services[i];
        if (!item.is_object() || !item.contains("form") || !item["form"].is_string()) continue;
        const std::string formId = item["form"].get<std::string>();
        if (!pack.findForm(formId)) {
            checker.problem(
                childPath(childPath("/services", i), "form"),
                "No form with id '" + excerpt(formId) +
                    "'. Add a form file with that id to files.forms in manifest.json, or fix the id.");
        }
    }
}

void readGazetteer(const json& root, FileChecker& checker, ContentPack& pack) {
    if (!root.is_object()) {
        checker.problem("", "gazetteer.json must hold one JSON object: {\"addresses\": [...]}.");
        return;
    }
    const json* addresses = checker.array(root, "", "addresses", true);
    if (!addresses) return;
    std::unordered_map<std::string, std::size_t> seen;
    seen.reserve(addresses->size());
    for (std::size_t i = 0; i < addresses->size(); ++i) {
        const std::string path = childPath("/addresses", i);
        const json& item = (*addresses)[i];
        if (!item.is_object()) {
            checker.problem(
                path, "Each address must be an object with \"uprn\", \"lines\", \"town\" and \"postcode\".");
            continue;
        }
        const std::size_t problemsBefore = checker.problemCount();
        Address address;
        address.uprn = checker.string(item, path, "uprn", true).value_or("");
        if (item.contains("uprn") && item["uprn"].is_string()) {
            const bool digits = !address.uprn.empty() && address.uprn.size() <= 12 &&
                                std::all_of(address.uprn.begin(), address.uprn.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
            if (!digits) {
                checker.problem(childPath(path, "uprn"),
                                "A UPRN is 1 to 12 digits, written as text, like \"200000000001\".");
            } else if (auto earlier = seen.find(address.uprn); earlier != seen.end()) {
                checker.problem(childPath(path, "uprn"), "Duplicate UPRN '" + address.uprn +
                                                             "': also used at " +
                                                             childPath("/addresses", earlier->second) +
                                                             ". Each address needs its own UPRN.");
            } else {
                seen.emplace(address.uprn, i);
            }
        }
        if (const json* lines = checker.array(item, path, "lines", true)) {
            for (std::size_t k = 0; k < lines->size(); ++k) {
                if (!(*lines)[k].is_string()) {
                    checker.problem(childPath(childPath(path, "lines"), k),
                                    "Each address line must be text.");
                    continue;
                }
                address.lines.push_back((*lines)[k].get<std::string>());
            }
            if (address.lines.empty() || address.lines.front().empty()) {
                checker.problem(childPath(path, "lines"),
                                "Add the first address line (building and street).");
            }
        }
        address.town = checker.string(item, path, "town", true).value_or("");
        if (auto postcode = checker.string(item, path, "postcode", true)) {
            if (auto normalised = normaliseUkPostcode(*postcode)) {
                address.postcode = *normalised;
            } else {
                checker.problem(
                    childPath(path, "postcode"),
                    "'" + excerpt(*postcode) +
                        "' is not shaped like a UK postcode. Use the full postcode, like \"ME14 1AA\".");
            }
        }
        if (auto latitude = checker.number(item, path, "latitude", false)) {
            if (*latitude < -90 || *latitude > 90)
                checker.problem(childPath(path, "latitude"), "Latitude must be between -90 and 90.");
            address.latitude = *latitude;
        }
        if (auto longitude = checker.number(item, path, "longitude", false)) {
            if (*longitude < -180 || *longitude > 180)
                checker.problem(childPath(path, "longitude"), "Longitude must be between -180 and 180.");
            address.longitude = *longitude;
        }
        if (checker.problemCount() == problemsBefore) pack.gazetteer.add(std::move(address));
    }
}

// Keeps the first kMaxProblemsPerFile problems of each file and summarises the rest.
void limitProblemsPerFile(std::vector<PackProblem>& problems) {
    std::unordered_map<std::string, std::size_t> counts;
    std::vector<PackProblem> kept;
    for (auto& problem : problems) {
        if (++counts[problem.file] <= kMaxProblemsPerFile) kept.push_back(std::move(problem));
    }
    for (const auto& [file, count] : counts) {
        if (count > kMaxProblemsPerFile) {
            kept.push_back(PackProblem{
                file, "",
                std::to_string(count - kMaxProblemsPerFile) +
                    " more problems in this file are not listed. Fix the ones above and check again."});
        }
    }
    problems = std::move(kept);
}

void loadInto(const pack::PackSource& source, ContentPack& pack, std::vector<PackProblem>& problems) {
    const auto manifestJson = pack::readJsonFile(source, "manifest.json", problems);
    if (!manifestJson) return;
    FileChecker manifest("manifest.json", problems);
    const ManifestFiles files = readManifest(*manifestJson, source, manifest, pack);

    if (files.strings) {
        if (auto root = pack::readJsonFile(source, *files.strings, problems)) {
            FileChecker checker(*files.strings, problems);
            readStrings(*root, checker, pack);
        }
    }
    std::unordered_map<std::string, std::string> formFileById;
    for (const auto& file : files.forms) {
        auto root = pack::readJsonFile(source, file, problems);
        if (!root) continue;
        FileChecker checker(file, problems);
        auto form = pack::readForm(*root, checker);
        if (!form || form->id.empty()) continue;
        if (auto earlier = formFileById.find(form->id); earlier != formFileById.end()) {
            checker.problem("/id", "Duplicate form id '" + excerpt(form->id) + "': also used by " +
                                       earlier->second + ". Give each form its own id.");
            continue;
        }
        formFileById[form->id] = file;
        pack.forms.emplace(form->id, std::move(*form));
    }
    if (files.services) {
        if (auto root = pack::readJsonFile(source, *files.services, problems)) {
            FileChecker checker(*files.services, problems);
            readServices(*root, checker, pack);
            if (root->is_object() && root->contains("services") && (*root)["services"].is_array()) {
                checkServiceForms(*root, checker, pack);
            }
        }
    }
    if (files.gazetteer) {
        if (auto root = pack::readJsonFile(source, *files.gazetteer, problems)) {
            FileChecker checker(*files.gazetteer, problems);
            readGazetteer(*root, checker, pack);
        }
    }
}

PackLoadResult loadFrom(const pack::PackSource& source) {
    PackLoadResult result;
    // Nothing may escape: a broken pack is reported, never a crash in the kiosk or kioskctl.
    try {
        ContentPack pack;
        loadInto(source, pack, result.problems);
        limitProblemsPerFile(result.problems);
        if (result.problems.empty()) result.pack = std::move(pack);
    } catch (const std::bad_alloc&) {
        result.pack.reset();
        result.problems.push_back(
            PackProblem{"", "", "The pack is too big to load into memory. Make its files smaller."});
    } catch (const std::exception& error) {
        result.pack.reset();
        result.problems.push_back(PackProblem{"", "",
                                              std::string("The pack could not be read (") + error.what() +
                                                  "). Check the files and try again."});
    } catch (...) {
        result.pack.reset();
        result.problems.push_back(
            PackProblem{"", "", "The pack could not be read. Check the files and try again."});
    }
    return result;
}

}  // namespace

PackLoadResult loadContentPack(const std::filesystem::path& directory) {
    return loadFrom(pack::DirectoryPackSource(directory));
}

PackLoadResult loadContentPack(const PackFiles& files) {
    return loadFrom(pack::MemoryPackSource(files));
}

}  // namespace kiosk
