"""Geological-hazard warnings (地质灾害预警): the monitoring points register with its threatened
households, the three checks, monitoring devices and their readings, threshold rules, warnings with
their CAP 1.2 messages, acknowledgements (叫应) and evacuations.

A warning is not a case: it is the county's message to the people in the way of a hazard, kept
with every CAP message it went out as. Households are people: their contacts are masked wherever
shown, and no list of persons is ever built beyond the households a point threatens."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases.models import DeadlineFields
from anju.warnings.choices import (
    AckChannel,
    AckState,
    Certainty,
    CheckRound,
    EvacuationState,
    Level,
    PointType,
    ReadingKind,
    ReadingSource,
    Responder,
    ScaleGrade,
    Severity,
    Urgency,
    WarningEvent,
    WarningOrigin,
    WarningStatus,
)


class MonitoringPoint(models.Model):
    """A known geo-hazard point (隐患点): where it is and its outline, what threatens whom, who watches
    it (a monitor and a deputy, contacts masked wherever shown), the way out and the shelter."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=PointType.choices)
    region = models.ForeignKey("geo.Region", verbose_name=_("village or grid"), on_delete=models.PROTECT,
                               related_name="+")
    area_path = models.CharField(max_length=255, editable=False, db_index=True)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    # GeoJSON Polygon (WGS84, [lng, lat] pairs as GeoJSON has them), or null.
    outline = models.JSONField(_("outline"), null=True, blank=True)
    scale_grade = models.CharField(_("scale grade"), max_length=10, choices=ScaleGrade.choices)
    households = models.PositiveIntegerField(_("households threatened"), default=0)
    people = models.PositiveIntegerField(_("people threatened"), default=0)
    potential_loss = models.DecimalField(_("potential loss (10,000 yuan)"), max_digits=12, decimal_places=1,
                                         default=0)
    monitor_name = models.CharField(_("monitor"), max_length=50)
    monitor_phone = models.CharField(_("monitor's phone"), max_length=30)
    monitor_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("monitor's account"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    deputy_name = models.CharField(_("deputy monitor"), max_length=50, blank=True)
    deputy_phone = models.CharField(_("deputy's phone"), max_length=30, blank=True)
    deputy_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("deputy's account"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    # GeoJSON LineString (WGS84) from the point to the shelter, or null.
    route = models.JSONField(_("evacuation route"), null=True, blank=True)
    shelter_name = models.CharField(_("shelter"), max_length=200, blank=True)
    shelter_lat = models.FloatField(_("shelter latitude"), null=True, blank=True)
    shelter_lng = models.FloatField(_("shelter longitude"), null=True, blank=True)
    shelter_capacity = models.PositiveIntegerField(_("shelter capacity (people)"), default=0)
    warning_signal = models.CharField(_("warning signal"), max_length=200, blank=True,
                                      help_text=_("How the monitor raises the alarm: a gong, a horn, a broadcast."))
    # The level its readings stand at now ("" when below every rule) and since when.
    level = models.CharField(_("current level"), max_length=10, choices=Level.choices, blank=True)
    level_since = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("monitoring point")
        verbose_name_plural = _("monitoring points")
        ordering = ["area_path", "code"]
        constraints = [models.UniqueConstraint(fields=["created_by", "idempotency_key"],
                                               condition=~Q(idempotency_key=""), name="warnings_point_created_once")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.area_path = self.region.path
        super().save(*args, **kwargs)


class Household(models.Model):
    """A household a point threatens: who heads it and how to reach them (masked wherever shown),
    how many live there, and its 避险明白卡 (the card printed for it)."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="household_rows")
    head_name = models.CharField(_("head of household"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    members = models.PositiveSmallIntegerField(_("people in the household"), default=1)
    card_number = models.CharField(_("card number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("threatened household")
        verbose_name_plural = _("threatened households")
        ordering = ["point", "pk"]

    def __str__(self):
        return f"{self.point.code} #{self.pk}"


class ContactReveal(models.Model):
    """A log line for every look at a point's person in full, granted or refused: a threatened
    household's head and contacts (``household``), the monitor or the deputy (``subject``), and
    every 避险明白卡 printed, which names its household. The core's ``PersonalDataAccess`` keeps
    the looks at the people of a case; a point is not a case, so its looks are kept here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # "household 12", "monitor", "deputy", "card 12", "cards" (every card of the point printed).
    subject = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200, blank=True)
    granted = models.BooleanField()

    class Meta:
        verbose_name = _("look at a point's person")
        verbose_name_plural = _("looks at a point's people")
        ordering = ["-at", "-pk"]


class SeasonCheck(models.Model):
    """One of the three checks of a flood season (三查) at a point."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="checks")
    year = models.PositiveSmallIntegerField(_("year"))
    round = models.CharField(_("check"), max_length=10, choices=CheckRound.choices)
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stable = models.BooleanField(_("no change found"), default=True)
    finding = models.TextField(_("finding"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("season check")
        verbose_name_plural = _("season checks")
        constraints = [models.UniqueConstraint(fields=["point", "year", "round"], name="warnings_one_check_a_round")]
        ordering = ["-year", "point", "round"]


class Device(models.Model):
    """A monitoring device at a point (a rain gauge, a crack meter, a GNSS station) posting readings
    with its own key. Only the key's SHA-256 is kept; the key is shown once, when made."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="devices")
    name = models.CharField(_("name"), max_length=100)
    kinds = models.JSONField(_("reading kinds"), default=list)
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The interval it reports at: two readings further apart than this leave a gap.
    interval_minutes = models.PositiveIntegerField(_("reporting interval (minutes)"), default=60)
    is_active = models.BooleanField(_("active"), default=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("monitoring device")
        verbose_name_plural = _("monitoring devices")

    def __str__(self):
        return f"{self.point.code} {self.name}"


class Reading(models.Model):
    """A measured value at a point at its own time (``measured_at``), however late it arrives. A
    device's reading is one per (device, kind, measured_at): posted again, it is the same reading."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="readings")
    kind = models.CharField(_("kind"), max_length=20, choices=ReadingKind.choices)
    value = models.FloatField(_("value"))
    measured_at = models.DateTimeField(_("measured at"))
    received_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=ReadingSource.choices)
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.PROTECT, related_name="readings")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        indexes = [models.Index(fields=["point", "kind", "measured_at"], name="warnings_reading_series")]
        constraints = [models.UniqueConstraint(fields=["device", "kind", "measured_at"],
                                               condition=Q(device__isnull=False), name="warnings_reading_once")]


class ThresholdRule(models.Model):
    """A level reached when a reading kind over a window reaches ``threshold`` (≥): for one point, or
    for every point in an area (a region subtree). A point's own rules for a kind and window stand
    in for the area's. ``window_hours`` is the accumulation window for rain, the window of change
    for displacement and cracks (0: the latest value itself)."""

    point = models.ForeignKey(MonitoringPoint, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="rules")
    area = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("reading kind"), max_length=20, choices=ReadingKind.choices)
    window_hours = models.PositiveSmallIntegerField(_("window (hours)"), default=0)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    threshold = models.FloatField(_("threshold"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("threshold rule")
        verbose_name_plural = _("threshold rules")
        constraints = [
            models.CheckConstraint(condition=Q(point__isnull=False) ^ Q(area__isnull=False),
                                   name="warnings_rule_point_or_area"),
        ]


class LevelPolicy(models.Model):
    """The editable table of what a level means: its CAP urgency, severity and certainty, the role
    that approves a warning of it, and the minutes each responder has to acknowledge."""

    level = models.CharField(_("level"), max_length=10, choices=Level.choices, unique=True)
    urgency = models.CharField(_("CAP urgency"), max_length=12, choices=Urgency.choices)
    severity = models.CharField(_("CAP severity"), max_length=12, choices=Severity.choices)
    certainty = models.CharField(_("CAP certainty"), max_length=12, choices=Certainty.choices)
    approver_role = models.CharField(_("approved by"), max_length=20)
    ack_minutes = models.PositiveSmallIntegerField(_("minutes to acknowledge"))
    expires_hours = models.PositiveSmallIntegerField(_("hours in force"), default=24)

    class Meta:
        verbose_name = _("level policy")
        verbose_name_plural = _("level policies")


class Warning(models.Model):
    """A warning for an area and the points in it, at one level. Drafted from readings, by staff or
    from an upstream CAP alert; approved by the role its level requires; issued as CAP messages
    (the first an Alert, later ones Updates, the last maybe a Cancel); ended by a cancel, its expiry
    or the all-clear of its evacuation."""

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    status = models.CharField(_("status"), max_length=10, choices=WarningStatus.choices,
                              default=WarningStatus.DRAFT)
    origin = models.CharField(max_length=10, choices=WarningOrigin.choices)
    hazard_type = models.CharField(_("hazard"), max_length=20, choices=PointType.choices)
    area = models.ForeignKey("geo.Region", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, editable=False, db_index=True)
    points = models.ManyToManyField(MonitoringPoint, blank=True, related_name="warnings")
    # The area as CAP polygon points: [[lat, lon], ...], closed (the first repeated last).
    polygon = models.JSONField(default=list, blank=True)
    headline = models.CharField(_("headline"), max_length=200)
    description = models.TextField(_("description"))
    instruction = models.TextField(_("instruction"), blank=True)
    headline_en = models.CharField(_("headline (English)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    instruction_en = models.TextField(_("instruction (English)"), blank=True)
    onset_at = models.DateTimeField(_("onset"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    trigger = models.ForeignKey(Reading, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    all_clear_at = models.DateTimeField(null=True, blank=True)
    # An upstream alert's sender and identifier (the warning passed on from it).
    upstream_sender = models.CharField(max_length=255, blank=True)
    upstream_identifier = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["-drafted_at", "-pk"]
        indexes = [models.Index(fields=["status", "level"], name="warnings_warning_status")]

    def __str__(self):
        return f"{self.get_level_display()} {self.headline}"

    def save(self, *args, **kwargs):
        self.area_path = self.area.path
        super().save(*args, **kwargs)


class CapMessage(models.Model):
    """One CAP 1.2 message: issued by Anju for a warning (kept exactly as sent) or received from
    upstream. ``identifier`` follows GB/T 35965.1 for Anju's own."""

    warning = models.ForeignKey(Warning, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    identifier = models.CharField(max_length=255, unique=True)
    sender = models.CharField(max_length=255)
    sent_at = models.DateTimeField()
    msg_type = models.CharField(max_length=10)
    references = models.TextField(blank=True)
    xml = models.BinaryField()
    issued_here = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("CAP message")
        verbose_name_plural = _("CAP messages")
        ordering = ["-sent_at", "-pk"]


class WarningLog(models.Model):
    """What happened to a warning, in order."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="log")
    code = models.CharField(max_length=20, choices=WarningEvent.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Acknowledgement(DeadlineFields, models.Model):
    """One responder asked to acknowledge a warning for one point (叫应): the monitor first, the
    deputy when the monitor does not answer in time, then the duty officer. ``token`` is the
    secret of the link sent to them. The sweep passes an unanswered one on at ``due_at``."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="acknowledgements")
    point = models.ForeignKey(MonitoringPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    responder = models.CharField(max_length=20, choices=Responder.choices)
    name = models.CharField(max_length=50, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    token = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=15, choices=AckState.choices, default=AckState.WAITING)
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=AckChannel.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["asked_at", "pk"]
        indexes = [models.Index(fields=["sweep_at"], condition=Q(sweep_at__isnull=False),
                                name="warnings_ack_sweep_at")]


class Evacuation(models.Model):
    """A household's evacuation under a warning: to move, moved, refused (with the reason) or
    returned, as the grid worker last entered it."""

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="evacuations")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="evacuations")
    state = models.CharField(max_length=10, choices=EvacuationState.choices, default=EvacuationState.TO_MOVE)
    reason = models.TextField(_("reason"), blank=True)
    people_moved = models.PositiveSmallIntegerField(default=0)
    moved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evacuation")
        verbose_name_plural = _("evacuations")
        constraints = [models.UniqueConstraint(fields=["warning", "household"], name="warnings_evacuate_once")]
        ordering = ["warning", "household"]
