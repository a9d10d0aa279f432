from anju.geo.management.importing import ImportCommand
from anju.geo.services import import_grids


class Command(ImportCommand):
    help = "Import grids from a file (all or nothing; problems are reported by line or feature number)."
    noun = "grids"
    importer = staticmethod(import_grids)
