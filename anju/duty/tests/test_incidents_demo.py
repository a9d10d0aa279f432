"""The demo's incidents, built on the test county: one at each point of its reporting."""

from anju.conftest import user_with_roles
from anju.duty import demo_incidents
from anju.duty.models import Forward, Incident, IncidentReport, ReportingLine
from anju.people.models import Office


def test_the_demo_builds_incidents_at_every_point_of_their_reporting(people, county):
    bureau = Office.objects.create(code="500229-yjj", name="县应急管理局", kind="department",
                                   jurisdiction=county.county)
    user_with_roles("handler-yjj", bureau, handler=[(None, bureau)])
    label, lines = demo_incidents.run_demo()
    assert lines and "5" in lines[0]
    incidents = list(Incident.objects.all())
    assert len(incidents) == 5 and all(i.case.is_synthetic for i in incidents)
    assert sum(1 for i in incidents if i.closed_at) == 1
    assert IncidentReport.objects.filter(late=True).exists()
    owed = {i.owed for i in incidents if i.closed_at is None}
    assert owed >= {"first_phone", "first_written", "follow_up"}
    assert Forward.objects.filter(received_at__isnull=False).exists()
    assert Forward.objects.filter(received_at__isnull=True, to_office__isnull=False).exists()
    assert ReportingLine.objects.get(office=bureau).up_name
    assert demo_incidents.run_demo()[1] == []
