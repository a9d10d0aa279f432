import time

from django.core.management.base import BaseCommand

from anju.cases.services import run_sweep
from anju.disputes.services import sweep_screening_reports


class Command(BaseCommand):
    help = "Run the deadline sweep once: warn before deadlines, mark overdue cases, escalate."

    def handle(self, **options):
        started = time.perf_counter()
        looked = run_sweep()
        reports = sweep_screening_reports()
        self.stdout.write(f"sweep looked at {looked} case(s) and {reports} screening report(s) "
                          f"in {time.perf_counter() - started:.2f} s")
