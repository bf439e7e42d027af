"""The app's one analysis, shared by every page (see `services/analysis_cache.py`).

Cleared when the casebook is locked, so nothing from the case stays in memory after that.
"""

from __future__ import annotations

from safetrail.services.analysis_cache import AnalysisCache

ANALYSIS_CACHE = AnalysisCache()
