"""The form of the upstream CAP import page: the document pasted or uploaded, and whether to open
an incident for it (only where a module keeps incidents)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.cases import modules
from anju.warnings import importing


class CapImportForm(forms.Form):
    document = forms.CharField(
        label=gettext_lazy("The CAP 1.2 document (XML)"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "wrap": "off", "class": "cap-document"}),
        help_text=gettext_lazy("Paste the alert as received, from <?xml …?> to </alert>."))
    file = forms.FileField(label=gettext_lazy("Or upload the file"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".xml,.cap,application/xml"}))
    open_incident = forms.BooleanField(label=gettext_lazy("Also open an incident (突发事件) for it"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if modules.provided("duty.open_incident") is None:
            del self.fields["open_incident"]

    def clean(self):
        data = super().clean()
        text, upload = data.get("document") or "", data.get("file")
        if text.strip() and upload:
            raise forms.ValidationError(_("Paste the document or upload its file, not both."))
        limit = importing.import_limit()
        if upload:
            if upload.size > limit:
                raise forms.ValidationError(_("The document is larger than %(n)s bytes.") % {"n": limit})
            data["xml"] = upload.read()
        elif text.strip():
            data["xml"] = text.encode("utf-8")
        else:
            raise forms.ValidationError(_("Paste the CAP document or upload its file."))
        return data
