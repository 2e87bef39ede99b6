// Services screen: "What do you need help with?" as large tiles with icons, and a search box
// that narrows them by title, description and the words residents use (synonyms).
#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/screens/resident/resident_screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawServicesScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kWideColumnMm, state.pageSerial);
    if (backLink(ui, tr(state, keys::kBack))) intents.push_back(Intent{resident::Back{}});
    headingText(ui, tr(state, keys::kServicesHeading));

    TextBox search;
    search.fieldId = "search";
    search.label = tr(state, keys::kServicesSearchLabel);
    search.hint = tr(state, keys::kServicesSearchHint);
    search.widthMm = 140;
    std::string query = state.resident.searchText;
    if (textInput(ui, search, query)) intents.push_back(Intent{resident::SetSearchText{query}});
    verticalSpace(ui, 4);

    if (!state.pack) {
        endContent(ui);
        return;
    }
    const std::vector<const Service*> services =
        searchServices(*state.pack, state.resident.searchText, state.language);
    if (services.empty()) bodyText(ui, tr(state, keys::kServicesNoResults));

    const float available = ImGui::GetContentRegionAvail().x;
    const float gap = ui.mm(6);
    // Two columns keep titles on one or two lines at the body size; narrow screens get one.
    const int columns = available >= 2 * ui.mm(120) + gap ? 2 : 1;
    const float width = (available - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const std::string& language = state.language;
    for (std::size_t row = 0; row < services.size(); row += static_cast<std::size_t>(columns)) {
        const std::size_t end = std::min(services.size(), row + static_cast<std::size_t>(columns));
        // Every tile in a row has the height of the tallest, so nothing is cut off.
        float height = 0;
        for (std::size_t i = row; i < end; ++i)
            height = std::max(height, serviceTileHeight(ui, services[i]->title.in(language),
                                                        services[i]->description.in(language), width));
        const ImVec2 rowStart = ImGui::GetCursorScreenPos();
        for (std::size_t i = row; i < end; ++i) {
            const Service& service = *services[i];
            ImGui::SetCursorScreenPos(
                ImVec2(rowStart.x + static_cast<float>(i - row) * (width + gap), rowStart.y));
            if (serviceTile(ui, service.id, service.icon, service.title.in(language),
                            service.description.in(language), width, height))
                intents.push_back(Intent{resident::ChooseService{service.id}});
        }
        ImGui::SetCursorScreenPos(ImVec2(rowStart.x, rowStart.y + height + gap));
        ImGui::Dummy(ImVec2(1, 0));
    }
    verticalSpace(ui, 4);
    if (linkButton(ui, tr(state, keys::kServicesCheckReport)))
        intents.push_back(Intent{resident::OpenCheckReport{}});
    verticalSpace(ui, 4);
    hintText(ui, tr(state, keys::kServicesSavedFormsNote));
    endContent(ui);
}

}  // namespace kiosk::ui
