// Admin: the content pack in use. Signed updates will be checked and applied from here.
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawAdminContentScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginAdminPage(state, ui, intents, "Content");
    std::vector<SummaryListRow> rows;
    if (state.pack) {
        const ContentPack& pack = *state.pack;
        std::string languages;
        for (const Language& language : pack.languages)
            languages += (languages.empty() ? "" : ", ") + language.nativeName + " (" + language.code + ")";
        rows.push_back({"Content pack", pack.packId, ""});
        rows.push_back({"Version", std::to_string(pack.version), ""});
        rows.push_back(
            {"Sample data", pack.sample ? "Yes: not a real council's services or addresses" : "No", ""});
        rows.push_back({"Languages", languages, ""});
        rows.push_back({"Services", std::to_string(pack.services.size()), ""});
        rows.push_back({"Addresses", std::to_string(pack.gazetteer.size()), ""});
    } else {
        rows.push_back({"Content pack", "None working: the kiosk shows \"out of order\" to residents", ""});
    }
    summaryList(ui, rows);
    subheadingText(ui, "Updates");
    bodyText(ui,
             "New content is installed by the council. Checking signatures and updating from here will "
             "appear on this page.");
    endContent(ui);
}

}  // namespace kiosk::ui
