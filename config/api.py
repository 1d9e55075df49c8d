"""The REST API: one NinjaAPI, token-authenticated, with each domain app's router mounted under /api/v1/."""

from ninja import NinjaAPI

from momentos import __version__
from momentos.accounts.api import ApiTokenAuth
from momentos.accounts.api import router as accounts_router
from momentos.core.api import install_error_handlers

api = NinjaAPI(
    title="momentos API",
    version=__version__,
    description="Ingest interactions and survey responses, read indicators and export, per organisation.",
    auth=ApiTokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/v1/", accounts_router)
