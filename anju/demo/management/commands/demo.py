import random
import time
import unicodedata
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anju.cases.choices import ExtensionStatus, Status
from anju.cases.models import Case, Category, ExtensionRequest, RoutingRule, SupervisionNotice
from anju.cases.services import run_sweep
from anju.demo import build
from anju.demo import disputes as demo_disputes
from anju.demo import petitions as demo_petitions
from anju.demo.catalogue import COUNTY_CODE
from anju.disputes.choices import Outcome
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
        disputes_started = time.perf_counter()
        disputes = demo_disputes.build_disputes(seed=seed)
        self.stdout.write(f"  disputes: showcase and screening rounds in {time.perf_counter() - disputes_started:.1f} s"
                          )
        petitions_started = time.perf_counter()
        petitions = demo_petitions.build_petitions(seed=seed)
        self.stdout.write(f"  petitions: showcase and reception days in {time.perf_counter() - petitions_started:.1f} s"
                          )
        sweep_started = time.perf_counter()
        looked = run_sweep()
        self.stdout.write(f"  deadline sweep looked at {looked} case(s) in {time.perf_counter() - sweep_started:.1f} s")

        self._summary(stats)
        self._disputes(disputes)
        self._petitions(petitions)
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

    def _disputes(self, counts):
        self.stdout.write(
            f"Disputes (synthetic): {counts['disputes']}, of them {counts['showcase']} in 葛城街道 for the demo "
            f"mediator in every state and {counts['found_by_screening']} found by screening rounds"
        )
        outcomes = ", ".join(f"{Outcome(key.split(':', 1)[1]).label if key != 'outcome:open' else 'open'} {n}"
                             for key, n in sorted(counts.items()) if key.startswith("outcome:"))
        self.stdout.write(f"  outcomes: {outcomes}")
        self.stdout.write(
            f"  follow-up visits: {counts['visit:done']} done, {counts['visit:planned']} planned "
            f"({counts['visit:due']} due), {counts['visit:cancelled']} cancelled; transfers: "
            f"{counts['transfer:accepted']} accepted, {counts['transfer:returned']} returned, "
            f"{counts['transfer:pending']} waiting; judicial confirmation: {counts['judicial:sought']} applied for, "
            f"{counts['judicial:confirmed']} confirmed"
        )
        self.stdout.write(
            f"  screening: this month's round {counts['round:current:submitted']} grids reported, "
            f"{counts['round:current:owed']} still owe; last month's (closed) {counts['round:closed:submitted']} "
            f"reported, {counts['round:closed:owed']} never did"
        )

    def _petitions(self, counts):
        self.stdout.write(
            f"Petitions (synthetic): {counts['petitions']}, of them {counts['showcase']} in 葛城街道 in every state; "
            f"{counts['level:review']} reviews and {counts['level:reexamination']} re-examinations "
            f"({counts['hearings']} hearings), {counts['concluded']} answered as concluded"
        )
        self.stdout.write(
            f"  not yet routed {counts['not_routed']}, waiting for acceptance {counts['waiting']}, objected "
            f"{counts['objected']}, not accepted {counts['notice:non_acceptance']}, being handled "
            f"{counts['status:in_progress']} (overdue {counts['overdue']}), extended {counts['extended']}; answered: "
            f"supported {counts['decision:support']}, explained {counts['decision:explain']}, not supported "
            f"{counts['decision:not_support']}, upheld {counts['decision:upheld']}, changed "
            f"{counts['decision:changed']} ({counts['posted_received']} posted with the day of receipt)"
        )
        self.stdout.write(
            f"  about a township office {counts['about_office']} (reports of wrongdoing {counts['wrongdoing']}), group "
            f"petitions {counts['group']}; leaders in charge {counts['leader:all']} (the demo leader "
            f"{counts['leader:demo']}, {counts['leader:demo_open']} open)"
        )
        self.stdout.write(
            f"  reception days: {counts['days:past']} held, {counts['days:upcoming']} coming; "
            f"{counts['bookings:received']} received ({counts['receptions:in_charge']} taken in charge there), "
            f"{counts['bookings:upcoming']} booked ahead; booked online {counts['bookings:online']}, at the counter "
            f"{counts['bookings:counter']}"
        )

    def _accounts(self):
        rows = [("username", "password", "role", "scope")] + build.account_rows()
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Demo accounts (synthetic data only; change or remove before any real use):")
        for row in rows:
            self.stdout.write("  " + "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
        self.stdout.write(f"Open311 GeoReport v2: /open311/v2/ with the demo application's key {DEMO_KEY}")
