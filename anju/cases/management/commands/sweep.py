import time

from django.core.management.base import BaseCommand

from anju.cases.services import run_sweep


class Command(BaseCommand):
    help = "Run the deadline sweep once: warn before deadlines, mark overdue cases, escalate."

    def handle(self, **options):
        started = time.perf_counter()
        looked = run_sweep()
        self.stdout.write(f"sweep looked at {looked} case(s) in {time.perf_counter() - started:.2f} s")
