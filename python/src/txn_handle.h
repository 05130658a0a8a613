// TxnHandle: what the Python ReadTransaction and WriteTransaction objects
// hold. It owns the core transaction until release() and serializes access
// the way transaction.h asks: many concurrent readers of a ReadTransaction,
// one caller at a time on a WriteTransaction (Python threads run core calls
// with the GIL released, so the binding must not rely on the GIL for that).
//
// DefineReadMethods() adds the read API to either bound class, so a write
// transaction reads its own writes through the same methods.
#ifndef NENDB_PYTHON_TXN_HANDLE_H_
#define NENDB_PYTHON_TXN_HANDLE_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "common.h"
#include "nendb/errors.h"

namespace nendb::python {

template <typename Txn>
class TxnHandle {
 public:
  explicit TxnHandle(std::unique_ptr<Txn> tx) : tx_(std::move(tx)) {}
  ~TxnHandle() {
    // Dropping a write transaction rolls it back; it needs no Python state.
    std::unique_ptr<Txn> tx;
    {
      std::unique_lock lock(mu_);
      tx = std::move(tx_);
    }
  }
  TxnHandle(const TxnHandle&) = delete;
  TxnHandle& operator=(const TxnHandle&) = delete;

  // Runs fn(txn) with the GIL released and raises the status it returns
  // (absl::Status or absl::StatusOr<T>); returns the value.
  template <typename Fn>
  auto Run(Fn&& fn) {
    using R = decltype(fn(std::declval<Txn&>()));
    std::optional<R> result;
    if constexpr (!kShared) {
      // A progress callback running inside an import on this transaction
      // would wait for itself: refuse instead of hanging.
      if (owner_.load() == std::this_thread::get_id()) {
        ThrowInvalid(
            "this write transaction is busy in an import on this thread (a "
            "progress callback cannot use it); read through another "
            "transaction or after the import");
      }
    }
    {
      py::gil_scoped_release nogil;
      auto lock = Lock();
      Owner owner(kShared ? nullptr : &owner_);
      if (tx_ == nullptr) {
        result.emplace(ClosedError(kReleased));
      } else {
        result.emplace(fn(*tx_));
      }
    }
    if constexpr (std::is_same_v<R, absl::Status>) {
      Check(*result);
    } else {
      return Take(std::move(*result));
    }
  }

  // Ends the transaction (a write transaction that did not commit rolls
  // back). Later calls raise ClosedError. Idempotent.
  void release() {
    if (owner_.load() == std::this_thread::get_id()) {
      ThrowInvalid(
          "a write transaction cannot be closed from a progress callback of "
          "its own "
          "import; raise an exception or return False to cancel the import");
    }
    std::unique_ptr<Txn> tx;
    py::gil_scoped_release nogil;
    std::unique_lock lock(mu_);
    tx = std::move(tx_);
    lock.unlock();
    tx.reset();
  }
  bool released() const {
    if (owner_.load() == std::this_thread::get_id()) return false;  // in use by this thread
    std::shared_lock lock(mu_);
    return tx_ == nullptr;
  }

 private:
  static constexpr char kReleased[] =
      "this transaction is closed (its with-block ended or close() was "
      "called); begin a new one";
  static constexpr bool kShared = !std::is_base_of_v<WriteTransaction, Txn>;

  // Marks the calling thread as inside Run() until the scope ends.
  class Owner {
   public:
    explicit Owner(std::atomic<std::thread::id>* id) : id_(id) {
      if (id_ != nullptr) id_->store(std::this_thread::get_id());
    }
    ~Owner() {
      if (id_ != nullptr) id_->store(std::thread::id());
    }
    Owner(const Owner&) = delete;
    Owner& operator=(const Owner&) = delete;

   private:
    std::atomic<std::thread::id>* id_;
  };

  auto Lock() {
    if constexpr (kShared) {
      return std::shared_lock(mu_);
    } else {
      return std::unique_lock(mu_);
    }
  }

