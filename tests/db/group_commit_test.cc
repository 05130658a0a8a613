// Group commit: with sync=full, committers in one process share syncs of the
// log; every commit is still durable when Commit() returns.
#include <thread>
#include <vector>

#include "env/fault_env.h"
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

TEST(GroupCommitTest, ConcurrentCommittersShareSyncs) {
  FaultEnv env;
  env.set_sync_delay(absl::Milliseconds(2));  // a disk's flush latency
  Options o;
  o.env = &env;
  o.checkpoint_log_bytes = uint64_t{1} << 30;
  auto db = Database::Open("/db", o).value();
  constexpr int kThreads = 4, kCommits = 25;
  const uint64_t syncs_before = env.file_syncs();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommits; ++i) {
        EXPECT_TRUE(testing::WriteTxn(*db, [&](WriteTransaction& tx) {
                      return tx.AddNode("N", Key(int64_t{t * 1000 + i})).status();
                    }).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  const uint64_t syncs = env.file_syncs() - syncs_before;
  constexpr uint64_t kTotal = kThreads * kCommits;
  // One sync each would be kTotal; waiting committers join the sync after
  // the one in flight.
  EXPECT_LT(syncs, kTotal * 3 / 4) << syncs << " syncs for " << kTotal << " commits";
  EXPECT_GT(syncs, 0u);
  std::printf("%llu syncs for %llu commits\n", static_cast<unsigned long long>(syncs),
              static_cast<unsigned long long>(kTotal));
  env.Crash();  // power loss: every acknowledged commit must be there
  env.Restart();
  db.reset();
  o.env = &env;
  auto reopened = Database::Open("/db", o).value();
  EXPECT_EQ(testing::Read(*reopened)->NumNodes(), kTotal);
}

}  // namespace
}  // namespace nendb
