// The C++ quick start (also in README.md): create a database, write in a
// transaction, read it back. Usage: nendb_example <database directory>
#include <iostream>

#include "nendb/nendb.h"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "example.nendb";
  auto db = nendb::Database::Open(path);
  if (!db.ok()) {
    std::cerr << db.status() << "\n";
    return 1;
  }
  auto tx = (*db)->BeginWrite();
  if (!tx.ok()) {
    std::cerr << tx.status() << "\n";
    return 1;
  }
  auto ada = (*tx)->AddNode("Person", nendb::Key("ada"), {{"born", 1815}});
  auto babbage = (*tx)->AddNode("Person", nendb::Key("babbage"), {{"born", 1791}});
  if (!ada.ok() || !babbage.ok()) {
    std::cerr << "add_node failed (run on an empty directory)\n";
    return 1;
  }
  if (auto e = (*tx)->AddEdge(*ada, *babbage, "WORKED_WITH", 1.0); !e.ok()) {
    std::cerr << e.status() << "\n";
    return 1;
  }
  if (auto s = (*tx)->Commit(); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }

  auto rx = (*db)->BeginRead().value();
  const nendb::NodeId id = rx->FindNode("Person", nendb::Key("ada")).value();
  std::vector<nendb::NodeId> friends;
  if (auto s = rx->Neighbors(id, nendb::Direction::kOut, "WORKED_WITH", &friends); !s.ok()) {
    std::cerr << s << "\n";
    return 1;
  }
  for (nendb::NodeId f : friends) {
    const nendb::Node n = rx->GetNode(f).value();
    std::cout << "ada worked with " << n.key.string() << ", born " << n.properties[0].second.int64()
              << "\n";
  }
  std::cout << rx->NumNodes() << " nodes, " << rx->NumEdges() << " edges\n";
  return (*db)->Close().ok() ? 0 : 1;
}
