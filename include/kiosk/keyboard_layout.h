// The on-screen keyboard's layouts and what each key does to the text being typed, with no
// drawing: kiosk mode has no system keyboard, so the kiosk brings its own (DESIGN.md section 3).
// kiosk/ui/onscreen_keyboard.h draws a KeyboardLayout; this file decides which keys it has.
//
// Nothing here remembers earlier input: no prediction, no learned words, no history. The next
// resident must not be offered the last one's name, so every function works only on what it is
// given.
#pragma once

#include <string>
#include <vector>

namespace kiosk {

// Number, Phone and Date get the large numeric pad; Text and Email get letters.
enum class KeyboardMode { Text, Email, Number, Phone, Date };

// QWERTY for people who know a keyboard; A to Z for people who have never used one.
enum class LetterOrder { Qwerty, Alphabetical };

enum class KeyAction {
    Type,    // types Key::text
    Shift,   // one-shot capitals
    Delete,  // removes the last character
    Space,
    Done,           // closes the keyboard
    ToggleOrder,    // QWERTY <-> A to Z
    ToggleNumbers,  // letters <-> numbers and symbols
    ToggleAccents,  // shows or hides the special letters row
    Blank,          // an empty place that keeps the numeric pad's columns straight; not a key
};

// Catalogue keys for the labels of action keys. Character keys show the character itself.
namespace keyboard_labels {
inline constexpr const char* kDone = "keyboard.done";
inline constexpr const char* kSpace = "keyboard.space";
inline constexpr const char* kShift = "keyboard.shift";
inline constexpr const char* kDelete = "keyboard.delete";
inline constexpr const char* kLetters = "keyboard.letters";                // "ABC"
inline constexpr const char* kNumbers = "keyboard.numbers";                // "123"
inline constexpr const char* kLayoutAlphabetical = "keyboard.layout-abc";  // "A to Z"
inline constexpr const char* kLayoutQwerty = "keyboard.layout-qwerty";     // "QWERTY"
inline constexpr const char* kAccents = "keyboard.accents";                // "Special letters"
}  // namespace keyboard_labels

struct Key {
    KeyAction action = KeyAction::Type;
    std::string label;     // character keys: what the key shows (capital while shifted); else ""
    std::string labelKey;  // action keys: catalogue key of the label; else ""
    std::string text;      // Type: the UTF-8 text the key types, possibly several characters
    float widthUnits = 1;  // 1 is a letter key; Space and the action keys are wider
    bool latched = false;  // Shift while shift is on, Special letters while their row shows
};

struct KeyboardLayout {
    KeyboardMode mode = KeyboardMode::Text;
    LetterOrder order = LetterOrder::Qwerty;
    bool shift = false;
    bool numbersShown = false;
    bool accentsShown = false;
    std::vector<std::vector<Key>> rows;  // top row first; each row is drawn centred
};

// The keys to show. language is the resident's language code ("en", "pl", "ro", "ne"): it picks
// which special letters the special letters row holds. numbersShown switches Text and Email to
// the numbers and symbols view; Number, Phone and Date always show the numeric pad.
KeyboardLayout layoutFor(KeyboardMode mode, LetterOrder order, const std::string& language, bool shift,
                         bool numbersShown, bool accentsShown);

// Polish and Romanian residents see their letters without asking.
bool accentsShownByDefault(const std::string& language);

// What the platform records for a key and hit-tests against: the text a Type key types, or
// "shift", "delete", "space", "done", "order", "numbers", "accents"; "" for a Blank.
std::string keyValue(const Key& key);

// The key of this layout whose keyValue() is value, or nullptr.
const Key* findKey(const KeyboardLayout& layout, const std::string& value);

struct KeyResult {
    std::string text;         // the text after the key
    bool shiftAfter = false;  // whether shift is still on for the next key
    bool done = false;        // Done was pressed: close the keyboard, keep the text
};

// Applies one key to `current`. Typed letters are capitalised while shift is on, and shift then
// turns off (one-shot, as on a phone); Shift toggles it; Delete removes the last whole code point,
// so "ł" or "ș" never leaves half a character behind. Toggle keys leave the text alone: the
// caller flips the matching layoutFor() argument.
KeyResult applyKey(std::string current, const Key& key, bool shift);

// The capital form of one letter the keyboard offers (ASCII, Polish, Romanian); anything else
// comes back unchanged.
std::string capitalLetter(const std::string& letter);

}  // namespace kiosk
