# Precompiled headers: the standard library, Abseil, spdlog and GoogleTest
# headers that nearly every file includes are parsed once per target instead of
# once per file (a third of a file's compile time; make test compiles the
# library and the suites twice). Only third-party and standard headers go in, so
# a change to nendb's own headers does not rebuild them. NENDB_PCH=OFF builds
# without them, which is how to check that a file includes what it uses.
option(NENDB_PCH "Precompile the common third-party headers" ON)

set(NENDB_PCH_STD
  <algorithm> <atomic> <cstdint> <cstring> <functional> <map> <memory> <optional>
  <string> <string_view> <utility> <variant> <vector>)
set(NENDB_PCH_ABSL
  <absl/container/flat_hash_map.h> <absl/status/status.h> <absl/status/statusor.h>
  <absl/strings/str_cat.h> <absl/strings/str_format.h> <absl/strings/string_view.h>
  <absl/synchronization/mutex.h> <absl/time/time.h> <absl/types/span.h>)

# nendb_pch(<target> <extra headers...>): precompiles the common headers and
# the given ones for target.
function(nendb_pch target)
  if(NENDB_PCH)
    target_precompile_headers(${target} PRIVATE ${NENDB_PCH_STD} ${NENDB_PCH_ABSL} ${ARGN})
  endif()
endfunction()
