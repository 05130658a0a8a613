// nendb._nendb.Database: a handle on one database directory or ":memory:".
#include "nendb/database.h"

#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common.h"
#include "txn_handle.h"

namespace nendb::python {
namespace {

SyncMode ToSync(const std::string& sync) {
  if (sync == "full") return SyncMode::kFull;
  if (sync == "normal") return SyncMode::kNormal;
  if (sync == "off") return SyncMode::kOff;
  ThrowInvalid(absl::StrCat("sync must be \"full\", \"normal\" or \"off\", not \"", sync, "\""));
}

absl::Duration ToTimeout(py::handle seconds) {
  if (seconds.is_none()) return absl::InfiniteDuration();
  const double s = seconds.cast<double>();
  if (std::isnan(s) || s < 0) {
    ThrowInvalid(
        "busy_timeout must be a non-negative number of seconds (or None: wait "
        "forever)");
  }
  if (std::isinf(s)) return absl::InfiniteDuration();
  return absl::Seconds(s);
}

// The handle; the core database stays alive while transactions use it (they
// share its state), and Close() makes later calls fail with ClosedError.
struct DbHandle {
  explicit DbHandle(std::unique_ptr<Database> d) : db(std::move(d)) {}
  DbHandle(const DbHandle&) = delete;
  DbHandle& operator=(const DbHandle&) = delete;
  std::unique_ptr<Database> db;
  ~DbHandle() {
    // Dropping an open handle closes it, which checkpoints: let other
    // threads run meanwhile (not while the interpreter shuts down).
#if PY_VERSION_HEX >= 0x030D0000
    const bool finalizing = Py_IsFinalizing();
#else
    const bool finalizing = _Py_IsFinalizing();
#endif
    if (db != nullptr && !finalizing && PyGILState_Check()) {
      py::gil_scoped_release nogil;
      db.reset();
    }
  }
};

}  // namespace

void RegisterDatabase(py::module_& m) {
  py::class_<DbHandle>(m, "Database",
                       "A handle on one database directory (or \":memory:\"). Thread-safe.")
      .def_static(
          "open",
          [](const std::string& path, const std::string& sync, py::handle busy_timeout,
             bool read_only, bool create, bool verify, uint64_t expected_nodes,
             uint64_t expected_edges, bool keep_projections) {
            Options o;
            o.sync = ToSync(sync);
            o.busy_timeout = ToTimeout(busy_timeout);
            o.read_only = read_only;
            o.create_if_missing = create;
            o.verify_on_open = verify;
            o.expected_nodes = expected_nodes;
            o.expected_edges = expected_edges;
            o.keep_projections = keep_projections;
            auto db = Take(Unlocked([&] { return Database::Open(View(path), o); }));
            return std::make_unique<DbHandle>(std::move(db));
          },
          py::arg("path"), py::arg("sync") = "full", py::arg("busy_timeout") = 5.0,
          py::arg("read_only") = false, py::arg("create") = true, py::arg("verify") = false,
          py::arg("expected_nodes") = 0, py::arg("expected_edges") = 0,
          py::arg("keep_projections") = true, "Opens (or creates) the database at path.")
      .def(
          "begin_read",
          [](DbHandle& h) {
            return std::make_unique<ReadHandle>(Take(Unlocked([&] { return h.db->BeginRead(); })));
          },
          "Begins a read transaction (a snapshot).")
      .def(
          "begin_write",
          [](DbHandle& h) {
            return std::make_unique<WriteHandle>(
                Take(Unlocked([&] { return h.db->BeginWrite(); })));
          },
          "Begins the write transaction, waiting up to busy_timeout for "
          "another writer.")
      .def(
          "checkpoint",
          [](DbHandle& h, py::object progress) {
            PyProgress p{std::move(progress), std::nullopt};
            ProgressFn fn = [&p](uint64_t done, uint64_t total) { return p(done, total); };
            p.Run([&] { Check(Unlocked([&] { return h.db->Checkpoint(fn); })); });
          },
          py::arg("progress") = py::none(),
          "Writes the committed state as a new snapshot file; progress(done, total) in "
          "bytes, False to cancel.")
      .def(
          "close", [](DbHandle& h) { Check(Unlocked([&] { return h.db->Close(); })); },
          "Checkpoints (if writable) and releases the database. Idempotent.")
      .def(
          "check",
          [](DbHandle& h) {
            std::string report;
            absl::Status s = Unlocked([&] { return h.db->Check(&report); });
            if (!s.ok()) {
              py::object exc = MakeError(s);
              exc.attr("report") = py::str(report);
              PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
              throw py::error_already_set();
            }
            return report;
          },
          "Checks every checksum and invariant; returns the report or raises "
          "(with .report).")
      .def(
          "stats",
          [](DbHandle& h) { return FromStats(Take(Unlocked([&] { return h.db->Stats(); }))); },
          "Counts and memory figures as a dict.")
      .def_property_readonly(
          "path", [](DbHandle& h) { return h.db->path(); }, "The database path.")
      .def_property_readonly(
          "read_only", [](DbHandle& h) { return h.db->read_only(); },
          "Whether the handle is read-only.");
}

}  // namespace nendb::python
