// Shared by the fuzz targets: splitting one input into several values, reading the repository's
// sample files once, and checks that stop the run with a message (libFuzzer and the replay
// driver both treat an abort as a failure and keep the input).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#define FUZZ_CHECK(condition)                                                                  \
    do {                                                                                       \
        if (!(condition)) {                                                                    \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                      \
        }                                                                                      \
    } while (false)

namespace kiosk::fuzz {

// The input cut at every separator byte; always at least one (possibly empty) piece. A separator
// rather than length prefixes keeps seed files readable and lets the fuzzer add or drop a piece
// with one byte.
inline std::vector<std::string> splitInput(const std::uint8_t* data, std::size_t size, char separator) {
    std::vector<std::string> pieces(1);
    for (std::size_t i = 0; i < size; ++i) {
        const char c = static_cast<char>(data[i]);
        if (c == separator) {
            pieces.emplace_back();
        } else {
            pieces.back() += c;
        }
    }
    return pieces;
}

// Pieces beyond the end read as empty, so a target never has to count them.
inline const std::string& piece(const std::vector<std::string>& pieces, std::size_t index) {
    static const std::string empty;
    return index < pieces.size() ? pieces[index] : empty;
}

inline std::uint8_t byteOf(const std::string& text, std::size_t index = 0) {
    return index < text.size() ? static_cast<std::uint8_t>(text[index]) : 0;
}

inline std::string readWholeFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        std::abort();
    }
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace kiosk::fuzz
