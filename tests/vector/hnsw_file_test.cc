// Index files: a graph written and loaded back searches exactly like the one
// written (after removals too, and it can still be changed); its pending
// rows come back; a file of another index, generation or database, or for a
// column of another dimension, is refused; every damaged byte and every
// truncation is a Corruption error (or harmless), never a crash.
#include "vector/hnsw_file.h"

#include <random>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "gtest/gtest.h"
#include "nendb/errors.h"
#include "test_util.h"

namespace nendb::vec {
namespace {

constexpr char kDir[] = "/db";
constexpr char kName[] = "index.nvi";
const std::string kPath = std::string(kDir) + "/" + kName;
constexpr uint32_t kDim = 8;

std::vector<float> Random(uint64_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> pick(0.0f, 1.0f);
  std::vector<float> v(n * kDim);
  for (float& x : v) x = pick(rng);
  return v;
}

HnswFileId Id() {
  HnswFileId id;
  id.generation = 4;
  id.sequence = 99;
  id.database_id[3] = 0x5A;
  id.key =
      "vector-index\x1d"
      "1\x1d"
      "2";
  return id;
}

class HnswFileTest : public ::testing::Test {
 protected:
  void SetUp() override { NENDB_ASSERT_OK(env_->CreateDir(kDir)); }

  std::unique_ptr<Hnsw> Build(Metric metric, uint32_t n,
                              Quantization quantization = Quantization::kNone) {
    auto g = Hnsw::Create(metric, kDim,
                          HnswParams{.m = 6, .ef_construction = 40, .quantization = quantization})
                 .value();
    std::vector<uint32_t> slots(n);
    for (uint32_t i = 0; i < n; ++i) slots[i] = i;
    EXPECT_TRUE(g->Insert(rows_, slots, 2).ok());
    return g;
  }
  absl::Status Write(const Hnsw& g, const std::vector<uint32_t>& pending) {
    return HnswFile::Write(env_.get(), kDir, kName, ".tmp", g, pending, Id());
  }
  absl::StatusOr<HnswFile::Loaded> Load(const HnswFileId& id = Id()) {
    return HnswFile::Load(env_.get(), kPath, id, rows_);
  }
  std::string Bytes() { return fuzz::ReadFile(env_.get(), kPath).value(); }
  void Replace(const std::string& bytes) {
    NENDB_ASSERT_OK(env_->DeleteFile(kPath));
    NENDB_ASSERT_OK(fuzz::WriteFile(env_.get(), kPath, bytes));
  }
  void ExpectSameSearches(const Hnsw& a, const Hnsw& b) {
    const std::vector<float> queries = Random(20, 5);
    for (uint32_t q = 0; q < 20; ++q) {
      auto x = a.Search(rows_, &queries[q * kDim], 10, 32, nullptr);
      auto y = b.Search(rows_, &queries[q * kDim], 10, 32, nullptr);
      ASSERT_EQ(x.size(), y.size());
      for (size_t i = 0; i < x.size(); ++i) {
        EXPECT_EQ(x[i].slot, y[i].slot);
        EXPECT_EQ(x[i].distance, y[i].distance);
      }
    }
  }

