// DefineLabel: declaring a label's schema, checked against the nodes that
// already carry the label.
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "txn/ops.h"
#include "txn/prop_check.h"
#include "txn/queries.h"
#include "util/status_macros.h"

namespace nendb::ops {
namespace {

absl::Status ValidateSchema(const LabelSchema& schema) {
  absl::flat_hash_set<absl::string_view> seen;
  for (const auto& p : schema.properties) {
    NENDB_RETURN_IF_ERROR(ValidateName("a property name", p.name));
    if (!seen.insert(p.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("property \"", p.name, "\" is declared twice"));
    }
    if (p.type == ValueType::kNull) {
      return absl::InvalidArgumentError(
          absl::StrCat("property \"", p.name, "\" needs a type other than null"));
    }
    if (p.type == ValueType::kVector && (p.dim == 0 || p.dim > kMaxVectorDim)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "vector property \"", p.name, "\" needs a dimension from 1 to ", kMaxVectorDim));
    }
  }
  return absl::OkStatus();
}

// The schema as the catalog stores it, interning names into cat.
DeclaredSchema Declare(Catalog& cat, const LabelSchema& schema) {
  DeclaredSchema d;
  d.strict = schema.strict;
  for (const auto& p : schema.properties) {
    d.properties.push_back(DeclaredProperty{cat.property_names.Intern(p.name), p.type,
                                            p.type == ValueType::kVector ? p.dim : 0, p.required});
  }
  return d;
}

}  // namespace

absl::Status DefineLabel(Version& v, const WriteCtx& ctx, absl::string_view label,
                         const LabelSchema& schema) {
  NENDB_RETURN_IF_ERROR(v.Ready(kPartAll));
  NENDB_RETURN_IF_ERROR(ValidateName("a label", label));
  NENDB_RETURN_IF_ERROR(ValidateSchema(schema));

  // Check existing data against a trial catalog carrying the new schema.
  auto trial_catalog = std::make_shared<Catalog>(*v.catalog);
  trial_catalog->owner = 0;
  const uint32_t id = trial_catalog->labels.Intern(label);
  trial_catalog->schemas.resize(trial_catalog->labels.size());
  trial_catalog->schemas[id] = Declare(*trial_catalog, schema);
  Version trial = v;
  trial.catalog = Cow<Catalog>(trial_catalog);
  if (const PropTable* t = v.NodeProps(id)) {
    for (const auto& d : trial_catalog->schemas[id].properties) {
      const int c = t->FindColumn(d.name);
      if (c >= 0 && (t->columns[c].type != d.type || t->columns[c].dim != d.dim)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "label \"", label, "\" already stores property \"",
            trial_catalog->property_names.Name(d.name), "\" as ", ValueTypeName(t->columns[c].type),
            "; declare that type or use another name"));
      }
    }
  }
  if (v.catalog->labels.Find(label)) {
    NENDB_ASSIGN_OR_RETURN(auto nodes, query::NodesWithLabel(v, label));
    for (NodeId n : nodes) {
      const auto labels = query::NodeLabels(v, n);
      const auto props = query::NodeProps(v, n);
      std::vector<check::NamedValue> named;
      for (const auto& [pid, value] : props) {
        named.push_back(check::NamedValue{trial_catalog->property_names.Name(pid), pid, &value});
      }
      absl::Status s = check::CheckNodeProps(trial, labels, labels[0], named, true);
      if (!s.ok()) {
        return absl::Status(
            s.code(), absl::StrCat("node ", n, " does not fit the new schema: ", s.message()));
      }
    }
  }

  const uint32_t lid = check::InternLabel(v, ctx, label);
  Catalog& cat = v.catalog.Mut(ctx.txn);
  cat.schemas[lid] = Declare(cat, schema);
  // Fix the declared types in the label's own table now.
  PropTable& t = v.MutNodeProps(lid, ctx.txn);
  for (const auto& d : cat.schemas[lid].properties) {
    if (t.FindColumn(d.name) < 0) t.AddColumn(d.name, d.type, d.dim, ctx);
  }
  return absl::OkStatus();
}

}  // namespace nendb::ops
