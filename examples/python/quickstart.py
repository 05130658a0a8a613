"""The Python quick start (also in README.md). Usage: quickstart.py [DIR]"""
import sys

import numpy as np

import nendb

path = sys.argv[1] if len(sys.argv) > 1 else "quickstart.nendb"
with nendb.open(path) as db:
    with db.write() as tx:  # commits on exit, rolls back on an exception
        ada = tx.add_node("Person", key="ada", props={"born": 1815})
        babbage = tx.add_node("Person", key="babbage", props={"born": 1791})
        tx.add_edge(ada, babbage, "WORKED_WITH", weight=1.0)

    # Bulk inserts take numpy arrays and run as one transaction.
    ids = db.add_nodes("Reader", keys=np.arange(1000), props={"score": np.linspace(0, 1, 1000)})
    db.add_edges(ids[:-1], ids[1:], "NEXT")

    print(db.node(db.find("Person", "ada")))
    print("babbage's neighbours:", db.neighbors(babbage, direction="in"))
    print(db.num_nodes, "nodes,", db.num_edges, "edges")

    # Analytics return numpy arrays indexed by node id.
    print("hops from the first reader to the last:", db.bfs(ids[0])[ids[-1]])
    rank = db.pagerank(labels="Person")
    print("most central person:", db.node(int(rank.argmax()))["key"])
