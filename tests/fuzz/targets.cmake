# The fuzz targets, shared by the libFuzzer build (CMakeLists.txt here, KIOSK_FUZZ=ON) and the
# replay build (replay.cmake, every other build). Each target is fuzz_<name>.cpp with its seeds
# in corpus/<name>/ and the inputs that once broke it in regressions/<name>/.
set(KIOSK_FUZZ_TARGETS pack answers delivery_response webhook_secret base64 config open311_answer)

# Sources, libraries and test data locations for one target's executable.
function(kiosk_fuzz_target_setup executable name)
  target_sources(${executable} PRIVATE ${KIOSK_FUZZ_DIR}/fuzz_${name}.cpp)
  target_include_directories(${executable} PRIVATE ${KIOSK_FUZZ_DIR})
  if(name MATCHES "^(delivery_response|webhook_secret|open311_answer)$")
    target_link_libraries(${executable} PRIVATE kiosk_sync)
  else()
    target_link_libraries(${executable} PRIVATE kiosk_core)
  endif()
  target_compile_definitions(${executable} PRIVATE
    KIOSK_FUZZ_BASE_PACK="${PROJECT_SOURCE_DIR}/tests/core/data/valid-pack"
    KIOSK_FUZZ_SAMPLE_PACK="${PROJECT_SOURCE_DIR}/assets/packs/sample-district")
endfunction()

# The saved inputs of a target that exist now: its seeds and its regressions.
function(kiosk_fuzz_saved_input_dirs name out)
  set(dirs)
  foreach(kind corpus regressions)
    if(IS_DIRECTORY ${KIOSK_FUZZ_DIR}/${kind}/${name})
      list(APPEND dirs ${KIOSK_FUZZ_DIR}/${kind}/${name})
    endif()
  endforeach()
  set(${out} ${dirs} PARENT_SCOPE)
endfunction()
