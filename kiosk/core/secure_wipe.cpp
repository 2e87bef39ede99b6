// wipeString over sodium_memzero, which the compiler may not optimise away as it may a memset.
#include "kiosk/secure_wipe.h"

#include <sodium.h>

namespace kiosk {

void wipeString(std::string& text) {
    text.resize(text.capacity());
    sodium_memzero(text.data(), text.size());
    text.clear();
}

}  // namespace kiosk
