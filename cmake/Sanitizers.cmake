# NENDB_SANITIZE=address;undefined | thread: instruments everything built here.
set(NENDB_SANITIZE "" CACHE STRING "Sanitizers: address, undefined, thread (;-separated)")
if(NENDB_SANITIZE)
  list(JOIN NENDB_SANITIZE "," _nendb_san)
  add_compile_options(-fsanitize=${_nendb_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_nendb_san})
  message(STATUS "nendb: sanitizers ${_nendb_san}")
endif()

# NENDB_BUILD_FUZZERS: libFuzzer needs clang. Everything built here gets the
# coverage hooks (fuzzer-no-link) and ASan+UBSan; only the fuzz targets in
# tests/fuzz link libFuzzer itself (-fsanitize=fuzzer).
if(NENDB_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "nendb: NENDB_BUILD_FUZZERS needs clang (-DCMAKE_CXX_COMPILER=clang++), "
                        "not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(NENDB_SANITIZE)
    message(FATAL_ERROR "nendb: NENDB_BUILD_FUZZERS brings its own sanitizers; unset NENDB_SANITIZE")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
  message(STATUS "nendb: fuzzers (libFuzzer, address, undefined)")
endif()
