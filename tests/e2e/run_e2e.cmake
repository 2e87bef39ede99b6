# Runs one headless end-to-end script and checks what it left behind.
# cmake -DKIOSK=... -DSCRIPT=... -DCONFIG=... -DWORK_DIR=... [-DPACK=...] [-DEXPECT_SEALED=N]
#       [-DSEALED_COUNT=...] [-DEXPECT_STDERR=regex] -P run_e2e.cmake
# Every run starts from an empty data directory; screenshots go to WORK_DIR/screenshots.
foreach(required KIOSK SCRIPT CONFIG WORK_DIR)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run_e2e.cmake needs -D${required}=...")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/data ${WORK_DIR}/screenshots)

set(command ${KIOSK} --headless --size 1920x1080 --no-sync --config ${CONFIG} --data-dir ${WORK_DIR}/data
            --script ${SCRIPT} --screenshots ${WORK_DIR}/screenshots)
if(DEFINED PACK)
  list(APPEND command --pack ${PACK})
endif()
if(DEFINED KIOSK_OPTIONS)
  string(REPLACE "|" ";" options "${KIOSK_OPTIONS}")
  list(APPEND command ${options})
endif()
execute_process(COMMAND ${command} RESULT_VARIABLE exit_code OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message("${output}${errors}")
if(NOT exit_code EQUAL 0)
  message(FATAL_ERROR "council-kiosk exited with ${exit_code}; screenshots in ${WORK_DIR}/screenshots")
endif()

if(DEFINED EXPECT_STDERR AND NOT errors MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "council-kiosk did not print the expected message: ${EXPECT_STDERR}")
endif()

if(DEFINED EXPECT_SEALED)
  execute_process(COMMAND ${SEALED_COUNT} ${WORK_DIR}/data/kiosk.db sealed
                  RESULT_VARIABLE count_exit OUTPUT_VARIABLE count ERROR_VARIABLE count_errors
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT count_exit EQUAL 0)
    message(FATAL_ERROR "Could not read the kiosk database: ${count_errors}")
  endif()
  if(NOT count EQUAL EXPECT_SEALED)
    message(FATAL_ERROR "Expected ${EXPECT_SEALED} sealed submission(s) in the database, found ${count}")
  endif()
endif()
