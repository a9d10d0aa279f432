"""The words of geo-hazard warnings: kinds of hazard points, scale grades, reading kinds, the four
warning levels and the states of a warning, an acknowledgement and an evacuation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointType(models.TextChoices):
    LANDSLIDE = "landslide", _("Landslide (滑坡)")
    DEBRIS_FLOW = "debris_flow", _("Debris flow (泥石流)")
    COLLAPSE = "collapse", _("Collapse / unstable rock (崩塌/危岩)")
    SUBSIDENCE = "subsidence", _("Ground subsidence (地面塌陷)")
    FLASH_FLOOD = "flash_flood", _("Flash flood (山洪)")


class ScaleGrade(models.TextChoices):
    """The grade of a hazard point by people threatened or potential loss (险情分级): small under
    100 people, medium 100–499, large 500–999, huge 1,000 and over; the higher of the two counts."""

    SMALL = "small", _("Small (小型)")
    MEDIUM = "medium", _("Medium (中型)")
    LARGE = "large", _("Large (大型)")
    HUGE = "huge", _("Huge (特大型)")


class ReadingKind(models.TextChoices):
    """What a reading measures. Rain is the millimetres fallen in the interval that ends at the
    reading's time; its 1 h, 3 h and 24 h accumulations are summed over the readings in each window."""

    RAIN = "rain", _("Rainfall (mm)")
    DISPLACEMENT = "displacement", _("Displacement (mm)")
    CRACK = "crack", _("Crack width (mm)")
    WATER_LEVEL = "water_level", _("Water level (m)")


class ReadingSource(models.TextChoices):
    HAND = "hand", _("Entered by hand")
    DEVICE = "device", _("Posted by a device")


class Level(models.TextChoices):
    """The four warning levels, lowest first (蓝、黄、橙、红)."""

    BLUE = "blue", _("Blue (蓝色)")
    YELLOW = "yellow", _("Yellow (黄色)")
    ORANGE = "orange", _("Orange (橙色)")
    RED = "red", _("Red (红色)")


LEVEL_RANK = {Level.BLUE: 1, Level.YELLOW: 2, Level.ORANGE: 3, Level.RED: 4}


class CheckRound(models.TextChoices):
    """The three checks of a flood season (三查)."""

    BEFORE = "before", _("Before the flood season (汛前排查)")
    DURING = "during", _("During the flood season (汛中巡查)")
    AFTER = "after", _("After the flood season (汛后核查)")


class WarningStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved for issue")
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    REJECTED = "rejected", _("Not approved")


class WarningOrigin(models.TextChoices):
    READINGS = "readings", _("Drafted from readings")
    STAFF = "staff", _("Drafted by staff")
    UPSTREAM = "upstream", _("Received from upstream (CAP)")


class MessageType(models.TextChoices):
    """CAP 1.2 msgType values Anju issues."""

    ALERT = "Alert", "Alert"
    UPDATE = "Update", "Update"
    CANCEL = "Cancel", "Cancel"


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", "Immediate"
    EXPECTED = "Expected", "Expected"
    FUTURE = "Future", "Future"
    PAST = "Past", "Past"
    UNKNOWN = "Unknown", "Unknown"


class Severity(models.TextChoices):
    EXTREME = "Extreme", "Extreme"
    SEVERE = "Severe", "Severe"
    MODERATE = "Moderate", "Moderate"
    MINOR = "Minor", "Minor"
    UNKNOWN = "Unknown", "Unknown"


class Certainty(models.TextChoices):
    OBSERVED = "Observed", "Observed"
    LIKELY = "Likely", "Likely"
    POSSIBLE = "Possible", "Possible"
    UNLIKELY = "Unlikely", "Unlikely"
    UNKNOWN = "Unknown", "Unknown"


class Responder(models.TextChoices):
    """Who is asked to acknowledge (叫应), in the order the asking escalates."""

    MONITOR = "monitor", _("Monitor (监测员)")
    DEPUTY = "deputy", _("Deputy monitor (副监测员)")
    DUTY_OFFICER = "duty_officer", _("Duty officer (值班员)")


class AckChannel(models.TextChoices):
    LINK = "link", _("Through the link sent")
    APP = "app", _("In the app")
    CALL = "call", _("By a call recorded by staff")


class AckState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ESCALATED = "escalated", _("Not answered in time; passed on")


class EvacuationState(models.TextChoices):
    TO_MOVE = "to_move", _("To move")
    MOVED = "moved", _("Moved")
    REFUSED = "refused", _("Refused")
    RETURNED = "returned", _("Returned home")


class WarningEvent(models.TextChoices):
    """What happens to a warning, on its own log (a warning is not a case)."""

    DRAFTED = "drafted", _("Drafted")
    APPROVED = "approved", _("Approved for issue")
    REJECTED = "rejected", _("Not approved")
    ISSUED = "issued", _("Issued")
    UPDATED = "updated", _("Updated")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    IMPORTED = "imported", _("Received from upstream")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ESCALATED = "escalated", _("Acknowledgement passed on")
    EVACUATION = "evacuation", _("Evacuation recorded")
    ALL_CLEAR = "all_clear", _("All clear")
    INCIDENT = "incident", _("Incident opened")
