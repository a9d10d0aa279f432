import random
import time
import unicodedata
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anju.cases import modules
from anju.cases.choices import ExtensionStatus, Status
from anju.cases.models import Case, Category, ExtensionRequest, RoutingRule, SupervisionNotice
from anju.cases.sweep import run_all_sweeps
from anju.demo import build
from anju.demo.catalogue import COUNTY_CODE
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.open311.demo import DEMO_KEY, seed_demo
from anju.people.models import Office, User


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = (
        "Load the demo county 城口县 (500229): its real townships and villages, invented grids, offices, "
        "categories, routing rules, deadline policies and staff, and a year of synthetic cases played "
        "through the case services. Does nothing if the county is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=5000, help="how many synthetic cases (default 5000)")
        parser.add_argument("--seed", type=int, default=build.DEFAULT_SEED, help="random seed (default 500229)")

    def handle(self, *args, cases: int, seed: int, **options):
        if cases < 0:
            raise CommandError("--cases must not be negative")
        if Region.objects.filter(code=COUNTY_CODE).exists():
            count = Case.objects.filter(is_synthetic=True).count()
            self.stdout.write(f"The demo county 城口县 ({COUNTY_CODE}) is already loaded ({count} synthetic cases).")
            seed_demo()
            self._accounts()
            return

        started = time.perf_counter()
        self.stdout.write(f"Loading the demo county 城口县 ({COUNTY_CODE}), seed {seed} …")
        build.build_registers(seed)
        seed_demo()
        levels = {level: Region.objects.filter(level=level).count() for level in Level.values}
        self.stdout.write(
            f"  regions: {levels['county']} county, {levels['township']} townships, {levels['village']} villages, "
            f"{levels['grid']} grids; {Office.objects.count()} offices; {Category.objects.count()} categories; "
            f"{RoutingRule.objects.count()} routing rules; {User.objects.count()} users "
            f"({time.perf_counter() - started:.1f} s)"
        )

        self.stdout.write(f"Playing the history of {cases} synthetic cases over the last twelve months …")
        # Synthetic cases never notify anyone (their reporters are made up).
        stats = build.generate_cases(cases, random.Random(seed), self.stdout)
        # Every registered module's demo: its showcase, built through its services, and the lines
        # of its summary, printed after the cases' (``modules.Module.demo``).
        summaries = []
        for build_module_demo in modules.demo_builders():
            module_started = time.perf_counter()
            done, summary = build_module_demo(seed=seed)
            self.stdout.write(f"  {done} in {time.perf_counter() - module_started:.1f} s")
            summaries.append(summary)
        sweep_started = time.perf_counter()
        looked = run_all_sweeps()
        self.stdout.write(f"  deadline sweep looked at {looked['case(s)']} case(s) in "
                          f"{time.perf_counter() - sweep_started:.1f} s")

        self._summary(stats)
        for summary in summaries:
            for line in summary:
                self.stdout.write(line)
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")
        self._accounts()

    def _summary(self, stats):
        now = timezone.now()
        synthetic = Case.objects.filter(is_synthetic=True)
        self.stdout.write("")
        self.stdout.write(f"Synthetic cases (is_synthetic=True, invented for the demo): {synthetic.count()}")
        for status, count in build.status_counts().items():
            self.stdout.write(f"  {status:<12} {_pad(str(Status(status).label), 34)} {count:>6}")
        open_cases = synthetic.open()
        self.stdout.write(
            f"  open and overdue now: {open_cases.filter(due_at__lt=now).count()}; "
            f"rejected: {stats['rejected']}; returned: {stats['returned']}; transferred: {stats['transferred']}; "
            f"merged: {stats['merged']}; reopened: {stats['reopened']}; waited for reporter: {stats['waited']}"
        )
        extensions = Counter(ExtensionRequest.objects.filter(case__is_synthetic=True).values_list("status", flat=True))
        self.stdout.write(
            f"  extension requests: {extensions.total()} "
            f"(approved {extensions[ExtensionStatus.APPROVED]}, denied {extensions[ExtensionStatus.DENIED]}); "
            f"supervision notices: {SupervisionNotice.objects.filter(case__is_synthetic=True).count()}"
        )
        self.stdout.write("  Notifications to the (fake) reporters of synthetic cases are never delivered.")

    def _accounts(self):
        rows = [("username", "password", "role", "scope")] + build.account_rows()
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Demo accounts (synthetic data only; change or remove before any real use):")
        for row in rows:
            self.stdout.write("  " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
        self.stdout.write(f"Open311 GeoReport v2: /open311/v2/ with the demo application's key {DEMO_KEY}")
