"""Application config for accounts and tenancy."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "momentos.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self) -> None:
        from momentos.accounts.home import setup_section
        from momentos.core.home import register_home_section

        register_home_section(setup_section, order=10)
