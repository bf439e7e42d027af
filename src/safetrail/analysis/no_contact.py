"""Finding where the person asked for no contact, so later contact can be counted.

Only the person's own sent messages are read, for a small set of plain phrases. Each request is
reported with the words that showed it, so the person can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REQUEST = re.compile(
    r"\b(?:"
    r"(?:please\s+)?(?:stop|quit)\s+(?:contacting|messaging|texting|calling|ringing|emailing)\s+me"
    r"|(?:do\s*not|don'?t|never)\s+(?:contact|message|text|call|ring|email)\s+me"
    r"|leave\s+me\s+alone"
    r"|i\s+(?:do\s*not|don'?t)\s+want\s+(?:any\s+)?(?:contact|to\s+hear\s+from\s+you)"
    r"|no\s+(?:more\s+)?contact"
    r")\b",
    re.IGNORECASE,
)
MAX_CHARS = 5000


@dataclass(frozen=True, slots=True)
class NoContactRequest:
    words: str
    start: int
    end: int


def find_request(text: str) -> NoContactRequest | None:
    """The first request for no contact in a message the person sent, if there is one."""
    match = _REQUEST.search(text[:MAX_CHARS])
    if match is None:
        return None
    return NoContactRequest(match.group(0), match.start(), match.end())
