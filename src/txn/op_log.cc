#include "txn/op_log.h"

#include "absl/strings/str_cat.h"
#include "nendb/errors.h"
#include "txn/ops.h"
#include "util/status_macros.h"

namespace nendb {
namespace {

void PutValue(ByteWriter& w, const Value& v) {
  w.U8(static_cast<uint8_t>(v.type()));
  switch (v.type()) {
    case ValueType::kInt64:
      w.I64(v.int64());
      break;
    case ValueType::kFloat64:
      w.F64(v.float64());
      break;
    case ValueType::kBool:
      w.U8(v.boolean() ? 1 : 0);
      break;
    case ValueType::kString:
      w.Str(v.string());
      break;
    case ValueType::kVector:
      w.Array(v.vector());
      break;
    case ValueType::kNull:
      break;
  }
}

void PutKey(ByteWriter& w, const Key& k) {
  w.U8(static_cast<uint8_t>(k.kind()));
  if (k.kind() == Key::Kind::kInt) w.I64(k.int64());
  if (k.kind() == Key::Kind::kString) w.Str(k.string());
}

// Strings rebased so the encoded offsets start at 0.
void PutStrings(ByteWriter& w, const StringColumn& s) {
  const size_t n = s.size();
  std::vector<uint64_t> offsets(n + 1);
  const uint64_t base = n == 0 ? 0 : s.offsets[0];
  for (size_t i = 0; i <= n && n > 0; ++i) offsets[i] = s.offsets[i] - base;
  if (n == 0) offsets.clear();
  w.Array(absl::Span<const uint64_t>(offsets));
  const absl::string_view bytes = n == 0 ? absl::string_view() : s.bytes.substr(base, offsets[n]);
  w.Array(absl::Span<const char>(bytes.data(), bytes.size()));
}

}  // namespace

void OpLog::Props(const PropertyMap& props) {
  w_.U64(props.size());
  for (const auto& [name, value] : props) {
    w_.Str(name);
    PutValue(w_, value);
  }
}

void OpLog::Columns(const std::vector<BulkColumn>& cols) {
  w_.U64(cols.size());
  for (const auto& c : cols) {
    w_.Str(c.name);
    w_.U8(static_cast<uint8_t>(c.type));
    w_.U32(c.dim);
    switch (c.type) {
      case ValueType::kInt64:
        w_.Array(c.int64s);
        break;
      case ValueType::kFloat64:
        w_.Array(c.float64s);
        break;
      case ValueType::kBool:
        w_.Array(c.bools);
        break;
      case ValueType::kVector:
        w_.Array(c.floats);
        break;
      case ValueType::kString:
        PutStrings(w_, c.strings);
        break;
      case ValueType::kNull:
        break;
    }
    w_.Array(c.valid);
  }
}

void OpLog::AddNode(const std::vector<std::string>& labels, const Key& key,
                    const PropertyMap& props, NodeId result) {
  w_.U8(static_cast<uint8_t>(OpCode::kAddNode));
  w_.U64(labels.size());
  for (const auto& l : labels) w_.Str(l);
  PutKey(w_, key);
  Props(props);
  w_.U64(result);
  w_.Align();
}

void OpLog::AddEdge(NodeId source, NodeId target, absl::string_view type, double weight,
                    const PropertyMap& props, EdgeId result) {
  w_.U8(static_cast<uint8_t>(OpCode::kAddEdge));
  w_.U64(source);
  w_.U64(target);
  w_.Str(type);
  w_.F64(weight);
  Props(props);
  w_.U64(result);
  w_.Align();
}

void OpLog::SetProperty(NodeId node, absl::string_view name, const Value& value) {
  w_.U8(static_cast<uint8_t>(OpCode::kSetProperty));
  w_.U64(node);
  w_.Str(name);
  PutValue(w_, value);
  w_.Align();
}

void OpLog::SetEdgeProperty(EdgeId edge, absl::string_view name, const Value& value) {
  w_.U8(static_cast<uint8_t>(OpCode::kSetEdgeProperty));
  w_.U64(edge);
  w_.Str(name);
  PutValue(w_, value);
  w_.Align();
}

void OpLog::SetWeight(EdgeId edge, double weight) {
  w_.U8(static_cast<uint8_t>(OpCode::kSetWeight));
  w_.U64(edge);
  w_.F64(weight);
  w_.Align();
}

void OpLog::AddLabel(NodeId node, absl::string_view label) {
  w_.U8(static_cast<uint8_t>(OpCode::kAddLabel));
  w_.U64(node);
  w_.Str(label);
  w_.Align();
}

void OpLog::RemoveLabel(NodeId node, absl::string_view label) {
  w_.U8(static_cast<uint8_t>(OpCode::kRemoveLabel));
  w_.U64(node);
  w_.Str(label);
  w_.Align();
}

void OpLog::DeleteNode(NodeId node, bool detach) {
  w_.U8(static_cast<uint8_t>(OpCode::kDeleteNode));
  w_.U64(node);
  w_.U8(detach ? 1 : 0);
  w_.Align();
}

void OpLog::DeleteEdge(EdgeId edge) {
  w_.U8(static_cast<uint8_t>(OpCode::kDeleteEdge));
  w_.U64(edge);
  w_.Align();
}

void OpLog::DefineLabel(absl::string_view label, const LabelSchema& schema) {
  w_.U8(static_cast<uint8_t>(OpCode::kDefineLabel));
  w_.Str(label);
  w_.U8(schema.strict ? 1 : 0);
  w_.U64(schema.properties.size());
  for (const auto& p : schema.properties) {
    w_.Str(p.name);
    w_.U8(static_cast<uint8_t>(p.type));
    w_.U32(p.dim);
    w_.U8(p.required ? 1 : 0);
  }
  w_.Align();
}

void OpLog::CreateVectorIndex(const VectorIndexSpec& spec) {
  w_.U8(static_cast<uint8_t>(OpCode::kCreateVectorIndex));
  w_.Str(spec.label);
  w_.Str(spec.property);
  w_.U8(MetricByte(static_cast<uint8_t>(spec.metric), static_cast<uint8_t>(spec.quantization)));
  w_.U32(spec.m);
  w_.U32(spec.ef_construction);
  w_.Align();
}

void OpLog::DropVectorIndex(absl::string_view label, absl::string_view property,
                            VectorMetric metric) {
  w_.U8(static_cast<uint8_t>(OpCode::kDropVectorIndex));
  w_.Str(label);
  w_.Str(property);
  w_.U8(static_cast<uint8_t>(metric));
  w_.Align();
}

void OpLog::AddNodes(const NodeBatch& batch, NodeId first) {
  w_.U8(static_cast<uint8_t>(OpCode::kAddNodes));
  w_.U64(batch.labels.size());
  for (const auto& l : batch.labels) w_.Str(l);
  w_.U64(batch.count);
  const uint8_t keys = !batch.keys.ints.empty() ? 1 : batch.keys.empty() ? 0 : 2;
  w_.U8(keys);
  if (keys == 1) w_.Array(batch.keys.ints);
  if (keys == 2) PutStrings(w_, batch.keys.strings);
  Columns(batch.properties);
  w_.U64(first);
  w_.Align();
}

void OpLog::AddEdges(const EdgeBatch& batch, EdgeId first) {
  w_.U8(static_cast<uint8_t>(OpCode::kAddEdges));
  w_.Array(batch.sources);
  w_.Array(batch.targets);
  w_.Str(batch.type);
  w_.Array(batch.weights);
  Columns(batch.properties);
  w_.U64(first);
  w_.Align();
}

namespace {

// Decodes one operation and applies it.
class Replayer {
 public:
  Replayer(Version& v, const WriteCtx& ctx, absl::string_view ops) : v_(v), ctx_(ctx), r_(ops) {}

