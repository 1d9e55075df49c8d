"""Application config for webhooks: signed JSON posts to an organisation's endpoints when things happen."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "momentos.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from momentos.accounts.navigation import NAVIGATION, NavItem, register
        from momentos.accounts.permissions import Capability

        # Right after "API tokens", in the admin's Organisation section.
        names = [item.url_name for item in NAVIGATION]
        after = (
            names.index("accounts:api_token_list") + 1 if "accounts:api_token_list" in names else len(names)
        )
        register(
            NavItem(
                _("Webhooks"),
                "webhooks:endpoint_list",
                Capability.MANAGE_ORGANIZATION,
                "message",
                _("Organisation"),
            ),
            before=names[after] if after < len(names) else None,
        )
        from momentos.webhooks import receivers  # noqa: F401  (follow responses and alerts)
