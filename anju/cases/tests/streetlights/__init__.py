"""A tiny domain module written only to prove that a module plugs in through the registry and
touches no core file (docs/adding-a-module.md): street lights out (路灯故障), a case kind of its
own that is resolved only by recording the lamp replaced, one timeline event, one sweep and one
API route. The suite installs it through ``ANJU_MODULES`` in a run of its own
(``test_example_module.py``)."""
