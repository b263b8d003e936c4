"""Settings → General: the workspace's name, time zone, currency, business hours and the agent's language.

The tenant row is the one home of all five. Money everywhere is formatted with `tenant.currency`, times are
shown in `tenant.time_zone`, and the agent's handoff notice reads the business hours from here (through the
persona, whose cache a committed tenant write clears: engine.models.tenancy). So a save is "used at once
everywhere" without any page keeping its own copy.

Business hours are a week of opening intervals in the tenant's zone: `{"mon": [["09:00", "12:30"],
["13:30", "18:00"]], "sun": []}` — two intervals on a day is a lunch break, none is a closed day.

    workspace_settings(session, tenant_id)                      -> WorkspaceSettings
    validate_workspace(form)                                    -> (changes, problems), nothing written
    update_workspace(session, tenant_id, form, actor_user_id=)  -> WorkspaceSettings (audited)
    time_zone_choices() / currency_choices() / language_choices()
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.numbers import get_currency_name, list_currencies
from sqlmodel import Session

from engine.accounts import audit
from engine.models import Tenant

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES: dict[str, str] = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                              "Saturday", "Sunday"), strict=True))  # fmt: skip
NAME_MAX = 120
MAX_INTERVALS = 4  # opening periods per day: three breaks is plenty for a shop
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
# The languages the agent is offered in (BCP 47 primary tags); names come from CLDR (babel).
LANGUAGE_CODES: tuple[str, ...] = (
    "en", "es", "pt", "fr", "de", "it", "nl", "pl", "tr", "ar", "hi", "bn", "ur", "id", "ms", "sw",
    "zh", "ja", "ko", "vi", "th", "ru", "uk", "ro", "el", "he", "sv", "da", "no", "fi",
)  # fmt: skip


class WorkspaceError(ValueError):
    """The form was refused; `problems` names each field with what is wrong."""

    def __init__(self, problems: list[WorkspaceProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


@dataclass(frozen=True, slots=True)
class WorkspaceProblem:
    field: str  # name · time_zone · currency · agent_language · hours (or hours.<day>)
    message: str


@dataclass(frozen=True)
class WorkspaceSettings:
    name: str
    slug: str
    time_zone: str
    currency: str
    agent_language: str
    weekly: dict[str, list[list[str]]] = field(default_factory=dict)  # every day, [] when closed

    @property
    def has_hours(self) -> bool:
        return any(self.weekly.get(day) for day in DAYS)


@dataclass
class WorkspaceForm:
    """What the General tab submits; a field left None is not changed. `weekly` None: hours unchanged;
    `{}`: no business hours (the team is taken as always available)."""

    name: str | None = None
    time_zone: str | None = None
    currency: str | None = None
    agent_language: str | None = None
    weekly: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WorkspaceForm:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


# ------------------------------------------------------------------------------------------ the choices


@lru_cache(maxsize=1)
def time_zone_choices() -> tuple[str, ...]:
    """Every IANA zone a shop can be in ("Europe/London"), sorted; legacy aliases and POSIX names left out."""
    return tuple(
        sorted(
            z
            for z in available_timezones()
            if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/", "US/", "Canada/"))
        )
        + ["UTC"]
    )


@lru_cache(maxsize=1)
def currency_choices() -> tuple[tuple[str, str], ...]:
    """ISO 4217 codes in use, with their English names: (("AED", "UAE Dirham"), ...)."""
    out = []
    for code in sorted(list_currencies()):
        name = get_currency_name(code, locale="en")
        if len(code) == 3 and name != code and not code.startswith("X"):
            out.append((code, name))
    return tuple(out)


@lru_cache(maxsize=1)
def language_choices() -> tuple[tuple[str, str], ...]:
    names = Locale("en").languages
    return tuple((code, names.get(code, code)) for code in LANGUAGE_CODES)


def language_name(code: str) -> str:
    return dict(language_choices()).get(code, code)


# ------------------------------------------------------------------------------------------- validation


def check_weekly(value: Any, problems: list[WorkspaceProblem]) -> dict[str, list[list[str]]] | None:
    """Opening intervals per day, each "HH:MM"–"HH:MM" with start before end, sorted and not overlapping."""
    if not isinstance(value, dict) or not set(value) <= set(DAYS):
        problems.append(WorkspaceProblem("hours", "give opening times for Monday to Sunday"))
        return None
    weekly: dict[str, list[list[str]]] = {}
    before = len(problems)
    for day in DAYS:
        spans = value.get(day) or []
        clean: list[list[str]] = []
        for span in spans:
            if not isinstance(span, list | tuple) or len(span) != 2:
                problems.append(WorkspaceProblem(f"hours.{day}", "a period needs two times"))
                break
            start, end = (str(t).strip() for t in span)
            if not _HHMM.match(start) or not _HHMM.match(end):
                problems.append(WorkspaceProblem(f"hours.{day}", "times look like 09:00 (24-hour clock)"))
                break
            if start >= end:
                problems.append(
                    WorkspaceProblem(f"hours.{day}", f"{DAY_NAMES[day]}: {start} must come before {end}")
                )
                break
            clean.append([start, end])
        clean.sort()
        if len(clean) > MAX_INTERVALS:
            problems.append(WorkspaceProblem(f"hours.{day}", f"at most {MAX_INTERVALS} periods a day"))
        for first, second in zip(clean, clean[1:], strict=False):
            if second[0] < first[1]:
                problems.append(
                    WorkspaceProblem(
                        f"hours.{day}",
                        f"{DAY_NAMES[day]}: {first[0]}–{first[1]} and {second[0]}–{second[1]} overlap",
                    )
                )
                break
        weekly[day] = clean
    if len(problems) > before:
        return None
    return weekly if any(weekly.values()) else {}


def validate_workspace(form: WorkspaceForm) -> tuple[dict[str, Any], list[WorkspaceProblem]]:
    """The checked values of the fields the form sets, and every problem (all fields are checked at once)."""
    problems: list[WorkspaceProblem] = []
    changes: dict[str, Any] = {}
    if form.name is not None:
        name = " ".join(form.name.split())
        if not name:
            problems.append(WorkspaceProblem("name", "give your workspace a name"))
        elif len(name) > NAME_MAX:
            problems.append(WorkspaceProblem("name", f"at most {NAME_MAX} characters"))
        else:
            changes["name"] = name
    if form.time_zone is not None:
        zone = form.time_zone.strip()
        try:
            if not zone:
                raise ValueError
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" names a folder of zones
            problems.append(WorkspaceProblem("time_zone", "choose a time zone from the list"))
        else:
            changes["time_zone"] = zone
    if form.currency is not None:
        code = form.currency.strip().upper()
        if code not in dict(currency_choices()):
            problems.append(WorkspaceProblem("currency", "choose a currency from the list"))
        else:
            changes["currency"] = code
    if form.agent_language is not None:
        code = form.agent_language.strip().lower()
        if code not in LANGUAGE_CODES:
            problems.append(WorkspaceProblem("agent_language", "choose a language from the list"))
        else:
            changes["agent_language"] = code
    if form.weekly is not None:
        weekly = check_weekly(form.weekly, problems)
        if weekly is not None:
            changes["business_hours"] = {"weekly": weekly} if weekly else {}
    return changes, problems


# ---------------------------------------------------------------------------------------------- service


def _settings(tenant: Tenant) -> WorkspaceSettings:
    stored = (tenant.business_hours or {}).get("weekly") or {}
    return WorkspaceSettings(
        name=tenant.name,
        slug=tenant.slug,
        time_zone=tenant.time_zone or "UTC",
        currency=tenant.currency or "USD",
        agent_language=tenant.agent_language or "en",
        weekly={day: [list(s) for s in stored.get(day) or []] for day in DAYS},
    )


def _tenant(session: Session, tenant_id: int) -> Tenant:
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise LookupError(f"tenant {tenant_id} not found")
    return tenant


def workspace_settings(session: Session, tenant_id: int) -> WorkspaceSettings:
    return _settings(_tenant(session, tenant_id))


def update_workspace(
    session: Session,
    tenant_id: int,
    form: WorkspaceForm | dict[str, Any],
    *,
    actor_user_id: int | None = None,
    actor_label: str = "console",
) -> WorkspaceSettings:
    """Validate and save; nothing is written when any field is refused (WorkspaceError). One audit row names
    what changed, from and to."""
    if isinstance(form, dict):
        form = WorkspaceForm.from_dict(form)
    changes, problems = validate_workspace(form)
    if problems:
        raise WorkspaceError(problems)
    tenant = _tenant(session, tenant_id)
    changed: dict[str, dict[str, Any]] = {}
    for key, value in changes.items():
        before = getattr(tenant, key)
        if before != value:
            changed[key] = {"from": before, "to": value}
            setattr(tenant, key, value)
    if changed:
        session.add(tenant)
        session.flush()
        audit.record(
            session,
            tenant_id,
            "workspace.updated",
            actor_user_id=actor_user_id,
            actor_label=actor_label,
            target_type="tenant",
            target_id=tenant_id,
            details=changed,
        )
    return _settings(tenant)


def hours_summary(weekly: dict[str, list[list[str]]]) -> list[tuple[str, str]]:
    """(day name, "09:00–12:30, 13:30–18:00" or "Closed") for each day: how the hours read in the console."""
    return [
        (DAY_NAMES[day], ", ".join(f"{a}–{b}" for a, b in weekly.get(day) or []) or "Closed") for day in DAYS
    ]


__all__ = [
    "DAYS",
    "DAY_NAMES",
    "WorkspaceError",
    "WorkspaceForm",
    "WorkspaceProblem",
    "WorkspaceSettings",
    "check_weekly",
    "currency_choices",
    "hours_summary",
    "language_choices",
    "language_name",
    "time_zone_choices",
    "update_workspace",
    "validate_workspace",
    "workspace_settings",
]
