// On-screen keyboard layouts: every layout can finish and correct, letters come in the order the
// resident chose, Polish and Romanian letters are the right code points, and keys change the
// text one whole character at a time.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "kiosk/keyboard_layout.h"

using namespace kiosk;

namespace {

constexpr KeyboardMode kAllModes[] = {KeyboardMode::Text, KeyboardMode::Email, KeyboardMode::Number,
                                      KeyboardMode::Phone, KeyboardMode::Date};
constexpr LetterOrder kAllOrders[] = {LetterOrder::Qwerty, LetterOrder::Alphabetical};
const char* const kLanguages[] = {"en", "pl", "ro", "ne"};

std::vector<const Key*> allKeys(const KeyboardLayout& layout) {
    std::vector<const Key*> keys;
    for (const auto& row : layout.rows)
        for (const auto& key : row) keys.push_back(&key);
    return keys;
}

std::set<std::string> typedTexts(const KeyboardLayout& layout) {
    std::set<std::string> texts;
    for (const Key* key : allKeys(layout))
        if (key->action == KeyAction::Type) texts.insert(key->text);
    return texts;
}

int countAction(const KeyboardLayout& layout, KeyAction action) {
    const auto keys = allKeys(layout);
    return static_cast<int>(
        std::count_if(keys.begin(), keys.end(), [&](const Key* k) { return k->action == action; }));
}

std::vector<std::string> rowTexts(const std::vector<Key>& row) {
    std::vector<std::string> texts;
    for (const auto& key : row)
        if (key.action == KeyAction::Type) texts.push_back(key.text);
    return texts;
}

Key typing(const std::string& text) {
    Key key;
    key.text = text;
    key.label = text;
    return key;
}

Key acting(KeyAction action) {
    Key key;
    key.action = action;
    return key;
}

bool hasAsciiLetter(const std::string& text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

}  // namespace

TEST_CASE("Every layout in every language has Done and Delete, and every key is labelled", "[keyboard]") {
    for (auto mode : kAllModes)
        for (auto order : kAllOrders)
            for (const char* language : kLanguages)
                for (bool shift : {false, true})
                    for (bool numbers : {false, true})
                        for (bool accents : {false, true}) {
                            const auto layout = layoutFor(mode, order, language, shift, numbers, accents);
                            INFO("mode " << static_cast<int>(mode) << " order " << static_cast<int>(order)
                                         << " " << language << " shift " << shift << " numbers " << numbers
                                         << " accents " << accents);
                            CHECK(countAction(layout, KeyAction::Done) == 1);
                            CHECK(countAction(layout, KeyAction::Delete) == 1);
                            // One key per value, so a recorded value names exactly one key.
                            std::set<std::string> values;
                            std::size_t keys = 0;
                            for (const Key* key : allKeys(layout))
                                if (key->action != KeyAction::Blank) {
                                    values.insert(keyValue(*key));
                                    ++keys;
                                }
                            CHECK(values.size() == keys);
                            for (const Key* key : allKeys(layout)) {
                                if (key->action == KeyAction::Blank) continue;
                                // A character key shows its character; an action key has a catalogue label.
                                if (key->action == KeyAction::Type) {
                                    CHECK_FALSE(key->text.empty());
                                    CHECK(key->label == key->text);
                                    CHECK(key->labelKey.empty());
                                } else {
                                    CHECK(key->labelKey.rfind("keyboard.", 0) == 0);
                                    CHECK(key->label.empty());
                                }
                                CHECK(key->widthUnits >= 1.0f);
                                CHECK(findKey(layout, keyValue(*key)) != nullptr);
                            }
                        }
}

TEST_CASE("Action keys use the agreed catalogue keys and values", "[keyboard]") {
    const auto letters = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, false, false);
    std::set<std::string> labelKeys, values;
    for (const Key* key : allKeys(letters))
        if (key->action != KeyAction::Type) {
            labelKeys.insert(key->labelKey);
            values.insert(keyValue(*key));
        }
    CHECK(labelKeys == std::set<std::string>{"keyboard.shift", "keyboard.delete", "keyboard.numbers",
                                             "keyboard.layout-abc", "keyboard.accents", "keyboard.space",
                                             "keyboard.done"});
    CHECK(values == std::set<std::string>{"shift", "delete", "numbers", "order", "accents", "space", "done"});

