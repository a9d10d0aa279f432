"""The dispute statistics page for supervisors, leaders and administrators: a period switch
(last 30 days, last 12 months, this year), an optional township, the figures with their
definitions, a table and a bar chart per dispute type and per township, the transfers between
mediation types, and the same tables as an Excel workbook (``?export=xlsx``). The figures come
from ``anju.disputes.stats.dispute_stats``, scoped by what the user may see."""

from datetime import date, timedelta
from io import BytesIO
from urllib.parse import urlencode

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

from anju.disputes import stats
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.workdays import LOCAL
from anju.web.access import dashboard_required

DEFAULT_PERIOD = "30d"
PERIODS = {
    "30d": gettext_lazy("Last 30 days"),
    "12m": gettext_lazy("Last 12 months"),
    "ytd": gettext_lazy("This year"),
}
PERIOD_DEFINITION = gettext_lazy(
    "“Last 30 days”: today and the 29 days before it. “Last 12 months”: from the day after the same date a year "
    "ago up to today. “This year”: from 1 January up to today."
)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def current_time():
    """The clock the period is computed from; tests replace it to freeze time."""
    return timezone.now()


def period_days(key: str, today: date) -> tuple[date, date]:
    """The first and last day of period ``key`` ending ``today``."""
    if key == "30d":
        return today - timedelta(days=29), today
    if key == "12m":
        day = 28 if (today.month, today.day) == (2, 29) else today.day
        return today.replace(year=today.year - 1, day=day) + timedelta(days=1), today
    return date(today.year, 1, 1), today


def _chart_data(figures: dict) -> dict:
    """What stats.js draws; the tables in the page show the same numbers."""

    def series(rows):
        return {"names": [row["name"] for row in rows], "found": [row["found"] for row in rows],
                "concluded": [row["concluded"] for row in rows], "resolved": [row["resolved"] for row in rows]}

    labels = {d["key"]: d["label"] for d in figures["definitions"]}
    return {
        "types": series(figures["by_type"]),
        "townships": series(figures["by_township"]),
        "texts": {"found": labels["found"], "concluded": labels["concluded"], "resolved": labels["resolved"]},
    }


def _table_rows(rows: list[dict]) -> list[dict]:
    """Rows with their figures as (key, value) pairs in the order of the columns."""
    return [{"code": row["code"], "name": row["name"], "values": [(key, row[key]) for key in stats.FIGURE_KEYS]}
            for row in rows]


@require_GET
@dashboard_required
def dispute_stats(request):
    """GET ``period`` (30d, 12m, ytd; default 30d) and ``township`` (a code, optional); ``export=xlsx``
    answers with the workbook instead of the page."""
    townships = list(Region.objects.filter(level=Level.TOWNSHIP).order_by("code"))
    key = request.GET.get("period") or DEFAULT_PERIOD
    code = request.GET.get("township", "")
    township = next((t for t in townships if t.code == code), None)
    errors = []
    if key not in PERIODS:
        errors.append(_("Unknown period; choose one of the periods above."))
        key = DEFAULT_PERIOD
    if code and township is None:
        errors.append(_("Unknown township or street."))
    context = {
        "section": "disputes",
        "periods": [{"key": k, "label": label, "current": k == key,
                     "query": urlencode({"period": k, **({"township": code} if township else {})})}
                    for k, label in PERIODS.items()],
        "townships": townships,
        "township": township,
        "period_key": key,
        "period_definition": PERIOD_DEFINITION,
        "errors": errors,
    }
    if errors:
        return render(request, "disputes/stats.html", context, status=400)
    now = current_time()
    start, end = period_days(key, now.astimezone(LOCAL).date())
    figures = stats.dispute_stats(request.user, start=start, end=end, region=township)
    if request.GET.get("export") == "xlsx":
        return _workbook_response(figures, township)
    context.update(
        figures=figures,
        now=now,
        columns=figures["definitions"],
        totals=[(column, figures["totals"][column["key"]]) for column in figures["definitions"]],
        tables=[
            {"key": "types", "anchor": "by-type", "title": _("Per dispute type"), "first_column": _("Dispute type"),
             "help": _("Disputes found, mediation ended and resolved (agreement) per dispute type."),
             "rows": _table_rows(figures["by_type"]), "total": _table_rows([figures["totals"]])[0]},
            {"key": "townships", "anchor": "by-township", "title": _("Per township / street"),
             "first_column": _("Township / street"),
             "help": _("The same figures by the township or street the dispute is located in."),
             "rows": _table_rows(figures["by_township"]), "total": None},
        ],
        chart_data=_chart_data(figures),
        export_query=urlencode({"period": key, **({"township": code} if township else {}), "export": "xlsx"}),
    )
    return render(request, "disputes/stats.html", context)


def _workbook_response(figures: dict, township: Region | None) -> HttpResponse:
    """The tables as an Excel workbook: per dispute type, per township, the transfers, and the
    definitions. Headers in the default language (Chinese): the workbook is a county document."""
    with translation.override(settings.LANGUAGE_CODE):
        buffer = BytesIO()
        _write_workbook(figures, township).save(buffer)
    period = figures["period"]
    name = f"anju-disputes-{period['start']:%Y%m%d}-{period['end']:%Y%m%d}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _write_workbook(figures: dict, township: Region | None) -> Workbook:
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

    header, body = table(figures["by_type"], _("Dispute type"), with_total=True)
    sheet(_("Per dispute type"), header, body, [22] + [14] * len(labels))
    header, body = table(figures["by_township"], _("Township / street"), with_total=False)
    sheet(_("Per township / street"), header, body, [18] + [14] * len(labels))
    paths = [[p["from_label"], p["to_label"], p["transfers"], p["accepted"], p["returned"], p["pending"]]
             for p in figures["transfer_paths"]]
    sheet(_("Transfers"), [_("From"), _("To"), _("Transfers"), _("Accepted"), _("Returned"), _("Waiting")],
          paths, [26, 26, 10, 10, 10, 10])
    period = figures["period"]
    about = [[_("Period"), f"{period['start']:%Y-%m-%d} – {period['end']:%Y-%m-%d} ({period['time_zone']})"],
             [_("Township / street"), township.name if township else _("All townships")]]
    about += [[label, definition] for _key, label, definition in labels]
    about += [[str(label), str(definition)] for _key, label, definition in stats.NOTES]
    sheet(_("Definitions"), [_("Figure"), _("Definition")], about, [26, 100])
    return book
