"""When this server process last ran a script, so background work keeps out of a visitor's way.

The warm-up of ``ui/serve.py`` fills the caches of the first pages in a thread of the server
process. Its first part (the default map) is what the first visitor asks for; the rest (the
wijkprofiel, the other map layers, the example survey, the upload fork server) only helps
later visitors. Done while the first visitor's browser downloads and runs the frontend's
plotly bundle, that rest held the GIL the server needs to send those files: 4,7 MB took
0,6–1,9 s from localhost instead of a few tens of ms (issue #14, cold start). The app marks
each script run here (``app.py``), and the warm-up waits for a quiet moment between its steps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Activity:
    """Counts the script runs under way and remembers when the last one ended.

    ``clock`` and ``sleep`` are there for tests (a fake clock); the app uses the real ones.

    Examples
    --------
    >>> now = [0.0]
    >>> activity = Activity(clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    >>> activity.wait_quiet(quiet_s=2, max_wait_s=10)  # nothing has run: no wait
    0.0
    >>> with activity.script_run():
    ...     now[0] = 5.0
    >>> activity.wait_quiet(quiet_s=2, max_wait_s=10)  # ended at 5: quiet from 7
    2.0
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._last_end: float | None = None
        self._clock = clock
        self._sleep = sleep

    @contextmanager
    def script_run(self) -> Iterator[None]:
        """Mark one script run (also one that ends in ``st.stop()`` or a rerun)."""
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                self._last_end = self._clock()

    def _quiet_in(self, quiet_s: float) -> float:
        """Seconds until the server has been without a script run for ``quiet_s``."""
        with self._lock:
            if self._running:
                return quiet_s
            if self._last_end is None:
                return 0.0
            return max(0.0, self._last_end + quiet_s - self._clock())

    def wait_quiet(self, quiet_s: float, max_wait_s: float, step_s: float = 0.1) -> float:
        """Wait until no script has run for ``quiet_s`` (at most ``max_wait_s``); return the wait.

        A server that never gets quiet (many users) still gets its background work done,
        ``max_wait_s`` later.
        """
        start = self._clock()
        while (left := self._quiet_in(quiet_s)) > 0:
            waited = self._clock() - start
            if waited >= max_wait_s:
                break
            self._sleep(min(left, step_s, max_wait_s - waited))
        return self._clock() - start


#: The script runs of this server process (one per process: replicas each have their own).
SERVER = Activity()
