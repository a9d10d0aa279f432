"""A warning drafted from readings: when a point's level rises, a draft for the point's area at
the new level, naming the point, what was measured and the threshold it reached, in Chinese and
English, for the role its level requires to approve (the warnings' lifecycle takes it from
there).

Drafted once per rise: nothing is drafted when a warning for the point at that level or higher
is already in the works (a draft, approved or issued); that warning stands for the rise, and
nothing is logged on it (its own log says when it was made; the point's level and the readings
say what came since). A rise above a warning in the works drafts a new one at the higher level;
whether it supersedes the lower one is the lifecycle's decision. A fall drafts nothing: the
point's level is recorded (``readings.refresh_level``) and the lifecycle decides about
cancelling."""

from datetime import datetime

from django.db import transaction

from anju.lib.workdays import LOCAL
from anju.warnings.choices import (
    LEVEL_RANK,
    PointType,
    ReadingKind,
    WarningEvent,
    WarningOrigin,
    WarningStatus,
)
from anju.warnings.models import MonitoringPoint, Reading, Warning, WarningLog

# The statuses of a warning still in the works: drafted, approved, or out.
IN_THE_WORKS = (WarningStatus.DRAFT, WarningStatus.APPROVED, WarningStatus.ISSUED)

# The words of a warning's default texts, in the two languages it is written in (not the
# interface's: a warning's Chinese text is Chinese whatever language its drafter reads).
LEVEL_WORDS = {"blue": ("蓝色", "blue"), "yellow": ("黄色", "yellow"), "orange": ("橙色", "orange"),
               "red": ("红色", "red")}
TYPE_WORDS = {PointType.LANDSLIDE: ("滑坡", "landslide"), PointType.DEBRIS_FLOW: ("泥石流", "debris flow"),
              PointType.COLLAPSE: ("崩塌", "rockfall"), PointType.SUBSIDENCE: ("地面塌陷", "ground subsidence"),
              PointType.FLASH_FLOOD: ("山洪", "flash flood")}
KIND_WORDS = {ReadingKind.RAIN: ("降雨量", "rainfall", "毫米", "mm"),
              ReadingKind.DISPLACEMENT: ("位移", "displacement", "毫米", "mm"),
              ReadingKind.CRACK: ("裂缝宽度", "crack width", "毫米", "mm"),
              ReadingKind.WATER_LEVEL: ("水位", "water level", "米", "m")}


def rank(level: str) -> int:
    return LEVEL_RANK.get(level, 0)


def _measured(cause, reading) -> tuple[str, str]:
    """What reached the level, in Chinese and English."""
    if cause is None:
        return "监测数据达到预警阈值", "the readings reached a warning threshold"
    zh, en, unit_zh, unit_en = KIND_WORDS.get(cause.kind, (cause.kind, cause.kind, "", ""))
    value, threshold = f"{cause.value:g}", f"{cause.threshold:g}"
    if cause.window_hours == 0:
        return (f"{zh}{value}{unit_zh}，达到阈值{threshold}{unit_zh}",
                f"{en} {value} {unit_en}, at or above the threshold of {threshold} {unit_en}")
    if cause.kind == ReadingKind.RAIN:
        return (f"{cause.window_hours}小时累计{zh}{value}{unit_zh}，达到阈值{threshold}{unit_zh}",
                f"{en} of {value} {unit_en} over {cause.window_hours} h, at or above the threshold of "
                f"{threshold} {unit_en}")
    return (f"{cause.window_hours}小时内{zh}变化{value}{unit_zh}，达到阈值{threshold}{unit_zh}",
            f"{en} changed by {value} {unit_en} over {cause.window_hours} h, at or above the threshold of "
            f"{threshold} {unit_en}")


def texts(point: MonitoringPoint, level: str, cause=None, reading: Reading | None = None,
          now: datetime | None = None) -> dict:
    """The draft's headline, description and instruction in Chinese and English."""
    level_zh, level_en = LEVEL_WORDS.get(level, (level, level))
    type_zh, type_en = TYPE_WORDS.get(point.type, (point.type, point.type))
    measured_zh, measured_en = _measured(cause, reading)
    moment = reading.measured_at if reading is not None else now
    when = moment.astimezone(LOCAL) if moment is not None else None
    when_zh = f"截至{when:%Y年%m月%d日%H时%M分}，" if when else ""
    when_en = f"As of {when:%Y-%m-%d %H:%M} (UTC+8), " if when else ""
    shelter_zh = f"沿避险明白卡所示路线转移至{point.shelter_name}" if point.shelter_name else "按避险明白卡所示路线转移"
    shelter_en = (f"along the route on their evacuation card to {point.shelter_name}" if point.shelter_name
                  else "along the route on their evacuation card")
    return {
        "headline": f"{point.name}（{point.code}）地质灾害{level_zh}预警"[:200],
        "headline_en": f"{level_en.capitalize()} geo-hazard warning: {type_en} point {point.code}"[:200],
        "description": (f"{when_zh}{point.name}（{point.code}，{type_zh}）监测点{measured_zh}，"
                        f"达到地质灾害{level_zh}预警等级。该点威胁{point.households}户{point.people}人。"),
        "description_en": (f"{when_en}the {type_en} monitoring point {point.name} ({point.code}) measured "
                           f"{measured_en}: the {level_en} warning level. The point threatens {point.households} "
                           f"households, {point.people} people."),
        "instruction": (f"请监测员{point.monitor_name}立即加密巡查，发出预警信号"
                        f"{('（' + point.warning_signal + '）') if point.warning_signal else ''}，"
                        f"组织受威胁群众{shelter_zh}。"),
        "instruction_en": (f"The monitor is to patrol the point at once, raise the alarm and lead the threatened "
                           f"people {shelter_en}."),
    }


def warning_in_the_works(point: MonitoringPoint, level: str) -> Warning | None:
    """A warning for ``point`` at ``level`` or higher that is a draft, approved or issued."""
    for warning in Warning.objects.filter(points=point, status__in=IN_THE_WORKS).order_by("-pk"):
        if rank(warning.level) >= rank(level):
            return warning
    return None


@transaction.atomic
def draft_from_reading(point: MonitoringPoint, new_level: str, old_level: str, reading: Reading | None,
                       now: datetime, *, cause=None) -> Warning | None:
    """Told of every change of a point's level (``readings.refresh_level``): when it rose to a
    level, draft a warning (status draft, origin readings, the point's hazard type, its area the
    point's village or grid, the point on it, no polygon yet) with its "drafted" log entry, unless
    a warning for the point at that level or higher is in the works (see the module's docstring).
    ``cause``: what reached the level (``readings.Cause``), named in the texts. Returns the draft,
    or None."""
    if not new_level or rank(new_level) <= rank(old_level or ""):
        return None
    if warning_in_the_works(point, new_level) is not None:
        return None
    words = texts(point, new_level, cause, reading, now)
    warning = Warning.objects.create(
        level=new_level, status=WarningStatus.DRAFT, origin=WarningOrigin.READINGS, hazard_type=point.type,
        area=point.region, polygon=[], trigger=reading if reading is not None and reading.pk else None,
        drafted_at=now, onset_at=now, **words)
    warning.points.set([point])
    WarningLog.objects.create(warning=warning, code=WarningEvent.DRAFTED, at=now,
                              note=f"{point.code}: {old_level or '—'} → {new_level}")
    return warning