  absl::Status Next() {
    const auto op = static_cast<OpCode>(r_.U8());
    absl::Status s = Apply(op);
    r_.Align();
    if (!r_.ok()) return absl::DataLossError("an operation is cut short or malformed");
    return s;
  }
  bool done() const { return r_.done(); }

 private:
  Value GetValue() {
    switch (static_cast<ValueType>(r_.U8())) {
      case ValueType::kInt64:
        return Value(r_.I64());
      case ValueType::kFloat64:
        return Value(r_.F64());
      case ValueType::kBool:
        return Value(r_.U8() != 0);
      case ValueType::kString:
        return Value(r_.Str());
      case ValueType::kVector:
        return Value::Vector(r_.Array<float>());
      default:
        return Value();
    }
  }
  Key GetKey() {
    switch (static_cast<Key::Kind>(r_.U8())) {
      case Key::Kind::kInt:
        return Key(r_.I64());
      case Key::Kind::kString:
        return Key(r_.Str());
      default:
        return Key();
    }
  }
  std::vector<std::string> GetLabels() {
    std::vector<std::string> labels;
    const uint64_t n = r_.Count(4);
    for (uint64_t i = 0; i < n && r_.ok(); ++i) labels.emplace_back(r_.Str());
    return labels;
  }
  PropertyMap GetProps() {
    PropertyMap props;
    const uint64_t n = r_.Count(5);
    for (uint64_t i = 0; i < n && r_.ok(); ++i) {
      std::string name(r_.Str());
      props.emplace_back(std::move(name), GetValue());
    }
    return props;
  }
  StringColumn GetStrings() {
    StringColumn s;
    s.offsets = r_.Array<uint64_t>();
    auto bytes = r_.Array<char>();
    s.bytes = absl::string_view(bytes.data(), bytes.size());
    return s;
  }
  std::vector<BulkColumn> GetColumns() {
    std::vector<BulkColumn> cols;
    const uint64_t n = r_.Count(16);
    for (uint64_t i = 0; i < n && r_.ok(); ++i) {
      BulkColumn c;
      c.name = std::string(r_.Str());
      c.type = static_cast<ValueType>(r_.U8());
      c.dim = r_.U32();
      switch (c.type) {
        case ValueType::kInt64:
          c.int64s = r_.Array<int64_t>();
          break;
        case ValueType::kFloat64:
          c.float64s = r_.Array<double>();
          break;
        case ValueType::kBool:
          c.bools = r_.Array<uint8_t>();
          break;
        case ValueType::kVector:
          c.floats = r_.Array<float>();
          break;
        case ValueType::kString:
          c.strings = GetStrings();
          break;
        case ValueType::kNull:
          break;
      }
      c.valid = r_.Array<uint8_t>();
      cols.push_back(std::move(c));
    }
    return cols;
  }

