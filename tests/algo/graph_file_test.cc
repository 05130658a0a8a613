// Projection files: a graph written and loaded back is the same graph (arcs,
// weights, vertex map, lazy in-weights, kernel results); a file of another
// projection, generation or database is refused; damage anywhere, and ids out
// of range behind valid checksums, are Corruption errors naming the file.
#include "algo/graph_file.h"

#include <cstring>
#include <vector>

#include "algo/generate.h"
#include "algo/pagerank.h"
#include "algo/reorder.h"
#include "fuzz/fuzz_util.h"
#include "gtest/gtest.h"
#include "snapshot/format.h"
#include "snapshot/sections.h"
#include "test_util.h"

namespace nendb::algo {
namespace {

constexpr char kDir[] = "/db";
constexpr char kName[] = "graph.ngr";
const std::string kPath = std::string(kDir) + "/" + kName;

GraphFileId IdOf(const Graph& g) {
  GraphFileId id;
  id.generation = 3;
  id.sequence = 17;
  id.database_id[0] = 0xAB;
  id.node_id_bound = g.node_id_bound();
  id.key =
      "graph\x1d\x1e\x1e"
      "d\x1e\x1d"
      "auto";
  return id;
}

template <typename T>
std::vector<T> Copy(const T* p, uint64_t n) {
  return p == nullptr ? std::vector<T>() : std::vector<T>(p, p + n);
}

void ExpectSameArcs(const Arcs& a, const Arcs& b, Vid n) {
  const uint64_t m = a.offsets[n];
  EXPECT_EQ(Copy(a.offsets, n + 1), Copy(b.offsets, n + 1));
  EXPECT_EQ(Copy(a.targets, m), Copy(b.targets, m));
  EXPECT_EQ(Copy(a.weights, m), Copy(b.weights, m));
}

class GraphFileTest : public ::testing::Test {
 protected:
  void SetUp() override { NENDB_ASSERT_OK(env_->CreateDir(kDir)); }

  absl::Status Write(const Graph& g, const GraphFileId& id) {
    return WriteGraphFile(env_.get(), kDir, kName, ".tmp", g, id);
  }
  absl::StatusOr<std::shared_ptr<const Graph>> Load(const GraphFileId& id) {
    return LoadGraphFile(env_.get(), kPath, id, 2);
  }
  std::string Bytes() { return fuzz::ReadFile(env_.get(), kPath).value(); }
  void Replace(const std::string& bytes) {
    NENDB_ASSERT_OK(env_->DeleteFile(kPath));
    NENDB_ASSERT_OK(fuzz::WriteFile(env_.get(), kPath, bytes));
  }
  // The table entry of a section of the file as written.
  snapshot::SectionEntry Entry(snapshot::SectionKind kind, uint32_t index) {
    auto f =
        snapshot::SectionFile::Open(env_->MapFile(kPath).value(), {"NENDBGRF", 1, "projection"})
            .value();
    return f.entry(f.Locate(kind, index, 0).value());
  }

