// On-screen keyboard layouts and key handling.
//
// [SECTION] letters and their capitals
// [SECTION] layouts
// [SECTION] applying a key
//
// Rows stay at ten to twelve units wide so that keys of at least 18 mm fit across a 1280 px
// panel even at 200 % text. The digits sit above the letters in Text and Email because UK
// postcodes and house numbers mix the two, and a resident should not have to switch views for
// "SW1A 1AA".
#include "kiosk/keyboard_layout.h"

#include <array>
#include <string_view>
#include <utility>

namespace kiosk {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] letters and their capitals
// ---------------------------------------------------------------------------------------------

constexpr std::array<std::string_view, 10> kDigits = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"};

// Romanian is written with comma below (U+0219, U+021B). The cedilla forms (U+015F, U+0163) are
// an old encoding workaround that looks wrong to Romanian readers and breaks name matching, so
// they are never offered; the escapes keep the code points visible in review.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kSpecialLetters = {{
    // Polish
    {"ą", "Ą"},
    {"ć", "Ć"},
    {"ę", "Ę"},
    {"ł", "Ł"},
    {"ń", "Ń"},
    {"ó", "Ó"},
    {"ś", "Ś"},
    {"ź", "Ź"},
    {"ż", "Ż"},
    // Romanian
    {"\u0103", "\u0102"},
    {"\u00E2", "\u00C2"},
    {"\u00EE", "\u00CE"},
    {"\u0219", "\u0218"},
    {"\u021B", "\u021A"},
}};
constexpr std::size_t kPolishBegin = 0, kPolishEnd = 9;
constexpr std::size_t kRomanianBegin = 9, kRomanianEnd = 14;

std::string baseLanguage(const std::string& language) {
    const auto cut = language.find_first_of("-_");
    return language.substr(0, cut);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] layouts
// ---------------------------------------------------------------------------------------------

Key typeKey(std::string_view text, bool shift, float widthUnits = 1) {
    Key key;
    key.text = shift ? capitalLetter(std::string(text)) : std::string(text);
    key.label = key.text;
    key.widthUnits = widthUnits;
    return key;
}

Key actionKey(KeyAction action, const char* labelKey, float widthUnits, bool latched = false) {
    Key key;
    key.action = action;
    key.labelKey = labelKey;
    key.widthUnits = widthUnits;
    key.latched = latched;
    return key;
}

Key blankKey(float widthUnits) {
    Key key;
    key.action = KeyAction::Blank;
    key.widthUnits = widthUnits;
    return key;
}

// One key per code point, so "£" is one key and not two broken bytes.
std::vector<Key> typeKeys(std::string_view characters, bool shift) {
    std::vector<Key> row;
    for (std::size_t i = 0; i < characters.size();) {
        std::size_t length = 1;
        while (i + length < characters.size() &&
               (static_cast<unsigned char>(characters[i + length]) & 0xC0) == 0x80)
            ++length;
        row.push_back(typeKey(characters.substr(i, length), shift));
        i += length;
    }
    return row;
}

void append(std::vector<Key>& row, std::vector<Key> more) {
    for (auto& key : more) row.push_back(std::move(key));
}

std::vector<Key> digitRow() {
    std::vector<Key> row;
    for (auto digit : kDigits) row.push_back(typeKey(digit, false));
    return row;
}

// The resident's own special letters only: a Polish reader hunting for "ą" should not also meet
// the look-alike "ă". Other languages get both sets, since names come from anywhere.
std::vector<Key> specialLetterRow(const std::string& language, bool shift) {
    const std::string base = baseLanguage(language);
    std::size_t begin = 0, end = kSpecialLetters.size();
    if (base == "pl") {
        begin = kPolishBegin;
        end = kPolishEnd;
    } else if (base == "ro") {
        begin = kRomanianBegin;
        end = kRomanianEnd;
    }
    std::vector<Key> row;
    for (std::size_t i = begin; i < end; ++i) {
        Key key;
        key.text = std::string(shift ? kSpecialLetters[i].second : kSpecialLetters[i].first);
        key.label = key.text;
        row.push_back(std::move(key));
    }
    return row;
}

