"""The safety plan checklist and next steps, as content only (saved progress lives elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from safetrail.safety import content_checks as checks


class PlanContentError(ValueError):
    """The safety plan file is malformed."""


@dataclass(frozen=True, slots=True)
class PlanItem:
    id: str
    title: str
    why: str
    caution: str = ""

    @property
    def may_alert(self) -> bool:
        """True when doing this step could let the person causing harm notice."""
        return bool(self.caution)


@dataclass(frozen=True, slots=True)
class NextStep:
    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class SafetyPlan:
    intro: str
    items: tuple[PlanItem, ...]
    next_steps: tuple[NextStep, ...]

    def item(self, item_id: str) -> PlanItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


def load_safety_plan(text: str | None = None) -> SafetyPlan:
    """Load the shipped plan, or parse `text` instead (used by tests)."""
    import yaml

    if text is None:
        text = (
            resources.files("safetrail.safety")
            .joinpath("content", "safety_plan.yaml")
            .read_text(encoding="utf-8")
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PlanContentError(f"safety_plan.yaml is not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise PlanContentError("safety_plan.yaml must be a mapping")
    items = tuple(_item(entry) for entry in _list(data, "items"))
    steps = tuple(_step(entry) for entry in _list(data, "next_steps"))
    ids = [item.id for item in items] + [step.id for step in steps]
    if len(set(ids)) != len(ids):
        raise PlanContentError("plan item and next step ids must be unique")
    return SafetyPlan(intro=_text(data, "intro", "safety plan"), items=items, next_steps=steps)


def _item(value: object) -> PlanItem:
    entry = _mapping(value)
    where = f"plan item {entry.get('id')!r}"
    caution = entry.get("caution")
    if caution is not None and (not isinstance(caution, str) or not caution.strip()):
        raise PlanContentError(f"{where}: 'caution', when present, must be non-empty text")
    return PlanItem(
        id=_text(entry, "id", where),
        title=_text(entry, "title", where),
        why=_text(entry, "why", where),
        caution=caution.strip() if isinstance(caution, str) else "",
    )


def _step(value: object) -> NextStep:
    entry = _mapping(value)
    where = f"next step {entry.get('id')!r}"
    return NextStep(
        id=_text(entry, "id", where),
        title=_text(entry, "title", where),
        text=_text(entry, "text", where),
    )


def _mapping(item: object) -> dict[str, object]:
    return checks.mapping(item, PlanContentError)


def _list(data: dict[str, object], key: str) -> list[object]:
    return checks.non_empty_list(data, key, PlanContentError)


def _text(entry: dict[str, object], key: str, where: str) -> str:
    return checks.text(entry, key, where, PlanContentError)
