# Finds nendb's link dependencies. Used by the build and by the installed
# nendbConfig.cmake, so an outside project linking the static library gets the
# same imported targets.
include(CMakeFindDependencyMacro)
find_dependency(absl)
find_dependency(spdlog)
find_dependency(Threads)

# C libraries without CMake packages on Debian: wrap them as imported targets.
function(nendb_import_c_library target header library)
  if(TARGET ${target})
    return()
  endif()
  find_path(${target}_INCLUDE_DIR ${header})
  find_library(${target}_LIBRARY ${library})
  if(NOT ${target}_INCLUDE_DIR OR NOT ${target}_LIBRARY)
    message(FATAL_ERROR "nendb: ${header} / lib${library} not found; run .ci/install-deps")
  endif()
  add_library(${target} UNKNOWN IMPORTED)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${${target}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${${target}_INCLUDE_DIR}")
endfunction()

nendb_import_c_library(nendb::isal isa-l/crc.h isal)       # CRC32C
nendb_import_c_library(nendb::xxhash xxhash.h xxhash)      # stable hashing
nendb_import_c_library(nendb::csv csv.h csv)               # CSV parsing
