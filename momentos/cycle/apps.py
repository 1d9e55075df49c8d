"""Application config for the four-step design and the service cycle."""

import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "momentos.cycle"
    label = "cycle"
    verbose_name = _("Service design")

    def ready(self) -> None:
        from momentos.accounts.navigation import NavItem, register
        from momentos.accounts.permissions import Capability
        from momentos.core.home import register_home_section
        from momentos.cycle.home import design_section

        section = _("Design")
        design, read = Capability.DESIGN_PROTOCOL, Capability.READ_PROTOCOL
        register(NavItem(_("Four steps"), "cycle:design_overview", design, "target", section))
        register(NavItem(_("Objectives"), "cycle:objective_list", design, "chart", section))
        register(NavItem(_("Segments"), "cycle:segment_list", design, "users", section))
        register(NavItem(_("Service cycles"), "cycle:cycle_list", read, "cycle", section))
        register_home_section(design_section, order=20)

        # The protocol book prints the cycles before the documents, once the studio offers the hook.
        if importlib.util.find_spec("momentos.protocols.hooks") is not None:
            from momentos.cycle.book import cycle_book_builder
            from momentos.protocols.hooks import register_book_section

            register_book_section(cycle_book_builder, order=200)

            from momentos.cycle.facets import MOMENT_FACET, standards_without_threshold
            from momentos.protocols.hooks import register_completeness_check, register_document_facet

            register_document_facet(MOMENT_FACET)
            register_completeness_check(standards_without_threshold)
        import momentos.cycle.starter.demo  # noqa: F401  (registers the demo step)