  template <typename T>
  absl::Status Same(const absl::StatusOr<T>& got, uint64_t recorded) {
    if (!got.ok()) return got.status();
    if (*got != recorded) {
      return absl::DataLossError(
          absl::StrCat("replay produced id ", *got, " where the log recorded ", recorded));
    }
    return absl::OkStatus();
  }

  absl::Status Apply(OpCode op) {
    switch (op) {
      case OpCode::kAddNode: {
        auto labels = GetLabels();
        Key key = GetKey();
        PropertyMap props = GetProps();
        const uint64_t id = r_.U64();
        if (!r_.ok()) return absl::OkStatus();
        return Same(ops::AddNode(v_, ctx_, labels, key, props), id);
      }
      case OpCode::kAddEdge: {
        const uint64_t src = r_.U64(), dst = r_.U64();
        const std::string type(r_.Str());
        const double w = r_.F64();
        PropertyMap props = GetProps();
        const uint64_t id = r_.U64();
        if (!r_.ok()) return absl::OkStatus();
        return Same(ops::AddEdge(v_, ctx_, src, dst, type, w, props), id);
      }
      case OpCode::kSetProperty:
      case OpCode::kSetEdgeProperty: {
        const uint64_t id = r_.U64();
        const std::string name(r_.Str());
        const Value value = GetValue();
        if (!r_.ok()) return absl::OkStatus();
        return op == OpCode::kSetProperty ? ops::SetProperty(v_, ctx_, id, name, value)
                                          : ops::SetEdgeProperty(v_, ctx_, id, name, value);
      }
      case OpCode::kSetWeight: {
        const uint64_t id = r_.U64();
        const double w = r_.F64();
        if (!r_.ok()) return absl::OkStatus();
        return ops::SetWeight(v_, ctx_, id, w);
      }
      case OpCode::kAddLabel:
      case OpCode::kRemoveLabel: {
        const uint64_t id = r_.U64();
        const std::string label(r_.Str());
        if (!r_.ok()) return absl::OkStatus();
        return op == OpCode::kAddLabel ? ops::AddLabel(v_, ctx_, id, label)
                                       : ops::RemoveLabel(v_, ctx_, id, label);
      }
      case OpCode::kDeleteNode: {
        const uint64_t id = r_.U64();
        const bool detach = r_.U8() != 0;
        if (!r_.ok()) return absl::OkStatus();
        return ops::DeleteNode(v_, ctx_, id, detach);
      }
      case OpCode::kDeleteEdge: {
        const uint64_t id = r_.U64();
        if (!r_.ok()) return absl::OkStatus();
        return ops::DeleteEdge(v_, ctx_, id);
      }
      case OpCode::kDefineLabel: {
        const std::string label(r_.Str());
        LabelSchema schema;
        schema.strict = r_.U8() != 0;
        const uint64_t n = r_.Count(10);
        for (uint64_t i = 0; i < n && r_.ok(); ++i) {
          PropertySpec p;
          p.name = std::string(r_.Str());
          p.type = static_cast<ValueType>(r_.U8());
          p.dim = r_.U32();
          p.required = r_.U8() != 0;
          schema.properties.push_back(std::move(p));
        }
        if (!r_.ok()) return absl::OkStatus();
        return ops::DefineLabel(v_, ctx_, label, schema);
      }
      case OpCode::kCreateVectorIndex: {
        VectorIndexSpec spec;
        spec.label = std::string(r_.Str());
        spec.property = std::string(r_.Str());
        const uint8_t metric = r_.U8();
        spec.m = r_.U32();
        spec.ef_construction = r_.U32();
        if (!r_.ok()) return absl::OkStatus();
        if ((metric & 15) > uint8_t(VectorMetric::kHamming) ||
            (metric >> 4) > uint8_t(VectorQuantization::kInt8)) {
          return absl::DataLossError("unknown metric or quantization");
        }
        spec.metric = static_cast<VectorMetric>(metric & 15);
        spec.quantization = static_cast<VectorQuantization>(metric >> 4);
        return ops::CreateVectorIndex(v_, ctx_, spec);
      }
      case OpCode::kDropVectorIndex: {
        const std::string label(r_.Str()), property(r_.Str());
        const uint8_t metric = r_.U8();
        if (!r_.ok()) return absl::OkStatus();
        if (metric > uint8_t(VectorMetric::kHamming)) return absl::DataLossError("unknown metric");
        return ops::DropVectorIndex(v_, ctx_, label, property, static_cast<VectorMetric>(metric));
      }
      case OpCode::kAddNodes: {
        NodeBatch b;
        b.labels = GetLabels();
        b.count = r_.U64();
        const uint8_t keys = r_.U8();
        if (keys == 1) b.keys.ints = r_.Array<int64_t>();
        if (keys == 2) b.keys.strings = GetStrings();
        b.properties = GetColumns();
        const uint64_t first = r_.U64();
        if (!r_.ok()) return absl::OkStatus();
        if (b.count > kMaxNodes) return absl::DataLossError("impossible batch size");
        // Bulk ids are appended: checked before anything is allocated for them.
        if (b.count > 0) {
          NENDB_RETURN_IF_ERROR(Same(absl::StatusOr<NodeId>(v_.nodes->slots()), first));
        }
        return ops::AddNodes(v_, ctx_, b, {});
      }
      case OpCode::kAddEdges: {
        EdgeBatch b;
        b.sources = r_.Array<uint64_t>();
        b.targets = r_.Array<uint64_t>();
        b.type = std::string(r_.Str());
        b.weights = r_.Array<double>();
        b.properties = GetColumns();
        const uint64_t first = r_.U64();
        if (!r_.ok()) return absl::OkStatus();
        if (!b.sources.empty()) {
          NENDB_RETURN_IF_ERROR(
              Same(absl::StatusOr<EdgeId>(MakeEdgeId(static_cast<uint32_t>(v_.edges->slots()), 0)),
                   first));
        }
        return ops::AddEdges(v_, ctx_, b, {});
      }
    }
    return absl::DataLossError(absl::StrCat("unknown operation code ", static_cast<int>(op)));
  }

