"""Station set-up, users, roles and login (with lockout after repeated failures)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.domain import validation as v
from app.domain.enums import Role
from app.domain.errors import ErrorCollector, RuleViolation
from app.domain.numbering import STATION_CODE_RE
from app.domain.permissions import Permission
from app.services import events
from app.services import text_input as t
from app.services.context import SYSTEM, Actor
from app.services.errors import LoginFailed, not_found
from app.services.journal import record, row_payload
from app.services.passwords import hash_password, verify_password
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import Station, User

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
USERNAME_RE = re.compile(r"^[a-z0-9_.-]{2,32}$")


@dataclass(frozen=True)
class StationInfo:
    id: str
    code: str
    name: str
    address: str
    phone: str


@dataclass(frozen=True)
class UserInfo:
    id: str
    username: str
    display_name: str
    role: Role
    active: bool


@dataclass(frozen=True)
class NewStation:
    code: str
    name: str
    address: str
    phone: str


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: Role
    password: str


def _user_info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.display_name, Role(user.role), user.active)


def _station_info(station: Station) -> StationInfo:
    return StationInfo(station.id, station.code, station.name, station.address, station.phone)


def _user_payload(user: User) -> dict:
    """The user as the station's other devices receive it (issue 15): the slow-KDF password
    hash travels so the user logs in on every device; the lockout stays on each device."""
    payload = row_payload(user)
    for local in ("failed_logins", "locked_until"):
        payload.pop(local, None)
    return payload


def _journal_password(s, actor: Actor, user: User, action: str, detail: str = "") -> None:
    """A new password travels to the other devices: the revision bumped, the row sent."""
    user.revision += 1
    s.flush()
    record(s, actor, action=action, entity="user", entity_id=user.id,
           payload=_user_payload(user), base_revision=user.revision - 1, detail=detail)


class UserService:
    def __init__(
        self, db: Database, bus: events.ChangeBus, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    # -- station set-up -------------------------------------------------------------------
    def station(self) -> StationInfo | None:
        with self.db.read() as s:
            row = s.scalars(select(Station)).first()
            return _station_info(row) if row else None

    def needs_setup(self) -> bool:
        with self.db.read() as s:
            has_station = s.scalar(select(func.count()).select_from(Station)) > 0
            has_manager = (
                s.scalar(select(func.count()).select_from(User).where(User.role == Role.MANAGER))
                > 0
            )
            return not (has_station and has_manager)

    def set_up_station(self, station: NewStation, manager: NewUser) -> tuple[StationInfo, UserInfo]:
        """First start: the station and its first manager, together or not at all."""
        code = v.clean_text(station.code, "code", "Station code").upper()
        if not STATION_CODE_RE.match(code):
            raise RuleViolation(
                "Station code must be 2-16 capital letters or digits (e.g. BJ001).",
                field="code",
            )
        name = t.check_required(station.name, "name", "Station name", v.MAX_SHORT)
        address = t.check_length(station.address, "address", "Address", v.MAX_ADDRESS)
        phone = (v.check_phone(station.phone, "phone")
                 if v.clean_text(station.phone, "phone", "Phone number") else "")
        manager = NewUser(manager.username, manager.display_name, Role.MANAGER, manager.password)
        with self.db.write() as s:
            if s.scalar(select(func.count()).select_from(Station)):
                raise RuleViolation("This station is already set up.")
            row = Station(code=code, name=name, address=address, phone=phone)
            s.add(row)
            s.flush()
            record(s, SYSTEM, action="setup", entity="station", entity_id=row.id,
                   payload=row_payload(row))
            user = self._add_user(s, SYSTEM, manager)
            result = _station_info(row), _user_info(user)
        self.bus.publish({events.STATION, events.USERS, events.OUTBOX})
        return result

    # -- users ------------------------------------------------------------------------------
    def create_user(self, actor: Actor, new: NewUser) -> UserInfo:
        actor.require(Permission.USER_MANAGE)
        with self.db.write() as s:
            user = self._add_user(s, actor, new)
            info = _user_info(user)
        self.bus.publish({events.USERS, events.OUTBOX})
        return info

    def _add_user(self, s, actor: Actor, new: NewUser) -> User:
        # every refused field at once, so the form marks them together
        c = ErrorCollector()
        username = c.check(_check_username, new.username, default="")
        display = c.check(t.check_required, new.display_name, "display_name", "Name",
                          v.MAX_NAME)
        c.check(_check_password, new.password)
        c.raise_if_any()
        if s.scalar(select(User.id).where(User.username == username)):
            raise RuleViolation("User name '{name}' is taken.", field="username", name=username)
        user = User(
            username=username, display_name=display, role=Role(new.role).value,
            password_hash=hash_password(new.password),
        )
        s.add(user)
        s.flush()
        record(s, actor, action="create", entity="user", entity_id=user.id,
               payload=_user_payload(user))
        return user

    def set_password(self, actor: Actor, user_id: str, password: str) -> None:
        if actor.user_id != user_id:
            actor.require(Permission.USER_PASSWORD_OTHERS)
        t.check_key(user_id, "user_id", "User")
        _check_password(password)
        with self.db.write() as s:
            user = s.get(User, user_id)
            if user is None:
                raise not_found("user")
            user.password_hash = hash_password(password)
            user.failed_logins = 0
            user.locked_until = None
            _journal_password(s, actor, user, "set_password")

    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        """The logged-in user's own password: the current one must be right (wrong ones count
        towards the lockout like a failed login); the new one follows the password rules."""
        t.check_key(old_password, "old_password", "Current password")
        _check_password(new_password)
        if new_password == old_password:
            raise RuleViolation("The new password must differ from the current one.",
                                field="password")
        now = self.clock()
        with self.db.write() as s:
            user = s.get(User, actor.user_id) if actor.user_id else None
            if user is None or not user.active:
                raise not_found("user")
            if user.locked_until is not None and user.locked_until > now:
                minutes = int((user.locked_until - now).total_seconds() // 60) + 1
                failed = RuleViolation(
                    "Too many failed attempts: this account is locked for {minutes} more "
                    "minutes.", field="old_password", minutes=minutes,
                )
            elif verify_password(old_password, user.password_hash):
                user.password_hash = hash_password(new_password)
                user.failed_logins = 0
                user.locked_until = None
                _journal_password(s, actor, user, "change_password")
                return
            else:
                user.failed_logins += 1
                failed = RuleViolation("The current password is wrong.", field="old_password")
                if user.failed_logins >= MAX_FAILURES:
                    user.locked_until = now + LOCKOUT
                    user.failed_logins = 0
                    record(s, actor, action="locked", entity="user", entity_id=user.id)
                    failed = RuleViolation(
                        "Too many failed attempts: this account is locked for {minutes} more "
                        "minutes.", field="old_password",
                        minutes=int(LOCKOUT.total_seconds() // 60),
                    )
        raise failed

    def reset_password_by_command_line(self, username: str, password: str) -> UserInfo:
        """``repair-station users reset-password``: whoever can read the data folder already
        owns the data, so no actor; clears the lockout and leaves an audit entry."""
        name = v.clean_text(username, "username", "User name").lower()
        _check_password(password)
        with self.db.write() as s:
            user = s.scalars(select(User).where(User.username == name)).first()
            if user is None:
                raise RuleViolation("There is no user '{name}'.", field="username", name=name)
            user.password_hash = hash_password(password)
            user.failed_logins = 0
            user.locked_until = None
            _journal_password(s, SYSTEM, user, "set_password", "reset by the command line")
            return _user_info(user)

    def set_active(self, actor: Actor, user_id: str, active: bool) -> None:
        actor.require(Permission.USER_MANAGE)
        t.check_key(user_id, "user_id", "User")
        with self.db.write() as s:
            user = s.get(User, user_id)
            if user is None:
                raise not_found("user")
            if not active:
                _keep_a_manager(s, user)
            user.active = active
            user.revision += 1
            s.flush()
            record(s, actor, action="activate" if active else "deactivate", entity="user",
                   entity_id=user.id, payload=_user_payload(user))
        self.bus.publish({events.USERS, events.OUTBOX})

    def set_role(self, actor: Actor, user_id: str, role: Role) -> UserInfo:
        """Changes a user's role; the station always keeps one active manager."""
        actor.require(Permission.USER_MANAGE)
        t.check_key(user_id, "user_id", "User")
        role = Role(role)
        with self.db.write() as s:
            user = s.get(User, user_id)
            if user is None:
                raise not_found("user")
            if role is not Role.MANAGER:
                _keep_a_manager(s, user)
            user.role = role.value
            user.revision += 1
            s.flush()
            record(s, actor, action="set_role", entity="user", entity_id=user.id,
                   payload=_user_payload(user), detail=role.value)
            info = _user_info(user)
        self.bus.publish({events.USERS, events.OUTBOX})
        return info

    def list_users(self, role: Role | None = None, active_only: bool = True) -> list[UserInfo]:
        with self.db.read() as s:
            query = select(User).order_by(User.display_name)
            if role is not None:
                query = query.where(User.role == role)
            if active_only:
                query = query.where(User.active.is_(True))
            return [_user_info(u) for u in s.scalars(query)]

    def technicians(self) -> list[UserInfo]:
        """Who may be assigned orders: technicians and managers."""
        return [u for u in self.list_users() if u.role in (Role.TECHNICIAN, Role.MANAGER)]

    # -- login ------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> Actor:
        """The actor for a right password; counts failures and locks for 15 minutes after 5."""
        name = v.clean_text(username, "username", "User name").lower()
        t.check_key(password, "password", "Password")
        now = self.clock()
        with self.db.write() as s:
            user = s.scalars(select(User).where(User.username == name)).first()
            if user is None or not user.active:
                verify_password(password, hash_password("timing"))  # same cost either way
                failed = LoginFailed("Wrong user name or password.")
            elif user.locked_until is not None and user.locked_until > now:
                minutes = int((user.locked_until - now).total_seconds() // 60) + 1
                failed = LoginFailed(
                    "Too many failed attempts: this account is locked for {minutes} more "
                    "minutes.", minutes=minutes,
                )
            elif verify_password(password, user.password_hash):
                user.failed_logins = 0
                user.locked_until = None
                record(s, _actor(user), action="login", entity="user", entity_id=user.id)
                return _actor(user)
            else:
                user.failed_logins += 1
                if user.failed_logins >= MAX_FAILURES:
                    user.locked_until = now + LOCKOUT
                    user.failed_logins = 0
                    record(s, _actor(user), action="locked", entity="user", entity_id=user.id)
                    failed = LoginFailed(
                        "Too many failed attempts: this account is locked for {minutes} more "
                        "minutes.", minutes=int(LOCKOUT.total_seconds() // 60),
                    )
                else:
                    failed = LoginFailed("Wrong user name or password.")
        raise failed


def _keep_a_manager(s, user: User) -> None:
    """Refuses a change that would leave the station without an active manager."""
    if user.role != Role.MANAGER or not user.active:
        return
    others = s.scalar(
        select(func.count()).select_from(User).where(
            User.role == Role.MANAGER.value, User.active.is_(True), User.id != user.id
        )
    )
    if not others:
        raise RuleViolation("The station must keep at least one active manager.", field="role")


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.display_name, Role(user.role))


def _check_username(raw: str) -> str:
    username = v.clean_text(raw, "username", "User name").lower()
    if not USERNAME_RE.match(username):
        raise RuleViolation(
            "User name must be 2-32 lower-case letters, digits, '.', '_' or '-'.",
            field="username",
        )
    return username


def _check_password(password: str) -> None:
    """Any character but a lone surrogate (a password is hashed, never printed)."""
    t.check_key(password, "password", "Password")
    if len(password) < MIN_PASSWORD:
        raise RuleViolation(
            "Password must be at least {n} characters.", field="password", n=MIN_PASSWORD
        )
    if len(password) > 128:
        raise RuleViolation("Password is too long (at most 128 characters).", field="password")
