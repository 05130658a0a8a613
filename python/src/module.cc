// nendb._nendb: the compiled half of the nendb package. The public API is the
// pure-Python package around it (python/nendb/).
#include "common.h"

PYBIND11_MODULE(_nendb, m) {
  m.doc() = "nendb core bindings; use the nendb package, not this module.";
  m.attr("__version__") = NENDB_VERSION;
  nendb::python::RegisterDatabase(m);
  nendb::python::RegisterReadTransaction(m);
  nendb::python::RegisterWriteTransaction(m);
  nendb::python::RegisterMemory(m);
  nendb::python::RegisterImport(m);
  nendb::python::RegisterColumns(m);
}
