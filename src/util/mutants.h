// Mutants for the crash harness's self-check: tests/crash/CMakeLists.txt
// compiles the files that sync the log or a directory once more with
// NENDB_MUTANT_NO_LOG_SYNC or NENDB_MUTANT_NO_DIR_SYNC, links them over the
// library's copies, and expects the power-loss tests to fail. The library
// itself is never built with either.
#ifndef NENDB_UTIL_MUTANTS_H_
#define NENDB_UTIL_MUTANTS_H_

#include "absl/status/status.h"

#ifdef NENDB_MUTANT_NO_LOG_SYNC
#define NENDB_LOG_SYNC(call) ::absl::OkStatus()
#else
#define NENDB_LOG_SYNC(call) (call)
#endif

#ifdef NENDB_MUTANT_NO_DIR_SYNC
#define NENDB_DIR_SYNC(call) ::absl::OkStatus()
#else
#define NENDB_DIR_SYNC(call) (call)
#endif

#endif  // NENDB_UTIL_MUTANTS_H_
