#include "db/transactions.h"

#include <new>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "db/vector_indexes.h"
#include "nendb/errors.h"
#include "spdlog/spdlog.h"
#include "txn/op_log.h"
#include "txn/ops.h"
#include "txn/queries.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

// The read half of both transaction kinds, over whatever view() returns.
template <typename Base>
class ReadMethods : public Base {
 public:
  const Version& Snapshot() const { return view(); }
  // Threads for analytics that do not say: the database's Options::threads.
  virtual int DefaultThreads() const = 0;
  uint64_t Sequence() const override { return view().seq; }
  uint64_t NumNodes() const override { return view().nodes->live; }
  uint64_t NumEdges() const override { return view().edges->live; }
  uint64_t NodeIdBound() const override { return view().nodes->slots(); }
  bool HasNode(NodeId node) const override {
    return view().Ready(kPartNodes).ok() && view().nodes->IsLive(node);
  }
  bool HasEdge(EdgeId edge) const override {
    return view().Ready(kPartEdges).ok() && view().edges->IsLive(edge);
  }
  absl::StatusOr<NodeId> FindNode(absl::string_view label, const Key& key) const override {
    return query::FindNode(view(), label, key);
  }
  absl::Status FindNodes(absl::string_view label, const BulkKeys& keys,
                         absl::Span<NodeId> out) const override {
    return query::FindNodes(view(), label, keys, out);
  }
  absl::StatusOr<Node> GetNode(NodeId node) const override { return query::GetNode(view(), node); }
  absl::StatusOr<Edge> GetEdge(EdgeId edge) const override { return query::GetEdge(view(), edge); }
  absl::StatusOr<Value> GetProperty(NodeId node, absl::string_view name) const override {
    return query::GetProperty(view(), node, name);
  }
  absl::StatusOr<Value> GetEdgeProperty(EdgeId edge, absl::string_view name) const override {
    return query::GetEdgeProperty(view(), edge, name);
  }
  absl::Status Neighbors(NodeId node, Direction direction, absl::string_view edge_type,
                         std::vector<NodeId>* nodes, std::vector<EdgeId>* edges) const override {
    return query::Neighbors(view(), node, direction, edge_type, nodes, edges);
  }
  absl::StatusOr<uint64_t> Degree(NodeId node, Direction direction,
                                  absl::string_view edge_type) const override {
    return query::Degree(view(), node, direction, edge_type);
  }
  absl::StatusOr<std::vector<NodeId>> NodesWithLabel(absl::string_view label) const override {
    return query::NodesWithLabel(view(), label);
  }
  std::vector<std::string> Labels() const override { return view().catalog->labels.names(); }
  std::vector<std::string> EdgeTypes() const override { return view().catalog->edge_types.names(); }
  absl::StatusOr<LabelInfo> GetLabelInfo(absl::string_view label) const override {
    return query::GetLabelInfo(view(), label);
  }
  absl::StatusOr<EdgeTypeInfo> GetEdgeTypeInfo(absl::string_view type) const override {
    return query::GetEdgeTypeInfo(view(), type);
  }
  absl::Status ScanEdges(absl::string_view edge_type, std::vector<EdgeId>* ids,
                         std::vector<NodeId>* sources, std::vector<NodeId>* targets,
                         std::vector<double>* weights) const override {
    return query::ScanEdges(view(), edge_type, ids, sources, targets, weights);
  }
  absl::StatusOr<std::vector<NodeId>> ScanNodes() const override {
    return query::ScanNodes(view());
  }
  absl::Status ReadNodeColumn(absl::Span<const NodeId> nodes, absl::string_view name,
                              ColumnData* out) const override {
    return query::ReadNodeColumn(view(), nodes, name, out);
  }
  absl::Status ReadEdgeColumn(absl::Span<const EdgeId> edges, absl::string_view name,
                              ColumnData* out) const override {
    return query::ReadEdgeColumn(view(), edges, name, out);
  }
  absl::Status ReadKeys(absl::Span<const NodeId> nodes, ColumnData* int_keys,
                        ColumnData* string_keys) const override {
    return query::ReadKeys(view(), nodes, int_keys, string_keys);
  }
  absl::Status ReadLabels(absl::Span<const NodeId> nodes, NameCodes* out) const override {
    return query::ReadLabels(view(), nodes, out);
  }
  absl::Status ReadEdgeTypes(absl::Span<const EdgeId> edges, NameCodes* out) const override {
    return query::ReadEdgeTypes(view(), edges, out);
  }

 protected:
  virtual const Version& view() const = 0;
};

class ReadTxn final : public ReadMethods<ReadTransaction> {
 public:
  // Pins the version's generation for its life: its files stay while it reads.
  ReadTxn(std::shared_ptr<const Version> v, std::shared_ptr<coord::Coordinator> coord, int threads)
      : v_(std::move(v)), coord_(std::move(coord)), threads_(threads) {
    if (coord_ != nullptr && v_->gen != 0) coord_->Pin(v_->gen);
  }
  ~ReadTxn() override {
    if (coord_ != nullptr && v_->gen != 0) coord_->Unpin(v_->gen);
  }
  int DefaultThreads() const override { return threads_; }

