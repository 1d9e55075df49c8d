"""What each role may do. Views ask for a capability, never for a role name."""

from __future__ import annotations

from enum import StrEnum

from momentos.accounts.choices import Role


class Capability(StrEnum):
    MANAGE_ORGANIZATION = "manage_organization"  # branches, teams, channels, members, API tokens
    DESIGN_PROTOCOL = "design_protocol"  # write documents, the four steps, targets
    PUBLISH_PROTOCOL = "publish_protocol"
    READ_PROTOCOL = "read_protocol"
    AUDIT = "audit"
    ATTEND = "attend"
    IMPORT_INTERACTIONS = "import_interactions"  # CSV/XLSX files of interactions from another system
    READ_INSIGHT = "read_insight"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.QUALITY_MANAGER: frozenset(Capability) - {Capability.MANAGE_ORGANIZATION},
    Role.SUPERVISOR: frozenset(
        {Capability.READ_PROTOCOL, Capability.AUDIT, Capability.ATTEND, Capability.READ_INSIGHT}
    ),
    Role.AGENT: frozenset({Capability.READ_PROTOCOL, Capability.ATTEND, Capability.READ_INSIGHT}),
}


def role_can(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
