// Reading one pack file defensively (size, UTF-8, nesting depth, JSON syntax) and the
// FileChecker that checks JSON shapes while collecting every problem with its JSON path.
#include "pack_reader.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <limits>

namespace kiosk::pack {
namespace {

// Finds the first place where brackets nest deeper than the limit, ignoring brackets in strings.
std::optional<std::size_t> findExcessiveNesting(const std::string& bytes, int limit) {
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return i;
        } else if (c == ']' || c == '}') {
            depth = std::max(0, depth - 1);
        }
    }
    return std::nullopt;
}

// nlohmann's messages look like "[json.exception.parse_error.101] parse error at line 2,
// column 7: syntax error while parsing value - unexpected '}'; expected ...; last read: '...'".
// Keep only the human part; "last read" may quote the broken bytes themselves.
std::string parseErrorReason(const std::string& what) {
    std::string reason = what;
    if (auto column = reason.find("column "); column != std::string::npos) {
        if (auto colon = reason.find(": ", column); colon != std::string::npos)
            reason = reason.substr(colon + 2);
    }
    if (auto lastRead = reason.find("; last read"); lastRead != std::string::npos) reason.resize(lastRead);
    if (auto dash = reason.find(" - "); dash != std::string::npos) reason = reason.substr(dash + 3);
    if (findInvalidUtf8(reason)) return "unexpected text";
    return reason;
}

std::string typeDescription(const json& value) {
    switch (value.type()) {
        case json::value_t::string:
            return "text";
        case json::value_t::boolean:
            return "true/false";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float:
            return "a number";
        case json::value_t::array:
            return "a list";
        case json::value_t::object:
            return "an object";
        case json::value_t::null:
            return "null";
        default:
            return "something else";
    }
}

std::size_t editDistance(const std::string& a, const std::string& b) {
    // Optimal string alignment distance: a swapped pair of letters ("lable") counts as one edit.
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const auto lower = [](char c) {
                return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            };
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

std::string missingFileMessage(const std::string& relativePath) {
    return "The file is missing. Add " + relativePath + " to the pack.";
}

std::string tooBigMessage(std::uintmax_t size) {
    return "The file is " + std::to_string(size / (1024 * 1024)) + " MB; the limit is " +
           std::to_string(kMaxFileBytes / (1024 * 1024)) +
           " MB. Remove what the kiosk does not need or split the data.";
}

constexpr std::size_t kMaxTypoDistance = 2;

constexpr const char* kUnreadableMessage = "The file cannot be read. Check that it exists and can be opened.";

std::string normalisedPath(const std::string& relativePath) {
    return std::filesystem::path(relativePath).lexically_normal().generic_string();
}

}  // namespace

TextPosition positionOf(const std::string& bytes, std::size_t offset) {
    TextPosition position;
    const std::size_t end = std::min(offset, bytes.size());
    for (std::size_t i = 0; i < end; ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        if (byte == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((byte & 0xC0) != 0x80) {  // count characters, not continuation bytes
            ++position.column;
        }
    }
    return position;
}

std::optional<std::size_t> findInvalidUtf8(const std::string& bytes) {
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t size = bytes.size();
    std::size_t i = 0;
    while (i < size) {
        const unsigned char lead = data[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) low = 0xA0;   // overlong
            if (lead == 0xED) high = 0x9F;  // UTF-16 surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) low = 0x90;   // overlong
            if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
        } else {
            return i;
        }
        if (i + length > size) return i;
        if (data[i + 1] < low || data[i + 1] > high) return i;
        for (std::size_t k = 2; k < length; ++k) {
            if ((data[i + k] & 0xC0) != 0x80) return i;
        }
        i += length;
    }
    return std::nullopt;
}

bool DirectoryPackSource::hasFile(const std::string& relativePath) const {
    std::error_code error;
    return std::filesystem::is_regular_file(directory_ / relativePath, error);
}

Result<std::string> DirectoryPackSource::readFile(const std::string& relativePath) const {
    const std::filesystem::path path = directory_ / relativePath;
    if (!hasFile(relativePath)) return Error{ErrorCode::Missing, missingFileMessage(relativePath)};
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error) return Error{ErrorCode::Unreadable, kUnreadableMessage};
    if (size > kMaxFileBytes) return Error{ErrorCode::TooBig, tooBigMessage(size)};
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{ErrorCode::Unreadable, kUnreadableMessage};
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

MemoryPackSource::MemoryPackSource(const PackFiles& files) {
    for (const auto& [path, bytes] : files) files_.emplace(normalisedPath(path), &bytes);
}

