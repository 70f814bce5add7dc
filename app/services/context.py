"""Who is acting: the logged-in user, passed to every service call, and the one way a
service checks what the user may do (``app.domain.permissions``)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import permissions as perms
from app.domain.enums import Role
from app.services.errors import PermissionDenied

_ANYWHERE = object()


@dataclass(frozen=True)
class Actor:
    user_id: str
    username: str
    display_name: str
    role: Role

    def may(self, permission: perms.Permission, *,
            assigned_to: str | None | object = _ANYWHERE) -> bool:
        """May this user take the action (on an order assigned to ``assigned_to``)?"""
        own = assigned_to is _ANYWHERE or (bool(self.user_id) and assigned_to == self.user_id)
        return perms.allowed(self.role, permission, own=own)

    def sees(self, view: perms.View) -> bool:
        """Is this user shown the reading page (``app.domain.permissions.VIEWS``)?"""
        return perms.sees(self.role, view)

    def require(self, permission: perms.Permission, *,
                assigned_to: str | None | object = _ANYWHERE) -> None:
        """Refuses unless the permission matrix lets this user take the action; pass
        ``assigned_to`` (the order's technician) for actions a technician may take only on
        his own orders. This is the one way a service checks who may act."""
        if self.may(permission, assigned_to=assigned_to):
            return
        doing = perms.DOING[permission]
        if perms.scope(self.role, permission) is perms.Scope.OWN:
            raise PermissionDenied("Technicians may only {doing} on orders assigned to them.",
                                   doing=doing)
        raise PermissionDenied("Your role ({role}) may not {doing}.", role=self.role,
                               doing=doing)


#: the actor for program-internal work (migrations, sync apply, demo generation)
SYSTEM = Actor(user_id="", username="system", display_name="system", role=Role.MANAGER)
