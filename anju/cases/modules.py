"""The module registry: how a domain module plugs into the core without the core naming it.

A domain module (mediation, letters and visits under the 信访工作条例, and those to come) is a
Django app that calls ``register(Module(...))`` from its ``AppConfig.ready``. It declares:

- the case kinds it owns (``CaseKind``): the core actions only it may take on them and why the
  core refuses them, whether only its own intake registers them, whether grid workers reach them,
  whether they may ever be shown in public, whether the office owning a confidential case still
  reaches its people, its page for a case, its part of ``/track``, and the hooks through which it
  vetoes a core action or hears that a case was reopened;
- its timeline event codes (``EventCode``) with their labels, whether each is public, and the
  words a notification uses for it;
- its sweeps (deadline work run by the one periodic sweep), its API routers, its URLs, its
  navigation entries, the indicators it offers to the scorecards, and its demo builder.

The core, ``web``, ``notify``, the API root, the URL root and the demo iterate the registry.
Kinds and event codes are not database choices: they are validated and labelled here, so a new
module adds no migration to ``cases``. ``docs/adding-a-module.md`` is the checklist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from anju.cases.choices import Action, Kind


@dataclass(frozen=True)
class CaseKind:
    """A case kind a module owns.

    ``module_actions`` are core lifecycle actions (``Action`` codes) that the core refuses for
    this kind, with ``refusal`` as the reason, because the module takes them itself through the
    core's module API. ``check_action(case, actor, action)`` may refuse any other core action by
    raising ``ServiceError`` (the one veto path). ``on_reopened(case, actor, now)`` runs inside the
    transaction of every reopening. ``track_part(request, case, **forms)`` returns the context of
    the kind's part of ``/track`` (its ``template`` and ``stylesheet`` name what to include, its
    ``status_words`` replace the core's); ``resident_label(event)`` rewords a timeline entry for
    the resident (None keeps the core's words); ``reopen_refusal`` says why a resident may not
    reopen such a case as "not solved". ``detail_url`` names a URL that takes ``case_id`` (the
    module's page for the case). ``owner_reaches_people(user, case)``: whether this user of the
    office owning a confidential case of this kind still learns who its people are, because the
    user's work is to reach them (a mediator mediating it); ``access.person_hidden_from`` is the
    one rule. ``people(case)`` lists the people the module keeps on a case (``lib.redact.Person``:
    a petition's petitioners, a dispute's parties) so that the core hides them in every text of
    the case too (``redaction``). Hooks may be given as dotted paths, imported when first used."""

    code: str
    label: Any
    module_actions: frozenset[str] = frozenset()
    refusal: Any = ""
    registered_by_module: bool = False
    register_refusal: Any = ""
    grid_workers_reach: bool = True
    owner_reaches_people: Callable | str | None = None
    people: Callable | str | None = None
    ever_public: bool = True
    detail_url: str = ""
    detail_label: Any = ""
    track_part: Callable | str | None = None
    resident_label: Callable | str | None = None
    reopen_refusal: Any = ""
    check_action: Callable | str | None = None
    on_reopened: Callable | str | None = None

    def hook(self, name: str) -> Callable | None:
        """The hook ``name``, imported if it was given as a dotted path."""
        ref = getattr(self, name)
        return import_string(ref) if isinstance(ref, str) else ref


@dataclass(frozen=True)
class EventCode:
    """A timeline event code a module writes. ``public`` is the default for whether the reporter
    sees it. ``reporter_word`` is what a message to the reporter says happened ("not accepted");
    ``staff_subject`` and ``staff_body`` are a message to staff, formatted with ``code``,
    ``category``, ``office`` and ``due``."""

    code: str
    label: Any
    public: bool = False
    reporter_word: Any = None
    staff_subject: Any = None
    staff_body: Any = None


@dataclass(frozen=True)
class NavEntry:
    """A link in the staff or public navigation. Shown to staff holding one of ``roles``; to a
    handler also when their office is of one of ``office_kinds`` or holds a case of one of
    ``held_kinds`` (one query for all modules). ``public`` entries are shown to everyone."""

    label: Any
    url_name: str
    section: str
    roles: frozenset[str] = frozenset()
    office_kinds: frozenset[str] = frozenset()
    held_kinds: frozenset[str] = frozenset()
    public: bool = False


@dataclass(frozen=True)
class Sweep:
    """Deadline work the periodic sweep runs: ``run(now)`` returns how many rows it looked at;
    ``noun`` names them in the sweep's log ("screening report(s)")."""

    noun: str
    run: Callable | str

    def __call__(self, now=None) -> int:
        run = import_string(self.run) if isinstance(self.run, str) else self.run
        return run(now)


@dataclass(frozen=True)
class Indicator:
    """A figure a module offers to the scorecards: ``compute(region, since, until)`` returns a
    number for the region's subtree over the period."""

    code: str
    label: Any
    compute: Callable


@dataclass
class Module:
    """What one domain module declares. Routers and URL modules are dotted paths, imported when
    the API and URL roots are built (after every app is ready)."""

    app_label: str
    kinds: list[CaseKind] = field(default_factory=list)
    events: list[EventCode] = field(default_factory=list)
    sweeps: list[Sweep] = field(default_factory=list)
    api_routers: list[tuple[str, str]] = field(default_factory=list)
    urls: str = ""
    nav: list[NavEntry] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    demo: str = ""
    # ``recompute_deadlines(days)``: the working status of ``days`` (dates) changed (an override
    # entered or removed, a new official calendar); recompute the stored deadlines that depend on
    # them. Called after the change commits.
    recompute_deadlines: Callable | str | None = None
    # Services the module publishes to other modules, by name ("duty.on_duty" → a dotted path or
    # a callable), so that no module imports another: a caller asks ``provided(name)`` and does
    # without when no installed module provides it.
    provides: dict[str, Callable | str] = field(default_factory=dict)
    order: int = 100


class RegistryError(Exception):
    """A module declared something that clashes with the core or another module."""


_modules: dict[str, Module] = {}
_kinds: dict[str, CaseKind] = {}
_events: dict[str, EventCode] = {}


def register(module: Module) -> None:
    """Register a module (from its ``AppConfig.ready``). Registering the same app again
    replaces it; a kind or event code already taken by the core or another module is refused."""
    unregister(module.app_label)
    core_kinds, core_events = set(Kind.values), set(Action.values)
    for kind in module.kinds:
        if kind.code in core_kinds or kind.code in _kinds:
            raise RegistryError(f"case kind {kind.code!r} of {module.app_label} is already taken")
        if len(kind.code) > 20:
            raise RegistryError(f"case kind {kind.code!r} is longer than 20 characters")
        unknown = set(kind.module_actions) - core_events
        if unknown:
            raise RegistryError(f"{module.app_label}: module actions {sorted(unknown)} are not core actions")
    for event in module.events:
        if event.code in core_events or event.code in _events:
            raise RegistryError(f"event code {event.code!r} of {module.app_label} is already taken")
        if len(event.code) > 30:
            raise RegistryError(f"event code {event.code!r} is longer than 30 characters")
    for name in module.provides:
        taken = next((m.app_label for m in _modules.values() if name in m.provides), None)
        if taken is not None:
            raise RegistryError(f"service {name!r} of {module.app_label} is already provided by {taken}")
    _modules[module.app_label] = module
    _kinds.update({kind.code: kind for kind in module.kinds})
    _events.update({event.code: event for event in module.events})


def unregister(app_label: str) -> None:
    """Remove a module (tests that plug in an example module take it out again)."""
    module = _modules.pop(app_label, None)
    if module is None:
        return
    for kind in module.kinds:
        _kinds.pop(kind.code, None)
    for event in module.events:
        _events.pop(event.code, None)


def modules() -> list[Module]:
    return sorted(_modules.values(), key=lambda m: (m.order, m.app_label))


def provided(name: str) -> Callable | None:
    """The service ``name`` as an installed module publishes it (``Module.provides``), or None
    when no installed module does: the caller goes on without it."""
    for module in _modules.values():
        service = module.provides.get(name)
        if service is not None:
            return import_string(service) if isinstance(service, str) else service
    return None


# ---------------------------------------------------------------------------- kinds


def case_kind(code: str) -> CaseKind | None:
    """The module's declaration of a kind; None for the core's own kinds and unknown codes."""
    return _kinds.get(code)


def kind_codes() -> list[str]:
    return [*Kind.values, *(k.code for m in modules() for k in m.kinds)]


def kind_choices() -> list[tuple[str, Any]]:
    return [*Kind.choices, *((k.code, k.label) for m in modules() for k in m.kinds)]


def is_kind(code: str) -> bool:
    return code in Kind.values or code in _kinds


def kind_label(code: str) -> str:
    if code in Kind.values:
        return str(Kind(code).label)
    kind = _kinds.get(code)
    return str(kind.label) if kind else code


def kinds_where(predicate: Callable[[CaseKind], bool]) -> list[str]:
    """The codes of the module kinds for which ``predicate`` holds."""
    return [code for code, kind in _kinds.items() if predicate(kind)]


# The lists below fail closed: a kind in the database whose module is no longer installed
# (taken out of ANJU_MODULES) is never public, reached by no grid worker, and left alone by the
# core, as its module would have wanted at the strictest.


def public_kinds() -> list[str]:
    """Kinds that may be listed or shown in public at all: the core's but reports of wrongdoing,
    and the registered kinds not about people and offices (``CaseKind.ever_public``)."""
    return [*(k for k in Kind.values if k != Kind.REPORT), *kinds_where(lambda k: k.ever_public)]


def grid_worker_kinds() -> list[str]:
    """Kinds a grid worker's region scope reaches (``CaseKind.grid_workers_reach``)."""
    return [*Kind.values, *kinds_where(lambda k: k.grid_workers_reach)]


def module_refusal(case, action: str) -> str | None:
    """Why the core refuses ``action`` on ``case`` because its module takes it itself (or its
    module is not installed); None when the core may take it."""
    if case.kind in Kind.values:
        return None
    kind = _kinds.get(case.kind)
    if kind is None:
        return str(_("The module that handles this kind of case is not installed."))
    if action in kind.module_actions:
        return str(kind.refusal)
    return None


def check_module_veto(case, actor, action: str) -> None:
    """Let the case's module refuse a core action it does not take itself (raises
    ``ServiceError``)."""
    kind = _kinds.get(case.kind)
    if kind is not None and kind.check_action is not None:
        kind.hook("check_action")(case, actor, action)


def case_reopened(case, actor, now) -> None:
    kind = _kinds.get(case.kind)
    if kind is not None and kind.on_reopened is not None:
        kind.hook("on_reopened")(case, actor, now)


# ---------------------------------------------------------------------------- events


def event_code(code: str) -> EventCode | None:
    return _events.get(code)


def is_event(code: str) -> bool:
    return code in Action.values or code in _events


def event_label(code: str) -> str:
    if code in Action.values:
        return str(Action(code).label)
    event = _events.get(code)
    return str(event.label) if event else code


# ---------------------------------------------------------------------------- the rest


def sweeps() -> list[Sweep]:
    return [sweep for m in modules() for sweep in m.sweeps]


def api_routers() -> list[tuple[str, Any]]:
    return [(prefix, import_string(path)) for m in modules() for prefix, path in m.api_routers]


def url_modules() -> list[str]:
    return [m.urls for m in modules() if m.urls]


def calendar_changed(days) -> None:
    """Tell every module that the working status of ``days`` changed, so that it recomputes the
    deadlines it stores (``Module.recompute_deadlines``)."""
    for module in modules():
        if module.recompute_deadlines is not None:
            hook = module.recompute_deadlines
            (import_string(hook) if isinstance(hook, str) else hook)(sorted(set(days)))


def nav_entries() -> list[NavEntry]:
    return [entry for m in modules() for entry in m.nav]


def indicators() -> list[Indicator]:
    return [indicator for m in modules() for indicator in m.indicators]


def demo_builders() -> list[Callable]:
    return [import_string(m.demo) for m in modules() if m.demo]


