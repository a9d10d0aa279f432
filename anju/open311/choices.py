"""The fixed vocabularies of the Open311 GeoReport v2 server."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Datatype(models.TextChoices):
    """The datatypes of a service attribute, as GeoReport v2 names them."""

    STRING = "string", _("Short text (string)")
    NUMBER = "number", _("Number (number)")
    DATETIME = "datetime", _("Date and time (datetime)")
    TEXT = "text", _("Long text (text)")
    SINGLEVALUELIST = "singlevaluelist", _("One value from a list (singlevaluelist)")
    MULTIVALUELIST = "multivaluelist", _("Several values from a list (multivaluelist)")


LIST_DATATYPES = (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)


class Open311Status:
    """A case's status in Open311's two words. A resolved case (办结) counts as closed: the
    office has answered it; if the resident is not satisfied it is reopened and is open again."""

    OPEN = "open"
    CLOSED = "closed"
    ALL = (OPEN, CLOSED)
