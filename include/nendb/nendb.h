// The whole public API of nendb in one include.
#ifndef NENDB_NENDB_H_
#define NENDB_NENDB_H_

#include "nendb/algorithms.h"
#include "nendb/batch.h"
#include "nendb/column_data.h"
#include "nendb/database.h"
#include "nendb/env.h"
#include "nendb/errors.h"
#include "nendb/import.h"
#include "nendb/memory.h"
#include "nendb/options.h"
#include "nendb/schema.h"
#include "nendb/stats.h"
#include "nendb/transaction.h"
#include "nendb/types.h"
#include "nendb/value.h"
#include "nendb/vector_index.h"

#endif  // NENDB_NENDB_H_
