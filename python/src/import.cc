// nendb._nendb.import_*: binds nendb/import.h. Imports run in a write
// transaction with the GIL released; the progress callable is called with the
// GIL held now and then, and Ctrl-C (or an exception in it) cancels.
#include "nendb/import.h"

#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common.h"
#include "txn_handle.h"

namespace nendb::python {
namespace {

using Types = std::vector<std::pair<std::string, std::string>>;

CsvFormat ToFormat(char delimiter, char quote, bool skip_bad_rows, const Types& types) {
  CsvFormat f;
  f.delimiter = delimiter;
  f.quote = quote;
  f.skip_bad_rows = skip_bad_rows;
  for (const auto& [name, type] : types) {
    if (type == "vector") ThrowInvalid("CSV columns cannot be vectors");
    f.types.emplace_back(name, ToPropertySpec(name, type, 0, false).type);
  }
  return f;
}

py::dict FromResult(const ImportResult& r) {
  py::dict d;
  d["rows"] = r.rows;
  d["nodes_added"] = r.nodes_added;
  d["edges_added"] = r.edges_added;
  d["rows_skipped"] = r.rows_skipped;
  d["skipped"] = r.skipped;
  return d;
}

// Runs one import; an exception raised by the progress callable (or Ctrl-C)
// is re-raised instead of the CancelledError it caused.
template <typename Fn>
py::dict RunImport(WriteHandle& h, PyProgress& progress, Fn&& fn) {
  return progress.Run([&] { return FromResult(h.Run(std::forward<Fn>(fn))); });
}

}  // namespace

void RegisterImport(py::module_& m) {
  m.def(
      "import_nodes_csv",
      [](WriteHandle& h, const std::string& path, const std::string& label,
         const std::string& key_column, char delimiter, char quote, bool skip_bad_rows,
         const Types& types, py::object progress) {
        NodeCsv spec;
        spec.path = path;
        spec.label = label;
        spec.key_column = key_column;
        spec.format = ToFormat(delimiter, quote, skip_bad_rows, types);
        PyProgress p{std::move(progress), std::nullopt};
        ProgressFn fn = [&p](uint64_t done, uint64_t total) { return p(done, total); };
        return RunImport(h, p, [&](WriteTransaction& t) { return ImportNodesCsv(t, spec, fn); });
      },
      py::arg("tx"), py::arg("path"), py::arg("label"), py::arg("key_column") = "",
      py::arg("delimiter") = ',', py::arg("quote") = '"', py::arg("skip_bad_rows") = false,
      py::arg("types") = Types(), py::arg("progress") = py::none(),
      "Imports one node per CSV row into the write transaction.");
  m.def(
      "import_edges_csv",
      [](WriteHandle& h, const std::string& path, const std::string& source_column,
         const std::string& target_column, const std::string& source_label,
         const std::string& target_label, const std::string& type, const std::string& type_column,
         const std::string& weight_column, char delimiter, char quote, bool skip_bad_rows,
         const Types& types, py::object progress) {
        EdgeCsv spec;
        spec.path = path;
        spec.source_column = source_column;
        spec.target_column = target_column;
        spec.source_label = source_label;
        spec.target_label = target_label;
        spec.type = type;
        spec.type_column = type_column;
        spec.weight_column = weight_column;
        spec.format = ToFormat(delimiter, quote, skip_bad_rows, types);
        PyProgress p{std::move(progress), std::nullopt};
        ProgressFn fn = [&p](uint64_t done, uint64_t total) { return p(done, total); };
        return RunImport(h, p, [&](WriteTransaction& t) { return ImportEdgesCsv(t, spec, fn); });
      },
      py::arg("tx"), py::arg("path"), py::arg("source_column") = "source",
      py::arg("target_column") = "target", py::arg("source_label") = "",
      py::arg("target_label") = "", py::arg("type") = "", py::arg("type_column") = "",
      py::arg("weight_column") = "", py::arg("delimiter") = ',', py::arg("quote") = '"',
      py::arg("skip_bad_rows") = false, py::arg("types") = Types(),
      py::arg("progress") = py::none(), "Imports one edge per CSV row into the write transaction.");
  m.def(
      "import_triples",
      [](WriteHandle& h, const std::string& path, const std::string& label, char delimiter,
         char quote, bool skip_bad_rows, py::object progress) {
        TriplesCsv spec;
        spec.path = path;
        spec.label = label;
        spec.format = ToFormat(delimiter, quote, skip_bad_rows, {});
        PyProgress p{std::move(progress), std::nullopt};
        ProgressFn fn = [&p](uint64_t done, uint64_t total) { return p(done, total); };
        return RunImport(h, p, [&](WriteTransaction& t) { return ImportTriples(t, spec, fn); });
      },
      py::arg("tx"), py::arg("path"), py::arg("label") = "Entity", py::arg("delimiter") = ',',
      py::arg("quote") = '"', py::arg("skip_bad_rows") = false, py::arg("progress") = py::none(),
      "Imports subject,predicate,object rows into the write transaction.");
}

}  // namespace nendb::python
