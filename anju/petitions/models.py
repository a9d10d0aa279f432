"""Petitions (信访) under the 2022 信访工作条例. A petition is a case of kind ``petition`` with its
own one-to-one record; intake, deadlines, supervision, the sweep and the timeline are the
core's. A review (复查) and a re-examination (复核) are petitions of their own, linked to the
decision they are about, each with its own clock. Only the service functions in
``anju.petitions.services`` change these rows.

Links are between matters, never between persons: a petitioner is recorded on each petition
anew, and nothing counts how often anyone petitions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases.redaction import RedactedTexts
from anju.petitions.choices import (
    BookedVia,
    BookingStatus,
    Decision,
    Delivery,
    Level,
    NoticeKind,
    PetitionForm,
    ReceptionStatus,
    RouteKind,
)


class Petition(RedactedTexts, models.Model):
    """The petition record of a case of kind ``petition``: how it came, what is asked, who and
    what it is about, where it was routed, who accepted it first (首办), what was decided, the
    leader in personal charge, and its place in the review chain. The competent body is the
    case's owning office; the statutory deadlines are the case's."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="petition")
    form = models.CharField(_("how it came"), max_length=10, choices=PetitionForm.choices)
    # Redacted of who petitioned; ``request_whole`` keeps it as written (``cases.redaction``).
    request = models.TextField(_("request (信访诉求)"), blank=True)
    request_whole = models.TextField(_("request as written"), blank=True)
    level = models.CharField(_("level"), max_length=15, choices=Level.choices, default=Level.ORIGINAL)
    # The petition whose decision this review or re-examination is about.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    # An earlier matter concluded after re-examination that this petition repeats (linked by staff).
    earlier_matter = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    # An official named by the petitioner (as the petitioner gives it: a title or a name); the
    # body the official works for is the case's ``about_office``.
    about_official = models.CharField(_("official complained about"), max_length=100, blank=True)
    group_size = models.PositiveIntegerField(_("people petitioning together"), default=1)
    route_kind = models.CharField(_("route"), max_length=12, choices=RouteKind.choices, blank=True)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    # The limit to route it (15 days from receipt, or from an objection, 第二十二条、第二十三条) as it
    # stood when it was routed, and whether it was met: the case's time to accept counts from the
    # routing after that.
    route_due_at = models.DateTimeField(_("route by"), null=True, blank=True)
    routed_in_time = models.BooleanField(_("routed in time"), null=True, blank=True)
    # The last moment the body it was sent to may object that it is not competent (5 working days).
    objection_due_at = models.DateTimeField(_("object by"), null=True, blank=True)
    objection_estimated = models.BooleanField(default=False)
    # The first body that accepted the matter within its competence keeps it to the end (首办责任).
    first_office = models.ForeignKey("people.Office", verbose_name=_("first handling body"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # The sum of the extensions approved, kept here because the 30-day ceiling (第三十四条) is
    # checked against it under the petition's row lock.
    extension_days = models.PositiveSmallIntegerField(_("days of extension approved"), default=0)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    # Whether the written answer came within its time limit (an approved extension or hearing days
    # included): a fact of the moment it was given, kept for the statistics; empty until answered.
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader in charge (包案领导)"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    leader_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    REDACTED = {"request": "request_whole"}

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            models.Index(fields=["leader"], name="petition_leader", condition=Q(leader__isnull=False)),
            models.Index(fields=["level", "created_at"], name="petition_level"),
        ]

    def __str__(self):
        return str(self.case)


class Petitioner(models.Model):
    """A petitioner of one petition (a group petition has several, with representatives).
    Recorded anew on every petition, never shared between petitions. Shown masked; every
    reveal is logged; hidden from the body the petition is about."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_representative = models.BooleanField(_("representative"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")
        ordering = ["-is_representative", "id"]

    def __str__(self):
        return f"Petitioner #{self.pk}"


class Notice(models.Model):
    """A written notice to the petitioner, generated from the record when it was issued and kept
    as issued (``content``): the same words print on A4, download as .docx and show on the
    tracking page. ``sent_on`` and ``delivery`` say when and how it was sent; ``delivered_on``
    when the petitioner received it, from which their own time to ask for review or
    re-examination counts."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=25, choices=NoticeKind.choices)
    number = models.CharField(_("number"), max_length=40, unique=True)
    office = models.ForeignKey("people.Office", verbose_name=_("issued by"), on_delete=models.PROTECT,
                               related_name="+")
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, blank=True)
    content = models.JSONField(default=dict, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    sent_on = models.DateField(_("sent on"))
    delivery = models.CharField(_("sent by"), max_length=10, choices=Delivery.choices)
    delivered_on = models.DateField(_("received by the petitioner on"), null=True, blank=True)

    class Meta:
        verbose_name = _("written notice")
        verbose_name_plural = _("written notices")
        ordering = ["issued_at", "id"]

    def __str__(self):
        return self.number


class Hearing(RedactedTexts, models.Model):
    """A hearing (听证) of a re-examination: its days do not count towards the 30 days. Its note
    is redacted of who petitioned; ``note_whole`` keeps it as written."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="hearings")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    note_whole = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    REDACTED = {"note": "note_whole"}

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_on", "id"]

    def case_for_redaction(self):
        return self.petition.case


class ReceptionDay(models.Model):
    """A leader reception day (领导接访日): which leader receives petitioners, where and when,
    in slots of ``slot_minutes`` with room for ``per_slot`` petitions each."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT,
                               related_name="+")
    region = models.ForeignKey("geo.Region", verbose_name=_("for the region"), on_delete=models.PROTECT,
                               related_name="+")
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per slot"), default=30)
    per_slot = models.PositiveSmallIntegerField(_("petitions per slot"), default=2)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReceptionStatus.choices,
                              default=ReceptionStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("leader reception day")
        verbose_name_plural = _("leader reception days")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"], name="reception_day_upcoming")]

    def __str__(self):
        return f"{self.leader} {self.starts_at:%Y-%m-%d}"


class Booking(RedactedTexts, models.Model):
    """A petition booked into a slot of a reception day, by the petitioner online or at the
    counter; once the leader received the petitioner, what was said is recorded here and on the
    petition's timeline, redacted of who petitioned (``summary_whole`` keeps it as written)."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.PROTECT, related_name="bookings")
    slot_at = models.DateTimeField(_("slot"))
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices,
                              default=BookingStatus.BOOKED)
    via = models.CharField(_("booked"), max_length=10, choices=BookedVia.choices)
    booked_at = models.DateTimeField(default=timezone.now)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    summary = models.TextField(_("what was said"), blank=True)
    summary_whole = models.TextField(blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    REDACTED = {"summary": "summary_whole"}

    class Meta:
        verbose_name = _("reception booking")
        verbose_name_plural = _("reception bookings")
        ordering = ["slot_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["day", "petition"], condition=Q(status="booked"),
                                    name="one_booking_per_petition_and_day"),
        ]

    def case_for_redaction(self):
        return self.petition.case
