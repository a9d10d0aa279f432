from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anju.geo.services import ImportFailed, import_regions


class Command(BaseCommand):
    help = "Import regions from a file (all or nothing; problems are reported by line or feature number)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, path, **options):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            count = import_regions(text)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"import failed with {len(failed.problems)} problem(s); nothing was changed") from None
        self.stdout.write(f"imported {count} new regions")
