"""Is contact becoming more frequent? Two small, well-known tests, in pure Python.

The deciding test is the Mann–Kendall trend test on weekly counts: it is rank-based, so it asks
"do later weeks tend to be higher than earlier ones?" without assuming any distribution. A noisy
series (some busy weeks, some quiet) does not look like a trend to it, which matters because an
over-dispersed series would fool a Poisson test. The Poisson rate comparison of the last 4 weeks
against the weeks before is reported alongside, because it gives the plain-words figure ("contact
has more than doubled") and its own p-value; it does not decide on its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from safetrail.models.jsonvalue import JsonObject

MIN_WEEKS = 6
RECENT_WEEKS = 4
ALPHA = 0.05
_EXACT_BINOMIAL_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class MannKendall:
    """S statistic, its tie-corrected variance, Z with continuity correction, one-sided p."""

    n: int
    s: int
    variance: float
    z: float
    p_increasing: float
    tau: float
    sen_slope: float

    def to_json(self) -> JsonObject:
        return {
            "test": "Mann-Kendall (one-sided, increasing)",
            "n_weeks": self.n,
            "S": self.s,
            "variance": round(self.variance, 4),
            "Z": round(self.z, 4),
            "p_value": _round_p(self.p_increasing),
            "tau": round(self.tau, 4),
            "sen_slope_per_week": round(self.sen_slope, 4),
        }


@dataclass(frozen=True, slots=True)
class RateComparison:
    """Recent weekly rate against the earlier one; p is P(recent count >= observed | same rate)."""

    recent_weeks: int
    earlier_weeks: int
    recent_count: int
    earlier_count: int
    rate_ratio: float | None
    p_higher: float

    @property
    def recent_rate(self) -> float:
        return self.recent_count / self.recent_weeks

    @property
    def earlier_rate(self) -> float:
        return self.earlier_count / self.earlier_weeks

    def to_json(self) -> JsonObject:
        return {
            "test": "Poisson rate comparison (conditional binomial, one-sided)",
            "recent_weeks": self.recent_weeks,
            "earlier_weeks": self.earlier_weeks,
            "recent_count": self.recent_count,
            "earlier_count": self.earlier_count,
            "rate_ratio": None if self.rate_ratio is None else round(self.rate_ratio, 4),
            "p_value": _round_p(self.p_higher),
        }


@dataclass(frozen=True, slots=True)
class TrendResult:
    """Both tests on one weekly series, and whether the rise is flagged (and why not, if not)."""

    weekly: tuple[int, ...]
    mann_kendall: MannKendall | None
    rates: RateComparison | None
    rising: bool
    reason: str

    def to_json(self) -> JsonObject:
        return {
            "weekly_counts": list(self.weekly),
            "mann_kendall": None if self.mann_kendall is None else self.mann_kendall.to_json(),
            "rate_comparison": None if self.rates is None else self.rates.to_json(),
            "rising": self.rising,
            "reason": self.reason,
            "rule": (
                f"flagged when at least {MIN_WEEKS} weeks are logged, the Mann-Kendall test finds "
                f"an upward trend (one-sided p < {ALPHA}) and the last {RECENT_WEEKS} weeks are "
                "busier than the weeks before"
            ),
        }


def _round_p(p: float) -> float:
    return float(f"{p:.4g}")


def normal_upper_tail(z: float) -> float:
    """P(Z >= z) for a standard normal variable."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def mann_kendall(series: Sequence[float]) -> MannKendall:
    """Mann–Kendall trend test (Mann 1945; Kendall 1975), tie-corrected variance.

    O(n^2) in the number of weeks, which is small (a decade is ~520 weeks).
    """
    n = len(series)
    if n < 3:
        raise ValueError("the Mann-Kendall test needs at least 3 values")
    s = 0
    slopes: list[float] = []
    for i in range(n - 1):
        xi = series[i]
        for j in range(i + 1, n):
            diff = series[j] - xi
            s += (diff > 0) - (diff < 0)
            slopes.append(diff / (j - i))
    ties: dict[float, int] = {}
    for value in series:
        ties[value] = ties.get(value, 0) + 1
    tie_term = sum(t * (t - 1) * (2 * t + 5) for t in ties.values())
    variance = (n * (n - 1) * (2 * n + 5) - tie_term) / 18.0
    z = 0.0
    if variance > 0 and s != 0:
        z = (s - 1) / math.sqrt(variance) if s > 0 else (s + 1) / math.sqrt(variance)
    p = normal_upper_tail(z) if variance > 0 else 1.0
    return MannKendall(
        n=n,
        s=s,
        variance=variance,
        z=z,
        p_increasing=p,
        tau=s / (n * (n - 1) / 2),
        sen_slope=_median(slopes),
    )


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p): exact for modest n, normal approximation beyond."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    if n > _EXACT_BINOMIAL_LIMIT:
        sd = math.sqrt(n * p * (1 - p))
        return normal_upper_tail((k - 0.5 - n * p) / sd)
    log_p, log_q = math.log(p), math.log1p(-p)
    log_n = math.lgamma(n + 1)
    total = 0.0
    for x in range(k, n + 1):
        log_term = log_n - math.lgamma(x + 1) - math.lgamma(n - x + 1) + x * log_p
        total += math.exp(log_term + (n - x) * log_q)
    return min(1.0, total)


def compare_rates(series: Sequence[int], recent_weeks: int = RECENT_WEEKS) -> RateComparison:
    """Poisson comparison of the last `recent_weeks` against all weeks before them.

    Given the total, the recent count is Binomial(total, recent share of time) when the rate has
    not changed; the p-value is the chance of a recent count at least as large as observed.
    """
    if len(series) <= recent_weeks:
        raise ValueError("need weeks before the recent ones to compare against")
    recent = sum(series[-recent_weeks:])
    earlier = sum(series[:-recent_weeks])
    earlier_weeks = len(series) - recent_weeks
    share = recent_weeks / len(series)
    ratio = None
    if earlier > 0:
        ratio = (recent / recent_weeks) / (earlier / earlier_weeks)
    return RateComparison(
        recent_weeks=recent_weeks,
        earlier_weeks=earlier_weeks,
        recent_count=recent,
        earlier_count=earlier,
        rate_ratio=ratio,
        p_higher=binomial_upper_tail(recent, recent + earlier, share),
    )


def weekly_trend(series: Sequence[int], alpha: float = ALPHA) -> TrendResult:
    """Test a weekly series (oldest first) for a rise; flat and noisy series are not flagged."""
    weekly = tuple(series)
    if len(weekly) < MIN_WEEKS:
        return TrendResult(weekly, None, None, False, f"fewer than {MIN_WEEKS} weeks logged")
    test = mann_kendall(weekly)
    rates = compare_rates(weekly)
    recent_higher = rates.recent_rate > rates.earlier_rate
    if test.p_increasing >= alpha:
        reason = "no clear upward trend in the weekly counts"
    elif not recent_higher:
        reason = "counts rose earlier, but the last weeks are not busier than before"
    else:
        reason = "weekly counts show an upward trend and the last weeks are busier"
    return TrendResult(weekly, test, rates, test.p_increasing < alpha and recent_higher, reason)
