import re
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anju.open311.choices import LIST_DATATYPES, Datatype

# Attribute codes travel in form keys (``attribute[CODE]``): no brackets, no spaces.
ATTRIBUTE_CODE = re.compile(r"^[A-Za-z0-9_.-]+$")


class ApplicationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Application(models.Model):
    """Another system allowed to post service requests through Open311 (a city app, a
    partner's hotline software). Its API key is shown once when issued; only the SHA-256 hash
    is kept, with a short prefix to recognise it by. Revoking stops the key at once; the
    requests it sent stay."""

    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True,
        help_text=_("Who runs the application and how to reach them (person, e-mail or phone of the operator)."),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Open311 application")
        verbose_name_plural = _("Open311 applications")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def new_raw_key() -> str:
        return "o311_" + secrets.token_urlsafe(24)


class ServiceAttribute(models.Model):
    """One extra question a service (a public category) asks in Open311, beyond the standard
    fields: "road surface" for potholes, say. A category with attributes is announced with
    ``metadata`` true and its definition lists them; a posted request is checked against them.
    ``variable`` false marks a note shown to the user that takes no answer."""

    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.CASCADE, related_name="open311_attributes"
    )
    code = models.CharField(
        _("code"), max_length=50,
        help_text=_("Letters, digits, dots, dashes and underscores; clients send it as attribute[CODE]."),
    )
    datatype = models.CharField(_("datatype"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    variable = models.BooleanField(
        _("takes an answer"), default=True,
        help_text=_("Untick for a note that is only shown to the user and takes no answer."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    description = models.CharField(_("question"), max_length=500, help_text=_("The question the user is asked."))
    datatype_description = models.CharField(
        _("format hint"), max_length=200, blank=True,
        help_text=_("How to answer, e.g. the unit of a number. Optional."),
    )
    values = models.JSONField(
        _("values"), default=list, blank=True,
        help_text=_('For the list datatypes: a JSON list of {"key": ..., "name": ...}, '
                    'e.g. [{"key": "asphalt", "name": "沥青路面"}]. Empty for the others.'),
    )

    class Meta:
        verbose_name = _("Open311 service attribute")
        verbose_name_plural = _("Open311 service attributes")
        ordering = ["category__path", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="unique_open311_attribute")]

    def __str__(self):
        return f"{self.category.code} {self.code}"

    def clean(self):
        errors = {}
        if self.values is None:
            # An emptied field in the admin form: no values rather than an unsaveable null.
            self.values = []
        if self.code and not ATTRIBUTE_CODE.match(self.code):
            errors["code"] = gettext("Use letters, digits, dots, dashes and underscores only.")
        problem = values_problem(self.values, self.datatype)
        if problem:
            errors["values"] = problem
        if errors:
            raise ValidationError(errors)

    def keys(self) -> list[str]:
        return [str(value["key"]) for value in self.values or []]


def values_problem(values, datatype: str) -> str | None:
    """Why ``values`` cannot serve an attribute of ``datatype``, or None when it can."""
    if datatype not in LIST_DATATYPES:
        return gettext("Only the list datatypes take values; leave it empty ([]).") if values else None
    if not isinstance(values, list) or not values:
        return gettext('Give at least one value as a list of {"key": ..., "name": ...}.')
    keys = set()
    for value in values:
        if not isinstance(value, dict) or set(value) != {"key", "name"}:
            return gettext('Each value must be an object with exactly "key" and "name".')
        key, name = value["key"], value["name"]
        if not isinstance(key, str | int) or isinstance(key, bool) or str(key).strip() == "":
            return gettext("Each key must be a non-empty text or a whole number.")
        if not isinstance(name, str) or not name.strip():
            return gettext("Each value needs a name.")
        if str(key) in keys:
            return gettext("The key %(key)s appears twice.") % {"key": key}
        keys.add(str(key))
    return None


class Open311Request(models.Model):
    """What an Open311 application sent with a case, beyond what the case itself holds: which
    application, the token it can look the request up by, the client's device and account
    ids, the answers to the service's attributes and a media URL. The reporter's name, phone
    and e-mail are not here: they go into the case's ``Reporter`` like any other report's."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="open311")
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="requests"
    )
    token = models.CharField(_("token"), max_length=40, unique=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.case} ← {self.application.name}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_hex(16)
