// wipeString: the bytes of a shortened or replaced answer are zeroed, not just forgotten.
#include <algorithm>
#include <catch2/catch.hpp>

#include "kiosk/secure_wipe.h"

TEST_CASE("Wiping a string zeroes its whole buffer, including characters past its length", "[wipe]") {
    std::string text = "07700 900 982 and a longer secret answer";
    text.resize(5);  // the tail is still in the buffer
    const char* buffer = text.data();
    const std::size_t capacity = text.capacity();
    kiosk::wipeString(text);
    CHECK(text.empty());
    REQUIRE(text.data() == buffer);  // same buffer, so it can be inspected
    CHECK(std::all_of(buffer, buffer + capacity, [](char c) { return c == '\0'; }));
}
