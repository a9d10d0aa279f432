import time

from django.core.management.base import BaseCommand

from anju.cases.sweep import run_all_sweeps


class Command(BaseCommand):
    help = ("Run the deadline sweep once: warn before deadlines, mark overdue cases, escalate; and every "
            "registered module's sweep (screening reports ...).")

    def handle(self, **options):
        started = time.perf_counter()
        looked = run_all_sweeps()
        counts = " and ".join(f"{n} {noun}" for noun, n in looked.items())
        self.stdout.write(f"sweep looked at {counts} in {time.perf_counter() - started:.2f} s")
