"""What every benchmark shares: the figure line, best-of-N timing and the machine's load."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class Report:
    """Collects the figures of one run and prints each as ``name: value unit (target …)``."""

    results: list[tuple[str, bool]] = field(default_factory=list)

    def figure(
        self,
        name: str,
        value: float,
        unit: str,
        target: float,
        *,
        lower_is_better: bool = True,
        why_missed: str = "",
    ) -> bool:
        """Print one figure against its target; a miss carries its reason on the next line."""
        met = value <= target if lower_is_better else value >= target
        sign = "≤" if lower_is_better else "≥"
        verdict = "met" if met else "missed"
        print(f"{name}: {value:,.3g} {unit} (target {sign} {target:g} {unit}, {verdict})")
        if not met and why_missed:
            print(f"  why missed: {why_missed}")
        self.results.append((name, met))
        return met

    def not_measured(self, name: str, reason: str) -> None:
        """Print a figure that could not be measured, counted as a missed target."""
        print(f"{name}: not measured (missed: {reason})")
        self.results.append((name, False))

    def note(self, text: str) -> None:
        """Print context under the last figure (indented, not a figure)."""
        print(f"  ({text})")

    def summary(self) -> str:
        """Return the closing line."""
        met = sum(ok for _, ok in self.results)
        missed = [name for name, ok in self.results if not ok]
        tail = f"; missed: {', '.join(missed)}" if missed else ""
        return f"summary: {met} of {len(self.results)} targets met{tail}"


def best_of(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Return the best wall-clock time in seconds over ``repeat`` runs, and the last result.

    Best-of rather than mean: other work on the machine only ever adds time.
    """
    if repeat < 1:
        raise ValueError(f"best_of: repeat is {repeat}, verwacht 1 of meer")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def percentile(values: list[float], pct: float) -> float:
    """Return the ``pct`` percentile (0–100) of ``values``, interpolated between ranks."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(pct) - 1]


def load_text() -> str:
    """Describe how busy the machine is: load averages against the number of cores."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"
