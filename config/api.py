"""The REST API: one NinjaAPI, token-authenticated, with each domain app's router mounted under /api/v1/."""

from ninja import NinjaAPI, Swagger

from momentos import __version__
from momentos.accounts.api import ApiTokenAuth
from momentos.accounts.api import router as accounts_router
from momentos.attention.api import router as attention_router
from momentos.core.api import install_error_handlers
from momentos.cycle.api import router as cycle_router
from momentos.improvement.api import router as improvement_router
from momentos.insight.api import router as insight_router
from momentos.protocols.api import router as protocols_router
from momentos.surveys.api import router as surveys_router
from momentos.webhooks.api import router as webhooks_router

api = NinjaAPI(
    title="momentos API",
    version=__version__,
    description="Ingest interactions and survey responses, read indicators and export, per organisation.",
    auth=ApiTokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    # Served from ninja's static files; no validator badge, which would call a third-party site.
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/v1/", accounts_router)
api.add_router("/v1/", cycle_router)
api.add_router("/v1/", attention_router)
api.add_router("/v1/", protocols_router)
api.add_router("/v1/", surveys_router)
api.add_router("/v1/", insight_router)
api.add_router("/v1/", improvement_router)
api.add_router("/v1/", webhooks_router)
