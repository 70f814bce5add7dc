"""How the window words a device's sync: "柜台电脑 12:30 同步", "车间电脑 3 天未同步", "（已停用）".

Shared by the status-bar indicator (its tooltip lists the station's other devices) and the
settings page's 本站设备 list. Pure functions of a ``DeviceRow`` and the current time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from app.i18n import tr
from app.services.device_status import DeviceRow, DeviceStatus


def last_sync(row: DeviceRow) -> datetime | None:
    """When the device last spoke to head office (its later push or pull)."""
    times = [t for t in (row.last_push_at, row.last_pull_at) if t is not None]
    return max(times) if times else None


def device_label(row: DeviceRow) -> str:
    """The device's name (its number when head office gave none) and its letter."""
    name = row.name or tr("Device {n}", n=row.number)
    return f"{name} ({row.tag})" if row.tag else name


def sync_phrase(when: datetime | None, now: datetime) -> str:
    """"12:30 同步" today, "昨天 12:30 同步" within a day, "3 天未同步" after, "从未同步"."""
    if when is None:
        return tr("never synced")
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    days = (now - when).days
    local = when.astimezone()
    if days >= 1:
        return tr("not synced for {days} days", days=days)
    if local.date() == now.astimezone().date():
        return tr("synced {time}", time=local.strftime("%H:%M"))
    return tr("synced yesterday {time}", time=local.strftime("%H:%M"))


def device_line(row: DeviceRow, now: datetime) -> str:
    """"柜台电脑 12:30 同步", with "（已停用）" for a revoked device."""
    text = f"{row.name or tr('Device {n}', n=row.number)} {sync_phrase(last_sync(row), now)}"
    return f"{text} {tr('(revoked)')}" if row.revoked else text


def others_text(status: DeviceStatus, now: datetime) -> str:
    """The station's other devices, one a line; "" when this is the only one known."""
    return "\n".join(device_line(row, now) for row in status.devices if not row.this_device)


#: how much of a device's name the status bar shows (head office allows 64 characters)
SHORT_NAME = 16


def short_name(name: str, limit: int = SHORT_NAME) -> str:
    """The name cut to ``limit`` characters with "…" (the whole one goes in a tooltip)."""
    return name if len(name) <= limit else f"{name[:limit - 1]}…"
