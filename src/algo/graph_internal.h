// What graph.cc and graph_build.cc share: the arrays a built graph owns.
// Not for kernels: they see a Graph's arrays through Arcs.
#ifndef NENDB_ALGO_GRAPH_INTERNAL_H_
#define NENDB_ALGO_GRAPH_INTERNAL_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "algo/graph.h"

namespace nendb::algo {

// malloc, or huge-page aligned and advised for 4 MiB and more; throws
// std::bad_alloc when out of memory, like new.
void* Allocate(uint64_t bytes);

// An array of a trivial type, left uninitialized: every builder writes each
// element before it is read, so zeroing it first would be one more pass over
// memory the kernel zeroes anyway on first touch. Large arrays are backed by
// transparent huge pages where the system allows: the scatters and gathers
// of a build (and the kernels' reads) touch them at random, and with 4 KiB
// pages nearly every such access is also a TLB miss.
template <typename T>
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(uint64_t n) : p_(static_cast<T*>(Allocate(n * sizeof(T)))), n_(n) {}

  T* data() { return p_.get(); }
  const T* data() const { return p_.get(); }
  uint64_t size() const { return n_; }
  uint64_t bytes() const { return n_ * sizeof(T); }
  T& operator[](uint64_t i) { return p_.get()[i]; }
  const T& operator[](uint64_t i) const { return p_.get()[i]; }

 private:
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T, Free> p_;
  uint64_t n_ = 0;
};

// Arrays a built graph allocated.
struct Graph::Owned {
  Buffer<uint64_t> out_offsets, in_offsets;
  Buffer<Vid> out_targets, in_targets;
  Buffer<float> out_weights;
  // The lazy in-weights of a weighted directed graph (BuildInWeights), and
  // their size once complete, for bytes() on other threads meanwhile.
  Buffer<float> in_weights;
  std::atomic<uint64_t> in_weight_bytes{0};
};

// Sorts one vertex's in-arcs by source, which is all a weighted directed
// graph's in-targets need to be the transpose of its out-arcs (parallel
// arcs have the same source, so their order among themselves does not show
// in the targets; BuildInWeights gives their weights in out-arc order).
inline void SortSources(Vid* first, Vid* last) {
  if (std::is_sorted(first, last)) return;  // bulk loads sorted by source
  if (last - first > 32) {
    std::sort(first, last);
    return;
  }
  for (Vid* i = first + 1; i < last; ++i) {
    const Vid x = *i;
    Vid* j = i;
    for (; j > first && *(j - 1) > x; --j) *j = *(j - 1);
    *j = x;
  }
}

}  // namespace nendb::algo

#endif  // NENDB_ALGO_GRAPH_INTERNAL_H_
