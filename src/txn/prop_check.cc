#include "txn/prop_check.h"

#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "util/utf8.h"

namespace nendb::check {
namespace {

std::string TypeString(ValueType type, uint32_t dim) {
  if (type == ValueType::kVector) return absl::StrCat("vector[", dim, "]");
  return std::string(ValueTypeName(type));
}

std::string TypeOf(const Value& v) {
  return TypeString(v.type(), v.type() == ValueType::kVector ? v.vector().size() : 0);
}

// What was given, for messages: "string \"x\"" or "a column of string".
std::string Given(const NamedValue& p) {
  if (p.column) return absl::StrCat("a column of ", TypeOf(*p.value));
  return absl::StrCat(TypeOf(*p.value), " ", p.value->DebugString());
}

bool Matches(const Value& v, ValueType type, uint32_t dim) {
  return v.type() == type && (type != ValueType::kVector || v.vector().size() == dim);
}

}  // namespace

absl::Status ValidateString(absl::string_view what, absl::string_view s, size_t limit) {
  if (s.size() > limit) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is ", s.size(), " bytes; the limit is ", limit));
  }
  if (!IsValidUtf8(s)) return absl::InvalidArgumentError(absl::StrCat(what, " is not valid UTF-8"));
  return absl::OkStatus();
}

absl::Status ValidateKey(const Key& key) {
  if (key.kind() != Key::Kind::kString) return absl::OkStatus();
  if (key.string().empty()) {
    return absl::InvalidArgumentError("a string key must not be empty; pass no key instead");
  }
  return ValidateString("the key", key.string(), kMaxKeyBytes);
}

