// Internal to kiosk_core: reading one pack file safely and checking its JSON shape while
// collecting problems. Used by the pack and form loaders; not part of the public headers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/content.h"
#include "kiosk/result.h"

namespace kiosk::pack {

using nlohmann::json;

// Limits that keep a hostile or corrupt file from exhausting memory or the stack: nlohmann's
// parser recurses once per nesting level, so depth is checked on the raw bytes before parsing.
inline constexpr std::uintmax_t kMaxFileBytes = 50u * 1024u * 1024u;
inline constexpr int kMaxNestingDepth = 64;

// Where a pack's files come from. Paths are relative to the pack root and have already been
// checked to stay inside it. Errors carry the sentence an admin sees for that file.
class PackSource {
public:
    virtual ~PackSource() = default;
    virtual bool hasFile(const std::string& relativePath) const = 0;
    // The whole file, or an error when it is missing, unreadable or over kMaxFileBytes (checked
    // before reading, so a huge file is never loaded).
    virtual Result<std::string> readFile(const std::string& relativePath) const = 0;
};

class DirectoryPackSource final : public PackSource {
public:
    explicit DirectoryPackSource(std::filesystem::path directory) : directory_(std::move(directory)) {}
    bool hasFile(const std::string& relativePath) const override;
    Result<std::string> readFile(const std::string& relativePath) const override;

private:
    std::filesystem::path directory_;
};

// Files already in memory. Paths are compared after lexical normalisation, as a directory
// would resolve them ("./forms/a.json" is "forms/a.json").
class MemoryPackSource final : public PackSource {
public:
    explicit MemoryPackSource(const PackFiles& files);
    bool hasFile(const std::string& relativePath) const override;
    Result<std::string> readFile(const std::string& relativePath) const override;

private:
    std::map<std::string, const std::string*> files_;
};

// Reads and parses a file, adding a problem (and returning nullopt) when it is missing, too big,
// not UTF-8, nested too deeply or not JSON.
std::optional<json> readJsonFile(const PackSource& source, const std::string& relativePath,
                                 std::vector<PackProblem>& problems);

// Byte offset -> 1-based line and column, for messages about raw file content.
struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};
TextPosition positionOf(const std::string& bytes, std::size_t offset);

// Returns the offset of the first byte that breaks UTF-8, or nullopt when the text is clean.
std::optional<std::size_t> findInvalidUtf8(const std::string& bytes);

// A pack's own text quoted in a problem: at most kMaxQuotedCharacters characters, cut between
// characters and ending in "...", so a megabyte-long id or key still gives a one-line problem.
inline constexpr std::size_t kMaxQuotedCharacters = 60;
std::string excerpt(const std::string& text);

// "/pages" + 2 -> "/pages/2"; "/strings" + "a/b" -> "/strings/a~1b" (JSON Pointer escaping).
// A key is quoted with excerpt().
std::string childPath(const std::string& parent, const std::string& key);
std::string childPath(const std::string& parent, std::size_t index);

// The closest candidate by edit distance when it is close enough to be a likely typo.
std::optional<std::string> closestMatch(const std::string& word, const std::vector<std::string>& candidates);

// "a, b, c"; each word quoted with excerpt(), and a list longer than kMaxListedWords ends in
// "and N more" (lists of ids can come from a hostile pack).
inline constexpr std::size_t kMaxListedWords = 20;
std::string joinWords(const std::vector<std::string>& words, const char* separator = ", ");

// Checks one file's JSON values and records problems against that file.
class FileChecker {
public:
    FileChecker(std::string file, std::vector<PackProblem>& problems)
        : file_(std::move(file)), problems_(problems) {}

    void problem(const std::string& path, const std::string& message);
    const std::string& file() const { return file_; }
    std::size_t problemCount() const { return problems_.size(); }

    // Each returns nullopt (after recording a problem) when the field is missing but required,
    // or present with the wrong type. A missing optional field gives nullopt silently.
    const json* object(const json& parent, const std::string& path, const char* key, bool required);
    const json* array(const json& parent, const std::string& path, const char* key, bool required);
    std::optional<std::string> string(const json& parent, const std::string& path, const char* key,
                                      bool required);
    std::optional<std::int64_t> integer(const json& parent, const std::string& path, const char* key,
                                        bool required);
    std::optional<double> number(const json& parent, const std::string& path, const char* key, bool required);
    std::optional<bool> boolean(const json& parent, const std::string& path, const char* key, bool required);
    // Localised text: an object of language -> string with English present.
    LocalText localText(const json& parent, const std::string& path, const char* key, bool required);
    LocalText localTextValue(const json& value, const std::string& path);

    // Reports keys that are not in `allowed`, naming the closest allowed key as a likely typo.
    void unknownKeys(const json& object, const std::string& path, const char* what,
                     const std::vector<std::string>& allowed);

private:
    const json* member(const json& parent, const std::string& path, const char* key, bool required,
                       const char* expected);

    std::string file_;
    std::vector<PackProblem>& problems_;
};

// Reads one form file (form_loader.cpp). Problems inside the form are recorded; the form is
// still returned so that references to it can be checked too.
std::optional<Form> readForm(const json& root, FileChecker& checker);

}  // namespace kiosk::pack
