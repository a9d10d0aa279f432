"""Disputes and mediation (矛盾纠纷排查化解). A dispute is a case of kind ``dispute`` with its
own one-to-one record; intake, routing, deadlines, supervision and the timeline are the core's.
The dispute type is the case's category (the ``dispute`` subtree of the category tree). Only
the service functions in ``anju.disputes.services`` change these rows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases.models import DeadlineFields
from anju.cases.redaction import RedactedTexts
from anju.disputes.choices import (
    AgreementStatus,
    Consent,
    JudicialStatus,
    MediationType,
    Outcome,
    PartyRole,
    Performance,
    ReportStatus,
    ReportSweep,
    ResolvedLevel,
    RiskLevel,
    RoundStatus,
    SessionResult,
    TransferStatus,
    VisitStatus,
)

# Parties may apply jointly to a court for judicial confirmation within this many days of the
# agreement taking effect (People's Mediation Law Art. 33); a period whose last day is a holiday
# ends on the first day after it (Civil Procedure Law Art. 85).
JUDICIAL_WINDOW_DAYS = 30


class ScreeningRound(models.Model):
    """A screening round (排查): for a region subtree and a period, every grid in it owes one
    report from its grid worker, of the disputes found or that nothing was found."""

    title = models.CharField(_("title"), max_length=100)
    region = models.ForeignKey("geo.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    # Optional focus: free words ("wage arrears before the Spring Festival") and a dispute type.
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    theme_category = models.ForeignKey(
        "cases.Category", verbose_name=_("dispute type in focus"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    # End of the last day, Asia/Shanghai: when each report is due.
    due_at = models.DateTimeField(_("reports due"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("screening round")
        verbose_name_plural = _("screening rounds")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title


class ScreeningReport(DeadlineFields):
    """What one grid owes a round: one report, of the disputes found (each a dispute case
    linked here) or an explicit "nothing found". Its deadline columns are the sweep kit's
    (``DeadlineFields``): ``sweep_at`` is when the sweep must next look at an owed report (warn
    before it is due, mark it overdue after)."""

    round = models.ForeignKey(ScreeningRound, on_delete=models.CASCADE, related_name="reports")
    grid = models.ForeignKey("geo.Region", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    # The grid's path, for subtree filters (coverage per township) without a join.
    area_path = models.CharField(max_length=255, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OWED)
    nothing_found = models.BooleanField(_("nothing found"), default=False)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    sweep_stage = models.PositiveSmallIntegerField(choices=ReportSweep.choices, default=ReportSweep.NONE)
    # ``missed_deadline`` is set once the report was still owed when it fell due, and kept after
    # a late submission.

    class Meta:
        verbose_name = _("screening report")
        verbose_name_plural = _("screening reports")
        ordering = ["area_path"]
        constraints = [models.UniqueConstraint(fields=["round", "grid"], name="one_report_per_grid_and_round")]
        indexes = [
            models.Index(fields=["sweep_at"], name="screening_sweep", condition=Q(sweep_at__isnull=False)),
            models.Index(fields=["round", "area_path"], name="screening_round_area"),
        ]

    def __str__(self):
        return f"{self.round} · {self.grid}"


class Dispute(RedactedTexts, models.Model):
    """The dispute record of a case of kind ``dispute``: its scale, facts, risk, the
    mediation type and mediator, and how mediation ended. The mediating organisation is the
    case's owning office."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="dispute")
    scale = models.PositiveIntegerField(_("people involved"), default=2)
    # ``facts``, ``outcome_note`` and the sessions' and visits' words are redacted of the parties;
    # their ``_whole`` fields keep them as written (``cases.redaction``).
    facts = models.TextField(_("facts"), blank=True)
    facts_whole = models.TextField(_("facts as written"), blank=True)
    # Assessed on the dispute (how likely it is to escalate), never on a person.
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)
    risk_reason = models.CharField(_("reason for the risk level"), max_length=500, blank=True)
    risk_reason_whole = models.CharField(max_length=500, blank=True)
    mediation_type = models.CharField(
        _("mediation type"), max_length=20, choices=MediationType.choices, default=MediationType.PEOPLE
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mediator"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    screening_report = models.ForeignKey(
        ScreeningReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="disputes"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    outcome_note_whole = models.TextField(blank=True)
    # Where the parties were pointed to when mediation failed (court, arbitration, legal aid).
    referral = models.CharField(_("referred to"), max_length=200, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    resolved_level = models.CharField(max_length=10, choices=ResolvedLevel.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    REDACTED = {"facts": "facts_whole", "outcome_note": "outcome_note_whole", "risk_reason": "risk_reason_whole"}

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        indexes = [models.Index(fields=["outcome", "concluded_at"], name="dispute_outcome")]

    def __str__(self):
        return str(self.case)

    @property
    def current_agreement(self):
        return self.agreements.exclude(status=AgreementStatus.SUPERSEDED).order_by("-id").first()


class Party(models.Model):
    """A party of a dispute, with what this side asks and whether it agrees to mediation.
    Personal data (name, phone, address) is shown masked; every reveal is logged."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    claim = models.TextField(_("what this side asks"), blank=True)
    consent = models.CharField(_("consent"), max_length=10, choices=Consent.choices, default=Consent.PENDING)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_note = models.CharField(_("consent note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_role_display()} #{self.pk}"


class MediationSession(RedactedTexts, models.Model):
    """One mediation session (调解会): planned with a time and place, then recorded with who
    was present, a summary and its result."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    scheduled_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    place_whole = models.CharField(max_length=200, blank=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    present = models.TextField(_("present"), blank=True)
    present_whole = models.TextField(blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_whole = models.TextField(blank=True)
    result = models.CharField(_("result"), max_length=20, choices=SessionResult.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    REDACTED = {"present": "present_whole", "summary": "summary_whole", "place": "place_whole"}

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["held_at", "scheduled_at"], name="session_due")]

    def case_for_redaction(self):
        return self.dispute.case


class MediationAgreement(RedactedTexts, models.Model):
    """A mediation agreement (调解协议书) with the contents the People's Mediation Law (Art. 29)
    requires: the parties (from the dispute), the main facts, the matters in dispute and each
    side's responsibility, the agreed terms with the manner and deadline of performance. Once
    signed it is in effect, and the 30-day window for judicial confirmation (Art. 33) runs."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="agreements")
    number = models.CharField(_("number"), max_length=40, unique=True)
    # Redacted of the parties; the ``_whole`` fields keep them as written, for the printed
    # agreement the parties sign (``cases.redaction``).
    facts = models.TextField(_("main facts"))
    facts_whole = models.TextField(blank=True)
    matters = models.TextField(_("matters in dispute"))
    matters_whole = models.TextField(blank=True)
    responsibilities = models.TextField(_("responsibility of each side"))
    responsibilities_whole = models.TextField(blank=True)
    terms = models.TextField(_("agreed terms"))
    terms_whole = models.TextField(blank=True)
    performance_manner = models.CharField(_("manner of performance"), max_length=500)
    performance_manner_whole = models.CharField(max_length=500, blank=True)
    performance_deadline = models.DateField(_("perform by"))
    status = models.CharField(_("status"), max_length=10, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    effective_on = models.DateField(_("in effect from"), null=True, blank=True)
    # The last day on which the parties may apply for judicial confirmation: 30 days after the
    # agreement takes effect, moved past a holiday on which it would end. Empty where there is
    # no such window (judicial mediation: the court itself mediated).
    judicial_window_ends_on = models.DateField(_("apply for judicial confirmation by"), null=True, blank=True)
    # The last day depends on a day no official calendar or override covers yet.
    judicial_window_estimated = models.BooleanField(default=False)
    # Who the document names, as they were when it was signed: the agreement is reprinted the
    # same way after the dispute moves on (mediation type, organisation, mediator, parties).
    signed_as = models.JSONField(default=dict, blank=True, editable=False)
    judicial_status = models.CharField(_("judicial confirmation"), max_length=12, choices=JudicialStatus.choices,
                                       default=JudicialStatus.NOT_SOUGHT)
    judicial_applied_on = models.DateField(_("applied on"), null=True, blank=True)
    court = models.CharField(_("court"), max_length=100, blank=True)
    judicial_decided_on = models.DateField(_("decided on"), null=True, blank=True)
    judicial_note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    REDACTED = {"facts": "facts_whole", "matters": "matters_whole", "responsibilities": "responsibilities_whole",
                "terms": "terms_whole", "performance_manner": "performance_manner_whole"}

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")
        ordering = ["id"]

    def __str__(self):
        return self.number

    def case_for_redaction(self):
        return self.dispute.case



class FollowUpVisit(RedactedTexts, models.Model):
    """A follow-up visit (回访) planned some days after the agreement took effect or
    mediation ended, and what it found; an agreement not performed reopens the dispute."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="visits")
    agreement = models.ForeignKey(
        MediationAgreement, null=True, blank=True, on_delete=models.CASCADE, related_name="visits"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    performance = models.CharField(_("finding"), max_length=20, choices=Performance.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_whole = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    REDACTED = {"note": "note_whole"}

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="visit_due")]

    def case_for_redaction(self):
        return self.dispute.case


class MediationTransfer(RedactedTexts, models.Model):
    """A dispute passed between mediation types and organisations (三调联动): people's,
    administrative and judicial mediation. The receiving organisation accepts or returns it."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="transfers")
    from_type = models.CharField(_("from"), max_length=20, choices=MediationType.choices)
    to_type = models.CharField(_("to"), max_length=20, choices=MediationType.choices)
    from_office = models.ForeignKey("people.Office", on_delete=models.PROTECT, related_name="+")
    to_office = models.ForeignKey("people.Office", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    reason_whole = models.CharField(max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TransferStatus.choices,
                              default=TransferStatus.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    decision_note_whole = models.CharField(max_length=500, blank=True)

    REDACTED = {"reason": "reason_whole", "decision_note": "decision_note_whole"}

    class Meta:
        verbose_name = _("mediation transfer")
        verbose_name_plural = _("mediation transfers")
        ordering = ["proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dispute"], condition=Q(status="pending"),
                                    name="one_pending_transfer_per_dispute")
        ]

    def case_for_redaction(self):
        return self.dispute.case
