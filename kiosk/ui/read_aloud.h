// Read aloud: what the kiosk says for the page on screen, built from the frame's FrameRecord.
//
// No screen reader can read Dear ImGui, so the kiosk speaks for itself (DESIGN.md section 3,
// EN 301 549 5.1.3). This file only decides the words and their order; the platform's
// SpeechEngine turns them into sound. Nothing here touches SDL or espeak-ng, so the rules are
// tested on hand-built records.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kiosk/ui/frame_record.h"

namespace kiosk::ui {

// One piece of speech. The page's language is added by whoever speaks it; `language` is only set
// when a piece is in another language than the page (a language's own name on the language list).
struct Utterance {
    std::string text;       // UTF-8, as shown on screen
    bool spellOut = false;  // say it character by character (the confirmation reference)
    std::string language;   // "en", "pl", "ro", "ne"; empty: the page's language
};

struct PageSpeechOptions {
    // Said before the errors, as the error summary's own title, in the resident's language. The
    // summary draws it too; when it is recorded with the same words it is still said once.
    std::string problemTitle = "There is a problem";
};

// What "Read aloud" says for the page in `record`:
//   1. when any item has role Error: the problem title, then each error message;
//   2. headings, 3. hints, 4. body text, field labels and references (spelled out),
//   5. the choices: radio and checkbox options, tiles and links,
//   6. buttons, so "Continue" comes last.
// Within each group items go in reading order: top to bottom, then left to right; items at the
// same place keep the order they were drawn in. Chrome (top bar, tools strip) and keyboard keys
// are never read. The same words are said once even when drawn twice (the error summary and the
// message beside the field).
std::vector<Utterance> composePageSpeech(const FrameRecord& record, const PageSpeechOptions& options = {});

// The same rules over the items recorded from `firstItem` on. Used for anything drawn as a layer
// on top of the page, which is recorded after the page.
std::vector<Utterance> composeSpeechFrom(const FrameRecord& record, std::size_t firstItem,
                                         const PageSpeechOptions& options = {});

// What to say while the "Do you need more time?" warning is showing: only the warning, never the
// page dimmed behind it. The warning is drawn after everything else and opens with its heading, so
// it is the items from the last recorded Heading to the end of the record. Empty when the record
// holds no heading (nothing sensible to say); call it only while the warning is on screen.
std::vector<Utterance> composeTimeoutWarningSpeech(const FrameRecord& record,
                                                   const PageSpeechOptions& options = {});

}  // namespace kiosk::ui
