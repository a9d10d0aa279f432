"""The JSON API at /api/v1, with its OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from anju.cases import modules
from anju.cases.api import directory_router
from anju.cases.api import router as cases_router
from anju.geo.api import router as regions_router
from anju.lib.api import install_error_handlers
from anju.people.api import BearerAuth
from anju.people.api import router as people_router


class UTF8JSONRenderer(JSONRenderer):
    """Chinese text as itself rather than \\u escapes: half the bytes, and readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=UTF8JSONRenderer(),
    title="Anju API",
    version="1",
    description="Casework for grid-based community governance. Authenticate with "
    "`POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`.",
    auth=BearerAuth(),
    urls_namespace="api-v1",
    docs_url="/docs",
    # No online validator badge: it would send the address of our OpenAPI document elsewhere.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)
api.add_router("/", people_router)
api.add_router("/", directory_router)
api.add_router("/cases", cases_router)
api.add_router("/regions", regions_router)
# Every registered domain module's routers (``modules.Module.api_routers``).
for prefix, router in modules.api_routers():
    api.add_router(prefix, router)
