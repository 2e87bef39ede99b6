# Included from tests/CMakeLists.txt in every build that is not the libFuzzer build: each fuzz
# target linked to replay_main.cpp, run over its seeds and regressions, so the gcc and ASan
# builds replay every saved input too.
set(KIOSK_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
include(${KIOSK_FUZZ_DIR}/targets.cmake)

foreach(name IN LISTS KIOSK_FUZZ_TARGETS)
  add_executable(fuzz_replay_${name} ${KIOSK_FUZZ_DIR}/replay_main.cpp)
  kiosk_fuzz_target_setup(fuzz_replay_${name} ${name})
  kiosk_fuzz_saved_input_dirs(${name} dirs)
  add_test(NAME "fuzz-replay: ${name}" COMMAND fuzz_replay_${name} ${dirs})
  set_tests_properties("fuzz-replay: ${name}" PROPERTIES LABELS fuzz TIMEOUT 300)
endforeach()
