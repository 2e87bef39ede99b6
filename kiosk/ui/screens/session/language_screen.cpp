// Language screen: every language by its own name (no flags), the current one marked.
// Choosing one goes straight on; answers already given are kept.
#include <imgui.h>

#include "kiosk/ui/screens/screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawLanguageScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial);
    if (backLink(ui, tr(state, keys::kBack))) intents.push_back(Intent{LeaveLanguage{}});
    headingText(ui, tr(state, keys::kLanguageHeading));
    hintText(ui, tr(state, keys::kLanguageHint));
    verticalSpace(ui, 3);
    if (state.pack) {
        for (const Language& language : state.pack->languages) {
            // The language's own name is shown whatever the current language is.
            if (radioRow(ui, "language-" + language.code, language.nativeName, {},
                         language.code == state.language))
                intents.push_back(Intent{ChooseLanguage{language.code}});
        }
    }
    endContent(ui);
}

}  // namespace kiosk::ui