absl::Status ValidateValue(absl::string_view name, const Value& value) {
  switch (value.type()) {
    case ValueType::kString:
      return ValidateString(absl::StrCat("the value of property \"", name, "\""), value.string(),
                            kMaxStringBytes);
    case ValueType::kVector: {
      auto vec = value.vector();
      if (vec.empty() || vec.size() > kMaxVectorDim) {
        return absl::InvalidArgumentError(absl::StrCat("vector property \"", name, "\" has ",
                                                       vec.size(), " values; it needs 1 to ",
                                                       kMaxVectorDim));
      }
      for (size_t i = 0; i < vec.size(); ++i) {
        if (!std::isfinite(vec[i])) {
          return absl::InvalidArgumentError(
              absl::StrCat("vector property \"", name, "\" has a non-finite value at index ", i));
        }
      }
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status ValidateWeight(double weight) {
  if (!std::isfinite(weight)) {
    return absl::InvalidArgumentError(
        absl::StrCat("edge weight ", weight, " is not a finite number"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<NamedValue>> ResolveProps(const Version& v, const PropertyMap& props) {
  std::vector<NamedValue> out;
  out.reserve(props.size());
  absl::flat_hash_set<absl::string_view> seen;
  for (const auto& [name, value] : props) {
    if (auto s = ValidateName("a property name", name); !s.ok()) return s;
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat("property \"", name, "\" is given twice"));
    }
    if (auto s = ValidateValue(name, value); !s.ok()) return s;
    out.push_back(NamedValue{name, v.catalog->property_names.Find(name), &value});
  }
  return out;
}

absl::Status CheckNodeProps(const Version& v, absl::Span<const uint32_t> labels,
                            std::optional<uint32_t> primary, absl::Span<const NamedValue> props,
                            bool complete) {
  const Catalog& cat = *v.catalog;
  auto schema_of = [&](uint32_t l) -> const DeclaredSchema* {
    return l < cat.schemas.size() ? &cat.schemas[l] : nullptr;
  };
  const PropTable* table = primary ? v.NodeProps(*primary) : nullptr;
  bool strict = false;
  for (uint32_t l : labels) {
    if (const auto* s = schema_of(l); s != nullptr && s->strict) strict = true;
  }
  for (const NamedValue& p : props) {
    bool declared = false;
    for (uint32_t l : labels) {
      const auto* s = schema_of(l);
      const DeclaredProperty* d = (s != nullptr && p.id) ? s->Find(*p.id) : nullptr;
      if (d == nullptr) continue;
      declared = true;
      if (p.value->is_null()) {
        if (d->required) {
          return ConstraintError(absl::StrCat("label \"", cat.labels.Name(l),
                                              "\" requires property \"", p.name, "\""));
        }
      } else if (!Matches(*p.value, d->type, d->dim)) {
        return absl::InvalidArgumentError(
            absl::StrCat("property \"", p.name, "\" of label \"", cat.labels.Name(l),
                         "\" is declared ", TypeString(d->type, d->dim), "; got ", Given(p)));
      }
    }
    if (strict && !declared && !p.value->is_null()) {
      return ConstraintError(absl::StrCat("property \"", p.name,
                                          "\" is not declared by the strict schema of the "
                                          "node's labels; declare it with define_label"));
    }
    if (table != nullptr && p.id && !p.value->is_null()) {
      const int c = table->FindColumn(*p.id);
      if (c >= 0 && !Matches(*p.value, table->columns[c].type, table->columns[c].dim)) {
        const auto& col = table->columns[c];
        return absl::InvalidArgumentError(
            absl::StrCat("property \"", p.name, "\" of label \"", cat.labels.Name(*primary),
                         "\" holds ", TypeString(col.type, col.dim), " values; got ", Given(p),
                         " (types are never converted)"));
      }
    }
  }
  if (complete) {
    for (uint32_t l : labels) {
      const auto* s = schema_of(l);
      if (s == nullptr) continue;
      for (const auto& d : s->properties) {
        if (!d.required) continue;
        bool present = false;
        for (const NamedValue& p : props) {
          if (p.id == d.name && !p.value->is_null()) present = true;
        }
        if (!present) {
          return ConstraintError(absl::StrCat("label \"", cat.labels.Name(l),
                                              "\" requires property \"",
                                              cat.property_names.Name(d.name), "\""));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckEdgeProps(const Version& v, std::optional<uint32_t> type,
                            absl::Span<const NamedValue> props) {
  const PropTable* t = type ? v.EdgeProps(*type) : nullptr;
  if (t == nullptr) return absl::OkStatus();
  for (const NamedValue& p : props) {
    if (!p.id || p.value->is_null()) continue;
    const int c = t->FindColumn(*p.id);
    if (c >= 0 && !Matches(*p.value, t->columns[c].type, t->columns[c].dim)) {
      const auto& col = t->columns[c];
      return absl::InvalidArgumentError(absl::StrCat("property \"", p.name, "\" of edge type \"",
                                                     v.catalog->edge_types.Name(*type), "\" holds ",
                                                     TypeString(col.type, col.dim), " values; got ",
                                                     Given(p), " (types are never converted)"));
    }
  }
  return absl::OkStatus();
}

uint32_t InternLabel(Version& v, const WriteCtx& ctx, absl::string_view name) {
  if (auto id = v.catalog->labels.Find(name)) return *id;
  Catalog& cat = v.catalog.Mut(ctx.txn);
  const uint32_t id = cat.labels.Intern(name);
  cat.schemas.resize(cat.labels.size());
  return id;
}

uint32_t InternType(Version& v, const WriteCtx& ctx, absl::string_view name) {
  if (auto id = v.catalog->edge_types.Find(name)) return *id;
  return v.catalog.Mut(ctx.txn).edge_types.Intern(name);
}

uint32_t InternProperty(Version& v, const WriteCtx& ctx, absl::string_view name) {
  if (auto id = v.catalog->property_names.Find(name)) return *id;
  return v.catalog.Mut(ctx.txn).property_names.Intern(name);
}

PropColumn& EnsureColumn(PropTable& t, uint32_t name, const Value& value, const WriteCtx& ctx) {
  const int c = t.FindColumn(name);
  if (c >= 0) return t.columns[c];
  const uint32_t dim = value.type() == ValueType::kVector ? value.vector().size() : 0;
  return t.AddColumn(name, value.type(), dim, ctx);
}

void StoreProps(Version& v, const WriteCtx& ctx, Entity kind, uint32_t id,
                absl::Span<const NamedValue> props) {
  bool any = false;
  for (const auto& p : props) any |= !p.value->is_null();
  const bool node = kind == Entity::kNode;
  uint32_t row = node ? v.nodes->row.Get(id) : v.edges->row.Get(id);
  if (!any && row == kNoRow) return;
  // Intern first: interning may copy the catalog, never the table.
  std::vector<uint32_t> ids;
  for (const auto& p : props) ids.push_back(InternProperty(v, ctx, p.name));
  Column<uint32_t>& rows = node ? v.nodes.Mut(ctx.txn).row : v.edges.Mut(ctx.txn).row;
  PropTable& t = node ? v.MutNodeProps(v.nodes->label.Get(id), ctx.txn)
                      : v.MutEdgeProps(v.edges->type.Get(id), ctx.txn);
  if (row == kNoRow) {
    row = t.AllocRow(id, ctx);
    rows.Set(id, row, ctx);
  }
  StringHeap& heap = v.strings.Mut(ctx.txn);
  for (size_t i = 0; i < props.size(); ++i) {
    const Value& value = *props[i].value;
    if (value.is_null()) {
      if (int c = t.FindColumn(ids[i]); c >= 0) t.Set(t.columns[c], row, value, heap, ctx);
      continue;
    }
    t.Set(EnsureColumn(t, ids[i], value, ctx), row, value, heap, ctx);
  }
}

}  // namespace nendb::check
