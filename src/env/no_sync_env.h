// NoSyncEnv: an Env that passes every call to another one except syncs, which
// it turns into no-ops. Databases opened with sync=off use it, so nendb never
// asks the OS to make anything durable: a crash of the process loses nothing
// (the OS has every write), but an OS crash or power loss may lose recent
// commits or leave damaged files.
//
// Thread-safe if the base Env is; does not own it.
#ifndef NENDB_ENV_NO_SYNC_ENV_H_
#define NENDB_ENV_NO_SYNC_ENV_H_

#include <memory>

#include "nendb/env.h"

namespace nendb {

std::unique_ptr<Env> NewNoSyncEnv(Env* base);

}  // namespace nendb

#endif  // NENDB_ENV_NO_SYNC_ENV_H_