// Letters for Text and Email. Text keeps the punctuation addresses need ("Flat 2/3",
// "St. Mary's", "Stoke-on-Trent"); Email trades it for its own row.
std::vector<std::vector<Key>> letterRows(KeyboardMode mode, LetterOrder order, const std::string& language,
                                         bool shift, bool accentsShown) {
    const bool email = mode == KeyboardMode::Email;
    const bool qwerty = order == LetterOrder::Qwerty;
    std::vector<std::vector<Key>> rows;
    rows.push_back(digitRow());

    std::vector<Key> first = typeKeys(qwerty ? "qwertyuiop" : "abcdefghij", shift);
    std::vector<Key> second = typeKeys(qwerty ? "asdfghjkl" : "klmnopqrst", shift);
    std::vector<Key> third;
    third.push_back(actionKey(KeyAction::Shift, keyboard_labels::kShift, 1.5f, shift));
    append(third, typeKeys(qwerty ? "zxcvbnm" : "uvwxyz", shift));
    if (!email) {
        first.push_back(typeKey("'", false));
        second.push_back(typeKey("-", false));
        if (qwerty) second.push_back(typeKey("/", false));
        append(third, typeKeys(qwerty ? ",." : ",./", false));
    }
    third.push_back(actionKey(KeyAction::Delete, keyboard_labels::kDelete, 1.5f));
    rows.push_back(std::move(first));
    rows.push_back(std::move(second));
    rows.push_back(std::move(third));

    if (email) {
        std::vector<Key> emailRow = typeKeys("@.-_", false);
        emailRow.push_back(typeKey(".com", false, 1.5f));
        emailRow.push_back(typeKey(".co.uk", false, 1.5f));
        rows.push_back(std::move(emailRow));
    } else if (accentsShown) {
        rows.push_back(specialLetterRow(language, shift));
    }

    std::vector<Key> bottom;
    bottom.push_back(actionKey(KeyAction::ToggleNumbers, keyboard_labels::kNumbers, 1.5f));
    bottom.push_back(actionKey(KeyAction::ToggleOrder,
                               qwerty ? keyboard_labels::kLayoutAlphabetical : keyboard_labels::kLayoutQwerty,
                               2));
    // Email addresses are almost always plain ASCII, and many council systems reject anything
    // else, so the email keyboard does not offer special letters at all.
    if (!email)
        bottom.push_back(actionKey(KeyAction::ToggleAccents, keyboard_labels::kAccents, 2.5f, accentsShown));
    bottom.push_back(actionKey(KeyAction::Space, keyboard_labels::kSpace, 4));
    bottom.push_back(actionKey(KeyAction::Done, keyboard_labels::kDone, 2));
    rows.push_back(std::move(bottom));
    return rows;
}

// Text and Email's numbers view: a large pad on the left, the symbols a description or an email
// might need on the right.
std::vector<std::vector<Key>> symbolRows(KeyboardMode mode) {
    const bool email = mode == KeyboardMode::Email;
    std::vector<std::vector<Key>> rows;
    const std::array<std::string_view, 4> symbols = {
        email ? "@_-" : "&()",
        email ? "+!#" : "£!?",
        email ? "%*=" : ":;\"",
        email ? "'~&" : "+%#",
    };
    for (std::size_t r = 0; r < 3; ++r) {
        std::vector<Key> row;
        for (std::size_t c = 0; c < 3; ++c) row.push_back(typeKey(kDigits[r * 3 + c], false, 1.5f));
        append(row, typeKeys(symbols[r], false));
        rows.push_back(std::move(row));
    }
    std::vector<Key> last;
    last.push_back(typeKey(".", false, 1.5f));
    last.push_back(typeKey("0", false, 1.5f));
    last.push_back(typeKey(",", false, 1.5f));
    append(last, typeKeys(symbols[3], false));
    rows.push_back(std::move(last));

    // Delete joins the bottom row so the four rows above keep their columns straight.
    std::vector<Key> bottom;
    bottom.push_back(actionKey(KeyAction::ToggleNumbers, keyboard_labels::kLetters, 1.5f));
    bottom.push_back(actionKey(KeyAction::Space, keyboard_labels::kSpace, 3));
    bottom.push_back(actionKey(KeyAction::Delete, keyboard_labels::kDelete, 1.5f));
    bottom.push_back(actionKey(KeyAction::Done, keyboard_labels::kDone, 2));
    rows.push_back(std::move(bottom));
    return rows;
}