 private:
  const Version& view() const override { return *v_; }
  std::shared_ptr<const Version> v_;
  std::shared_ptr<coord::Coordinator> coord_;
  const int threads_;
};

class WriteTxn final : public ReadMethods<WriteTransaction> {
 public:
  WriteTxn(std::shared_ptr<DbCore> core, std::shared_ptr<Version> working, TxnId id)
      : core_(std::move(core)),
        v_(std::move(working)),
        view_(v_),
        ctx_(core_->Ctx(id)),
        logging_(core_->logging()) {}
  ~WriteTxn() override { Rollback(); }
  int DefaultThreads() const override { return core_->threads(); }

  absl::StatusOr<NodeId> AddNode(const std::vector<std::string>& labels, const Key& key,
                                 const PropertyMap& props) override {
    return Run([&] { return ops::AddNode(*v_, ctx_, labels, key, props); },
               [&](NodeId id) { log_.AddNode(labels, key, props, id); });
  }
  absl::StatusOr<EdgeId> AddEdge(NodeId source, NodeId target, absl::string_view type,
                                 double weight, const PropertyMap& props) override {
    return Run([&] { return ops::AddEdge(*v_, ctx_, source, target, type, weight, props); },
               [&](EdgeId id) { log_.AddEdge(source, target, type, weight, props, id); });
  }
  absl::Status SetProperty(NodeId node, absl::string_view name, const Value& value) override {
    return Run([&] { return ops::SetProperty(*v_, ctx_, node, name, value); },
               [&] { log_.SetProperty(node, name, value); });
  }
  absl::Status SetEdgeProperty(EdgeId edge, absl::string_view name, const Value& value) override {
    return Run([&] { return ops::SetEdgeProperty(*v_, ctx_, edge, name, value); },
               [&] { log_.SetEdgeProperty(edge, name, value); });
  }
  absl::Status SetWeight(EdgeId edge, double weight) override {
    return Run([&] { return ops::SetWeight(*v_, ctx_, edge, weight); },
               [&] { log_.SetWeight(edge, weight); });
  }
  absl::Status AddLabel(NodeId node, absl::string_view label) override {
    return Run([&] { return ops::AddLabel(*v_, ctx_, node, label); },
               [&] { log_.AddLabel(node, label); });
  }
  absl::Status RemoveLabel(NodeId node, absl::string_view label) override {
    return Run([&] { return ops::RemoveLabel(*v_, ctx_, node, label); },
               [&] { log_.RemoveLabel(node, label); });
  }
  absl::Status DeleteNode(NodeId node, bool detach) override {
    return Run([&] { return ops::DeleteNode(*v_, ctx_, node, detach); },
               [&] { log_.DeleteNode(node, detach); });
  }
  absl::Status DeleteEdge(EdgeId edge) override {
    return Run([&] { return ops::DeleteEdge(*v_, ctx_, edge); }, [&] { log_.DeleteEdge(edge); });
  }
  absl::Status CreateVectorIndex(const VectorIndexSpec& spec) override {
    return Run([&] { return ops::CreateVectorIndex(*v_, ctx_, spec); },
               [&] { log_.CreateVectorIndex(spec); });
  }
  absl::Status DropVectorIndex(absl::string_view label, absl::string_view property,
                               VectorMetric metric) override {
    return Run([&] { return ops::DropVectorIndex(*v_, ctx_, label, property, metric); },
               [&] { log_.DropVectorIndex(label, property, metric); });
  }
  absl::Status DefineLabel(absl::string_view label, const LabelSchema& schema) override {
    return Run([&] { return ops::DefineLabel(*v_, ctx_, label, schema); },
               [&] { log_.DefineLabel(label, schema); });
  }
  absl::Status AddNodes(const NodeBatch& batch, absl::Span<NodeId> out_ids) override {
    PlanLog(OpLog::EstimateBytes(batch));
    const NodeId first = v_ != nullptr ? v_->nodes->slots() : 0;  // bulk ids are appended
    return Run([&] { return ops::AddNodes(*v_, ctx_, batch, out_ids); },
               [&] {
                 if (batch.count > 0) log_.AddNodes(batch, first);
               });
  }
  absl::Status AddEdges(const EdgeBatch& batch, absl::Span<EdgeId> out_ids) override {
    PlanLog(OpLog::EstimateBytes(batch));
    const EdgeId first =
        v_ != nullptr ? MakeEdgeId(static_cast<uint32_t>(v_->edges->slots()), 0) : 0;
    return Run([&] { return ops::AddEdges(*v_, ctx_, batch, out_ids); },
               [&] {
                 if (!batch.sources.empty()) log_.AddEdges(batch, first);
               });
  }

