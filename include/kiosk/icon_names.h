// The icons a content pack may give a service (services.json "icon"), listed once: the pack
// loader accepts exactly these, the UI has one drawing for each (kiosk/ui/icons.cpp), and a test
// holds assets/schema/content-pack.schema.json's enum equal to this list.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace kiosk {

inline constexpr std::array<std::string_view, 12> kServiceIconNames = {
    "bin",         "recycling", "fly-tipping", "bulky-waste",  "house",   "moving",
    "council-tax", "housing",   "pothole",     "street-light", "parking", "info",
};

// Where `name` is in kServiceIconNames; nothing for a name that is not a service icon.
constexpr std::optional<std::size_t> serviceIconIndex(std::string_view name) {
    for (std::size_t i = 0; i < kServiceIconNames.size(); ++i)
        if (kServiceIconNames[i] == name) return i;
    return std::nullopt;
}

}  // namespace kiosk