    const auto alphabetical =
        layoutFor(KeyboardMode::Text, LetterOrder::Alphabetical, "en", false, false, false);
    CHECK(findKey(alphabetical, "order")->labelKey == "keyboard.layout-qwerty");
    const auto symbols = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, true, false);
    CHECK(findKey(symbols, "numbers")->labelKey == "keyboard.letters");
}

TEST_CASE("QWERTY and A to Z put the letters where residents expect them", "[keyboard]") {
    for (auto mode : {KeyboardMode::Text, KeyboardMode::Email}) {
        const auto qwerty = layoutFor(mode, LetterOrder::Qwerty, "en", false, false, false);
        REQUIRE(qwerty.rows.size() >= 4);
        // Digits on top: postcodes and house numbers mix them with letters.
        CHECK(rowTexts(qwerty.rows[0]) ==
              std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"});
        auto first = rowTexts(qwerty.rows[1]);
        first.resize(10);
        CHECK(first == std::vector<std::string>{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"});

        const auto alphabetical = layoutFor(mode, LetterOrder::Alphabetical, "en", false, false, false);
        const auto row = rowTexts(alphabetical.rows[1]);
        REQUIRE(row.size() >= 3);
        CHECK(row[0] == "a");
        CHECK(row[1] == "b");
        CHECK(row[2] == "c");

        // Both orders hold all 26 letters exactly once.
        for (const auto& layout : {qwerty, alphabetical}) {
            std::string letters;
            for (const auto& text : typedTexts(layout))
                if (text.size() == 1 && text[0] >= 'a' && text[0] <= 'z') letters += text;
            CHECK(letters == "abcdefghijklmnopqrstuvwxyz");
        }
    }
}

TEST_CASE("Text layouts carry the punctuation addresses need", "[keyboard]") {
    for (auto order : kAllOrders) {
        const auto texts = typedTexts(layoutFor(KeyboardMode::Text, order, "en", false, false, false));
        for (const char* mark : {"-", "'", ",", ".", "/"}) {
            INFO(mark);
            CHECK(texts.count(mark) == 1);
        }
    }
}

TEST_CASE("Polish and Romanian letters are offered, with comma below for Romanian", "[keyboard]") {
    const std::vector<std::string> polish = {"ą", "ć", "ę", "ł", "ń", "ó", "ś", "ź", "ż"};
    const std::vector<std::string> polishCapitals = {"Ą", "Ć", "Ę", "Ł", "Ń", "Ó", "Ś", "Ź", "Ż"};
    const std::vector<std::string> romanian = {"\u0103", "\u00E2", "\u00EE", "\u0219", "\u021B"};
    const std::vector<std::string> romanianCapitals = {"\u0102", "\u00C2", "\u00CE", "\u0218", "\u021A"};
    const std::vector<std::string> cedilla = {"\u015F", "\u0163", "\u015E", "\u0162"};  // ş ţ Ş Ţ

    CHECK(accentsShownByDefault("pl"));
    CHECK(accentsShownByDefault("ro"));
    CHECK_FALSE(accentsShownByDefault("en"));
    CHECK_FALSE(accentsShownByDefault("ne"));

    const auto pl = typedTexts(layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "pl", false, false, true));
    for (const auto& letter : polish) CHECK(pl.count(letter) == 1);
    CHECK(pl.count("\u0103") == 0);  // "ă" is easy to mistake for "ą"

    for (auto order : kAllOrders) {
        const auto ro = typedTexts(layoutFor(KeyboardMode::Text, order, "ro", false, false, true));
        for (const auto& letter : romanian) CHECK(ro.count(letter) == 1);
        const auto roShift = typedTexts(layoutFor(KeyboardMode::Text, order, "ro", true, false, true));
        for (const auto& letter : romanianCapitals) CHECK(roShift.count(letter) == 1);
        for (const auto& letter : cedilla) {
            CHECK(ro.count(letter) == 0);
            CHECK(roShift.count(letter) == 0);
        }
    }

    const auto plShift =
        typedTexts(layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "pl", true, false, true));
    for (const auto& letter : polishCapitals) CHECK(plShift.count(letter) == 1);
    for (const auto& letter : polish) CHECK(plShift.count(letter) == 0);

    // English and Nepali residents type Polish and Romanian names too: both sets on request.
    for (const char* language : {"en", "ne"}) {
        const auto hidden =
            typedTexts(layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, language, false, false, false));
        CHECK(hidden.count("ł") == 0);
        const auto shown =
            typedTexts(layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, language, false, false, true));
        for (const auto& letter : polish) CHECK(shown.count(letter) == 1);
        for (const auto& letter : romanian) CHECK(shown.count(letter) == 1);
    }

    for (std::size_t i = 0; i < polish.size(); ++i) CHECK(capitalLetter(polish[i]) == polishCapitals[i]);
    for (std::size_t i = 0; i < romanian.size(); ++i)
        CHECK(capitalLetter(romanian[i]) == romanianCapitals[i]);
    CHECK(applyKey("", typing("\u0219"), true).text == "\u0218");
    CHECK(applyKey("", typing("ł"), true).text == "Ł");
}

