// The windowed kiosk's event loop: sleeps in SDL_WaitEventTimeout and draws only when input,
// a timer (countdown, caret) or a state change asks for a frame. Idle CPU stays at ~0.
#pragma once

#include "kiosk/platform/kiosk_app.h"

namespace kiosk::platform {

// Runs until the window is closed or the process gets SIGINT/SIGTERM. Returns the exit code.
int runWindowed(KioskApp& app);

}  // namespace kiosk::platform
