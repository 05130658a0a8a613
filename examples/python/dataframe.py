"""From a DataFrame to PageRank to a plot (also in README.md). Usage: dataframe.py [DIR]"""
import pathlib
import sys

import pandas as pd

import nendb

data = pathlib.Path(__file__).resolve().parents[1] / "data"  # Zachary's karate club
db = nendb.open(sys.argv[1] if len(sys.argv) > 1 else "karate.nendb")
db.import_df(pd.read_csv(data / "karate_members.csv"), label="Member", key="id")
db.import_edges_df(pd.read_csv(data / "karate_edges.csv"), "source", "target", "KNOWS",
                   weight="weight", label="Member")
top = db.nodes_df("Member", results={"pagerank": db.pagerank(directed=False)}).nlargest(10, "pagerank")
top.plot.barh(x="_key", y="pagerank").figure.savefig(db.path + ".png")
