"""Bootstrap confidence intervals for ratio metrics, resampling units within articles.

Every rate or share in the metrics table is a ratio of sums over units
(sentences or paragraphs): hedges / words, context words / words, sentiment sum
/ mentions (both summed per sentence: the mentions of one sentence share its
words, so the sentence is the unit drawn, a cluster bootstrap). The bootstrap
resamples the units of each article with replacement (stratified by article, so
an outlet's aggregate keeps its articles' sizes), recomputes the ratio of sums,
and reports the 2.5 and 97.5 percentiles (percentile method). All metrics of one
unit type share one set of resampling weights, so the cost is one small matrix
product per article, not a loop per metric.

Seeds are derived from the article and unit type with CRC-32, so an interval
does not depend on the order in which articles are processed.
"""
from __future__ import annotations

import zlib

import numpy as np

N_RESAMPLES = 1000
CI_LEVEL = 0.95
SEED = 20240413


def _rng(*keys: str) -> np.random.Generator:
    key = "\x1f".join(keys).encode("utf-8")
    return np.random.default_rng([SEED, zlib.crc32(key)])


WEIGHT_CELLS = 1_000_000  # at most this many weights at a time (8 MB); larger articles get them in blocks


def resample_weights(n_units: int, *keys: str, n_resamples: int = N_RESAMPLES) -> np.ndarray:
    """A (n_resamples, n_units) matrix of how often each unit is drawn in each resample.

    Rows sum to n_units. Deterministic for the given keys.
    """
    if n_units == 0:
        return np.zeros((n_resamples, 0))
    return np.vstack([block for _, block in resample_weight_blocks(n_units, *keys, n_resamples=n_resamples,
                                                                   cells=max(WEIGHT_CELLS, n_units * n_resamples))])


def resample_weight_blocks(n_units: int, *keys: str, n_resamples: int = N_RESAMPLES, cells: int = WEIGHT_CELLS):
    """The rows of ``resample_weights`` in blocks of at most ``cells`` weights: ``(first row, block)`` pairs.

    The same numbers as one ``resample_weights`` call (the generator's stream is
    drawn row after row either way), in memory proportional to ``cells`` instead
    of ``n_resamples * n_units``: what keeps a very long article in bounded memory.
    """
    rng = _rng(*keys)
    step = max(1, cells // max(n_units, 1))
    for r0 in range(0, n_resamples, step):
        k = min(step, n_resamples - r0)
        draws = rng.integers(0, n_units, size=(k, n_units))
        draws += (np.arange(k) * n_units)[:, None]
        yield r0, np.bincount(draws.ravel(), minlength=k * n_units).reshape(k, n_units).astype(float)


def percentile_interval(samples: np.ndarray, level: float = CI_LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval along axis 0, ignoring NaN resamples (e.g. a resample with no mentions).

    Linear interpolation between order statistics (numpy's default quantile
    method), computed for all columns at once. Columns where every resample is
    NaN give NaN bounds.
    """
    samples = np.asarray(samples, dtype=float)
    if samples.ndim == 1:
        samples = samples[:, None]
    return percentile_rows(samples.T, level)


def percentile_rows(samples: np.ndarray, level: float = CI_LEVEL, *, overwrite: bool = False
                    ) -> tuple[np.ndarray, np.ndarray]:
    """``percentile_interval`` of a (series, resamples) array: one interval per row.

    Fastest when the rows are contiguous. ``overwrite=True`` sorts ``samples``
    in place instead of a copy.
    """
    alpha = (1.0 - level) / 2.0
    if overwrite:
        samples.sort(axis=1)  # NaN sorts last
        ordered = samples
    else:
        ordered = np.sort(samples, axis=1)
    n_rows, size = ordered.shape
    if size == 0:  # no resamples: no interval
        return np.full(n_rows, np.nan), np.full(n_rows, np.nan)
    n_finite = np.full(n_rows, size)
    # sorted rows whose first and last values are finite are finite throughout
    odd = ~(np.isfinite(ordered[:, 0]) & np.isfinite(ordered[:, -1]))
    if odd.any():
        n_finite[odd] = np.isfinite(ordered[odd]).sum(axis=1)
    rows = np.arange(n_rows)
    top = np.maximum(n_finite - 1, 0)

    def quantile(q):
        pos = q * top
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, top)
        frac = pos - lo
        at_lo = ordered[rows, lo]
        with np.errstate(invalid="ignore"):  # inf * 0 in rows with infinities; replaced below
            out = at_lo * (1 - frac) + ordered[rows, hi] * frac
        # exact order statistic when there is no fraction (avoids 0 * inf and rounding)
        out = np.where(frac == 0, at_lo, out)
        return np.where(n_finite > 0, out, np.nan)

    return quantile(alpha), quantile(1.0 - alpha)


def ratio_samples(weights: np.ndarray, numerators: np.ndarray, denominators: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Resampled sums: ``weights`` (B, n) times unit values (n, m) -> two (B, m) arrays."""
    return weights @ numerators, weights @ denominators


def safe_ratio(num, den, scale: float = 1.0):
    """num / den * scale, NaN where den == 0 (units never have negative sizes; NaN also for den < 0)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num, den, out=out, where=den > 0)  # the other cells are never divided: no warning
    return out * scale if scale != 1.0 else out
