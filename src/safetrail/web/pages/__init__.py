"""One router module per area of the app. Each module defines `router = APIRouter()`.

To add an area, add its module name here (order matters only when paths overlap).
"""

PAGE_MODULES: tuple[str, ...] = (
    "session",
    "firstrun",
    "home",
    "diary",
    "evidence",
    "timeline",
    "subjects",
    "pattern",
    "police",
    "safety",
    "report",
    "settings",
)
