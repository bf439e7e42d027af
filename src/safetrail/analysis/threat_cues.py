"""Simple, transparent cues that a threat names a place, a time or a weapon.

A threat that names where, when or with what is more specific, and police and advocates ask
about it. Each match is reported with the words that matched so the person can check it; a
threat with none of these cues is still a threat.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
THREAT_CUES: Mapping[str, tuple[re.Pattern[str], ...]] = {
    "place": (
        re.compile(
            r"\b(?:your|ur|you're|youre)\s+(?:house|home|flat|work|office|school|gym|street|"
            r"address|door|car|parents'?|mum'?s|dad'?s)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(?:outside|near|at|round)\s+(?:the\s+)?(?:school|station|gym|office)\b", re.I
        ),
        re.compile(
            r"\b\d{1,4}\s+[a-z]+\s+(?:street|st|road|rd|avenue|ave|lane|close|drive)\b", re.I
        ),
    ),
    "time": (
        re.compile(
            rf"\b(?:tonight|tomorrow|this\s+(?:morning|afternoon|evening|weekend)|"
            rf"next\s+(?:week|{_DAYS})|on\s+{_DAYS}|midnight|o'?clock)\b",
            re.IGNORECASE,
        ),
        re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b", re.IGNORECASE),
        re.compile(r"\bat\s+\d{1,2}:\d{2}\b", re.IGNORECASE),
    ),
    "weapon": (
        re.compile(
            r"\b(?:knife|knives|blade|machete|gun|shotgun|pistol|rifle|acid|petrol|hammer|axe|"
            r"crowbar|baseball\s+bat)\b",
            re.IGNORECASE,
        ),
    ),
}


def threat_cues(text: str) -> dict[str, str]:
    """Which of place, time and weapon a text names, with the first words that matched."""
    found: dict[str, str] = {}
    for kind, patterns in THREAT_CUES.items():
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                found[kind] = match.group(0)
                break
    return found
