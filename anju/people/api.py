"""Authentication and directory endpoints: tokens, the current user, offices, categories."""

from datetime import datetime

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as HTTP
from ninja.security import HttpBearer

from anju.lib.api import Text, error_body
from anju.people.access import roles_of
from anju.people.models import Office
from anju.people.services import issue_token, user_for_token
from anju.people.signin import count_failed_signin, signin_refused

router = Router(tags=["auth and directory"])


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class TokenIn(Schema):
    username: Text = Field(min_length=1, max_length=150)
    password: Text = Field(min_length=1, max_length=200)
    name: Text = Field("", max_length=100, description="a label for the token")


class TokenOut(Schema):
    token: str
    expires_at: datetime


class RoleOut(Schema):
    role: str
    region: str | None
    office: str | None


class MeOut(Schema):
    username: str
    display_name: str
    office: str | None
    roles: list[RoleOut]


class OfficeOut(Schema):
    code: str
    name: str
    kind: str
    jurisdiction: str


@router.post("/auth/token", auth=None, response={201: TokenOut, 401: dict, 422: dict, 429: dict}, summary="Get a token")
def token(request, payload: TokenIn):
    """Exchange a username and password for a personal API token (shown once). After too many
    failed attempts for the account or from the address, refused (429) for a while."""
    refused = signin_refused(request, payload.username)
    if refused:
        return HTTP(429, error_body(refused))
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        count_failed_signin(request, payload.username)
        return HTTP(401, error_body(_("Wrong username or password.")))
    record, raw = issue_token(user, payload.name)
    return HTTP(201, {"token": raw, "expires_at": record.expires_at})


@router.get("/me", response={200: MeOut, 401: dict}, summary="Who am I")
def me(request):
    user = request.user
    return {
        "username": user.username, "display_name": user.display_name,
        "office": user.office.code if user.office_id else None,
        "roles": [{"role": a.role, "region": a.region.code if a.region_id else None,
                   "office": a.office.code if a.office_id else None} for a in roles_of(user)],
    }


@router.get("/offices", response={200: list[OfficeOut], 401: dict}, summary="Offices")
def offices(request):
    return [{"code": o.code, "name": o.name, "kind": o.kind, "jurisdiction": o.jurisdiction.code}
            for o in Office.objects.filter(is_active=True).select_related("jurisdiction")]
