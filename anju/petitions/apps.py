from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "anju.petitions"
    verbose_name = _("Petitions (信访)")

    def ready(self):
        from anju.cases import modules
        from anju.cases.choices import Action
        from anju.petitions.choices import PETITION, PetitionEvent

        public_events = {PetitionEvent.PETITION_ROUTE, PetitionEvent.PETITION_ACCEPT,
                         PetitionEvent.PETITION_NOT_ACCEPTED, PetitionEvent.NOTICE, PetitionEvent.HEARING,
                         PetitionEvent.REVIEW_REQUESTED, PetitionEvent.REEXAMINATION_REQUESTED,
                         PetitionEvent.RECEPTION_BOOKED, PetitionEvent.RECEPTION}
        words = {PetitionEvent.PETITION_NOT_ACCEPTED: _("not accepted"), PetitionEvent.NOTICE: _("written notice")}
        events = [modules.EventCode(code, label, public=code in public_events, reporter_word=words.get(code))
                  for code, label in PetitionEvent.choices if code != PetitionEvent.LEADER]
        events.append(modules.EventCode(
            PetitionEvent.LEADER, PetitionEvent.LEADER.label,
            staff_subject=_("Petition %(code)s is in your personal charge"),
            staff_body=_("You are now the leader in personal charge (领导包案) of petition %(code)s (%(category)s, "
                         "%(office)s). Deadline: %(due)s."),
        ))
        modules.register(modules.Module(
            app_label=self.label,
            order=20,
            kinds=[modules.CaseKind(
                code=PETITION, label=_("Petition (信访)"),
                # A petition is routed, accepted or not, answered in writing and given more time under
                # the 信访工作条例, each with its written notice; the body that accepted it keeps it
                # unless a supervisor approves a transfer (首办责任); its statutory clock does not stop
                # while the body waits for the petitioner; it is neither reopened nor merged (each
                # petition gets its own notices; a petitioner who disagrees asks for a review).
                module_actions=frozenset({
                    Action.ACCEPT, Action.REJECT, Action.DISPATCH, Action.RETURN, Action.TRANSFER, Action.RESOLVE,
                    Action.WAIT, Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION, Action.REOPEN, Action.MERGE,
                }),
                refusal=_("A petition is handled on its petition page, each step as the 信访工作条例 requires: it is "
                          "routed, accepted or not, answered, given more time and transferred there; the body that "
                          "accepted it keeps it unless a supervisor approves a transfer (首办责任); its time limit "
                          "does not stop while the body waits for the petitioner; and it is neither reopened nor "
                          "merged: a petitioner who disagrees asks for a review."),
                # Registered through the module only: it keeps the petitioners apart from its words
                # and runs on the statutory clock from the start.
                registered_by_module=True,
                register_refusal=_("Register a petition on the petitions page (or POST /api/v1/petitions): it keeps "
                                   "the petitioners apart from its words and runs on the time limits of the "
                                   "信访工作条例."),
                # A grid worker lives among the petitioners of the grid, and Anju never helps anyone
                # follow them (no 稳控, no 人盯人).
                grid_workers_reach=False,
                ever_public=False,
                people="anju.petitions.services.people_on_case",
                detail_url="petitions:detail", detail_label=_("Petition page (time limits, notices, petitioners)"),
                track_part="anju.petitions.views.resident.track_part",
                resident_label="anju.petitions.views.resident.resident_label",
                reopen_refusal=_("A petition is not reopened as \"not solved\". If you disagree with the written "
                                 "answer, ask for a review (or, after a review, a re-examination) on this page, "
                                 "within 30 days of receiving it."),
            )],
            events=events,
            api_routers=[("/petitions", "anju.petitions.api.router"),
                         ("/reception-days", "anju.petitions.api.reception_router")],
            urls="anju.petitions.urls",
            recompute_deadlines="anju.petitions.services.recount_objection_limits",
            nav=[
                modules.NavEntry(_("Petitions"), "petitions:workbench", "petitions",
                                 roles=frozenset({"dispatcher", "supervisor", "leader", "admin"}),
                                 held_kinds=frozenset({PETITION})),
                modules.NavEntry(_("Petition online"), "petitions:petition", "petition", public=True),
                modules.NavEntry(_("Reception days"), "petitions:reception", "reception", public=True),
            ],
            demo="anju.demo.petitions.run_demo",
        ))
