"""Several processes on one database (also in README.md): a writer process
commits while this process reads the same directory. Usage: processes.py [DIR]"""
import multiprocessing as mp
import sys

import nendb


def write(path: str) -> None:
    with nendb.open(path) as db:  # one write transaction at a time, over all processes
        for i in range(200):
            with db.write() as tx:  # each adds a node and an edge to the previous one
                node = tx.add_node("Event", key=i)
                if i > 0:
                    tx.add_edge(tx.find("Event", i - 1), node, "NEXT")


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "processes.nendb"
    nendb.open(path).close()  # creates the database
    writer = mp.get_context("spawn").Process(target=write, args=(path,))
    writer.start()
    seen = []
    with nendb.open(path, read_only=True) as db:
        while True:
            finished = not writer.is_alive()
            with db.read() as r:  # a snapshot: stable while the writer goes on
                nodes, edges = r.num_nodes, r.num_edges
                assert nodes == 0 or edges == nodes - 1  # never half a transaction
            if not seen or nodes != seen[-1]:
                seen.append(nodes)  # the next read transaction sees newer commits
            if finished:
                break
    writer.join()
    assert writer.exitcode == 0 and seen[-1] == 200
    print(f"the reader saw {len(seen)} states, from {seen[0]} to {seen[-1]} events")
