"""Who is acting: the logged-in user, passed to every service call."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enums import Role
from app.services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    user_id: str
    username: str
    display_name: str
    role: Role

    def require(self, *roles: Role, doing: str) -> None:
        """Refuses unless the actor has one of ``roles`` (a manager may do everything)."""
        if self.role is Role.MANAGER or self.role in roles:
            return
        raise PermissionDenied("Your role ({role}) may not {doing}.", role=self.role, doing=doing)


#: the actor for program-internal work (migrations, sync apply, demo generation)
SYSTEM = Actor(user_id="", username="system", display_name="system", role=Role.MANAGER)