  mutable std::shared_mutex mu_;
  std::atomic<std::thread::id> owner_{};  // the thread inside Run (write handles)
  std::unique_ptr<Txn> tx_;
};

using ReadHandle = TxnHandle<ReadTransaction>;
using WriteHandle = TxnHandle<WriteTransaction>;

// The read API of transaction.h, added to a bound handle class.
template <typename Handle, typename Class>
void DefineReadMethods(Class& cls) {
  cls.def_property_readonly(
         "sequence",
         [](Handle& h) {
           return h.Run(
               [](const ReadTransaction& t) -> absl::StatusOr<uint64_t> { return t.Sequence(); });
         },
         "The commit this transaction's snapshot reflects (0 for a new "
         "database).")
      .def_property_readonly(
          "num_nodes",
          [](Handle& h) {
            return h.Run(
                [](const ReadTransaction& t) -> absl::StatusOr<uint64_t> { return t.NumNodes(); });
          },
          "Number of live nodes.")
      .def_property_readonly(
          "num_edges",
          [](Handle& h) {
            return h.Run(
                [](const ReadTransaction& t) -> absl::StatusOr<uint64_t> { return t.NumEdges(); });
          },
          "Number of live edges.")
      .def_property_readonly(
          "node_id_bound",
          [](Handle& h) {
            return h.Run([](const ReadTransaction& t) -> absl::StatusOr<uint64_t> {
              return t.NodeIdBound();
            });
          },
          "One past the largest node id ever assigned.")
      .def(
          "has_node",
          [](Handle& h, uint64_t node) {
            return h.Run(
                [&](const ReadTransaction& t) -> absl::StatusOr<bool> { return t.HasNode(node); });
          },
          py::arg("node"), "Whether the node exists.")
      .def(
          "has_edge",
          [](Handle& h, uint64_t edge) {
            return h.Run(
                [&](const ReadTransaction& t) -> absl::StatusOr<bool> { return t.HasEdge(edge); });
          },
          py::arg("edge"), "Whether the edge exists.")
      .def(
          "find",
          [](Handle& h, const std::string& label, py::handle key) -> py::object {
            const Key k = ToKey(key);
            auto found =
                h.Run([&](const ReadTransaction& t) -> absl::StatusOr<std::optional<NodeId>> {
                  auto r = t.FindNode(View(label), k);
                  if (!r.ok() && ErrorKindOf(r.status()) == ErrorKind::kNotFound) {
                    return std::optional<NodeId>();
                  }
                  if (!r.ok()) return r.status();
                  return std::optional<NodeId>(*r);
                });
            if (!found) return py::none();
            return py::int_(*found);
          },
          py::arg("label"), py::arg("key"), "The id of the node with the label and key, or None.")
      .def(
          "find_many",
          [](Handle& h, const std::string& label, py::handle keys) {
            Keys k(keys);
            std::vector<NodeId> out(k.size());
            h.Run([&](const ReadTransaction& t) {
              return t.FindNodes(View(label), k.get(), absl::MakeSpan(out));
            });
            return ToArray(std::move(out));
          },
          py::arg("label"), py::arg("keys"),
          "Ids of the nodes with the label and each key (uint64 array); "
          "2**64-1 where there is none.")
      .def(
          "node",
          [](Handle& h, uint64_t node) {
            return FromNode(h.Run([&](const ReadTransaction& t) { return t.GetNode(node); }));
          },
          py::arg("node"), "The node as a dict: id, labels, key, properties.")
      .def(
          "edge",
          [](Handle& h, uint64_t edge) {
            return FromEdge(h.Run([&](const ReadTransaction& t) { return t.GetEdge(edge); }));
          },
          py::arg("edge"), "The edge as a dict: id, source, target, type, weight, properties.")
      .def(
          "property",
          [](Handle& h, uint64_t node, const std::string& name) {
            return FromValue(
                h.Run([&](const ReadTransaction& t) { return t.GetProperty(node, View(name)); }));
          },
          py::arg("node"), py::arg("name"), "A node's property value, or None.")
      .def(
          "edge_property",
          [](Handle& h, uint64_t edge, const std::string& name) {
            return FromValue(h.Run(
                [&](const ReadTransaction& t) { return t.GetEdgeProperty(edge, View(name)); }));
          },
          py::arg("edge"), py::arg("name"), "An edge's property value, or None.")
      .def(
          "neighbors",
          [](Handle& h, uint64_t node, const std::string& direction, const std::string& edge_type,
             bool with_edges) -> py::object {
            const Direction d = ToDirection(direction);
            std::vector<NodeId> nodes;
            std::vector<EdgeId> edges;
            h.Run([&](const ReadTransaction& t) {
              return t.Neighbors(node, d, View(edge_type), &nodes, with_edges ? &edges : nullptr);
            });
            if (with_edges)
              return py::make_tuple(ToArray(std::move(nodes)), ToArray(std::move(edges)));
            return ToArray(std::move(nodes));
          },
          py::arg("node"), py::arg("direction") = "out", py::arg("edge_type") = "",
          py::arg("with_edges") = false,
          "Neighbour ids (uint64 array), one per edge; with_edges: (nodes, "
          "edges).")
      .def(
          "degree",
          [](Handle& h, uint64_t node, const std::string& direction, const std::string& edge_type) {
            const Direction d = ToDirection(direction);
            return h.Run(
                [&](const ReadTransaction& t) { return t.Degree(node, d, View(edge_type)); });
          },
          py::arg("node"), py::arg("direction") = "out", py::arg("edge_type") = "",
          "Number of edges at the node in the direction.")
      .def(
          "nodes",
          [](Handle& h, const std::string& label) {
            return ToArray(
                h.Run([&](const ReadTransaction& t) { return t.NodesWithLabel(View(label)); }));
          },
          py::arg("label"), "Ids of the live nodes with the label, in id order (uint64 array).")
      .def(
          "labels",
          [](Handle& h) {
            return h.Run([](const ReadTransaction& t) -> absl::StatusOr<std::vector<std::string>> {
              return t.Labels();
            });
          },
          "Names of all labels.")
      .def(
          "edge_types",
          [](Handle& h) {
            return h.Run([](const ReadTransaction& t) -> absl::StatusOr<std::vector<std::string>> {
              return t.EdgeTypes();
            });
          },
          "Names of all edge types.")
      .def(
          "label_info",
          [](Handle& h, const std::string& label) {
            return FromLabelInfo(
                h.Run([&](const ReadTransaction& t) { return t.GetLabelInfo(View(label)); }));
          },
          py::arg("label"), "A label's node count, strictness and property columns.")
      .def(
          "edge_type_info",
          [](Handle& h, const std::string& type) {
            return FromEdgeTypeInfo(
                h.Run([&](const ReadTransaction& t) { return t.GetEdgeTypeInfo(View(type)); }));
          },
          py::arg("type"), "An edge type's edge count and property columns.")
      .def(
          "edges",
          [](Handle& h, const std::string& edge_type) {
            std::vector<EdgeId> ids;
            std::vector<NodeId> sources, targets;
            std::vector<double> weights;
            h.Run([&](const ReadTransaction& t) {
              return t.ScanEdges(View(edge_type), &ids, &sources, &targets, &weights);
            });
            py::dict out;
            out["id"] = ToArray(std::move(ids));
            out["source"] = ToArray(std::move(sources));
            out["target"] = ToArray(std::move(targets));
            out["weight"] = ToArray(std::move(weights));
            return out;
          },
          py::arg("edge_type") = "",
          "Edges of the type (empty: all) as a dict of arrays id, source, "
          "target, weight.")
      .def("close", &Handle::release, "Ends the transaction. Idempotent.")
      .def_property_readonly("closed", &Handle::released, "Whether close() was called.");
}

}  // namespace nendb::python

#endif  // NENDB_PYTHON_TXN_HANDLE_H_
