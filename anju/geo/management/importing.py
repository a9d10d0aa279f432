from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anju.geo.services import ImportFailed


class ImportCommand(BaseCommand):
    """Run one of the all-or-nothing importers on a file and report each problem by its
    line (or feature) number."""

    noun = ""
    # The service that imports the file's text and returns how many new rows it made.
    importer: Callable[[str], int]

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, path, **options):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            count = self.importer(text)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"import failed with {len(failed.problems)} problem(s); nothing was changed") from None
        self.stdout.write(f"imported {count} new {self.noun}")
