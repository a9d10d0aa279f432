from ninja import Router, Schema

from anju.cases import access
from anju.cases.choices import OPEN_STATUSES
from anju.cases.tests.streetlights.choices import STREETLIGHT

router = Router(tags=["street lights"])


class DarkOut(Schema):
    out: int


@router.get("/dark", response={200: DarkOut, 401: dict}, summary="Street lights out")
def dark(request):
    """How many street lights you may see are out."""
    return {"out": access.visible_to(request.user).filter(kind=STREETLIGHT, status__in=OPEN_STATUSES).count()}