  std::unique_ptr<Env> env_ = Env::NewMemEnv();
};

TEST_F(GraphFileTest, ALoadedGraphIsTheGraphThatWasWritten) {
  for (bool directed : {true, false}) {
    for (bool weighted : {false, true}) {
      for (bool reordered : {false, true}) {
        auto g = ToGraph(Kronecker(9, 8, 5, weighted), directed);
        if (reordered) g = Reordered(*g, DegreeOrder(*g, 2), 2);
        NENDB_ASSERT_OK(Write(*g, IdOf(*g)));
        NENDB_ASSERT_OK_AND_ASSIGN(auto l, Load(IdOf(*g)));
        ASSERT_EQ(l->num_vertices(), g->num_vertices());
        ASSERT_EQ(l->num_arcs(), g->num_arcs());
        EXPECT_EQ(l->directed(), directed);
        EXPECT_EQ(l->weighted(), weighted);
        EXPECT_EQ(l->node_id_bound(), g->node_id_bound());
        EXPECT_EQ(l->node_ids().size(), reordered ? g->num_vertices() : 0);
        for (Vid u = 0; u < g->num_vertices(); ++u) {
          ASSERT_EQ(l->Node(u), g->Node(u));
          ASSERT_EQ(l->VertexOf(g->Node(u)), u);
        }
        ExpectSameArcs(l->out(), g->out(), g->num_vertices());
        // The in-weights of a weighted directed graph are built on first use
        // from the mapped arcs, as from built ones.
        ExpectSameArcs(l->in(), g->in(), g->num_vertices());
        Control c;
        c.threads = 2;
        NENDB_ASSERT_OK_AND_ASSIGN(auto pr_l, PageRank(*l, {}, c));
        NENDB_ASSERT_OK_AND_ASSIGN(auto pr_g, PageRank(*g, {}, c));
        EXPECT_EQ(pr_l.rank, pr_g.rank);
        NENDB_ASSERT_OK(env_->DeleteFile(kPath));
      }
    }
  }
}

TEST_F(GraphFileTest, AGraphWithoutArcsOrVertices) {
  for (Vid n : {Vid{0}, Vid{5}}) {
    auto g = Graph::FromArcs(n, {}, {}, {}, /*directed=*/true);
    NENDB_ASSERT_OK(Write(*g, IdOf(*g)));
    NENDB_ASSERT_OK_AND_ASSIGN(auto l, Load(IdOf(*g)));
    EXPECT_EQ(l->num_vertices(), n);
    EXPECT_EQ(l->num_arcs(), 0u);
    NENDB_ASSERT_OK(env_->DeleteFile(kPath));
  }
}

TEST_F(GraphFileTest, AFileOfAnotherProjectionGenerationOrDatabaseIsRefused) {
  auto g = ToGraph(Kronecker(6, 4, 1, false), true);
  const GraphFileId id = IdOf(*g);
  EXPECT_EQ(ErrorKindOf(Load(id).status()), ErrorKind::kNotFound);
  NENDB_ASSERT_OK(Write(*g, id));
  GraphFileId other = id;
  other.key += "x";
  EXPECT_EQ(Load(other).status().code(), absl::StatusCode::kFailedPrecondition);
  for (int field = 0; field < 4; ++field) {
    other = id;
    if (field == 0) other.generation += 1;
    if (field == 1) other.sequence += 1;
    if (field == 2) other.database_id[5] ^= 1;
    if (field == 3) other.node_id_bound += 1;
    const absl::Status s = Load(other).status();
    EXPECT_EQ(ErrorKindOf(s), ErrorKind::kCorruption) << field << " " << s;
    EXPECT_NE(s.message().find(kPath), std::string::npos) << s;
  }
}

// What `nendb check` asks for: any projection and commit of the generation,
// node ids up to a maximum.
TEST_F(GraphFileTest, AnInexactIdAcceptsAnyKeyAndCommitOfTheGeneration) {
  auto g = ToGraph(Kronecker(6, 4, 1, false), true);
  NENDB_ASSERT_OK(Write(*g, IdOf(*g)));
  GraphFileId loose = IdOf(*g);
  loose.exact = false;
  loose.key = "";
  loose.sequence = 99;
  loose.node_id_bound += 10;
  NENDB_EXPECT_OK(Load(loose).status());
  loose.node_id_bound -= 11;
  EXPECT_EQ(ErrorKindOf(Load(loose).status()), ErrorKind::kCorruption);
  loose.node_id_bound += 1;
  loose.generation += 1;
  EXPECT_EQ(ErrorKindOf(Load(loose).status()), ErrorKind::kCorruption);
}

TEST_F(GraphFileTest, ANewerFormatAsksForAnUpgrade) {
  auto g = ToGraph(Kronecker(6, 4, 1, false), true);
  NENDB_ASSERT_OK(Write(*g, IdOf(*g)));
  std::string bytes = Bytes();
  const uint32_t version = 2;
  std::memcpy(bytes.data() + offsetof(snapshot::Header, format_version), &version, 4);
  fuzz::FixSectionChecksums(&bytes);
  Replace(bytes);
  const absl::Status s = Load(IdOf(*g)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("Upgrade nendb"), std::string::npos) << s;
}

TEST_F(GraphFileTest, DamageAnywhereIsCorruption) {
  auto g = ToGraph(Kronecker(7, 8, 2, /*weighted=*/true), /*directed=*/true);
  g = Reordered(*g, DegreeOrder(*g, 2), 2);  // with a vertex map
  NENDB_ASSERT_OK(Write(*g, IdOf(*g)));
  const std::string pristine = Bytes();
  // A byte of every 97, and a truncation and extension.
  for (size_t at = 0; at < pristine.size(); at += 97) {
    std::string bytes = pristine;
    bytes[at] ^= 0x40;
    Replace(bytes);
    const absl::Status s = Load(IdOf(*g)).status();
    if (s.ok()) {
      // Only padding between sections is not covered by a checksum.
      EXPECT_EQ(pristine[at], 0) << at;
      continue;
    }
    EXPECT_EQ(ErrorKindOf(s), ErrorKind::kCorruption) << at << " " << s;
  }
  for (std::string bytes : {pristine.substr(0, pristine.size() - 1), pristine + "x"}) {
    Replace(bytes);
    EXPECT_EQ(ErrorKindOf(Load(IdOf(*g)).status()), ErrorKind::kCorruption);
  }
}

// A file whose checksums match what it holds (a bug, a forged file) is still
// checked for everything a kernel would index with.
TEST_F(GraphFileTest, IdsOutOfRangeBehindValidChecksumsAreCorruption) {
  auto g = ToGraph(Kronecker(7, 8, 2, /*weighted=*/true), /*directed=*/true);
  g = Reordered(*g, DegreeOrder(*g, 2), 2);
  NENDB_ASSERT_OK(Write(*g, IdOf(*g)));
  const std::string pristine = Bytes();
  using snapshot::SectionKind;
  struct Case {
    SectionKind kind;
    uint32_t index;
    uint64_t element;
    uint64_t value;
    int bytes;
  };
  const Vid n = g->num_vertices();
  const uint64_t m = g->num_arcs();
  const Case cases[] = {
      {SectionKind::kGraphTargets, 0, 3, n, 4},          // a target past the vertices
      {SectionKind::kGraphTargets, 1, m - 1, ~0u, 4},    // in the in-arcs
      {SectionKind::kGraphOffsets, 0, 0, 1, 8},          // not starting at 0
      {SectionKind::kGraphOffsets, 1, n / 2, m + 1, 8},  // past the arcs
      {SectionKind::kGraphOffsets, 0, n, m - 1, 8},      // not ending at the arc count
      {SectionKind::kGraphNodes, 0, 1, g->Node(0), 8},   // a node twice
      {SectionKind::kGraphNodes, 0, 2, g->node_id_bound(), 8},
      {SectionKind::kGraphWeights, 0, m / 2, 0x7fc00000, 4},  // NaN
  };
  for (const Case& c : cases) {
    std::string bytes = pristine;
    const snapshot::SectionEntry e = Entry(c.kind, c.index);
    std::memcpy(bytes.data() + e.offset + c.element * c.bytes, &c.value, c.bytes);
    fuzz::FixSectionChecksums(&bytes);
    Replace(bytes);
    const absl::Status s = Load(IdOf(*g)).status();
    EXPECT_EQ(ErrorKindOf(s), ErrorKind::kCorruption)
        << snapshot::SectionName(c.kind) << " " << c.element << " " << s;
    Replace(pristine);
  }
  NENDB_EXPECT_OK(Load(IdOf(*g)).status());
}

}  // namespace
}  // namespace nendb::algo
