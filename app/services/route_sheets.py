"""The technician's route sheet (技术员日程单, ``app.printing.route_sheet``): one technician's
booked visits of one local day, read from the appointment service's day plan
(``AppointmentService.day_plan``), with the station's letterhead.

``route_sheet(actor, username, day)`` is the sheet as ``actor`` may read it (the phones
through the plan's masking). Registered with the report service as the subject "route"
(``app/bootstrap.py``): the print flow's key is ``sheet_key(username, day)``
(``wang@2026-06-01``), and a sheet printed that way (``repair-station print route-sheet``) is
the technician's own paper, read as he reads his plan — the phones of his visits in full, as
his 派工单 prints them.

Anyone reads a plan (no permission): the user must be one visits are booked for (a
technician or the station manager); a clerk has no route.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.printing.data import StationHeader
from app.printing.route_sheet import RoutePart, RouteSheet, RouteVisit
from app.services import text_input as t
from app.services.appointment_types import PlanVisit
from app.services.context import Actor
from app.services.users import UserInfo, UserService
from app.store.base import utcnow

#: ``day_plan(actor, day, technician_id)`` of ``AppointmentService``
DayPlan = Callable[[Actor, date, str | None], list[PlanVisit]]
#: who visits are booked for
ROUTE_ROLES = frozenset({Role.TECHNICIAN, Role.MANAGER})
MAX_USERNAME = 64


def sheet_key(username: str, day: date) -> str:
    """The print flow's key of a route sheet: ``username@YYYY-MM-DD``."""
    return f"{username}@{day.isoformat()}"


def parse_day(value: str) -> date:
    """A day typed as YYYY-MM-DD; RuleViolation (field "date") for anything else."""
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise RuleViolation("'{value}' is not a date; give it as YYYY-MM-DD.", field="date",
                            value=str(value)[:40]) from None


class RouteSheetService:
    def __init__(self, plan: DayPlan, users: UserService,
                 letterhead: Callable[[], StationHeader],
                 clock: Callable[[], datetime] = utcnow, tz: tzinfo | None = None) -> None:
        self.plan = plan
        self.users = users
        self.letterhead = letterhead
        self.clock = clock
        self.tz = tz

    def technician(self, username: str) -> UserInfo:
        """The user called ``username`` whose route it is; RuleViolation (field
        "username") for an unknown user or one no visit is booked for."""
        name = t.check_required(username, "username", "Username", MAX_USERNAME)
        user = next((u for u in self.users.list_users(active_only=False)
                     if u.username == name), None)
        if user is None:
            raise RuleViolation("There is no user called '{username}'.", field="username",
                                username=name)
        if user.role not in ROUTE_ROLES:
            raise RuleViolation("{name} is a {role}: visits are booked only for technicians "
                                "and the station manager.", field="username",
                                name=user.display_name, role=user.role)
        return user

    def route_sheet(self, actor: Actor, username: str, day: date,
                    letterhead: StationHeader | None = None) -> RouteSheet:
        """The route sheet of ``username`` for the local ``day``, read as ``actor`` may."""
        user = self.technician(username)
        visits = self.plan(actor, day, user.id)
        return RouteSheet(
            station=letterhead or self.letterhead(),
            number=f"RT-{user.username}-{day:%Y%m%d}", technician=user.display_name, day=day,
            visits=tuple(_visit(v) for v in visits), printed_at=self.clock(), tz=self.tz)

    def sheet(self, key: str, letterhead: StationHeader) -> RouteSheet:
        """``builder(key, letterhead)`` for ``ReportService.register_subject``: the sheet of
        ``sheet_key(username, day)``, the technician's own paper."""
        username, _, day = key.rpartition("@")
        if not username:
            raise RuleViolation("Give the route sheet as USERNAME@YYYY-MM-DD.", field="key")
        user = self.technician(username)
        own = Actor(user.id, user.username, user.display_name, user.role)
        return self.route_sheet(own, username, parse_day(day), letterhead)


def _visit(v: PlanVisit) -> RouteVisit:
    return RouteVisit(starts_at=v.starts_at, ends_at=v.ends_at, order_no=v.order_number,
                      customer_name=v.customer_name, address=v.address, phone=v.phone,
                      fault=v.fault,
                      parts=tuple(RoutePart(p.part_no, p.name, p.quantity) for p in v.parts))
