"""The four levels' policies as the module ships them, for administrators to edit: CAP urgency,
severity and certainty, the role that approves a warning of the level, and the minutes to
acknowledge."""

from django.db import migrations

POLICIES = [
    ("red", "Immediate", "Extreme", "Likely", "leader", 10),
    ("orange", "Expected", "Severe", "Likely", "leader", 15),
    ("yellow", "Expected", "Moderate", "Possible", "supervisor", 30),
    ("blue", "Future", "Minor", "Possible", "supervisor", 60),
]


def add_policies(apps, schema_editor):
    LevelPolicy = apps.get_model("warnings", "LevelPolicy")
    for level, urgency, severity, certainty, approver_role, ack_minutes in POLICIES:
        LevelPolicy.objects.get_or_create(level=level, defaults={
            "urgency": urgency, "severity": severity, "certainty": certainty, "approver_role": approver_role,
            "ack_minutes": ack_minutes, "expires_hours": 24})


class Migration(migrations.Migration):
    dependencies = [("warnings", "0001_initial")]
    operations = [migrations.RunPython(add_policies, migrations.RunPython.noop)]
