// Draws Dear ImGui's draw data with SDL's software renderer, as the SDL_Renderer backend does,
// except that opaque solid rectangles are filled without blending.
//
// Why: SDL's software renderer turns each solid ImGui rectangle into a blended fill, and SDL
// blends every pixel even when the colour is opaque: about 8 ns a pixel at 1920x1080, so the
// page, window and tile backgrounds alone cost 20-30 ms a frame. An unblended fill of an
// opaque colour gives the same pixels at memset speed. Everything else (text, images, shapes,
// translucent fills) still goes through SDL_RenderGeometryRaw, in the same order.
#pragma once

struct ImDrawData;
struct SDL_Renderer;

namespace kiosk::platform {

void renderDrawDataSoftware(SDL_Renderer* renderer, ImDrawData* drawData);

}  // namespace kiosk::platform
