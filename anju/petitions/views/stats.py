"""The petition statistics page for supervisors, leaders and administrators: a period (from and
to, by default the last 12 months), an optional township and body, the figures with their
definitions beside them, a table (and a chart) per month, per township and per body, and the
same tables as an Excel workbook (``?export=xlsx``). The figures come from
``anju.petitions.stats.petition_stats``, scoped by what the user may see."""

from datetime import date, timedelta
from io import BytesIO
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.workdays import LOCAL
from anju.people.models import Office
from anju.petitions import stats
from anju.web.access import dashboard_required

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A longer period is a report for the archive, not a page: ask for it in parts.
MAX_YEARS = 5
DEFAULT_PERIOD = gettext_lazy("Without dates: the last 12 months, from the day after the same date a year ago up "
                              "to today.")


def current_time():
    """The clock the default period is computed from; tests replace it to freeze time."""
    return timezone.now()


def last_twelve_months(today: date) -> tuple[date, date]:
    """From the day after the same date a year ago (28 February for 29 February) up to ``today``."""
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    return today.replace(year=today.year - 1, day=day) + timedelta(days=1), today


class StatsFilterForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=gettext_lazy("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    township = forms.ChoiceField(label=gettext_lazy("Township / street"), required=False)
    office = forms.ChoiceField(label=gettext_lazy("Body"), required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["township"].choices = [("", _("All townships"))] + [
            (r.code, r.name) for r in Region.objects.filter(level=Level.TOWNSHIP).order_by("code")]
        self.fields["office"].choices = [("", _("All bodies"))] + [
            (o.code, o.name) for o in Office.objects.filter(is_active=True).order_by("code")]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        default_start, default_end = last_twelve_months(self.today)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and end is None:
            start, end = default_start, default_end
        elif start is None:
            start = last_twelve_months(end)[0]
        elif end is None:
            end = max(start, self.today)
        if end < start:
            self.add_error("end", _("The period cannot end before it starts."))
        elif end > start.replace(year=start.year + MAX_YEARS, day=28 if (start.month, start.day) == (2, 29)
                                 else start.day):
            self.add_error("end", _("A period is at most %(n)s years; ask for a longer one in parts.") % {
                "n": MAX_YEARS})
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def _table_rows(rows: list[dict]) -> list[dict]:
    """Rows with their figures as (key, value) pairs in the order of the columns."""
    return [{"code": row["code"], "name": row["name"], "values": [(key, row[key]) for key in stats.FIGURE_KEYS]}
            for row in rows]


def _chart_data(figures: dict) -> dict:
    """What stats.js draws; the tables in the page show the same numbers."""
    keys = ("received", "accepted", "answered", "answered_on_time")
    labels = {d["key"]: d["label"] for d in figures["definitions"]}

    def series(rows):
        return {"names": [row["name"] for row in rows], **{key: [row[key] for row in rows] for key in keys}}

    return {
        "months": series(figures["by_month"]),
        "townships": series(figures["by_township"]),
        "offices": series(figures["by_office"]),
        "keys": list(keys),
        "texts": {key: labels[key] for key in keys},
    }


@require_GET
@dashboard_required
def petition_stats(request):
    """GET ``start`` and ``end`` (YYYY-MM-DD; by default the last 12 months), ``township`` and
    ``office`` (codes, optional); ``export=xlsx`` answers with the workbook instead of the page."""
    now = current_time()
    form = StatsFilterForm(request.GET, today=now.astimezone(LOCAL).date())
    context = {"section": "petitions", "form": form, "default_period": DEFAULT_PERIOD}
    if not form.is_valid():
        return render(request, "petitions/stats.html", context, status=400)
    c = form.cleaned_data
    figures = stats.petition_stats(request.user, start=c["start"], end=c["end"], region_code=c["township"],
                                   office_code=c["office"])
    if request.GET.get("export") == "xlsx":
        return _workbook_response(figures)
    query = {"start": c["start"].isoformat(), "end": c["end"].isoformat(),
             **({"township": c["township"]} if c["township"] else {}),
             **({"office": c["office"]} if c["office"] else {})}
    context.update(
        figures=figures,
        columns=figures["definitions"],
        totals=[(column, figures["totals"][column["key"]]) for column in figures["definitions"]],
        tables=[
            {"key": "months", "anchor": "by-month", "title": _("Per month"), "first_column": _("Month"),
             "help": _("The figures of each calendar month of the period."),
             "rows": _table_rows(figures["by_month"]), "total": _table_rows([figures["totals"]])[0]},
            {"key": "townships", "anchor": "by-township", "title": _("Per township / street"),
             "first_column": _("Township / street"),
             "help": _("The same figures by the township or street the petition is located in."),
             "rows": _table_rows(figures["by_township"]), "total": None},
            {"key": "offices", "anchor": "by-office", "title": _("Per body"), "first_column": _("Body"),
             "help": _("The same figures by the first body that accepted the petition (首办), or the body that "
                       "has it when none has accepted it yet."),
             "rows": _table_rows(figures["by_office"]), "total": None},
        ],
        chart_data=_chart_data(figures),
        export_query=urlencode({**query, "export": "xlsx"}),
    )
    return render(request, "petitions/stats.html", context)


def _workbook_response(figures: dict) -> HttpResponse:
    """The tables as an Excel workbook: per month, per township, per body, and the definitions.
    Headers in the default language (Chinese): the workbook is a county document."""
    with translation.override(settings.LANGUAGE_CODE):
        buffer = BytesIO()
        _write_workbook(figures).save(buffer)
    period = figures["period"]
    name = f"anju-petitions-{period['start']:%Y%m%d}-{period['end']:%Y%m%d}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _write_workbook(figures: dict) -> Workbook:
    # The labels are read again here, inside translation.override, rather than from the dict
    # built in the reader's language.
    labels = [(key, str(label), str(definition)) for key, label, definition in stats.FIGURES]
    bold = Font(bold=True)
    book = Workbook()
    book.remove(book.active)

    def sheet(title: str, header: list[str], rows: list[list], widths: list[int]):
        ws = book.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "B2"
        return ws

    def table(rows: list[dict], first: str, with_total: bool):
        body = [[row["name"], *(row[key] for key, _label, _definition in labels)] for row in rows]
        if with_total:
            body.append([_("Total"), *(figures["totals"][key] for key, _label, _definition in labels)])
        return [first, *(label for _key, label, _definition in labels)], body

    for title, first, rows, with_total in (
            (_("Per month"), _("Month"), figures["by_month"], True),
            (_("Per township / street"), _("Township / street"), figures["by_township"], False),
            (_("Per body"), _("Body"), figures["by_office"], False)):
        header, body = table(rows, first, with_total)
        sheet(title, header, body, [20] + [14] * len(labels))
    period = figures["period"]
    about = [[_("Period"), f"{period['start']:%Y-%m-%d} – {period['end']:%Y-%m-%d} ({period['time_zone']})"],
             [_("Township / street"), figures["region"]["name"] if figures["region"] else _("All townships")],
             [_("Body"), figures["office"]["name"] if figures["office"] else _("All bodies")]]
    about += [[label, definition] for _key, label, definition in labels]
    about += [[str(label), str(definition)] for _key, label, definition in stats.NOTES]
    sheet(_("Definitions"), [_("Figure"), _("Definition")], about, [26, 100])
    return book
