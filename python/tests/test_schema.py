"""Label schemas: declared types, required properties, strict labels."""

from __future__ import annotations

import numpy as np
import pytest

import nendb
from nendb import errors


def test_define_label_types(mem):
    with mem.write() as tx:
        tx.define_label("Paper", {
            "title": nendb.Property("string", required=True),
            "year": "int64",
            "score": float,
            "open": "bool",
            "embedding": "vector[4]",
            "other": nendb.Property("vector", dim=2),
        })
    info = mem.label_info("Paper")
    cols = {c["name"]: c for c in info["columns"]}
    assert {n: c["type"] for n, c in cols.items()} == {
        "title": "string", "year": "int64", "score": "float64", "open": "bool",
        "embedding": "vector[4]", "other": "vector[2]"}
    assert cols["title"]["required"] and cols["title"]["declared"]
    assert not cols["year"]["required"]
    assert info["strict"] is False


def test_schema_is_enforced(mem):
    with mem.write() as tx:
        tx.define_label("Paper", {"title": nendb.Property("string", required=True),
                                  "year": "int64", "embedding": "vector[3]"}, strict=True)
    with mem.write() as tx:
        p = tx.add_node("Paper", props={"title": "A", "year": 2020, "embedding": [1, 2, 3]})
    assert mem.node(p)["properties"]["year"] == 2020
    cases = [
        ({"year": 2020}, errors.ConstraintError, "title"),               # required missing
        ({"title": "B", "year": "2020"}, errors.InvalidArgumentError, "year"),  # wrong type
        ({"title": "B", "year": 1.5}, errors.InvalidArgumentError, "year"),     # no coercion
        ({"title": "B", "embedding": [1, 2]}, errors.InvalidArgumentError, "embedding"),
        ({"title": "B", "extra": 1}, errors.ConstraintError, "extra"),   # strict
    ]
    for props, exc, word in cases:
        with pytest.raises(exc, match=word):
            with mem.write() as tx:
                tx.add_node("Paper", props=props)
    with pytest.raises(errors.ConstraintError, match="title"):
        with mem.write() as tx:
            tx.set_property(p, "title", None)  # required cannot be removed
    with pytest.raises(errors.ConstraintError):
        mem.add_nodes("Paper", props={"title": ["x", None]})
    with pytest.raises(errors.ConstraintError):
        mem.add_nodes("Paper", props={"year": np.array([1, 2])})
    with pytest.raises(errors.InvalidArgumentError):
        mem.add_nodes("Paper", props={"title": ["x", "y"], "year": np.array([1.0, 2.0])})
    ids = mem.add_nodes("Paper", props={"title": ["x", "y"], "year": np.array([1, 2])})
    assert mem.num_nodes == 3 and len(ids) == 2


def test_existing_nodes_must_fit_a_new_schema(mem):
    with mem.write() as tx:
        a = tx.add_node("P", props={"age": 3})
    with pytest.raises(errors.ConstraintError, match="name"):
        with mem.write() as tx:
            tx.define_label("P", {"name": nendb.Property(str, required=True)})
    with pytest.raises(errors.InvalidArgumentError, match="age"):
        with mem.write() as tx:
            tx.define_label("P", {"age": "string"})
    with mem.write() as tx:
        tx.define_label("P", {"age": "int64"})
    assert mem.label_info("P")["columns"][0]["declared"]
    assert mem.node(a)["properties"] == {"age": 3}


def test_open_labels_infer_types_from_first_value(mem):
    with mem.write() as tx:
        tx.add_node("Q", props={"x": 1})
    with pytest.raises(errors.InvalidArgumentError, match="never converted"):
        with mem.write() as tx:
            tx.add_node("Q", props={"x": 1.0})


@pytest.mark.parametrize("spec,word", [
    ("blob", "unknown type"),
    ("vector", "dimension"),
    ("vector[0]", "dimension"),
    ("vector[70000]", "65536"),
    (nendb.Property("vector[3]", dim=4), "dim"),
])
def test_bad_declarations(mem, spec, word):
    with pytest.raises(errors.InvalidArgumentError, match=word):
        with mem.write() as tx:
            tx.define_label("Bad", {"p": spec})


def test_bad_declaration_arguments(mem):
    with mem.write() as tx:
        with pytest.raises(TypeError):
            tx.define_label("L", ["title"])
        with pytest.raises(TypeError):
            tx.define_label("L", {1: "int64"})
        with pytest.raises(errors.InvalidArgumentError):
            tx.define_label("", {"p": "int64"})