  std::unique_ptr<Env> env_ = Env::NewMemEnv();
  std::vector<float> data_ = Random(1500, 1);
  RowView rows_ = RowView::Flat(data_.data(), 1500, kDim);
};

TEST_F(HnswFileTest, ALoadedGraphSearchesLikeTheOneWritten) {
  const std::pair<Metric, Quantization> kinds[] = {
      {Metric::kL2Squared, Quantization::kNone},    {Metric::kCosine, Quantization::kNone},
      {Metric::kInnerProduct, Quantization::kNone}, {Metric::kHamming, Quantization::kNone},
      {Metric::kL2Squared, Quantization::kInt8},    {Metric::kCosine, Quantization::kInt8}};
  for (const auto& [metric, quantization] : kinds) {
    std::unique_ptr<Hnsw> g = Build(metric, 1200, quantization);
    std::vector<uint32_t> removed;
    for (uint32_t s = 0; s < 1200; s += 3) removed.push_back(s);
    removed.push_back(g->entry());
    g->Remove(rows_, removed, 2);
    NENDB_ASSERT_OK(Write(*g, {5, 1300, 1499}));
    auto loaded = Load();
    NENDB_ASSERT_OK(loaded.status());
    EXPECT_EQ(loaded->pending, (std::vector<uint32_t>{5, 1300, 1499}));
    const Hnsw& h = *loaded->graph;
    EXPECT_EQ(h.metric(), metric);
    EXPECT_EQ(h.params().quantization, quantization);
    EXPECT_EQ(std::vector<float>(h.quantizer_lo().begin(), h.quantizer_lo().end()),
              std::vector<float>(g->quantizer_lo().begin(), g->quantizer_lo().end()));
    EXPECT_EQ(std::vector<float>(h.quantizer_scale().begin(), h.quantizer_scale().end()),
              std::vector<float>(g->quantizer_scale().begin(), g->quantizer_scale().end()));
    EXPECT_EQ(h.size(), g->size());
    EXPECT_EQ(h.capacity(), g->capacity());
    EXPECT_EQ(h.entry(), g->entry());
    for (uint32_t s = 0; s < g->capacity(); ++s) {
      ASSERT_EQ(h.Level(s), g->Level(s));
      for (int l = 0; l <= g->Level(s); ++l) {
        ASSERT_EQ(std::vector<uint32_t>(h.Links(s, l).begin(), h.Links(s, l).end()),
                  std::vector<uint32_t>(g->Links(s, l).begin(), g->Links(s, l).end()));
      }
    }
    ExpectSameSearches(*g, h);
    // The loaded graph takes changes: the upper levels' slots leave (their
    // blocks freed), the removed slots come back.
    std::vector<uint32_t> high;
    for (uint32_t s = 0; s < h.capacity(); ++s) {
      if (h.Level(s) > 0) high.push_back(s);
    }
    ASSERT_FALSE(high.empty());
    loaded->graph->Remove(rows_, high, 2);
    NENDB_ASSERT_OK(loaded->graph->Check());
    removed.insert(removed.end(), high.begin(), high.end());
    NENDB_ASSERT_OK(loaded->graph->Insert(rows_, removed, 2));
    NENDB_EXPECT_OK(loaded->graph->Check());
    EXPECT_EQ(loaded->graph->size(), 1200u);
    NENDB_ASSERT_OK(env_->DeleteFile(kPath));
  }
}

TEST_F(HnswFileTest, AFileOfAnotherIndexOrDatabaseIsRefused) {
  EXPECT_EQ(Load().status().code(), absl::StatusCode::kNotFound);
  NENDB_ASSERT_OK(Write(*Build(Metric::kL2Squared, 300), {}));
  NENDB_ASSERT_OK(Load().status());
  HnswFileId id = Id();
  id.key = "another";
  EXPECT_EQ(Load(id).status().code(), absl::StatusCode::kFailedPrecondition);
  for (int field = 0; field < 3; ++field) {
    id = Id();
    if (field == 0) id.generation = 5;
    if (field == 1) id.sequence = 98;
    if (field == 2) id.database_id[0] = 1;
    const absl::Status s = Load(id).status();
    EXPECT_EQ(ErrorKindOf(s), ErrorKind::kCorruption) << s;
    EXPECT_EQ(CorruptionFile(s), kPath);
  }
  // A column of another dimension, or with fewer rows than the graph's slots.
  std::vector<float> wide = Random(1500, 1);
  const RowView other = RowView::Flat(wide.data(), 1500 / 2, kDim * 2);
  EXPECT_EQ(ErrorKindOf(HnswFile::Load(env_.get(), kPath, Id(), other).status()),
            ErrorKind::kCorruption);
  const RowView fewer = RowView::Flat(data_.data(), 100, kDim);
  EXPECT_EQ(ErrorKindOf(HnswFile::Load(env_.get(), kPath, Id(), fewer).status()),
            ErrorKind::kCorruption);
}

TEST_F(HnswFileTest, DamageIsCaughtNeverACrash) {
  // Every second trial damages an int8 index (its ranges are a section).
  NENDB_ASSERT_OK(Write(*Build(Metric::kCosine, 400), {7, 9}));
  const std::string plain = Bytes();
  NENDB_ASSERT_OK(Write(*Build(Metric::kL2, 400, Quantization::kInt8), {7, 9}));
  const std::string quantized = Bytes();
  std::mt19937_64 rng(11);
  uint64_t caught = 0, harmless = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const std::string& good = trial % 4 < 2 ? plain : quantized;
    std::string bad = good;
    // Half the flips in the header, meta and table, where fields are dense.
    const uint64_t at = trial % 2 == 0 ? rng() % bad.size() : rng() % 4200;
    bad[at] = static_cast<char>(bad[at] ^ (1 + rng() % 255));
    Replace(bad);
    auto loaded = Load();
    if (loaded.ok()) {
      // Only bytes no reader looks at (padding, a removed slot's links).
      NENDB_EXPECT_OK(loaded->graph->Check());
      ++harmless;
    } else {
      const absl::Status& s = loaded.status();
      EXPECT_TRUE(ErrorKindOf(s) == ErrorKind::kCorruption ||
                  s.code() == absl::StatusCode::kFailedPrecondition)
          << "byte " << at << ": " << s;
      ++caught;
    }
    // The same damage behind valid checksums reaches the range checks: a
    // graph that loads is one every search and change can use.
    fuzz::FixSectionChecksums(&bad);
    Replace(bad);
    if (auto forged = Load(); forged.ok()) {
      NENDB_EXPECT_OK(forged->graph->Check());
      const std::vector<float> q = Random(1, trial);
      (void)forged->graph->Search(rows_, q.data(), 10, 32, nullptr);
      std::vector<uint32_t> slots = {0, 1, 2, 3};
      forged->graph->Remove(rows_, slots, 1);
      NENDB_EXPECT_OK(forged->graph->Insert(rows_, slots, 1));
    }
  }
  EXPECT_EQ(caught + harmless, 600u);
  EXPECT_GT(caught, 500u);
  const std::string& good = quantized;
  for (uint64_t keep :
       {uint64_t{0}, uint64_t{100}, uint64_t{4096}, good.size() / 2, good.size() - 1}) {
    Replace(good.substr(0, keep));
    EXPECT_EQ(ErrorKindOf(Load().status()), ErrorKind::kCorruption) << keep << " bytes";
  }
  Replace(good);
  NENDB_EXPECT_OK(Load().status());
}

}  // namespace
}  // namespace nendb::vec
