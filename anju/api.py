"""The JSON API at /api/v1, with its OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from anju.cases.api import router as cases_router
from anju.disputes.api import rounds_router as screening_router
from anju.disputes.api import router as disputes_router
from anju.geo.api import router as regions_router
from anju.lib.api import BearerAuth, install_error_handlers
from anju.people.api import router as people_router
from anju.petitions.api import reception_router
from anju.petitions.api import router as petitions_router


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
)
install_error_handlers(api)
api.add_router("/", people_router)
api.add_router("/cases", cases_router)
api.add_router("/regions", regions_router)
api.add_router("/disputes", disputes_router)
api.add_router("/screening-rounds", screening_router)
api.add_router("/petitions", petitions_router)
api.add_router("/reception-days", reception_router)