TEST_CASE("Shift shows capitals on letter keys only", "[keyboard]") {
    const auto shifted = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", true, false, false);
    const auto texts = typedTexts(shifted);
    CHECK(texts.count("Q") == 1);
    CHECK(texts.count("q") == 0);
    CHECK(texts.count("1") == 1);
    CHECK(texts.count("'") == 1);
    CHECK(findKey(shifted, "shift")->latched);
    CHECK_FALSE(
        findKey(layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, false, false), "shift")
            ->latched);
}

TEST_CASE("Delete removes one whole character, never half of one", "[keyboard]") {
    const Key del = acting(KeyAction::Delete);
    CHECK(applyKey("Wrocław", del, false).text == "Wrocła");
    CHECK(applyKey("Wrocł", del, false).text == "Wroc");
    CHECK(applyKey("Pia\u021B\u0103", del, false).text == "Pia\u021B");
    CHECK(applyKey("Pia\u021B", del, false).text == "Pia");
    CHECK(applyKey("\u0218", del, false).text.empty());
    CHECK(applyKey("£", del, false).text.empty());
    CHECK(applyKey("", del, false).text.empty());
    CHECK(applyKey("ab", del, false).text == "a");
    // Delete leaves shift as it was.
    CHECK(applyKey("ab", del, true).shiftAfter);
}

TEST_CASE("Multi-character email keys type their whole text", "[keyboard]") {
    const auto email = layoutFor(KeyboardMode::Email, LetterOrder::Qwerty, "en", false, false, false);
    const Key* coUk = findKey(email, ".co.uk");
    REQUIRE(coUk != nullptr);
    CHECK(coUk->label == ".co.uk");
    CHECK(applyKey("sam@example", *coUk, false).text == "sam@example.co.uk");
    CHECK(applyKey("sam@example", *coUk, true).text == "sam@example.co.uk");  // shift never capitalises it
    for (const char* text : {"@", ".", "-", "_", ".com", ".co.uk"}) {
        INFO(text);
        CHECK(findKey(email, text) != nullptr);
    }
    CHECK(findKey(email, "accents") == nullptr);
}

