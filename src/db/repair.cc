// Database::Repair: opening with a log scan that cuts at damage instead of
// failing, then a checkpoint so that what was kept no longer depends on the
// damaged log, and the removal of the projection files, which analytics
// build again.
#include "absl/strings/str_cat.h"
#include "db/db_impl.h"
#include "db/files.h"
#include "util/status_macros.h"

namespace nendb {

absl::StatusOr<RepairReport> Database::Repair(absl::string_view path, const Options& options) {
  Options o = options;
  o.read_only = false;
  o.create_if_missing = false;
  NENDB_ASSIGN_OR_RETURN(auto db, DBImpl::OpenImpl(path, o, /*repair=*/true));
  const wal::ScanResult& scan = db->recovery();
  RepairReport report;
  report.log = db->LogPath();
  report.damaged = scan.repaired_at != 0;
  report.damage_offset = scan.repaired_at;
  report.kept_transactions = scan.transactions;
  report.dropped_transactions = scan.dropped_transactions;
  NENDB_RETURN_IF_ERROR(db->Checkpoint());
  report.projection_files_removed = db->DropProjectionFiles();
  NENDB_RETURN_IF_ERROR(db->Close());
  return report;
}

}  // namespace nendb
