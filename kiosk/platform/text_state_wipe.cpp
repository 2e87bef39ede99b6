// Zeroing Dear ImGui's private copies of typed text (see text_state_wipe.h). Reaches into
// imgui_internal.h because ImGui has no public call for it; the fields are those of 1.86.
#include "kiosk/platform/text_state_wipe.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <sodium.h>

namespace kiosk::platform {
namespace {

// Zeroes the whole allocation (TextA's size is its capacity, not its length), then frees it.
template <typename T>
void zeroAndFree(ImVector<T>& buffer) {
    if (buffer.Data && buffer.Capacity > 0)
        sodium_memzero(buffer.Data, sizeof(T) * static_cast<std::size_t>(buffer.Capacity));
    buffer.clear();
}

}  // namespace

void wipeImGuiTextState() {
    ImGuiContext* context = ImGui::GetCurrentContext();
    if (!context) return;
    // First let go of the box, or the next frame copies the text straight back from it.
    ImGui::ClearActiveID();

    ImGuiInputTextState& state = context->InputTextState;
    zeroAndFree(state.TextW);
    zeroAndFree(state.TextA);
    zeroAndFree(state.InitialTextA);
    sodium_memzero(&state.Stb, sizeof(state.Stb));  // undo records hold deleted characters
    state.ID = 0;
    state.CurLenW = state.CurLenA = 0;
    state.TextAIsValid = false;
    state.BufCapacityA = 0;
    state.ScrollX = 0;
    state.Edited = false;

    // The clipboard: through the backend's handler (SDL's, windowed), then ImGui's own buffer,
    // which holds it when no handler is set (headless).
    if (context->IO.SetClipboardTextFn) ImGui::SetClipboardText("");
    zeroAndFree(context->ClipboardHandlerData);
    // Scratch space some widgets format text into.
    sodium_memzero(context->TempBuffer, sizeof(context->TempBuffer));
}

}  // namespace kiosk::platform
