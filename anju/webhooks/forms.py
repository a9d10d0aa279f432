from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from anju.webhooks.choices import ALL_EVENTS, event_choices
from anju.webhooks.models import Endpoint


class EndpointForm(forms.ModelForm):
    """An endpoint as the administrator registers it: the URL (http or https) and the events it
    wants, as check boxes of the case actions plus "all events"."""

    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https",
                         help_text=_("Where Anju POSTs the events, http:// or https://."))
    events = forms.MultipleChoiceField(
        label=capfirst(_("events")), choices=event_choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
        help_text=_("The case events this system receives. \"All events\" includes actions added to Anju later."),
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "events", "active"]
        help_texts = {"active": _("An inactive endpoint gets no new events; deliveries already queued wait.")}

    def clean_events(self):
        events = self.cleaned_data["events"]
        # "All" with some actions ticked as well is simply all.
        return [ALL_EVENTS] if ALL_EVENTS in events else events
