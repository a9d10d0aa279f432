"""Open311 in the demo county: one application with a published key, and one extra question
on a demo service, so that the curl example in docs/open311.md works as it stands."""

from django.db import transaction

from anju.cases.models import Category
from anju.open311.models import Application, ServiceAttribute
from anju.people.models import hash_token

# Published in the docs on purpose: the demo holds synthetic data only.
DEMO_KEY = "demo-open311-key"
DEMO_CATEGORY = "urban.road"


@transaction.atomic
def seed_demo() -> None:
    """Create the demo application (key ``demo-open311-key``) and a "路面类型" (road surface)
    question on 道路破损 (urban.road). Safe to run again: nothing is created twice, and a
    revoked demo key stays revoked."""
    if not Application.objects.filter(key_hash=hash_token(DEMO_KEY)).exists():
        Application.objects.create(
            name="演示应用 (demo app)", contact="demo@anju.local",
            key_hash=hash_token(DEMO_KEY), key_prefix=DEMO_KEY[:9],
        )
    category = Category.objects.filter(code=DEMO_CATEGORY).first()
    if category is not None:
        ServiceAttribute.objects.get_or_create(
            category=category, code="SURFACE",
            defaults={
                "datatype": "singlevaluelist", "required": False, "variable": True, "order": 1,
                "description": "路面类型", "datatype_description": "选择一项 (choose one)",
                "values": [
                    {"key": "asphalt", "name": "沥青路面"},
                    {"key": "concrete", "name": "水泥路面"},
                    {"key": "gravel", "name": "砂石路面"},
                    {"key": "other", "name": "其他"},
                ],
            },
        )
