"""The progress helper behind imports: quiet unless interactive, a bar only
after the delay, forced with progress=True, user callables passed through."""

from __future__ import annotations

import pytest

from nendb import _progress


class FakeBar:
    instances: list = []

    def __init__(self, total, **kw):
        self.total, self.n, self.closed, self.desc = total, 0, False, kw.get("desc")
        FakeBar.instances.append(self)

    def update(self, k):
        self.n += k

    def close(self):
        self.closed = True


@pytest.fixture
def fake_tqdm(monkeypatch):
    tqdm_auto = pytest.importorskip("tqdm.auto")
    FakeBar.instances = []
    monkeypatch.setattr(tqdm_auto, "tqdm", FakeBar)
    return FakeBar


def test_auto_is_quiet_when_not_interactive(monkeypatch, fake_tqdm):
    monkeypatch.setattr(_progress, "_interactive", lambda: False)
    monkeypatch.setattr(_progress, "_DELAY", 0.0)
    p = _progress.make(None, "f.csv")
    assert p(10, 100) is True and p(100, 100) is True
    p.close()
    assert fake_tqdm.instances == []


def test_auto_shows_a_bar_after_the_delay_when_interactive(monkeypatch, fake_tqdm):
    monkeypatch.setattr(_progress, "_interactive", lambda: True)
    clock = [0.0]
    monkeypatch.setattr(_progress.time, "monotonic", lambda: clock[0])
    p = _progress.make(None, "f.csv")
    assert p(10, 100)
    assert fake_tqdm.instances == []  # imports under a second stay quiet
    clock[0] = 1.5
    assert p(40, 100) and p(100, 100)
    bar = fake_tqdm.instances[0]
    assert bar.total == 100 and bar.n == 100 and bar.desc == "f.csv"
    p.close()
    assert bar.closed


def test_forced_and_disabled(monkeypatch, fake_tqdm):
    monkeypatch.setattr(_progress, "_interactive", lambda: False)
    p = _progress.make(True, "f.csv")
    p(5, 10)
    assert fake_tqdm.instances[0].n == 5
    q = _progress.make(False, "f.csv")
    monkeypatch.setattr(_progress, "_interactive", lambda: True)
    q(5, 10)
    assert len(fake_tqdm.instances) == 1


def test_user_callable(fake_tqdm):
    seen = []
    p = _progress.make(lambda d, t: seen.append((d, t)), "f.csv")
    assert p(1, 2) is True  # None means keep going
    assert _progress.make(lambda d, t: False, "f.csv")(1, 2) is False
    assert seen == [(1, 2)] and fake_tqdm.instances == []


def test_checkpoint_shows_a_bar_and_can_be_cancelled(tmp_path, fake_tqdm):
    import numpy as np

    import nendb

    with nendb.open(str(tmp_path / "db")) as db:
        ids = db.add_nodes("V", count=1000)
        rng = np.random.default_rng(1)
        db.add_edges(ids[rng.integers(0, 1000, 400_000)], ids[rng.integers(0, 1000, 400_000)], "E")
        generation = db.stats()["snapshot_generation"]
        with pytest.raises(nendb.CancelledError, match="cancelled"):
            db.checkpoint(progress=lambda done, total: False)
        assert db.stats()["snapshot_generation"] == generation
        db.checkpoint(progress=True)
        assert db.stats()["snapshot_generation"] == generation + 1
        (bar,) = fake_tqdm.instances
        assert bar.desc == "checkpoint" and bar.closed
        assert 0 < bar.n <= bar.total
    with nendb.open(str(tmp_path / "db")) as db:
        assert db.num_edges == 400_000