  Version& v_;
  const WriteCtx& ctx_;
  ByteReader r_;
};

}  // namespace

namespace {

size_t ColumnBytes(const std::vector<BulkColumn>& cols) {
  size_t n = 0;
  for (const BulkColumn& c : cols) {
    n += c.int64s.size() * 8 + c.float64s.size() * 8 + c.bools.size() + c.floats.size() * 4 +
         c.strings.offsets.size() * 8 + c.strings.bytes.size() + c.valid.size();
  }
  return n;
}

}  // namespace

size_t OpLog::EstimateBytes(const NodeBatch& batch) {
  return batch.keys.ints.size() * 8 + batch.keys.strings.offsets.size() * 8 +
         batch.keys.strings.bytes.size() + ColumnBytes(batch.properties);
}

size_t OpLog::EstimateBytes(const EdgeBatch& batch) {
  return (batch.sources.size() + batch.targets.size() + batch.weights.size()) * 8 +
         ColumnBytes(batch.properties);
}

absl::Status ReplayOps(Version& v, const WriteCtx& ctx, absl::string_view ops,
                       const std::string& where) {
  Replayer r(v, ctx, ops);
  uint64_t n = 0;
  while (!r.done()) {
    absl::Status s = r.Next();
    if (!s.ok()) {
      return CorruptionError(where, 0,
                             absl::StrCat("operation ", n, " of transaction ", v.seq + 1,
                                          " does not replay: ", s.message()));
    }
    ++n;
  }
  return absl::OkStatus();
}

}  // namespace nendb
