// The benchmark hooks of council-kiosk-drivers, read by tests/bench from what they print:
//   KIOSK_REPORT_FIRST_FRAME=1  prints "first-frame-ms N" to stderr once the first frame has been
//                               presented, N counted from the top of main
//   bench-frames N              a script command: draw N frames of the current screen, the
//                               pointer moving one pixel each frame (no button down), and print
//                               "bench-frames screen=NAME frames=N p50-ms=X p99-ms=Y max-ms=Z
//                               cpu-p50-ms=A cpu-p99-ms=B": wall time of drawFrame (ImGui build
//                               and software rasterising; no present) and the thread's CPU time
//   report-memory               a script command: print "pss-kb N screen=NAME", this process's
//                               proportional set size from /proc/self/smaps_rollup
#pragma once

#include <chrono>
#include <vector>

#include "kiosk/platform/kiosk_app.h"
#include "kiosk/platform/script_runner.h"

namespace kiosk::drivers {

// This process's proportional set size from /proc/self/smaps_rollup, in kB; -1 when unreadable.
long readPssKilobytes();

std::vector<platform::ScriptCommand> benchmarkScriptCommands();

// Sets app.afterFirstFrame when KIOSK_REPORT_FIRST_FRAME=1.
void reportFirstFrameWhenAsked(platform::KioskApp& app, std::chrono::steady_clock::time_point processStart);

}  // namespace kiosk::drivers
