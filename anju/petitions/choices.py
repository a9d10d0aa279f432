"""The vocabularies of petitions (信访) under the 2022 信访工作条例."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PetitionForm(models.TextChoices):
    """How the petition came in (信访形式)."""

    LETTER = "letter", _("Letter (来信)")
    VISIT = "visit", _("Visit (来访)")
    PHONE = "phone", _("Phone (来电)")
    ONLINE = "online", _("Online (网上信访)")
    REFERRED = "referred", _("Referred by another body (转来)")


class Level(models.TextChoices):
    """Where a matter stands in its chain: first handled, reviewed a level up (复查), or
    re-examined a level further up (复核)."""

    ORIGINAL = "original", _("Petition (信访事项)")
    REVIEW = "review", _("Review (复查)")
    REEXAMINATION = "reexamination", _("Re-examination (复核)")


# The level a request by the petitioner leads to, from the level of the decision it is about.
NEXT_LEVEL = {Level.ORIGINAL: Level.REVIEW, Level.REVIEW: Level.REEXAMINATION}


class RouteKind(models.TextChoices):
    """How the petition office sent the matter to the competent body (第二十二条)."""

    TRANSFERRED = "transferred", _("Transferred (转送)")
    ASSIGNED = "assigned", _("Assigned with a report back (交办)")


class Decision(models.TextChoices):
    """What a written answer decides: the three of 第三十二条 for the first answer; a review or
    re-examination upholds the decision before it or changes it."""

    SUPPORT = "support", _("Request supported (予以支持)")
    EXPLAIN = "explain", _("Explained (解释说明)")
    NOT_SUPPORT = "not_support", _("Request not supported (不予支持)")
    UPHELD = "upheld", _("Earlier decision upheld (维持)")
    CHANGED = "changed", _("Earlier decision changed (撤销或变更)")


DECISIONS_OF_LEVEL = {
    Level.ORIGINAL: (Decision.SUPPORT, Decision.EXPLAIN, Decision.NOT_SUPPORT),
    Level.REVIEW: (Decision.UPHELD, Decision.CHANGED),
    Level.REEXAMINATION: (Decision.UPHELD, Decision.CHANGED),
}


class NoticeKind(models.TextChoices):
    """The written notices a petitioner is sent, each generated from the record."""

    RECEIPT = "receipt", _("Notice of receipt and route (登记转送告知书)")
    ACCEPTANCE = "acceptance", _("Notice of acceptance (受理告知书)")
    NON_ACCEPTANCE = "non_acceptance", _("Notice of non-acceptance (不予受理告知书)")
    EXTENSION = "extension", _("Notice of extension (延期办理告知书)")
    ANSWER = "answer", _("Written answer (信访事项处理意见书)")
    REVIEW_DECISION = "review_decision", _("Review decision (信访事项复查意见书)")
    REEXAMINATION_DECISION = "reexamination_decision", _("Re-examination decision (信访事项复核意见书)")
    CONCLUDED = "concluded", _("Notice that the matter is concluded (不再受理告知书)")


# The notice that answers a matter at each level.
ANSWER_NOTICE = {
    Level.ORIGINAL: NoticeKind.ANSWER,
    Level.REVIEW: NoticeKind.REVIEW_DECISION,
    Level.REEXAMINATION: NoticeKind.REEXAMINATION_DECISION,
}


class Delivery(models.TextChoices):
    """How a notice was sent (送达方式)."""

    IN_PERSON = "in_person", _("Handed over in person (当面送达)")
    POST = "post", _("By post (邮寄送达)")
    ONLINE = "online", _("Online, on the tracking page (网上告知)")
    SMS = "sms", _("By text message (短信告知)")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    RECEIVED = "received", pgettext_lazy("reception booking", "Received")
    CANCELLED = "cancelled", _("Cancelled")


class BookedVia(models.TextChoices):
    PUBLIC = "public", _("By the petitioner, online")
    COUNTER = "counter", _("At the counter")


class ReceptionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")


# The case kind this module owns (registered in ``apps.py``).
PETITION = "petition"


class PetitionEvent(models.TextChoices):
    """The module's events on a case's timeline (registered in ``apps.py``)."""

    PETITION_RECORD = "petition_record", _("Petition record updated")
    PETITIONER = "petitioner", _("Petitioner recorded")
    PETITION_ROUTE = "petition_route", _("Routed to the competent body (转送/交办)")
    PETITION_OBJECTION = "petition_objection", _("Objection: not within this body's competence (异议)")
    PETITION_ACCEPT = "petition_accept", _("Accepted by the competent body (受理)")
    PETITION_NOT_ACCEPTED = "petition_not_accepted", _("Not accepted (不予受理)")
    PETITION_ANSWER = "petition_answer", _("Answered in writing (处理意见书)")
    NOTICE = "notice", _("Written notice sent (书面告知)")
    NOTICE_DELIVERED = "notice_delivered", _("Written notice received by the petitioner")
    HEARING = "hearing", _("Hearing (听证)")
    REVIEW_REQUESTED = "review_requested", _("Review requested (复查)")
    REEXAMINATION_REQUESTED = "reexamination_requested", _("Re-examination requested (复核)")
    EARLIER_MATTER = "earlier_matter", _("Linked to an earlier matter")
    LEADER = "leader", _("Leader in personal charge (领导包案)")
    RECEPTION_BOOKED = "reception_booked", _("Leader reception booked (领导接访)")
    RECEPTION = "reception", _("Received on a leader reception day (领导接访)")
    PETITION_TRANSFER = "petition_transfer", _("Transfer approved (首办责任)")
