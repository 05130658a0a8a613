"""The nendb demo (`make demo`): builds a database from the bundled datasets and
queries it.

Datasets (examples/data/): the Les Miserables character co-occurrence network
(with analytics: PageRank, shortest paths, communities, components, cores,
triangles, and a similarity search over embeddings derived from the network
within a graph neighbourhood) (Knuth's Stanford GraphBase, 77 characters, 254
weighted edges) and a small knowledge graph of computing history as
subject,predicate,object triples.

Usage: demo.py [DATABASE_DIR]   (default build/demo.nendb, recreated each run)
"""
import collections
import pathlib
import shutil
import sys
import time

import numpy as np

import nendb

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


def heading(text: str) -> None:
    print(f"\n== {text}")


def build(path: pathlib.Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    start = time.perf_counter()
    with nendb.open(path) as db, db.write() as tx:
        chars = tx.import_csv(DATA / "lesmis_characters.csv", "Character", key="name")
        co = tx.import_csv(DATA / "lesmis_cooccurrence.csv", "Character",
                           edge_type="APPEARS_WITH", weight="weight")
        kg = tx.import_triples(DATA / "science_triples.csv", label="Entity")
        embed(tx)
    took = (time.perf_counter() - start) * 1000
    heading(f"Imported into {path} in {took:.0f} ms")
    print(f"  Les Miserables: {chars['nodes_added']} characters, "
          f"{co['edges_added']} co-occurrence edges")
    print(f"  Knowledge graph: {kg['rows']} triples -> {kg['nodes_added']} entities, "
          f"{kg['edges_added']} edges")


def embed(tx) -> None:
    """Gives every character an 8-d embedding of its place in the co-occurrence
    network: its row of the leading eigenvectors of the weighted adjacency
    (a spectral embedding; characters who share scenes with the same others
    end up close)."""
    chars = tx.nodes("Character")
    index = {int(c): i for i, c in enumerate(chars)}
    a = np.zeros((len(chars), len(chars)))
    for c in chars:
        nbrs, edges = tx.neighbors(int(c), direction="out", return_edges=True)
        for n, e in zip(nbrs, edges):
            w = tx.edge(int(e))["weight"]
            a[index[int(c)], index[int(n)]] += w
            a[index[int(n)], index[int(c)]] += w
    values, vectors = np.linalg.eigh(a)
    top = vectors[:, np.argsort(values)[::-1][:8]] * np.sqrt(np.abs(np.sort(values)[::-1][:8]))
    for c in chars:
        tx.set_property(int(c), "embedding", top[index[int(c)]].astype(np.float32))


def co_occurrence(db: "nendb.Database") -> None:
    heading("Who appears most often with Valjean?")
    valjean = db.find("Character", "Valjean")
    nbrs, edges = db.neighbors(valjean, direction="both", return_edges=True)
    weighted = sorted(((db.edge(e)["weight"], db.node(n)["key"]) for n, e in zip(nbrs, edges)),
                      reverse=True)
    for weight, name in weighted[:5]:
        print(f"  {name:<20} {weight:>4.0f} scenes together")
    print(f"  ... {len(weighted)} characters in all")

    heading("Characters with the most appearances")
    people = [db.node(n) for n in db.nodes("Character")]
    for p in sorted(people, key=lambda p: -p["properties"]["appearances"])[:5]:
        print(f"  {p['key']:<20} {p['properties']['appearances']:>4} "
              f"(degree {db.degree(p['id'], 'both')})")


def knowledge(db: "nendb.Database") -> None:
    def name(node: int) -> str:
        return db.node(node)["key"]

    heading("What did Alan Turing do?")
    turing = db.find("Entity", "Alan Turing")
    by_type = collections.defaultdict(list)
    nbrs, edges = db.neighbors(turing, return_edges=True)
    for n, e in zip(nbrs, edges):
        by_type[db.edge(e)["type"]].append(name(n))
    for predicate, objects in sorted(by_type.items()):
        print(f"  {predicate:<15} {', '.join(sorted(objects))}")

    heading("Born in London")
    london = db.find("Entity", "London")
    print("  " + ", ".join(sorted(name(n) for n in db.neighbors(london, "in", "born_in"))))

    heading("Languages influenced by ALGOL, and who made them (two hops)")
    algol = db.find("Entity", "ALGOL")
    for lang in sorted(db.neighbors(algol, "in", "influenced_by"), key=name):
        makers = sorted(name(n) for n in db.neighbors(lang, "in", "developed"))
        print(f"  {name(lang):<10} by {', '.join(makers) or '?'}")


def analytics(db: "nendb.Database") -> None:
    def name(node: int) -> str:
        return db.node(node)["key"]

    people = dict(labels="Character", directed=False)  # the co-occurrence graph
    heading("Most central characters (PageRank, weighted by scenes together)")
    rank = db.pagerank(weight="weight", **people)
    for node in rank.argsort()[::-1][:5]:
        print(f"  {name(node):<20} {rank[node]:.4f}")

    heading("From Myriel to Javert")
    myriel, javert = db.find("Character", "Myriel"), db.find("Character", "Javert")
    print("  fewest steps:   " + " -> ".join(map(name, db.shortest_path(myriel, javert, **people))))
    hops = db.bfs(myriel, **people)
    print(f"  {int((hops >= 0).sum())} characters within {hops.max()} steps of Myriel")

    heading("Communities (Louvain)")
    communities = db.louvain(labels="Character", weight="weight", seed=1)
    characters = db.nodes("Character")
    groups = collections.Counter(communities[characters].tolist())
    q = db.modularity(communities, labels="Character", weight="weight")
    print(f"  {len(groups)} communities, modularity {q:.3f}; the largest:")
    for label, size in groups.most_common(3):
        members = sorted(characters[communities[characters] == label],
                         key=lambda n: -rank[n])
        print(f"  {size:>3}: {', '.join(name(n) for n in members[:5])}, ...")

    heading("Most like Valjean among those within two steps of Javert (embeddings)")
    valjean = db.find("Character", "Valjean")
    near_javert = db.k_hop(javert, 2, labels="Character", directed=False)
    ids, dist = db.knn(db.node(valjean)["properties"]["embedding"], k=6, filter=near_javert)
    for n, d in [(n, d) for n, d in zip(ids, dist) if n != valjean][:5]:
        print(f"  {name(n):<20} cosine distance {d:.3f}")

    heading("Structure")
    components = db.wcc(labels="Character")
    core = db.k_core(labels="Character")
    clustering = db.clustering(labels="Character")
    print(f"  {len(set(components[characters]))} connected component(s); the densest core "
          f"(k = {core.max()}) has {int((core == core.max()).sum())} characters")
    print(f"  {int(db.triangles(labels='Character')[characters].sum() // 3)} triangles, "
          f"mean clustering {clustering[characters].mean():.3f}")


def main() -> int:
    path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build/demo.nendb")
    build(path)
    # Reopen read-only: everything comes back from the snapshot file.
    with nendb.open(path, read_only=True) as db:
        co_occurrence(db)
        analytics(db)
        knowledge(db)
        heading("Database")
        stats = db.stats()
        print(f"  {stats['num_nodes']} nodes, {stats['num_edges']} edges, labels "
              f"{db.labels()}, {len(db.edge_types())} edge types")
        print(f"  snapshot generation {stats['snapshot_generation']}, "
              f"{stats['snapshot_file_bytes']} bytes on disk")
        print("  check: " + db.check().strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
