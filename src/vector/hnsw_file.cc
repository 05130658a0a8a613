#include "vector/hnsw_file.h"

#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "snapshot/derived.h"
#include "util/status_macros.h"
#include "vector/hnsw_search.h"

namespace nendb::vec {
namespace {

using snapshot::SectionKind;

inline constexpr char kMagic[8] = {'N', 'E', 'N', 'D', 'B', 'V', 'I', 'X'};
inline constexpr uint32_t kVersion = 1;
const snapshot::FileKind kKind{kMagic, kVersion, "vector index", kHnswFileRemedy};

// The index.meta section: this, then key_bytes of key.
struct Meta {
  uint32_t metric;
  uint32_t dim;
  uint32_t m;
  uint32_t ef_construction;
  uint64_t seed;
  uint64_t capacity;  // slots, present or not
  uint64_t present;
  uint64_t pending;
  uint32_t entry;
  int32_t top_level;
  uint32_t key_bytes;
  uint32_t quantization;      // Quantization: 0 none (files before it), 1 int8
  uint64_t quantizer_floats;  // in index.quantizer: 0, or 2 x dim once trained
  uint64_t reserved;
};
static_assert(sizeof(Meta) == 80);

// The section's bytes, once their checksum holds.
template <typename T>
absl::StatusOr<const T*> Checked(const snapshot::SectionFile& f, SectionKind kind, uint64_t count) {
  NENDB_ASSIGN_OR_RETURN(size_t i, f.Find(kind, 0, 0, sizeof(T), count));
  NENDB_RETURN_IF_ERROR(f.VerifyCrc(i));
  return reinterpret_cast<const T*>(f.data(i));
}

uint64_t Offset(const snapshot::SectionFile& f, SectionKind kind, uint64_t byte) {
  auto i = f.Locate(kind, 0, 0);
  return i.ok() ? f.entry(*i).offset + byte : 0;
}

snapshot::DerivedOf Of(const HnswFileId& id) {
  return {id.generation, id.sequence, id.database_id, /*any_sequence=*/false};
}

}  // namespace

absl::Status HnswFile::Write(Env* env, const std::string& dir, const std::string& name,
                             const std::string& tmp_suffix, const Hnsw& g,
                             absl::Span<const uint32_t> pending, const HnswFileId& id) {
  auto body = [&](snapshot::SectionWriter& w) -> absl::Status {
    Meta meta{};
    meta.metric = static_cast<uint32_t>(g.metric_);
    meta.dim = g.dim_;
    meta.m = g.params_.m;
    meta.ef_construction = g.params_.ef_construction;
    meta.seed = g.params_.seed;
    meta.capacity = g.capacity();
    meta.present = g.present_;
    meta.pending = pending.size();
    meta.entry = g.entry_;
    meta.top_level = g.top_level_;
    meta.key_bytes = static_cast<uint32_t>(id.key.size());
    meta.quantization = static_cast<uint32_t>(g.params_.quantization);
    meta.quantizer_floats = g.lo_.size() + g.scale_.size();
    NENDB_RETURN_IF_ERROR(snapshot::WriteDerivedStart(w, kKind, Of(id), SectionKind::kIndexMeta,
                                                      &meta, sizeof(meta), id.key));
    NENDB_RETURN_IF_ERROR(
        w.Array(SectionKind::kIndexLevels, 0, 0, 1, g.levels_.data(), g.levels_.size()));
    NENDB_RETURN_IF_ERROR(
        w.Array(SectionKind::kIndexLinks0, 0, 0, 4, g.links0_.data(), g.links0_.size()));
    uint64_t upper = 0;
    for (int8_t level : g.levels_) upper += level > 0 ? uint64_t(level) * g.stride_ : 0;
    NENDB_RETURN_IF_ERROR(w.Begin(SectionKind::kIndexUpper, 0, 0, 4, upper));
    for (uint64_t s = 0; s < g.capacity(); ++s) {
      const int level = g.levels_[s];
      if (level > 0) {
        NENDB_RETURN_IF_ERROR(w.Raw(&g.upper_[g.upper_at_[s]], uint64_t(level) * g.stride_ * 4));
      }
    }
    NENDB_RETURN_IF_ERROR(w.End());
    NENDB_RETURN_IF_ERROR(
        w.Array(SectionKind::kIndexPending, 0, 0, 4, pending.data(), pending.size()));
    if (g.quantized()) {
      std::vector<float> ranges(g.lo_);
      ranges.insert(ranges.end(), g.scale_.begin(), g.scale_.end());
      NENDB_RETURN_IF_ERROR(
          w.Array(SectionKind::kIndexQuantizer, 0, 0, 4, ranges.data(), ranges.size()));
    }
    return w.Finish();
  };
  uint64_t bytes = 0;
  return snapshot::WriteSectionFile(env, dir, name, tmp_suffix, /*sync_dir=*/false, body, &bytes);
}

absl::StatusOr<HnswFile::Loaded> HnswFile::Load(Env* env, const std::string& path,
                                                const HnswFileId& expect, const RowView& rows) {
  Meta meta;
  NENDB_ASSIGN_OR_RETURN(snapshot::Derived d,
                         snapshot::OpenDerived(env, path, kKind, Of(expect),
                                               SectionKind::kIndexMeta, &meta, sizeof(meta)));
  const snapshot::SectionFile& f = d.file;
  if (d.key.size() != meta.key_bytes) {
    return f.Damaged(d.meta_offset, "index.meta's key length disagrees with its size");
  }
  const absl::string_view key = d.key;
  if (key != expect.key) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " holds another vector index than the one asked for"));
  }
  const bool plausible = meta.metric <= static_cast<uint32_t>(Metric::kHamming) &&
                         meta.dim == rows.dim() &&
                         meta.quantization <= static_cast<uint32_t>(Quantization::kInt8);
  auto created = plausible ? Hnsw::Create(static_cast<Metric>(meta.metric), meta.dim,
                                          HnswParams{meta.m, meta.ef_construction, meta.seed,
                                                     static_cast<Quantization>(meta.quantization)})
                           : absl::InvalidArgumentError("");
  if (!created.ok() || meta.capacity > Hnsw::kNone || meta.pending > rows.rows() ||
      (meta.quantizer_floats != 0 &&
       (!(*created)->quantized() || meta.quantizer_floats != 2 * uint64_t{meta.dim})) ||
      ((*created)->quantized() && meta.present > 0 && meta.quantizer_floats == 0)) {
    return f.Damaged(d.meta_offset,
                     absl::StrCat("index.meta describes an impossible index (metric ", meta.metric,
                                  ", ", meta.dim, " dimensions, M ", meta.m, ", ", meta.capacity,
                                  " slots) for this column"));
  }
  Hnsw& g = **created;
  Loaded out;
  const uint64_t n = meta.capacity;
  NENDB_ASSIGN_OR_RETURN(const int8_t* levels, Checked<int8_t>(f, SectionKind::kIndexLevels, n));
  uint64_t upper = 0;
  for (uint64_t s = 0; s < n; ++s) {
    if (levels[s] < -1 || levels[s] > Hnsw::kMaxLevel || (levels[s] >= 0 && s >= rows.rows())) {
      return f.Damaged(
          Offset(f, SectionKind::kIndexLevels, s),
          absl::StrCat("slot ", s, " has level ", int{levels[s]}, ", impossible here"));
    }
    g.present_ += levels[s] >= 0;
    upper += levels[s] > 0 ? uint64_t(levels[s]) * g.stride_ : 0;
  }
  if (upper > Hnsw::kNone) {
    return f.Damaged(Offset(f, SectionKind::kIndexLevels, 0), "the levels are impossibly high");
  }
  NENDB_ASSIGN_OR_RETURN(const uint32_t* links0,
                         Checked<uint32_t>(f, SectionKind::kIndexLinks0, n * g.stride0_));
  NENDB_ASSIGN_OR_RETURN(const uint32_t* upper_links,
                         Checked<uint32_t>(f, SectionKind::kIndexUpper, upper));
  NENDB_ASSIGN_OR_RETURN(const uint32_t* pending,
                         Checked<uint32_t>(f, SectionKind::kIndexPending, meta.pending));
  NENDB_ASSIGN_OR_RETURN(const float* ranges, meta.quantizer_floats == 0
                                                  ? absl::StatusOr<const float*>(nullptr)
                                                  : Checked<float>(f, SectionKind::kIndexQuantizer,
                                                                   meta.quantizer_floats));
  for (uint64_t i = 0; i < meta.quantizer_floats; ++i) {
    if (!std::isfinite(ranges[i]) || (i >= meta.dim && ranges[i] < 0)) {
      return f.Damaged(Offset(f, SectionKind::kIndexQuantizer, 4 * i),
                       absl::StrCat("the int8 range value ", i, " is ", ranges[i]));
    }
  }
  for (uint64_t i = 0; i < meta.pending; ++i) {
    if (pending[i] >= rows.rows() || (i > 0 && pending[i] <= pending[i - 1])) {
      return f.Damaged(Offset(f, SectionKind::kIndexPending, 4 * i),
                       absl::StrCat("pending row ", pending[i], " is out of range or order"));
    }
  }
  g.levels_.assign(levels, levels + n);
  g.links0_.assign(links0, links0 + n * g.stride0_);
  g.upper_.assign(upper_links, upper_links + upper);
  g.upper_at_.assign(n, Hnsw::kNone);
  if (g.metric_ == Metric::kCosine) g.inv_norms_.assign(n, 0.0f);
  uint64_t at = 0;
  for (uint64_t s = 0; s < n; ++s) {
    if (levels[s] < 0) {
      g.links0_[s * g.stride0_] = 0;  // what a removed slot left is not trusted
      continue;
    }
    if (levels[s] > 0) {
      g.upper_at_[s] = static_cast<uint32_t>(at);
      at += uint64_t(levels[s]) * g.stride_;
    }
    if (g.metric_ == Metric::kCosine) g.inv_norms_[s] = InverseNorm(rows.Row(s), g.dim_);
  }
  if (ranges != nullptr) {
    g.lo_.assign(ranges, ranges + meta.dim);
    g.scale_.assign(ranges + meta.dim, ranges + 2 * meta.dim);
  }
  g.entry_ = meta.entry;
  g.top_level_ = meta.top_level;
  if (absl::Status s = g.Check(); !s.ok() || g.present_ != meta.present) {
    return f.Damaged(
        Offset(f, SectionKind::kIndexLinks0, 0),
        absl::StrCat("the graph is inconsistent: ",
                     s.ok() ? "the slot count disagrees with index.meta" : s.message()));
  }
  // The codes are made from the rows, as the writer made them (a slot's row
  // is the one it was inserted with).
  g.codes_.assign(n * g.code_words_, 0);
  if (g.code_words_ > 0) g.EncodeAll(rows);
  out.pending.assign(pending, pending + meta.pending);
  out.graph = std::move(*created);
  return out;
}

}  // namespace nendb::vec
