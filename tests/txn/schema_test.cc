// Label schemas: declared types, required and strict properties.
#include "gtest/gtest.h"
#include "nendb/database.h"
#include "test_util.h"

namespace nendb {
namespace {

LabelSchema PersonSchema(bool strict) {
  LabelSchema s;
  s.strict = strict;
  s.properties = {{"name", ValueType::kString, 0, true},
                  {"age", ValueType::kInt64, 0, false},
                  {"emb", ValueType::kVector, 3, false}};
  return s;
}

TEST(SchemaTest, DeclaredTypesAndRequiredProperties) {
  auto db = Database::Open(":memory:").value();
  auto tx = db->BeginWrite().value();
  NENDB_ASSERT_OK(tx->DefineLabel("Person", PersonSchema(false)));
  EXPECT_ERROR_KIND(tx->AddNode("Person", {}, {{"age", 3}}), kConstraint);  // name missing
  EXPECT_ERROR_KIND(tx->AddNode("Person", {}, {{"name", 3}}), kInvalidArgument);
  EXPECT_ERROR_KIND(tx->AddNode("Person", {}, {{"name", "x"}, {"emb", std::vector<float>{1, 2}}}),
                    kInvalidArgument);  // wrong dimension
  NodeId a = tx->AddNode("Person", {}, {{"name", "Ann"}, {"extra", true}}).value();  // open schema
  EXPECT_ERROR_KIND(tx->SetProperty(a, "name", Value::Null()), kConstraint);
  EXPECT_ERROR_KIND(tx->SetProperty(a, "age", "old"), kInvalidArgument);
  NENDB_EXPECT_OK(tx->SetProperty(a, "emb", std::vector<float>{1, 2, 3}));
  LabelInfo info = tx->GetLabelInfo("Person").value();
  ASSERT_GE(info.columns.size(), 4u);
  EXPECT_EQ(info.columns[0].name, "name");
  EXPECT_TRUE(info.columns[0].declared);
  EXPECT_TRUE(info.columns[0].required);
  EXPECT_EQ(info.columns[2].dim, 3u);
  EXPECT_FALSE(info.columns[3].declared);  // "extra", inferred
  // A secondary label's schema applies too.
  NodeId b = tx->AddNode("Robot", {}, {{"serial", 5}}).value();
  EXPECT_ERROR_KIND(tx->AddLabel(b, "Person"), kConstraint);  // no name
  NENDB_ASSERT_OK(tx->SetProperty(b, "name", "R2"));
  NENDB_EXPECT_OK(tx->AddLabel(b, "Person"));
  NENDB_ASSERT_OK(tx->Commit());
}

TEST(SchemaTest, StrictLabelsRejectUndeclaredProperties) {
  auto db = Database::Open(":memory:").value();
  auto tx = db->BeginWrite().value();
  NENDB_ASSERT_OK(tx->DefineLabel("Person", PersonSchema(true)));
  EXPECT_ERROR_KIND(tx->AddNode("Person", {}, {{"name", "a"}, {"extra", 1}}), kConstraint);
  NodeId a = tx->AddNode("Person", {}, {{"name", "a"}}).value();
  EXPECT_ERROR_KIND(tx->SetProperty(a, "extra", 1), kConstraint);
  // Declared by another of the node's labels: allowed.
  LabelSchema tagged;
  tagged.properties = {{"extra", ValueType::kInt64, 0, false}};
  NENDB_ASSERT_OK(tx->DefineLabel("Tagged", tagged));
  NENDB_ASSERT_OK(tx->AddLabel(a, "Tagged"));
  NENDB_EXPECT_OK(tx->SetProperty(a, "extra", 1));
}

TEST(SchemaTest, ExistingNodesMustFitANewSchema) {
  auto db = Database::Open(":memory:").value();
  auto tx = db->BeginWrite().value();
  NENDB_ASSERT_OK(tx->AddNode("Person", {}, {{"age", "ten"}}).status());
  EXPECT_ERROR_KIND(tx->DefineLabel("Person", PersonSchema(false)), kInvalidArgument);
  LabelSchema only_age;
  only_age.properties = {{"age", ValueType::kString, 0, true}};
  NENDB_EXPECT_OK(tx->DefineLabel("Person", only_age));
  only_age.properties.push_back({"name", ValueType::kString, 0, true});
  EXPECT_ERROR_KIND(tx->DefineLabel("Person", only_age), kConstraint);
  EXPECT_FALSE(tx->GetLabelInfo("Person").value().columns[0].name.empty());
}

TEST(SchemaTest, BadSchemasAreRefused) {
  auto db = Database::Open(":memory:").value();
  auto tx = db->BeginWrite().value();
  LabelSchema s;
  s.properties = {{"v", ValueType::kVector, 0, false}};
  EXPECT_ERROR_KIND(tx->DefineLabel("L", s), kInvalidArgument);
  s.properties = {{"x", ValueType::kNull, 0, false}};
  EXPECT_ERROR_KIND(tx->DefineLabel("L", s), kInvalidArgument);
  s.properties = {{"x", ValueType::kInt64, 0, false}, {"x", ValueType::kInt64, 0, false}};
  EXPECT_ERROR_KIND(tx->DefineLabel("L", s), kInvalidArgument);
  EXPECT_ERROR_KIND(tx->DefineLabel("", LabelSchema()), kInvalidArgument);
  EXPECT_TRUE(tx->Labels().empty());
}

TEST(SchemaTest, SchemasSurviveReopen) {
  testing::ScratchDir dir;
  {
    auto db = Database::Open(dir.Sub("db")).value();
    NENDB_ASSERT_OK(testing::WriteTxn(
        *db, [](WriteTransaction& tx) { return tx.DefineLabel("Person", PersonSchema(true)); }));
  }
  auto db = Database::Open(dir.Sub("db")).value();
  auto tx = db->BeginWrite().value();
  EXPECT_ERROR_KIND(tx->AddNode("Person", {}, {{"name", "a"}, {"x", 1}}), kConstraint);
  EXPECT_TRUE(tx->GetLabelInfo("Person").value().strict);
}

}  // namespace
}  // namespace nendb