// Number, Phone and Date: a telephone-style pad with wide keys and nothing a letter could be
// typed with. Phone adds "+" for international numbers and Space for "07700 900 982".
std::vector<std::vector<Key>> numericPadRows(KeyboardMode mode) {
    constexpr float kPadUnits = 1.5f;
    const bool phone = mode == KeyboardMode::Phone;
    std::vector<std::vector<Key>> rows;
    for (std::size_t r = 0; r < 3; ++r) {
        std::vector<Key> row;
        for (std::size_t c = 0; c < 3; ++c) row.push_back(typeKey(kDigits[r * 3 + c], false, kPadUnits));
        rows.push_back(std::move(row));
    }
    std::vector<Key> last;
    last.push_back(phone ? typeKey("+", false, kPadUnits) : blankKey(kPadUnits));
    last.push_back(typeKey("0", false, kPadUnits));
    last.push_back(actionKey(KeyAction::Delete, keyboard_labels::kDelete, kPadUnits));
    rows.push_back(std::move(last));

    // The bottom row spans the pad: three keys of 1.5 units and their two gaps are 4.5 units
    // plus 3.5 gaps, which a 1.5 and a 3 unit key with one gap between them match exactly.
    std::vector<Key> bottom;
    if (phone) bottom.push_back(actionKey(KeyAction::Space, keyboard_labels::kSpace, kPadUnits));
    bottom.push_back(actionKey(KeyAction::Done, keyboard_labels::kDone, phone ? 3.0f : 4.5f));
    rows.push_back(std::move(bottom));
    return rows;
}

bool isNumericMode(KeyboardMode mode) {
    return mode == KeyboardMode::Number || mode == KeyboardMode::Phone || mode == KeyboardMode::Date;
}

// Length of the UTF-8 sequence ending the text; a stray continuation byte counts as one.
std::size_t lastCodePointLength(const std::string& text) {
    std::size_t length = 0;
    for (std::size_t i = text.size(); i > 0 && length < 4;) {
        --i;
        ++length;
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0) != 0x80) return length;  // the lead byte (or ASCII) ends the search
    }
    return text.empty() ? 0 : 1;
}

}  // namespace

std::string capitalLetter(const std::string& letter) {
    if (letter.size() == 1 && letter[0] >= 'a' && letter[0] <= 'z')
        return std::string(1, static_cast<char>(letter[0] - 'a' + 'A'));
    for (const auto& [lower, upper] : kSpecialLetters)
        if (letter == lower) return std::string(upper);
    return letter;
}

KeyboardLayout layoutFor(KeyboardMode mode, LetterOrder order, const std::string& language, bool shift,
                         bool numbersShown, bool accentsShown) {
    KeyboardLayout layout;
    layout.mode = mode;
    layout.order = order;
    layout.shift = shift;
    layout.numbersShown = numbersShown;
    layout.accentsShown = accentsShown;
    if (isNumericMode(mode))
        layout.rows = numericPadRows(mode);
    else if (numbersShown)
        layout.rows = symbolRows(mode);
    else
        layout.rows = letterRows(mode, order, language, shift, accentsShown);
    return layout;
}

bool accentsShownByDefault(const std::string& language) {
    const std::string base = baseLanguage(language);
    return base == "pl" || base == "ro";
}

std::string keyValue(const Key& key) {
    switch (key.action) {
        case KeyAction::Type:
            return key.text;
        case KeyAction::Shift:
            return "shift";
        case KeyAction::Delete:
            return "delete";
        case KeyAction::Space:
            return "space";
        case KeyAction::Done:
            return "done";
        case KeyAction::ToggleOrder:
            return "order";
        case KeyAction::ToggleNumbers:
            return "numbers";
        case KeyAction::ToggleAccents:
            return "accents";
        case KeyAction::Blank:
            return {};
    }
    return {};
}

const Key* findKey(const KeyboardLayout& layout, const std::string& value) {
    if (value.empty()) return nullptr;
    for (const auto& row : layout.rows)
        for (const auto& key : row)
            if (keyValue(key) == value) return &key;
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] applying a key
// ---------------------------------------------------------------------------------------------

KeyResult applyKey(std::string current, const Key& key, bool shift) {
    KeyResult result;
    result.shiftAfter = shift;
    switch (key.action) {
        case KeyAction::Type:
            current += shift ? capitalLetter(key.text) : key.text;
            result.shiftAfter = false;
            break;
        case KeyAction::Shift:
            result.shiftAfter = !shift;
            break;
        case KeyAction::Delete:
            current.erase(current.size() - lastCodePointLength(current));
            break;
        case KeyAction::Space:
            current += ' ';
            break;
        case KeyAction::Done:
            result.done = true;
            result.shiftAfter = false;
            break;
        case KeyAction::ToggleOrder:
        case KeyAction::ToggleNumbers:
        case KeyAction::ToggleAccents:
        case KeyAction::Blank:
            break;
    }
    result.text = std::move(current);
    return result;
}

}  // namespace kiosk