bool MemoryPackSource::hasFile(const std::string& relativePath) const {
    return files_.count(normalisedPath(relativePath)) > 0;
}

Result<std::string> MemoryPackSource::readFile(const std::string& relativePath) const {
    const auto found = files_.find(normalisedPath(relativePath));
    if (found == files_.end()) return Error{ErrorCode::Missing, missingFileMessage(relativePath)};
    if (found->second->size() > kMaxFileBytes)
        return Error{ErrorCode::TooBig, tooBigMessage(found->second->size())};
    return *found->second;
}

std::optional<json> readJsonFile(const PackSource& source, const std::string& relativePath,
                                 std::vector<PackProblem>& problems) {
    const auto report = [&](const std::string& message) {
        problems.push_back(PackProblem{relativePath, "", message});
        return std::nullopt;
    };
    auto read = source.readFile(relativePath);
    if (!read) return report(read.error().message);
    const std::string& bytes = read.value();

    if (auto bad = findInvalidUtf8(bytes)) {
        const auto at = positionOf(bytes, *bad);
        return report("Line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
                      " has bytes that are not UTF-8 text. Save the file with UTF-8 encoding.");
    }
    if (auto deep = findExcessiveNesting(bytes, kMaxNestingDepth)) {
        const auto at = positionOf(bytes, *deep);
        return report("Lists and objects are nested more than " + std::to_string(kMaxNestingDepth) +
                      " levels deep at line " + std::to_string(at.line) + ", column " +
                      std::to_string(at.column) + ". Check the brackets in the file.");
    }
    try {
        return json::parse(bytes);
    } catch (const json::parse_error& e) {
        // e.byte counts bytes read, so the offending byte is the one before it.
        const auto at = positionOf(bytes, e.byte > 0 ? e.byte - 1 : 0);
        return report("This is not well-formed JSON at line " + std::to_string(at.line) + ", column " +
                      std::to_string(at.column) + ": " + parseErrorReason(e.what()) +
                      ". Check for a missing comma, quote or bracket near there.");
    } catch (const std::exception&) {
        return report("The file could not be read as JSON. Check that it is a JSON text file.");
    }
}

std::string excerpt(const std::string& text) {
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool startsCharacter = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
        if (startsCharacter && ++characters > kMaxQuotedCharacters) return text.substr(0, i) + "...";
    }
    return text;
}

std::string childPath(const std::string& parent, const std::string& key) {
    std::string escaped;
    for (char c : excerpt(key)) {
        if (c == '~') {
            escaped += "~0";
        } else if (c == '/') {
            escaped += "~1";
        } else {
            escaped += c;
        }
    }
    return parent + "/" + escaped;
}

std::string childPath(const std::string& parent, std::size_t index) {
    return parent + "/" + std::to_string(index);
}

std::optional<std::string> closestMatch(const std::string& word, const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    std::size_t bestDistance = std::numeric_limits<std::size_t>::max();
    for (const auto& candidate : candidates) {
        // The distance is at least the difference in length, so a word that long cannot be a typo
        // of this candidate; skipping it also keeps a megabyte-long key from costing a table of
        // millions of rows.
        const std::size_t lengthDifference =
            word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
        if (lengthDifference > kMaxTypoDistance) continue;
        const std::size_t distance = editDistance(word, candidate);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = candidate;
        }
    }
    // Close enough to be a typo, not just another short word.
    if (best && bestDistance <= kMaxTypoDistance && bestDistance * 3 <= std::max(word.size(), best->size()))
        return best;
    return std::nullopt;
}

std::string joinWords(const std::vector<std::string>& words, const char* separator) {
    std::string joined;
    for (std::size_t i = 0; i < words.size() && i < kMaxListedWords; ++i) {
        if (i > 0) joined += separator;
        joined += excerpt(words[i]);
    }
    if (words.size() > kMaxListedWords)
        joined += std::string(separator) + "and " + std::to_string(words.size() - kMaxListedWords) + " more";
    return joined;
}

void FileChecker::problem(const std::string& path, const std::string& message) {
    problems_.push_back(PackProblem{file_, path, message});
}

const json* FileChecker::member(const json& parent, const std::string& path, const char* key, bool required,
                                const char* expected) {
    if (!parent.is_object()) return nullptr;
    const auto found = parent.find(key);
    if (found == parent.end()) {
        if (required)
            problem(childPath(path, key),
                    std::string("Add the required field \"") + key + "\" (" + expected + ").");
        return nullptr;
    }
    return &*found;
}

