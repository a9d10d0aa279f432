import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.people.choices import OfficeKind, Role


class Office(models.Model):
    """An office that handles cases: a county department, a township office, a village
    committee or a mediation committee. Its jurisdiction is a region subtree; its
    categories are the kinds of concern it answers for."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=OfficeKind.choices)
    jurisdiction = models.ForeignKey(
        "geo.Region", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="offices"
    )
    categories = models.ManyToManyField(
        "cases.Category", verbose_name=_("categories"), blank=True, related_name="offices"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A member of staff. ``office`` is where the user works; roles say what the user may do
    and where."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username


class RoleAssignment(models.Model):
    """One role of a user, scoped to a region subtree and/or an office.

    With a region, the role reaches cases located in that subtree. With an office, it
    reaches cases owned by that office. With both, cases owned by the office within the
    region. With neither (administrators), everything.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "geo.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    office = models.ForeignKey(Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region", "office"], name="unique_role_assignment")
        ]

    def __str__(self):
        scope = " / ".join(str(x) for x in (self.region, self.office) if x) or _("everywhere")
        return f"{self.get_role_display()} @ {scope}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def new_raw_key() -> str:
        return "anju_" + secrets.token_urlsafe(32)
