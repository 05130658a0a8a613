// nendb._nendb.ReadTransaction: a snapshot of the database as of its start.
#include "algorithms.h"
#include "column_reads.h"
#include "common.h"
#include "txn_handle.h"
#include "vector_search.h"

namespace nendb::python {

void RegisterReadTransaction(py::module_& m) {
  py::class_<ReadHandle> cls(m, "ReadTransaction",
                             "A consistent snapshot of the database as of its start. Commits made "
                             "later are not visible to it. Safe to share between threads.");
  DefineReadMethods<ReadHandle>(cls);
  DefineColumnReads<ReadHandle>(cls);
  DefineAlgorithms<ReadHandle>(cls);
  DefineVectorSearch<ReadHandle>(cls);
}

}  // namespace nendb::python
