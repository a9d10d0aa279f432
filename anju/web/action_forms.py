"""The base of the action forms on a case's page: the core's (``anju.web.case_forms``) and the
domain modules', which derive their own base from it.

A form validates what a person typed; the service still decides whether the change is allowed
now and may refuse with a ``CaseError`` naming a field, which the view puts next to that field.
"""

from django import forms
from django.utils.translation import gettext_lazy

from anju.cases.models import Case


class ActionForm(forms.Form):
    """One action on one case (and perhaps on one object of it, the ``target``: a party, a
    session, an extension request …), by one user. Subclasses set the texts and ``perform``.

    The form is bound with a prefix, its slug (and the target's id), so that several forms on
    one page never share an id; ``key`` is that prefix."""

    slug = ""
    title = ""
    intro = ""
    submit_label = gettext_lazy("Save")
    danger = False
    success_message = gettext_lazy("Done.")

    def __init__(self, data=None, files=None, *, case: Case, user, target=None, **kwargs):
        kwargs.setdefault("prefix", self.slug if target is None else f"{self.slug}-{target.pk}")
        super().__init__(data, files, **kwargs)
        self.case, self.user, self.target = case, user, target

    @property
    def key(self) -> str:
        return self.prefix

    @property
    def target_id(self):
        return self.target.pk if self.target is not None else None

    def perform(self):
        """Call the service with the cleaned data; raises ``CaseError`` when it refuses."""
        raise NotImplementedError

    def get_success_message(self) -> str:
        return str(self.success_message)
