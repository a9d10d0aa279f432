"""Rain at a point crossing blue, then orange, then falling back, on a frozen clock: the level at
each moment, the point's level now, and a warning drafted exactly once per rise (not on the
fall, not again while one at that level is in the works); a late reading changes the past
levels it falls in and drafts nothing unless the level now changes."""

from anju.conftest import at
from anju.warnings import readings
from anju.warnings.choices import Level, ReadingKind, WarningEvent, WarningOrigin, WarningStatus
from anju.warnings.models import Warning, WarningLog
from anju.warnings.readings import NewReading


def rain(points, clock, hour, mm, *, day=10):
    """The gauge posts ``mm`` for the hour ending at ``hour`` o'clock, at that moment."""
    moment = at(2026, 7, day, hour)
    clock.set(moment)
    return readings.record_readings(points.slope, [NewReading(ReadingKind.RAIN, mm, moment)], device=points.gauge)


def level_now(points):
    points.slope.refresh_from_db()
    return points.slope.level


def test_rain_crossing_blue_then_orange_then_falling_back(points, warnings_clock):
    rain(points, warnings_clock, 8, 10)
    assert level_now(points) == "" and Warning.objects.count() == 0
    rain(points, warnings_clock, 9, 22)  # 1 h: 22 mm ≥ 20
    assert level_now(points) == Level.BLUE
    assert points.slope.level_since == at(2026, 7, 10, 9)
    blue = Warning.objects.get()
    assert (blue.level, blue.status, blue.origin, blue.hazard_type) == (
        Level.BLUE, WarningStatus.DRAFT, WarningOrigin.READINGS, "landslide")
    assert blue.area == points.slope.region and list(blue.points.all()) == [points.slope]
    assert blue.polygon == [] and blue.trigger.value == 22
    assert "土城滑坡" in blue.headline and "蓝色" in blue.headline and "Blue" in blue.headline_en
    assert "1小时累计降雨量22毫米" in blue.description and "20毫米" in blue.description
    assert "22 mm over 1 h" in blue.description_en
    assert list(WarningLog.objects.filter(warning=blue).values_list("code", flat=True)) == [WarningEvent.DRAFTED]

    rain(points, warnings_clock, 10, 15)  # 1 h: 15; 3 h: 47 ≥ 40: still blue
    assert level_now(points) == Level.BLUE and Warning.objects.count() == 1
    rain(points, warnings_clock, 11, 42)  # 1 h: 42 ≥ 40: orange
    assert level_now(points) == Level.ORANGE
    orange = Warning.objects.exclude(pk=blue.pk).get()
    assert orange.level == Level.ORANGE and "橙色" in orange.headline and "42" in orange.description
    rain(points, warnings_clock, 12, 5)  # 3 h: 62 ≥ 60, 24 h: 94 ≥ 80: yellow
    assert level_now(points) == Level.YELLOW
    rain(points, warnings_clock, 13, 0)
    assert level_now(points) == Level.YELLOW  # 24 h: 94 mm
    assert Warning.objects.count() == 2  # nothing drafted on the way down

    # A day later the windows are empty: the sweep lets the level fall to nothing.
    warnings_clock.set(at(2026, 7, 11, 14))
    readings.sweep_levels()
    assert level_now(points) == ""
    # Rain again the next morning: blue again, but the blue draft is still in the works.
    rain(points, warnings_clock, 8, 25, day=12)
    assert level_now(points) == Level.BLUE and Warning.objects.count() == 2

    # The levels of the past, read from the readings by their times.
    assert [readings.level_at(points.slope, at(2026, 7, 10, h)) for h in (8, 9, 10, 11, 12, 13)] == [
        "", Level.BLUE, Level.BLUE, Level.ORANGE, Level.YELLOW, Level.YELLOW]


def test_a_rise_over_an_issued_warning_at_that_level_drafts_nothing(points, warnings_clock):
    rain(points, warnings_clock, 8, 45)  # orange straight away
    warning = Warning.objects.get()
    Warning.objects.filter(pk=warning.pk).update(status=WarningStatus.ISSUED)
    rain(points, warnings_clock, 9, 0)  # 1 h: 0; 3 h: 45: blue
    assert level_now(points) == Level.BLUE
    rain(points, warnings_clock, 10, 41)  # orange again
    assert level_now(points) == Level.ORANGE and Warning.objects.count() == 1
    rain(points, warnings_clock, 11, 60)  # red: above the warning out
    assert level_now(points) == Level.RED
    assert list(Warning.objects.order_by("pk").values_list("level", flat=True)) == [Level.ORANGE, Level.RED]
    # Once the warning is cancelled, a new rise drafts again.
    Warning.objects.update(status=WarningStatus.CANCELLED)
    warnings_clock.set(at(2026, 7, 12, 8))
    readings.sweep_levels()
    rain(points, warnings_clock, 9, 21, day=12)
    assert level_now(points) == Level.BLUE and Warning.objects.filter(status=WarningStatus.DRAFT).count() == 1


def test_a_late_reading_changes_the_past_and_drafts_only_when_now_changes(points, warnings_clock):
    for hour in (8, 9, 10, 11):
        rain(points, warnings_clock, hour, 5)
    warnings_clock.set(at(2026, 7, 10, 11, 30))
    # The monitor's own gauge, read by hand at 08:30 and entered late: 25 mm.
    late = readings.record_readings(points.slope, [NewReading(ReadingKind.RAIN, 25, at(2026, 7, 10, 8, 30))],
                                    actor=points.monitor)
    assert late[0].created
    # The hour ending 09:00 held 25 mm by hand (the device's 5 is the smaller measure): blue then;
    # by 11:30 that reading has left every window but the day's (25 mm < 50): nothing now.
    assert readings.level_at(points.slope, at(2026, 7, 10, 9)) == Level.BLUE
    assert readings.level_at(points.slope, at(2026, 7, 10, 8)) == ""
    assert level_now(points) == "" and Warning.objects.count() == 0
    # A late reading that does change now: the device's buffered 11:30 reading (5 + 16 in the hour).
    readings.record_readings(points.slope, [NewReading(ReadingKind.RAIN, 16, at(2026, 7, 10, 11, 30))],
                             device=points.gauge)
    assert level_now(points) == Level.BLUE and Warning.objects.count() == 1


def test_a_points_own_rules_stand_in_for_the_areas(points, warnings_clock, people):
    from anju.warnings import rules

    rules.create_rule(people.admin, rules.NewRule(kind=ReadingKind.RAIN, window_hours=1, level=Level.RED,
                                                  threshold=15, point=points.slope.pk))
    in_force = readings.rules_in_force(points.slope)
    assert [(r.level, r.threshold) for r in in_force[(ReadingKind.RAIN, 1)]] == [(Level.RED, 15)]
    assert len(in_force[(ReadingKind.RAIN, 24)]) == 4
    rain(points, warnings_clock, 8, 16)
    assert level_now(points) == Level.RED
    points.gully.refresh_from_db()
    assert readings.rules_in_force(points.gully)[(ReadingKind.RAIN, 1)][0].threshold == 20