  absl::Status Commit() override {
    NENDB_RETURN_IF_ERROR(Usable());
    if (core_->closed()) {
      Rollback();
      return ClosedError(
          "the database was closed before this transaction committed; "
          "its changes were rolled back");
    }
    absl::Status s = Run([&] {
      // A snapshot holds a compact adjacency.
      ops::MaybeCompactAdjacency(*v_, ctx_, /*force=*/by_snapshot_);
      return SyncVectorIndexes(*v_, ctx_);
    });
    if (!s.ok()) return s;
    finished_ = true;
    std::shared_ptr<Version> v = std::move(v_);
    s = by_snapshot_ ? core_->CommitBySnapshot(v, streamed_) : core_->Commit(v, log_.bytes());
    log_.Clear();
    if (!s.ok()) {
      view_ = core_->Current();
      return s;
    }
    if (absl::Status c = core_->MaybeAutoCheckpoint(); !c.ok()) {
      // The commit itself is durable; a failed automatic checkpoint is retried
      // at the next commit.
      spdlog::warn("nendb: automatic checkpoint of {} failed: {}", core_->path(), c.ToString());
    }
    return absl::OkStatus();
  }

  void Rollback() override {
    if (finished_) return;
    finished_ = true;
    const uint64_t sequence = v_ != nullptr ? v_->seq + 1 : 0;
    v_.reset();
    view_ = core_->Current();  // reads after a rollback see the committed state
    core_->Abort(sequence, streamed_);
  }

 private:
  // Logged operations are streamed to the log once they pass this size, so a
  // huge transaction does not hold them all in memory.
  static constexpr size_t kStreamBytes = size_t{8} << 20;

  const Version& view() const override { return *view_; }

  absl::Status Usable() const {
    if (finished_) {
      return ClosedError(
          "this transaction has already committed or rolled back; "
          "begin a new one");
    }
    return absl::OkStatus();
  }

  // A transaction whose log would call for a checkpoint (with `more` bytes
  // to come) stops logging and commits as the next snapshot: its data is
  // written once, not to the log and then to a checkpoint.
  void PlanLog(size_t more) {
    if (!logging_ || !core_->CheckpointDue(streamed_bytes_ + log_.size() + more)) return;
    logging_ = false;
    by_snapshot_ = true;
    log_.Clear();
  }

  // Runs one operation and, if it succeeded, records it for the log. Running
  // out of memory half-way discards the whole transaction, since the working
  // version may then be inconsistent.
  template <typename Fn, typename Record>
  auto Run(Fn&& fn, Record&& record) -> decltype(fn()) {
    if (auto s = Usable(); !s.ok()) return s;
    try {
      auto result = fn();
      if (!result.ok() || !logging_) return result;
      if constexpr (std::is_same_v<decltype(result), absl::Status>) {
        record();
      } else {
        record(*result);
      }
      PlanLog(0);
      if (logging_ && log_.size() >= kStreamBytes) {
        if (absl::Status s = core_->LogData(v_->seq + 1, log_.bytes()); !s.ok()) {
          Rollback();
          return s;
        }
        streamed_bytes_ += log_.size();
        log_.Clear();
        streamed_ = true;
      }
      return result;
    } catch (const std::bad_alloc&) {
      Rollback();
      return CapacityError("out of memory during the transaction; it was rolled back");
    }
  }
  template <typename Fn>
  auto Run(Fn&& fn) -> decltype(fn()) {
    return Run(std::forward<Fn>(fn), [] {});
  }

  std::shared_ptr<DbCore> core_;
  std::shared_ptr<Version> v_;           // the working version until finished
  std::shared_ptr<const Version> view_;  // what reads see
  WriteCtx ctx_;
  bool logging_;
  OpLog log_;
  bool streamed_ = false;  // part of the log already written
  uint64_t streamed_bytes_ = 0;
  bool by_snapshot_ = false;  // commits as a snapshot instead of through the log
  bool finished_ = false;
};

}  // namespace

const Version* VersionOf(const ReadTransaction& tx, bool* committed, int* threads) {
  if (auto* r = dynamic_cast<const ReadMethods<ReadTransaction>*>(&tx)) {
    *committed = true;
    if (threads != nullptr) *threads = r->DefaultThreads();
    return &r->Snapshot();
  }
  if (auto* w = dynamic_cast<const ReadMethods<WriteTransaction>*>(&tx)) {
    *committed = false;
    if (threads != nullptr) *threads = w->DefaultThreads();
    return &w->Snapshot();
  }
  return nullptr;
}

std::unique_ptr<ReadTransaction> NewReadTxn(std::shared_ptr<const Version> v,
                                            std::shared_ptr<coord::Coordinator> coord,
                                            int threads) {
  return std::make_unique<ReadTxn>(std::move(v), std::move(coord), threads);
}

std::unique_ptr<WriteTransaction> NewWriteTxn(std::shared_ptr<DbCore> core,
                                              std::shared_ptr<Version> working, TxnId id) {
  return std::make_unique<WriteTxn>(std::move(core), std::move(working), id);
}

}  // namespace nendb
