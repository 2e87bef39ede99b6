// Soak test: a seeded random resident drives the real headless kiosk (screens, flow, store,
// read-aloud, on-screen keyboard) for a given number of frames on the virtual clock, and the run
// fails on memory growth, a stuck screen, typed text outliving its session, or a database that
// disagrees with what residents were shown. `council-kiosk --headless --soak FRAMES` runs it;
// tests/system/soak.sh wraps it with an independent look at the database.
//
// Every frame builds the whole UI (ImGui, screens, frame record) and applies its intents; only
// one frame in `rasteriseEvery` is software-rasterised, so a million frames take minutes rather
// than hours. No check reads pixels: the rasterised frames are there so the renderer, the glyph
// textures and the font atlases rebuilt at each text size are exercised and measured too.
#pragma once

#include <cstdint>

#include "kiosk/clock.h"
#include "kiosk/platform/kiosk_app.h"

namespace kiosk::platform {

struct SoakOptions {
    long frames = 0;          // frames to draw (drawFrame calls), at least this many
    std::uint64_t seed = 0;   // the same seed repeats the same run
    int rasteriseEvery = 50;  // rasterise one frame in this many (1: every frame)
};

// Returns the process exit code: 0 when every check held, 1 when one failed (the line printed
// says which, with the seed and the frame number).
int runSoak(KioskApp& app, VirtualClock& clock, const SoakOptions& options);

}  // namespace kiosk::platform
