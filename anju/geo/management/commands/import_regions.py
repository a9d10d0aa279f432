from anju.geo.management.importing import ImportCommand
from anju.geo.services import import_regions


class Command(ImportCommand):
    help = "Import regions from a file (all or nothing; problems are reported by line or feature number)."
    noun = "regions"
    importer = staticmethod(import_regions)