const json* FileChecker::object(const json& parent, const std::string& path, const char* key, bool required) {
    const json* value = member(parent, path, key, required, "an object");
    if (value && !value->is_object()) {
        problem(childPath(path, key),
                std::string("\"") + key + "\" must be an object, not " + typeDescription(*value) + ".");
        return nullptr;
    }
    return value;
}

const json* FileChecker::array(const json& parent, const std::string& path, const char* key, bool required) {
    const json* value = member(parent, path, key, required, "a list");
    if (value && !value->is_array()) {
        problem(childPath(path, key),
                std::string("\"") + key + "\" must be a list, not " + typeDescription(*value) + ".");
        return nullptr;
    }
    return value;
}

std::optional<std::string> FileChecker::string(const json& parent, const std::string& path, const char* key,
                                               bool required) {
    const json* value = member(parent, path, key, required, "text");
    if (!value) return std::nullopt;
    if (!value->is_string()) {
        problem(childPath(path, key),
                std::string("\"") + key + "\" must be text, not " + typeDescription(*value) + ".");
        return std::nullopt;
    }
    return value->get<std::string>();
}

std::optional<std::int64_t> FileChecker::integer(const json& parent, const std::string& path, const char* key,
                                                 bool required) {
    const json* value = member(parent, path, key, required, "a whole number");
    if (!value) return std::nullopt;
    if (value->is_number_unsigned() &&
        value->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        problem(childPath(path, key), std::string("\"") + key + "\" is too big. Use a smaller whole number.");
        return std::nullopt;
    }
    if (!value->is_number_integer()) {
        problem(childPath(path, key),
                std::string("\"") + key + "\" must be a whole number, not " +
                    (value->is_number() ? std::string("a decimal") : typeDescription(*value)) + ".");
        return std::nullopt;
    }
    return value->get<std::int64_t>();
}

std::optional<double> FileChecker::number(const json& parent, const std::string& path, const char* key,
                                          bool required) {
    const json* value = member(parent, path, key, required, "a number");
    if (!value) return std::nullopt;
    if (!value->is_number()) {
        problem(childPath(path, key),
                std::string("\"") + key + "\" must be a number, not " + typeDescription(*value) + ".");
        return std::nullopt;
    }
    return value->get<double>();
}

std::optional<bool> FileChecker::boolean(const json& parent, const std::string& path, const char* key,
                                         bool required) {
    const json* value = member(parent, path, key, required, "true or false");
    if (!value) return std::nullopt;
    if (!value->is_boolean()) {
        problem(childPath(path, key),
                std::string("\"") + key + "\" must be true or false, not " + typeDescription(*value) + ".");
        return std::nullopt;
    }
    return value->get<bool>();
}

LocalText FileChecker::localText(const json& parent, const std::string& path, const char* key,
                                 bool required) {
    const json* value =
        member(parent, path, key, required, "text in each language, at least {\"en\": \"...\"}");
    if (!value) return {};
    return localTextValue(*value, childPath(path, key));
}

LocalText FileChecker::localTextValue(const json& value, const std::string& path) {
    LocalText text;
    if (!value.is_object()) {
        problem(path, "Text must be an object of language codes, like {\"en\": \"...\"}, not " +
                          typeDescription(value) + ".");
        return text;
    }
    for (const auto& [language, words] : value.items()) {
        if (!words.is_string()) {
            problem(childPath(path, language), "The \"" + excerpt(language) + "\" text must be text, not " +
                                                   typeDescription(words) + ".");
            continue;
        }
        text.byLanguage[language] = words.get<std::string>();
    }
    const auto english = text.byLanguage.find(kFallbackLanguage);
    if (english == text.byLanguage.end() || english->second.empty()) {
        problem(path, "English text is missing. Add \"en\": English is shown when a language has no text.");
    }
    return text;
}

void FileChecker::unknownKeys(const json& object, const std::string& path, const char* what,
                              const std::vector<std::string>& allowed) {
    if (!object.is_object()) return;
    for (const auto& item : object.items()) {
        const std::string& key = item.key();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::string message = "Unknown field \"" + excerpt(key) + "\" in " + what + ".";
        if (auto suggestion = closestMatch(key, allowed)) {
            message += " Did you mean \"" + *suggestion + "\"?";
        } else {
            message += " Fields allowed: " + joinWords(allowed) + ".";
        }
        problem(childPath(path, key), message);
    }
}

}  // namespace kiosk::pack
