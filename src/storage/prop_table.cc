#include "storage/prop_table.h"

#include <cstring>

namespace nendb {

uint32_t ValueBytes(ValueType type, uint32_t dim) {
  switch (type) {
    case ValueType::kBool:
      return 1;
    case ValueType::kVector:
      return 4 * dim;
    default:
      return 8;
  }
}

void PropTable::Fork(TxnId txn) {
  owner = txn;
  entity.Fork();
  used.Fork();
  for (auto& c : columns) {
    c.values.Fork();
    c.valid.Fork();
    c.changed.clear();
  }
}

PropColumn& PropTable::AddColumn(uint32_t name, ValueType type, uint32_t dim, const WriteCtx& ctx) {
  PropColumn c;
  c.name = name;
  c.type = type;
  c.dim = type == ValueType::kVector ? dim : 0;
  c.values = RawColumn(ValueBytes(type, c.dim));
  c.values.Resize(rows(), ctx);
  c.valid.Resize(rows(), ctx);
  columns.push_back(std::move(c));
  return columns.back();
}

uint32_t PropTable::AllocRow(uint32_t entity_id, const WriteCtx& ctx) {
  uint32_t row;
  if (free_head != kNoRow) {
    row = free_head;
    free_head = entity.Get(row);
  } else {
    row = static_cast<uint32_t>(rows());
    entity.Resize(row + 1, ctx);
    used.Resize(row + 1, ctx);
    for (auto& c : columns) {
      c.values.Resize(row + 1, ctx);
      c.valid.Resize(row + 1, ctx);
    }
  }
  entity.Set(row, entity_id, ctx);
  used.Set(row, true, ctx);
  ++live;
  return row;
}

void PropTable::FreeRow(uint32_t row, const WriteCtx& ctx) {
  for (auto& c : columns) {
    c.valid.Set(row, false, ctx);
    if (c.type == ValueType::kVector) c.changed.push_back(row);
  }
  used.Set(row, false, ctx);
  entity.Set(row, free_head, ctx);
  free_head = row;
  --live;
}

Value PropTable::Get(const PropColumn& c, uint32_t row, const StringHeap& heap) const {
  if (!Has(c, row)) return Value();
  const std::byte* p = c.values.At(row);
  switch (c.type) {
    case ValueType::kInt64: {
      int64_t v;
      std::memcpy(&v, p, 8);
      return Value(v);
    }
    case ValueType::kFloat64: {
      double v;
      std::memcpy(&v, p, 8);
      return Value(v);
    }
    case ValueType::kBool:
      return Value(*p != std::byte{0});
    case ValueType::kString: {
      StringRef r;
      std::memcpy(&r, p, 8);
      return Value(heap.Get(r));
    }
    case ValueType::kVector: {
      std::vector<float> v(c.dim);
      std::memcpy(v.data(), p, 4 * size_t{c.dim});
      return Value(std::move(v));
    }
    case ValueType::kNull:
      break;
  }
  return Value();
}

void PropTable::Set(PropColumn& c, uint32_t row, const Value& v, StringHeap& heap,
                    const WriteCtx& ctx) {
  if (c.type == ValueType::kVector) c.changed.push_back(row);
  if (v.is_null()) {
    c.valid.Set(row, false, ctx);
    return;
  }
  std::byte* p = c.values.Mutable(row, ctx);
  switch (c.type) {
    case ValueType::kInt64: {
      int64_t x = v.int64();
      std::memcpy(p, &x, 8);
      break;
    }
    case ValueType::kFloat64: {
      double x = v.float64();
      std::memcpy(p, &x, 8);
      break;
    }
    case ValueType::kBool:
      *p = std::byte{v.boolean() ? uint8_t{1} : uint8_t{0}};
      break;
    case ValueType::kString: {
      StringRef r = heap.Add(v.string(), ctx);
      std::memcpy(p, &r, 8);
      break;
    }
    case ValueType::kVector:
      std::memcpy(p, v.vector().data(), 4 * size_t{c.dim});
      break;
    case ValueType::kNull:
      break;
  }
  c.valid.Set(row, true, ctx);
}

}  // namespace nendb
