"""Cold start: the warm-up keeps out of a first visitor's way.

The server's script runs are marked (ui/activity.py) and the warm-up's later steps wait for a
quiet moment.
"""

import gc

import pytest

from ui.activity import Activity


class FakeClock:
    """A clock that only moves when someone sleeps (or the test moves it)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def activity(clock):
    return Activity(clock=clock, sleep=clock.sleep)


def test_a_server_that_has_run_nothing_is_quiet(activity, clock):
    assert activity.wait_quiet(quiet_s=3, max_wait_s=30) == 0
    assert clock.slept == []


def test_the_wait_ends_quiet_s_after_the_last_run_ended(activity, clock):
    with activity.script_run():
        clock.now += 0.4  # the run itself
    clock.now += 1.0  # a second after it ended
    assert activity.wait_quiet(quiet_s=3, max_wait_s=30) == pytest.approx(2.0)
    assert max(clock.slept) <= 0.1  # in short steps, so a new run is noticed


def test_a_run_under_way_holds_the_wait_until_max_wait(activity, clock):
    with activity.script_run():
        assert activity.wait_quiet(quiet_s=3, max_wait_s=30) == pytest.approx(30)


def test_a_run_that_ends_in_an_exception_still_ends(activity, clock):
    # st.stop() and a rerun end a script run by raising.
    with pytest.raises(RuntimeError), activity.script_run():
        raise RuntimeError("st.stop")
    clock.now += 5
    assert activity.wait_quiet(quiet_s=3, max_wait_s=30) == 0


def test_two_runs_at_once_both_count(activity, clock):
    first, second = activity.script_run(), activity.script_run()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert activity.wait_quiet(quiet_s=3, max_wait_s=1) == pytest.approx(1)  # one still runs
    second.__exit__(None, None, None)
    assert activity.wait_quiet(quiet_s=3, max_wait_s=30) == pytest.approx(3)


def test_the_app_marks_its_script_runs():
    from tests.apptest import app, no_exception
    from ui import activity

    clock = FakeClock()
    marked = Activity(clock=clock, sleep=clock.sleep)
    original, activity.SERVER = activity.SERVER, marked
    try:
        at = app()
        at.run()
        no_exception(at)
    finally:
        activity.SERVER = original
    assert marked.wait_quiet(quiet_s=3, max_wait_s=30) == pytest.approx(3)  # just ended


def test_the_warm_up_makes_the_first_map_before_it_waits_and_the_rest_after(monkeypatch):
    # The first visitor's map is made at once; the wijkprofiel, the other layers, the example
    # survey and the upload fork server each wait for a quiet moment first.
    from data.uploads import isolated
    from ui import activity, gemeente_map, profile_view, serve

    gemeente_map._public_view.clear()
    profile_view._public_parts.clear()
    built = {"map": 0, "profile": 0}
    build_view, build_parts = gemeente_map.build_view, profile_view.build_parts

    def counted(kind, build):
        def run(*args, **kwargs):
            built[kind] += 1
            return build(*args, **kwargs)

        return run

    monkeypatch.setattr(gemeente_map, "build_view", counted("map", build_view))
    monkeypatch.setattr(profile_view, "build_parts", counted("profile", build_parts))
    seen: list[tuple[int, int]] = []

    def wait_quiet(quiet_s, max_wait_s):
        assert (quiet_s, max_wait_s) == (0.5, serve.QUIET_MAX_WAIT_S)
        seen.append((built["map"], built["profile"]))
        # A busy server may wait minutes: what lives as long as it is frozen already.
        assert gc.get_freeze_count() > 0
        return 0.0

    monkeypatch.setattr(serve, "_answers", lambda url: True)
    monkeypatch.setattr(isolated, "start", lambda: seen.append((-1, -1)))
    monkeypatch.setattr(activity.SERVER, "wait_quiet", wait_quiet)
    gc.unfreeze()
    try:
        serve.warm_up("http://127.0.0.1:1/_stcore/health", quiet_s=0.5)
    finally:
        gc.unfreeze()
    assert seen[0] == (1, 0)  # the first map made, the wijkprofiel not yet
    assert seen[1][1] == 1  # the next wait comes after the wijkprofiel
    assert seen[-1] == (-1, -1) and len(seen) >= 4  # the fork server started after a wait
