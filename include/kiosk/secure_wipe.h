// Wiping personal data from memory: what a resident typed must not linger in freed buffers
// for the next resident, a crash dump or swap to find.
#pragma once

#include <string>

namespace kiosk {

// Zeroes the whole buffer, not just the characters in use, so a longer earlier value that was
// shortened leaves nothing behind either; then empties the string.
void wipeString(std::string& text);

}  // namespace kiosk
