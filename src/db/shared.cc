// DbCore and other processes: taking the write lock of every process,
// catching up with what they published, publishing our commits.
#include "absl/strings/str_cat.h"
#include "db/core.h"
#include "db/files.h"
#include "db/replay.h"
#include "nendb/errors.h"
#include "spdlog/spdlog.h"
#include "util/status_macros.h"
#include "wal/log_format.h"

namespace nendb {
namespace {

bool Reflects(const Version& v, const coord::State& s) {
  return v.gen == s.generation && v.seq == s.sequence && v.log_end == s.log_end;
}

}  // namespace

void DbCore::SetFiles(Env* env, std::shared_ptr<coord::Coordinator> coordinator,
                      const std::array<uint8_t, 16>& database_id) {
  env_ = env;
  coord_ = std::move(coordinator);
  database_id_ = database_id;
}

SnapshotHome DbCore::Home() const {
  SnapshotHome h;
  h.env = env_;
  h.dir = path_;
  h.writable = !read_only_ && options_.keep_projections;
  h.tmp_tag = absl::StrCat(pid_);
  return h;
}

void DbCore::PublishLocked(const Version& v) {
  if (coord_ == nullptr) return;
  coord::State s;
  s.generation = v.gen;
  s.log_end = v.log_end;
  s.durable_end = std::min(durable_, v.log_end);
  s.sequence = v.seq;
  s.database_id = database_id_;
  coord_->Publish(s);
}

void DbCore::PublishHead() {
  absl::MutexLock l(&mu_);
  PublishLocked(*head_);
}

void DbCore::MaybeReleaseWritesLocked() {
  if (coord_ != nullptr && !writer_active_ && pending_.empty()) coord_->UnlockWrites(this);
}

absl::Status DbCore::AcquireWrites(absl::Duration timeout) {
  if (coord_ == nullptr || coord_->HoldsWrites(this)) return absl::OkStatus();
  NENDB_RETURN_IF_ERROR(coord_->LockWrites(this, timeout));
  absl::Status s = [&]() -> absl::Status {
    NENDB_ASSIGN_OR_RETURN(const coord::State state, coord_->Read());
    std::shared_ptr<const Version> head;
    bool log_current;
    {
      absl::MutexLock l(&mu_);
      head = head_;
      log_current =
          log_ != nullptr && log_generation_ == state.generation && log_->size() == state.log_end;
    }
    if (!Reflects(*head, state)) {
      NENDB_ASSIGN_OR_RETURN(auto caught_up, Follow(head, state));
      Install(std::move(caught_up));
    }
    if (log_current) return absl::OkStatus();
    // Continue where the last writer (of any process) published its end: a
    // writer that died after it left nothing anyone may keep.
    const std::string path = path_ + "/" + LogName(state.generation);
    NENDB_ASSIGN_OR_RETURN(auto log,
                           wal::LogWriter::Continue(env_, path, {state.generation, 0, database_id_},
                                                    state.log_end, state.durable_end));
    SetLog(std::move(log), state.generation);
    return absl::OkStatus();
  }();
  if (!s.ok()) {
    absl::MutexLock l(&mu_);
    coord_->UnlockWrites(this);
  }
  return s;
}

absl::StatusOr<std::shared_ptr<const Version>> DbCore::Follow(std::shared_ptr<const Version> from,
                                                              const coord::State& state) {
  ReplayPlan plan;
  plan.env = env_;
  plan.dir = path_;
  plan.database_id = database_id_;
  plan.until = state.log_end;
  plan.home = Home();
  const WriteCtx ctx = Ctx(NewTxnId());
  if (from->gen == state.generation && from->log_end <= state.log_end &&
      from->seq <= state.sequence) {
    NENDB_ASSIGN_OR_RETURN(Replayed r, ReplayTail(plan, std::move(from), ctx));
    return r.version;
  }
  NENDB_ASSIGN_OR_RETURN(Replayed r,
                         LoadGeneration(plan, state.generation, options_.verify_on_open, ctx));
  return r.version;
}

absl::StatusOr<std::shared_ptr<const Version>> DbCore::Fresh() {
  NENDB_RETURN_IF_ERROR(CheckProcess());
  std::shared_ptr<const Version> cur = Current();
  if (coord_ == nullptr || coord_->HoldsWrites(this)) return cur;
  NENDB_ASSIGN_OR_RETURN(coord::State state, coord_->Read());
  if (Reflects(*cur, state)) return cur;
  absl::MutexLock refresh(&refresh_mu_);
  for (int attempt = 0; attempt < 10; ++attempt) {
    cur = Current();
    if (Reflects(*cur, state)) return cur;
    // Pinned before its files are opened: a checkpoint that has not yet
    // published a newer generation will see the pin and keep them.
    coord_->Pin(state.generation);
    absl::StatusOr<coord::State> again = coord_->Read();
    const bool moved = !again.ok() || again->generation != state.generation;
    absl::StatusOr<std::shared_ptr<const Version>> v = absl::UnavailableError("moved on");
    if (!moved) v = Follow(cur, *again);
    coord_->Unpin(state.generation);
    if (v.ok()) {
      absl::MutexLock l(&mu_);
      // A writer of this process may have moved on meanwhile: keep its state.
      if (current_ == cur && head_ == cur) current_ = head_ = *v;
      return v;
    }
    NENDB_ASSIGN_OR_RETURN(const coord::State latest, coord_->Read());
    // A failure of the files we pinned is real; otherwise a checkpoint moved
    // on between reading the state and opening its files.
    if (!moved && latest.generation == state.generation) return v.status();
    state = latest;
  }
  return BusyError(absl::StrCat("checkpoints in other processes kept replacing the files of ",
                                path_, " while this one opened them; try again"));
}

}  // namespace nendb
