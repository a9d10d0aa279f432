"""Vocabularies of disputes and mediation (矛盾纠纷排查化解)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    OPEN = "open", _("In progress (进行中)")
    CLOSED = "closed", _("Closed (已结束)")


class ReportStatus(models.TextChoices):
    OWED = "owed", _("Owed (待报送)")
    SUBMITTED = "submitted", _("Submitted (已报送)")


class ReportSweep(models.IntegerChoices):
    """How far the sweep has gone with an owed screening report."""

    NONE = 0, _("Not yet due")
    DUE_SOON = 1, _("Due soon (即将到期)")
    OVERDUE = 2, _("Overdue (已超期)")


class RiskLevel(models.TextChoices):
    """The risk that the dispute escalates (激化), assessed on the dispute, never on a person."""

    LOW = "low", _("Low (低)")
    MEDIUM = "medium", _("Medium (中)")
    HIGH = "high", _("High (高)")


class MediationType(models.TextChoices):
    PEOPLE = "people", _("People's mediation (人民调解)")
    ADMINISTRATIVE = "administrative", _("Administrative mediation (行政调解)")
    JUDICIAL = "judicial", _("Judicial mediation (司法调解)")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant (申请人)")
    RESPONDENT = "respondent", _("Respondent (被申请人)")
    THIRD_PARTY = "third_party", _("Third party (第三人)")


class Consent(models.TextChoices):
    """Mediation is voluntary: each party's consent is asked and recorded."""

    PENDING = "pending", _("Not yet asked (待确认)")
    GIVEN = "given", _("Agrees to mediation (同意调解)")
    REFUSED = "refused", _("Refuses mediation (拒绝调解)")


class Outcome(models.TextChoices):
    """How mediation ended. Empty while it goes on."""

    AGREEMENT = "agreement", _("Agreement (达成协议)")
    NO_AGREEMENT = "no_agreement", _("No agreement, referred (未达成协议，引导其他途径)")
    WITHDRAWN = "withdrawn", _("Withdrawn (撤回)")
    REFUSED = "refused", _("Refused by a party (当事人拒绝调解)")


# Outcomes a mediator records by ending mediation; an agreement ends it by taking effect.
ENDING_OUTCOMES = (Outcome.NO_AGREEMENT, Outcome.WITHDRAWN, Outcome.REFUSED)


class SessionResult(models.TextChoices):
    ADJOURNED = "adjourned", _("Continues (继续调解)")
    AGREEMENT_REACHED = "agreement_reached", _("Agreement reached (达成一致)")
    NO_AGREEMENT = "no_agreement", _("No agreement (未达成一致)")
    WITHDRAWN = "withdrawn", _("Withdrawn (申请撤回)")
    REFUSED = "refused", _("A party refused (当事人拒绝)")


# A session's result that ends mediation, and with which outcome.
SESSION_ENDS = {
    SessionResult.NO_AGREEMENT: Outcome.NO_AGREEMENT,
    SessionResult.WITHDRAWN: Outcome.WITHDRAWN,
    SessionResult.REFUSED: Outcome.REFUSED,
}


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (草稿)")
    EFFECTIVE = "effective", _("In effect (已生效)")
    SUPERSEDED = "superseded", _("Superseded (已失效)")


class JudicialStatus(models.TextChoices):
    """Judicial confirmation of a mediation agreement (司法确认, People's Mediation Law Art. 33)."""

    NOT_SOUGHT = "not_sought", _("Not applied for (未申请)")
    SOUGHT = "sought", _("Applied for (已申请)")
    CONFIRMED = "confirmed", _("Confirmed by the court (已确认)")
    REJECTED = "rejected", _("Not confirmed (不予确认)")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned (待回访)")
    DONE = "done", _("Done (已回访)")
    CANCELLED = "cancelled", _("Cancelled (已取消)")


class Performance(models.TextChoices):
    """What a follow-up visit found of the agreement (or, without one, of the outcome)."""

    PERFORMED = "performed", _("Performed (已履行)")
    PARTLY = "partly", _("Partly performed (部分履行)")
    NOT_PERFORMED = "not_performed", _("Not performed (未履行)")
    NOT_APPLICABLE = "not_applicable", _("No agreement to perform; situation stable (无协议，情况稳定)")


# Findings that reopen the dispute.
REOPENING_PERFORMANCE = (Performance.PARTLY, Performance.NOT_PERFORMED)


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving organisation (待接收)")
    ACCEPTED = "accepted", _("Accepted (已接收)")
    RETURNED = "returned", _("Returned (已退回)")


class ResolvedLevel(models.TextChoices):
    """Where a dispute was resolved: the level of the mediating organisation's jurisdiction."""

    VILLAGE = "village", _("Village / community (村居)")
    TOWNSHIP = "township", _("Township / street (乡镇街道)")
    ABOVE = "above", _("County and above (县级及以上)")


# The case kind this module owns (registered in ``apps.py``).
DISPUTE = "dispute"


class DisputeEvent(models.TextChoices):
    """The module's events on a case's timeline (registered in ``apps.py``)."""

    DISPUTE_RECORD = "dispute_record", _("Dispute record updated")
    PARTY = "party", _("Party recorded")
    CONSENT = "consent", _("Consent to mediation recorded")
    MEDIATOR = "mediator", _("Mediator assigned")
    SESSION_SCHEDULED = "session_scheduled", _("Mediation session scheduled")
    SESSION_HELD = "session_held", _("Mediation session held")
    AGREEMENT_DRAFTED = "agreement_drafted", _("Mediation agreement drafted")
    AGREEMENT_EFFECTIVE = "agreement_effective", _("Mediation agreement signed (生效)")
    MEDIATION_ENDED = "mediation_ended", _("Mediation ended")
    JUDICIAL_CONFIRMATION = "judicial_confirmation", _("Judicial confirmation (司法确认)")
    VISIT = "visit", _("Follow-up visit (回访)")
    MEDIATION_TRANSFER = "mediation_transfer", _("Mediation transfer proposed (三调联动)")
    MEDIATION_TRANSFER_ACCEPTED = "mediation_transfer_accepted", _("Mediation transfer accepted")
    MEDIATION_TRANSFER_RETURNED = "mediation_transfer_returned", _("Mediation transfer returned")
