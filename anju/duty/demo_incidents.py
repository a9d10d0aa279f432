"""The demo county's incidents: one at each point of its reporting, built through the services at
moments around now, so that the pages show reports in time and late, forwarded and signed for,
one owed now and one overdue (the worker's sweep escalates it), and one closed by its final
report."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.cases.models import Case
from anju.duty import incidents as services
from anju.duty.models import Forward, Incident, ReportingLine
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.people.choices import Role
from anju.people.models import Office, User

EMERGENCY_SUFFIX = "-yjj"
UPWARD = "重庆市应急管理局总值班室"


def _county_office() -> Office | None:
    return Office.objects.filter(code__endswith=EMERGENCY_SUFFIX, jurisdiction__level=Level.COUNTY).first()


def _handler(office: Office) -> User | None:
    return (User.objects.filter(is_active=True).filter(Q(office=office) | Q(roles__office=office))
            .filter(roles__role__in=[Role.HANDLER, Role.DISPATCHER, Role.SUPERVISOR]).distinct()
            .order_by("username").first())


def build_incidents(now: datetime | None = None) -> dict[str, int]:
    """The reporting lines (each township's office to the county's emergency bureau, the bureau to
    the city's duty room) and five incidents; how many of each kind it built."""
    now = now or timezone.now()
    county_office = _county_office()
    if county_office is None:
        return {}
    townships = list(Office.objects.filter(kind="township", jurisdiction__level=Level.TOWNSHIP,
                                           is_active=True).order_by("code"))
    for office in townships:
        ReportingLine.objects.get_or_create(office=office, defaults={"up_office": county_office})
    ReportingLine.objects.get_or_create(office=county_office, defaults={"up_name": UPWARD})
    county_officer = _handler(county_office)
    handled = [(office, _handler(office)) for office in townships]
    handled = [(office, user) for office, user in handled if user is not None]
    if county_officer is None or not handled:
        return {}

    def opened(office, user, type_, grade, text, known, minutes_before=15):
        village = Region.objects.filter(level=Level.VILLAGE, path__startswith=office.jurisdiction.path).order_by(
            "code").first() or office.jurisdiction
        case, _created = services.open_incident(user, services.NewIncident(
            type=type_, grade=grade, text=text, occurred_at=known - timedelta(minutes=minutes_before), known_at=known,
            region_code=village.code, address=village.name, office=office.code), now=known, synthetic=True)
        return case

    def report(user, case, kind, channel, text, at, **figures):
        services.make_report(user, case, services.NewReport(kind=kind, channel=channel, text=text, **figures), now=at)

    def forward(user, case, number, at, received_at=None):
        made = services.forward_report(user, case, number, channel="phone" if number == 1 else "written", now=at)
        if received_at is not None and made.to_office_id:
            services.receive_forward(county_officer, case, made.pk, now=received_at)

    (first_office, first), (second_office, second), (third_office, third) = (handled * 3)[:3]
    # Closed: a landslide nine days ago, reported in time and forwarded at every step.
    known = now - timedelta(days=9, hours=3)
    case = opened(first_office, first, "natural", "larger", "强降雨引发山体滑坡，冲毁村道约30米，2户民房受威胁",
                  known, 25)
    report(first, case, "first", "phone", "山体滑坡冲毁村道，暂无人员伤亡，已疏散2户7人", known + timedelta(minutes=20))
    forward(first, case, 1, known + timedelta(minutes=25), known + timedelta(minutes=32))
    report(first, case, "first", "written", "书面首报：滑坡体约1500立方米，村道中断，已设警戒，2户7人转移安置",
           known + timedelta(minutes=95))
    forward(first, case, 2, known + timedelta(minutes=100), known + timedelta(minutes=130))
    report(first, case, "follow_up", "written", "续报：抢通便道，受威胁群众在安置点生活正常",
           known + timedelta(hours=20), losses="12.5")
    forward(first, case, 3, known + timedelta(hours=20, minutes=10), known + timedelta(hours=21))
    report(first, case, "final", "written", "终报：村道已抢通，无人员伤亡，直接经济损失约18万元，转入灾后重建",
           known + timedelta(days=1, hours=16), losses="18")
    forward(first, case, 4, known + timedelta(days=1, hours=16, minutes=30), known + timedelta(days=1, hours=17))

    # Late: a road accident three days ago; the written first report came late and escalated.
    known = now - timedelta(days=3, hours=5)
    case = opened(second_office, second, "accident", "major", "国道一客车与货车相撞，多人受伤被困", known, 10)
    report(second, case, "first", "phone", "客车与货车相撞，初步了解3人受伤、1人被困，已调派救援力量",
           known + timedelta(minutes=18), injured=3, missing=1)
    forward(second, case, 1, known + timedelta(minutes=22), known + timedelta(minutes=26))
    report(second, case, "first", "written", "书面首报：事故造成1人死亡、5人受伤，伤员已送县人民医院救治",
           known + timedelta(minutes=85), deaths=1, injured=5)
    forward(second, case, 2, known + timedelta(minutes=90))
    last = known + timedelta(days=2, hours=20)
    report(second, case, "follow_up", "written", "续报：5名伤员病情稳定，道路已恢复通行，事故原因正在调查",
           last, deaths=1, injured=5)

    # Reporting now: a fire forty minutes ago, the phone report made, the written one owed.
    known = now - timedelta(minutes=40)
    case = opened(third_office, third, "accident", "general", "一处民房起火，火势已得到控制", known, 5)
    report(third, case, "first", "phone", "民房起火，无人员被困，消防救援站已到场处置", known + timedelta(minutes=25))

    # Overdue: a suspected food poisoning reported three hours ago, nothing written yet.
    known = now - timedelta(hours=3)
    opened(first_office, first, "health", "larger", "一所小学多名学生午餐后出现呕吐、腹痛症状，疑似食物中毒", known, 40)

    # Just received at the county's duty office: nothing reported yet.
    known = now - timedelta(minutes=8)
    opened(county_office, county_officer, "social", "general", "县城步行街一商户门前发生聚集，约30人，情绪平稳",
           known, 5)
    return {"incidents": Incident.objects.count(), "open": Incident.objects.filter(closed_at__isnull=True).count(),
            "forwards": Forward.objects.count()}


def run_demo(seed: int = 0) -> tuple[str, list[str]]:
    """The incidents' part of the module's demo: build it, and the lines of its summary."""
    if ReportingLine.objects.exists():
        return _("Incidents: already there, nothing added."), []
    counts = build_incidents()
    if not counts:
        return _("Incidents: no township offices with staff to keep them, nothing added."), []
    late = Case.objects.filter(kind="incident", incident__reports__late=True).distinct().count()
    return _("incidents: reports on the clock, forwarded up and signed for"), [
        _("Incidents (synthetic): %(incidents)d, %(open)d still reporting, %(late)d with a late report; "
          "%(forwards)d reports forwarded up a level") % {**counts, "late": late}]
