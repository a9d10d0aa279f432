"""``anju bench``: build a fresh database with N synthetic cases and measure intake, raw
inserts, the daily list queries and the sweep (``anju.bench.runner``); ``anju bench open311``:
Open311 POST and single-request GET throughput through ``anju serve`` (``anju.bench.open311``).
See docs/benchmarks.md."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from anju.bench import open311, redaction, runner


class Command(BaseCommand):
    help = (
        "Benchmark: build a FRESH database (SQLite: a new file in a temporary directory or --dir; "
        "PostgreSQL: the database --db-name, dropped and created again) with N synthetic cases, then measure "
        "intake through the services, the raw single-row insert rate, the inbox / overdue / filtered list "
        "queries (p50/p95) and the deadline sweep. The configured database is never touched; the bench "
        "database is left in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("suite", nargs="?", default="cases", choices=["cases", "open311", "redact"],
                            help="cases (default): the case table and its queries; open311: Open311 POST and "
                                 "single-request GET throughput through `anju serve` with one worker "
                                 "(--cases bulk cases first, then --requests of each, --warmup untimed); "
                                 "redact: the redactor on the test suite's fixed corpus, what it hides and "
                                 "its time per text (--repeat passes)")
        parser.add_argument("--requests", type=int, default=500, help="open311: timed requests of each kind")
        parser.add_argument("--cases", type=int, default=runner.DEFAULT_CASES,
                            help=f"bulk-loaded cases (default {runner.DEFAULT_CASES:,})")
        parser.add_argument("--sample", type=int, default=runner.DEFAULT_SAMPLE,
                            help=f"cases registered through services.create_case (default {runner.DEFAULT_SAMPLE:,})")
        parser.add_argument("--repeat", type=int, default=runner.DEFAULT_REPEAT,
                            help=f"timed runs of each query (default {runner.DEFAULT_REPEAT})")
        parser.add_argument("--warmup", type=int, default=runner.DEFAULT_WARMUP,
                            help=f"untimed runs of each query first (default {runner.DEFAULT_WARMUP})")
        parser.add_argument("--batch", type=int, default=runner.DEFAULT_BATCH,
                            help=f"cases per bulk_create transaction (default {runner.DEFAULT_BATCH:,})")
        parser.add_argument("--seed", type=int, default=runner.build.DEFAULT_SEED, help="random seed")
        parser.add_argument("--dir", default="", help="SQLite: directory for the bench database (default: a new "
                                                      "temporary directory)")
        parser.add_argument("--db-name", default=runner.DEFAULT_PG_NAME,
                            help=f"PostgreSQL: name of the bench database, dropped first (default "
                                 f"{runner.DEFAULT_PG_NAME}; must contain 'bench')")
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
        parser.add_argument("--explain", action="store_true", help="also print the query plans in the table")

    def handle(self, *args, **options):
        if options["suite"] == "open311":
            self.handle_open311(options)
            return
        if options["suite"] == "redact":
            times = redaction.timing(options["repeat"])  # first: it times loading the segmenter
            figures = redaction.measure()
            self.stdout.write(json.dumps({**figures, **times}, ensure_ascii=False, indent=2) if options["json"]
                              else redaction.format_table(figures, times))
            return
        config = runner.BenchConfig(
            cases=options["cases"], sample=options["sample"], repeat=options["repeat"], warmup=options["warmup"],
            batch=options["batch"], seed=options["seed"], directory=options["dir"], db_name=options["db_name"],
            command=list(sys.argv),
        )
        try:
            result = runner.run(config, stream=sys.stderr)
        except runner.BenchError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(runner.format_table(result, explain=options["explain"]))

    def handle_open311(self, options):
        config = open311.Open311BenchConfig(
            cases=options["cases"], requests=options["requests"], warmup=options["warmup"], seed=options["seed"],
            directory=options["dir"], db_name=options["db_name"], command=list(sys.argv),
        )
        try:
            result = open311.run(config, stream=sys.stderr)
        except runner.BenchError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(open311.format_table(result))
