// Cow<T>: a shared, copy-on-write reference to one table of a version.
//
// Versions share tables by pointer. A write transaction calls Mut(txn) before
// changing a table: the first call copies it (T's copy constructor copies
// only page pointers of its columns) and marks the copy as the transaction's
// (T::Fork), later calls return the same copy. T must have a TxnId `owner`
// member and a Fork(TxnId) method.
#ifndef NENDB_STORAGE_COW_H_
#define NENDB_STORAGE_COW_H_

#include <memory>

#include "storage/arena.h"

namespace nendb {

template <typename T>
class Cow {
 public:
  Cow() : p_(std::make_shared<T>()) {}
  explicit Cow(std::shared_ptr<T> p) : p_(std::move(p)) {}

  const T& get() const { return *p_; }
  const T* operator->() const { return p_.get(); }
  const T& operator*() const { return *p_; }

  T& Mut(TxnId txn) {
    if (p_->owner != txn) {
      auto copy = std::make_shared<T>(*p_);
      copy->Fork(txn);
      p_ = std::move(copy);
    }
    return *p_;
  }
  // Replaces the table with a new one built by the transaction.
  void Reset(std::shared_ptr<T> p) { p_ = std::move(p); }
  const std::shared_ptr<T>& ptr() const { return p_; }

 private:
  std::shared_ptr<T> p_;
};

}  // namespace nendb

#endif  // NENDB_STORAGE_COW_H_
