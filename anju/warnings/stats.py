"""The module's indicators for the scorecards (filled in by the warnings work)."""

INDICATORS = []
