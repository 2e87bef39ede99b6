// council-kiosk: the touch kiosk program (kiosk_program.h). The test drivers (the soak driver
// and the benchmark hooks) are not linked in: they live in council-kiosk-drivers (tests/drivers).
#include "kiosk/platform/kiosk_program.h"

int main(int argc, char** argv) {
    return kiosk::platform::runKioskProgram(argc, argv);
}