TEST_CASE("Shift is one-shot, like a phone's", "[keyboard]") {
    const auto layout = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, false, false);
    const Key& shiftKey = *findKey(layout, "shift");

    auto result = applyKey("", shiftKey, false);
    CHECK(result.shiftAfter);
    result = applyKey(result.text, *findKey(layout, "j"), result.shiftAfter);
    CHECK(result.text == "J");
    CHECK_FALSE(result.shiftAfter);
    result = applyKey(result.text, *findKey(layout, "o"), result.shiftAfter);
    CHECK(result.text == "Jo");
    CHECK_FALSE(result.shiftAfter);

    // Tapping Shift twice turns it off again.
    CHECK_FALSE(applyKey("", shiftKey, true).shiftAfter);
    // Space and Delete keep it: "Flat 2 " then a capital.
    CHECK(applyKey("Flat", *findKey(layout, "space"), true).shiftAfter);
    CHECK(applyKey("Flat", *findKey(layout, "space"), true).text == "Flat ");
}

TEST_CASE("Done signals done and keeps the text", "[keyboard]") {
    const auto result = applyKey("SW1A 1AA", acting(KeyAction::Done), false);
    CHECK(result.done);
    CHECK(result.text == "SW1A 1AA");
    CHECK_FALSE(applyKey("SW1A", typing("1"), false).done);
    for (auto action : {KeyAction::ToggleOrder, KeyAction::ToggleNumbers, KeyAction::ToggleAccents})
        CHECK(applyKey("abc", acting(action), false).text == "abc");
}

TEST_CASE("Number, phone and date pads have every digit and no letters", "[keyboard]") {
    for (auto mode : {KeyboardMode::Number, KeyboardMode::Phone, KeyboardMode::Date})
        for (auto order : kAllOrders)
            for (bool numbers : {false, true}) {
                const auto layout = layoutFor(mode, order, "pl", true, numbers, true);
                const auto texts = typedTexts(layout);
                for (char digit = '0'; digit <= '9'; ++digit) CHECK(texts.count(std::string(1, digit)) == 1);
                for (const auto& text : texts) {
                    INFO(text);
                    CHECK_FALSE(hasAsciiLetter(text));
                    CHECK(text.size() == 1);  // no special letters either
                }
                CHECK(countAction(layout, KeyAction::Shift) == 0);
                CHECK(countAction(layout, KeyAction::ToggleNumbers) == 0);
                CHECK(countAction(layout, KeyAction::ToggleAccents) == 0);
                const bool phone = mode == KeyboardMode::Phone;
                CHECK(texts.count("+") == (phone ? 1u : 0u));
                CHECK(countAction(layout, KeyAction::Space) == (phone ? 1 : 0));
                // Date is digits only.
                if (mode == KeyboardMode::Date) CHECK(texts.size() == 10);
                // The telephone order: 1 2 3 along the top.
                CHECK(rowTexts(layout.rows[0]) == std::vector<std::string>{"1", "2", "3"});
            }
}

TEST_CASE("The numbers view of a text keyboard has digits and symbols and a way back", "[keyboard]") {
    const auto layout = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, true, false);
    const auto texts = typedTexts(layout);
    for (char digit = '0'; digit <= '9'; ++digit) CHECK(texts.count(std::string(1, digit)) == 1);
    CHECK(texts.count("£") == 1);
    for (const auto& text : texts) CHECK_FALSE(hasAsciiLetter(text));
    CHECK(findKey(layout, "numbers") != nullptr);
    CHECK(findKey(layoutFor(KeyboardMode::Email, LetterOrder::Qwerty, "en", false, true, false), "@") !=
          nullptr);
}

TEST_CASE("The same arguments always give the same layout: nothing is learned", "[keyboard]") {
    const auto before = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, false, false);
    std::string text;
    for (const char* value : {"m", "a", "r", "y"}) text = applyKey(text, *findKey(before, value), false).text;
    CHECK(text == "mary");
    const auto after = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, false, false);
    REQUIRE(after.rows.size() == before.rows.size());
    for (std::size_t r = 0; r < before.rows.size(); ++r) {
        REQUIRE(after.rows[r].size() == before.rows[r].size());
        for (std::size_t k = 0; k < before.rows[r].size(); ++k) {
            CHECK(keyValue(after.rows[r][k]) == keyValue(before.rows[r][k]));
            CHECK(after.rows[r][k].label == before.rows[r][k].label);
        }
    }
}
