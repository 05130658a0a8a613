// Full consistency check of a version: every checksum (through
// Version::Ready) and the invariants that tie the tables together.
#ifndef NENDB_DB_CHECK_H_
#define NENDB_DB_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "storage/version.h"

namespace nendb {

// Appends one line per problem to report; returns the first as a Corruption
// error naming `where`.
absl::Status CheckVersion(const Version& v, const std::string& where, std::string* report);

}  // namespace nendb

#endif  // NENDB_DB_CHECK_H_
