// The transaction classes behind nendb/transaction.h: ReadTxn reads one
// committed Version; WriteTxn owns a working Version, applies ops to it and
// publishes it on Commit(). Both delegate to txn/queries and txn/ops.
//
// Thread-safety: as documented in nendb/transaction.h.
#ifndef NENDB_DB_TRANSACTIONS_H_
#define NENDB_DB_TRANSACTIONS_H_

#include <memory>

#include "db/core.h"
#include "nendb/transaction.h"

namespace nendb {

// The version a transaction of this library reads (nullptr for one
// implemented elsewhere); committed: it is a read transaction's, which never
// changes; threads (if given): its database's Options::threads, resolved.
const Version* VersionOf(const ReadTransaction& tx, bool* committed, int* threads = nullptr);

// The read transaction pins v's generation through coord (if any).
// threads: what analytics on it use unless told (Options::threads resolved).
std::unique_ptr<ReadTransaction> NewReadTxn(std::shared_ptr<const Version> v,
                                            std::shared_ptr<coord::Coordinator> coord, int threads);
std::unique_ptr<WriteTransaction> NewWriteTxn(std::shared_ptr<DbCore> core,
                                              std::shared_ptr<Version> working, TxnId id);

}  // namespace nendb

#endif  // NENDB_DB_TRANSACTIONS_H_
