// Software drawing of Dear ImGui draw data (see software_draw.h). Clipping, scaling and the
// vertex layout follow imgui_impl_sdlrenderer.cpp of Dear ImGui 1.86.
#include "kiosk/platform/software_draw.h"

#include <SDL.h>
#include <imgui.h>

#include <cstddef>
#include <vector>

namespace kiosk::platform {
namespace {

// ImDrawList::PrimRect's pattern: indices (a, b, c, a, c, d) over an axis-aligned rectangle
// a-b-c-d, one colour, every corner sampling the atlas's white texel.
bool opaqueSolidRect(const ImDrawVert* vertices, const ImDrawIdx* indices, SDL_FRect& rect, ImU32& colour) {
    if (indices[3] != indices[0] || indices[4] != indices[2]) return false;
    const ImDrawVert& a = vertices[indices[0]];
    const ImDrawVert& b = vertices[indices[1]];
    const ImDrawVert& c = vertices[indices[2]];
    const ImDrawVert& d = vertices[indices[5]];
    if (a.col != b.col || a.col != c.col || a.col != d.col) return false;
    if ((a.col >> IM_COL32_A_SHIFT & 0xFF) != 0xFF) return false;
    if (a.uv.x != b.uv.x || a.uv.x != c.uv.x || a.uv.x != d.uv.x || a.uv.y != b.uv.y || a.uv.y != c.uv.y ||
        a.uv.y != d.uv.y)
        return false;
    if (a.pos.y != b.pos.y || b.pos.x != c.pos.x || c.pos.y != d.pos.y || d.pos.x != a.pos.x) return false;
    if (c.pos.x <= a.pos.x || c.pos.y <= a.pos.y) return false;
    rect = {a.pos.x, a.pos.y, c.pos.x - a.pos.x, c.pos.y - a.pos.y};
    colour = a.col;
    return true;
}

}  // namespace

void renderDrawDataSoftware(SDL_Renderer* renderer, ImDrawData* drawData) {
    float scaleX = 1.0f, scaleY = 1.0f;
    SDL_RenderGetScale(renderer, &scaleX, &scaleY);
    // SDL scales what it is given when the renderer has a scale of its own.
    const ImVec2 renderScale(scaleX == 1.0f ? drawData->FramebufferScale.x : 1.0f,
                             scaleY == 1.0f ? drawData->FramebufferScale.y : 1.0f);
    const int framebufferWidth = static_cast<int>(drawData->DisplaySize.x * renderScale.x);
    const int framebufferHeight = static_cast<int>(drawData->DisplaySize.y * renderScale.y);
    if (framebufferWidth <= 0 || framebufferHeight <= 0) return;

    SDL_Rect oldViewport, oldClip;
    const bool oldClipEnabled = SDL_RenderIsClipEnabled(renderer) == SDL_TRUE;
    SDL_RenderGetViewport(renderer, &oldViewport);
    SDL_RenderGetClipRect(renderer, &oldClip);
    SDL_BlendMode oldBlend = SDL_BLENDMODE_BLEND;
    SDL_GetRenderDrawBlendMode(renderer, &oldBlend);
    SDL_RenderSetViewport(renderer, nullptr);
    SDL_RenderSetClipRect(renderer, nullptr);

    const ImVec2 clipOffset = drawData->DisplayPos;
    std::vector<int> pending;  // triangles waiting for SDL, in draw order
    for (int list = 0; list < drawData->CmdListsCount; ++list) {
        const ImDrawList* commands = drawData->CmdLists[list];
        for (const ImDrawCmd& command : commands->CmdBuffer) {
            if (command.UserCallback) {
                if (command.UserCallback == ImDrawCallback_ResetRenderState) {
                    SDL_RenderSetViewport(renderer, nullptr);
                    SDL_RenderSetClipRect(renderer, nullptr);
                } else {
                    command.UserCallback(commands, &command);
                }
                continue;
            }
            ImVec2 clipMin((command.ClipRect.x - clipOffset.x) * renderScale.x,
                           (command.ClipRect.y - clipOffset.y) * renderScale.y);
            ImVec2 clipMax((command.ClipRect.z - clipOffset.x) * renderScale.x,
                           (command.ClipRect.w - clipOffset.y) * renderScale.y);
            if (clipMin.x < 0.0f) clipMin.x = 0.0f;
            if (clipMin.y < 0.0f) clipMin.y = 0.0f;
            if (clipMax.x > framebufferWidth) clipMax.x = static_cast<float>(framebufferWidth);
            if (clipMax.y > framebufferHeight) clipMax.y = static_cast<float>(framebufferHeight);
            if (clipMax.x <= clipMin.x || clipMax.y <= clipMin.y) continue;
            const SDL_Rect clip = {static_cast<int>(clipMin.x), static_cast<int>(clipMin.y),
                                   static_cast<int>(clipMax.x - clipMin.x),
                                   static_cast<int>(clipMax.y - clipMin.y)};
            SDL_RenderSetClipRect(renderer, &clip);

            const ImDrawVert* vertices = commands->VtxBuffer.Data + command.VtxOffset;
            const int vertexCount = commands->VtxBuffer.Size - static_cast<int>(command.VtxOffset);
            const ImDrawIdx* indices = commands->IdxBuffer.Data + command.IdxOffset;
            auto* texture = static_cast<SDL_Texture*>(command.GetTexID());
            const auto flush = [&] {
                if (pending.empty()) return;
                const char* base = reinterpret_cast<const char*>(vertices);
                SDL_RenderGeometryRaw(
                    renderer, texture, reinterpret_cast<const float*>(base + offsetof(ImDrawVert, pos)),
                    sizeof(ImDrawVert), reinterpret_cast<const SDL_Color*>(base + offsetof(ImDrawVert, col)),
                    sizeof(ImDrawVert), reinterpret_cast<const float*>(base + offsetof(ImDrawVert, uv)),
                    sizeof(ImDrawVert), vertexCount, pending.data(), static_cast<int>(pending.size()),
                    sizeof(int));
                pending.clear();
            };
            for (unsigned int i = 0; i + 3 <= command.ElemCount;) {
                SDL_FRect rect;
                ImU32 colour = 0;
                if (i + 6 <= command.ElemCount && opaqueSolidRect(vertices, indices + i, rect, colour)) {
                    flush();
                    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
                    SDL_SetRenderDrawColor(renderer, colour >> IM_COL32_R_SHIFT & 0xFF,
                                           colour >> IM_COL32_G_SHIFT & 0xFF,
                                           colour >> IM_COL32_B_SHIFT & 0xFF, 0xFF);
                    SDL_RenderFillRectF(renderer, &rect);
                    i += 6;
                    continue;
                }
                pending.insert(pending.end(), {indices[i], indices[i + 1], indices[i + 2]});
                i += 3;
            }
            flush();
        }
    }

    SDL_SetRenderDrawBlendMode(renderer, oldBlend);
    SDL_RenderSetViewport(renderer, &oldViewport);
    SDL_RenderSetClipRect(renderer, oldClipEnabled ? &oldClip : nullptr);
}

}  // namespace kiosk::platform
