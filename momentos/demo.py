"""The demo organisation: a fictional Spanish-speaking retail bank with branches in three time zones.

Each domain app adds its demo data through `register_demo_step`, so one command shows the whole product.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils import timezone

DEMO_PASSWORD = "momentos-demo"
DemoStep = Callable[[dict[str, Any]], None]
_STEPS: list[tuple[int, DemoStep]] = []


def register_demo_step(step: DemoStep, *, order: int = 100) -> None:
    if all(existing is not step for _, existing in _STEPS):
        _STEPS.append((order, step))
        _STEPS.sort(key=lambda item: item[0])


BRANCHES = [
    # name, code, city, address, time zone
    ("Sucursal Centro", "CDMX-01", "Ciudad de México", "Av. Juárez 120, Centro", "America/Mexico_City"),
    ("Sucursal Chapinero", "BOG-01", "Bogotá", "Carrera 13 # 60-22", "America/Bogota"),
    ("Sucursal Providencia", "SCL-01", "Santiago", "Av. Providencia 1450", "America/Santiago"),
    ("Sucursal Gran Vía", "MAD-01", "Madrid", "Gran Vía 32", "Europe/Madrid"),
]

STAFF = [
    # e-mail, name, role, branch codes, team names
    ("admin@demo.momentos.app", "Valeria Ríos", "admin", [], []),
    ("calidad@demo.momentos.app", "Andrés Molina", "quality_manager", [], []),
    ("supervisora.centro@demo.momentos.app", "Lucía Hernández", "supervisor", ["CDMX-01"], []),
    ("supervisor.chapinero@demo.momentos.app", "Camilo Pardo", "supervisor", ["BOG-01"], []),
    ("supervisora.contacto@demo.momentos.app", "Daniela Soto", "supervisor", [], ["Centro de contacto"]),
    ("agente.centro@demo.momentos.app", "Jorge Ramírez", "agent", ["CDMX-01"], ["Atención en ventanilla"]),
    ("agente2.centro@demo.momentos.app", "Mariana López", "agent", ["CDMX-01"], ["Atención en ventanilla"]),
    ("agente.chapinero@demo.momentos.app", "Sofía Castro", "agent", ["BOG-01"], ["Atención en ventanilla"]),
    (
        "agente.providencia@demo.momentos.app",
        "Tomás Fuentes",
        "agent",
        ["SCL-01"],
        ["Atención en ventanilla"],
    ),
    ("agente.contacto@demo.momentos.app", "Paula Méndez", "agent", [], ["Centro de contacto"]),
    ("agente.granvia@demo.momentos.app", "Álvaro Serrano", "agent", ["MAD-01"], ["Atención en ventanilla"]),
]


def load_demo(*, interactions: int | None = None) -> dict[str, Any]:
    """Create the demo organisation in the current database and return its logins."""
    from momentos.accounts import services
    from momentos.accounts.choices import ChannelKind
    from momentos.accounts.models import Branch, User

    with transaction.atomic():
        owner = User.objects.create_user(email=STAFF[0][0], password=DEMO_PASSWORD, full_name=STAFF[0][1])
        org = services.organization_create(
            name="Banco Horizonte", admin=owner, language="es", time_zone="America/Mexico_City"
        )
        branches: dict[str, Branch] = {}
        for name, code, city, address, tz in BRANCHES:
            branch = services.branch_save(
                organization=org,
                name=name,
                code=code,
                city=city,
                address=address,
                time_zone=tz,
                language="es",
            )
            weekdays = [(d, time(9), time(14)) for d in range(5)] + [
                (d, time(15), time(18)) for d in range(5)
            ]
            weekdays.append((5, time(10), time(13)))
            services.opening_hours_replace(branch=branch, spans=weekdays)
            branches[code] = branch
        year = timezone.localdate().year
        for branch in branches.values():
            services.holiday_add(branch=branch, date=date(year, 12, 25), name="Navidad")
            services.holiday_add(
                branch=branch, date=date(year, 12, 24), name="Nochebuena", opens=time(9), closes=time(13)
            )
        teams = {
            "Atención en ventanilla": services.team_save(
                organization=org,
                name="Atención en ventanilla",
                description="Clientes que llegan a la sucursal",
            ),
            "Centro de contacto": services.team_save(
                organization=org, name="Centro de contacto", description="Teléfono, chat, correo y WhatsApp"
            ),
        }
        services.channels_set_active(
            organization=org,
            kinds=[
                ChannelKind.IN_PERSON,
                ChannelKind.PHONE,
                ChannelKind.EMAIL,
                ChannelKind.CHAT,
                ChannelKind.WHATSAPP,
            ],
        )
        logins = [(STAFF[0][0], "admin")]
        for email, name, role, codes, team_names in STAFF[1:]:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
            services.membership_add(
                organization=org,
                user=user,
                role=role,
                branches=[branches[c] for c in codes],
                teams=[teams[t] for t in team_names],
            )
            logins.append((email, role))
        context: dict[str, Any] = {
            "organization": org,
            "branches": branches,
            "teams": teams,
            "owner": owner,
            "interactions": interactions,
            "users": {e: User.objects.get(email=e) for e, *_ in STAFF},
        }
    for _order, step in _STEPS:
        step(context)
    return {"organization": org.name, "logins": logins}
