"""The hazards module's documents: the rectification order (整改通知书) and the re-inspection
record (整改复查意见书) of a rectification round, laid out once here for the A4 print page and
as a Word document (python-docx), and the hazard ledger (隐患台账) as an Excel workbook.

The fixed words are Chinese literals on purpose: these documents go to the unit on paper and
are filed in Chinese whatever language a member of staff reads the screens in. The unit is
named by its name only: its responsible person is a person, never printed (the contact is
masked wherever shown), and the texts printed are the redacted ones (``cases.redaction``), so a
name or phone written into a description does not reach the paper or the ledger either.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from anju.hazards.choices import HazardLevel, HazardStage, ListingStatus, RoundResult
from anju.hazards.models import ChecklistItem, Hazard, RectificationRound
from anju.lib import masking, tracking
from anju.lib import officialdoc as doc
from anju.lib.chinese import chinese_date
from anju.lib.workdays import local_date

LEVEL_WORDS = {HazardLevel.GENERAL: "一般隐患", HazardLevel.MAJOR: "重大隐患"}
STAGE_WORDS = {HazardStage.FOUND: "已登记", HazardStage.RECTIFYING: "整改中",
               HazardStage.REINSPECTION: "待复查", HazardStage.CLOSED: "已销号"}
RESULT_WORDS = {RoundResult.PASSED: "合格", RoundResult.FAILED: "不合格"}
NUMERALS = "一二三四五六七八九十"
BLANK = "＿＿＿＿＿＿＿＿"



@dataclass
class Layout:
    """What a document says, in the order it is laid out on the page (the print page and the
    .docx read the same object)."""

    title: str
    number: str
    addressee: str
    lead: list[str]
    # Each heading numbered (一、存在的隐患) with its lines.
    sections: list[tuple[str, list[str]]]
    # Lines signed by hand on the paper (the unit's receipt, the re-inspector).
    signatures: list[str]
    office: str
    date: str


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _numbered(sections: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    return [(f"{NUMERALS[index]}、{heading}", lines) for index, (heading, lines) in enumerate(sections)]


def _day(moment: datetime | None) -> str:
    return chinese_date(local_date(moment)) if moment else chinese_date(None)


def _office_name(hazard: Hazard, round_=None) -> str:
    """The office that issued the order (the hazard's owner then: the supervising department,
    行业, or the township, 属地), kept on the round; the owner now for a round without one."""
    if round_ is not None and getattr(round_, "office_id", None):
        return round_.office.name
    case = hazard.case
    return case.office.name if case.office_id else ""


def basis_of(hazard: Hazard) -> str:
    """The legal basis of the checklist item the hazard was found at, when it came from an
    inspection ("" for a hazard reported outside a checklist)."""
    if hazard.inspection_id is None or hazard.item_number is None:
        return ""
    item = ChecklistItem.objects.filter(template_id=hazard.inspection.template_id,
                                        number=hazard.item_number).first()
    return item.basis if item else ""


def _hazard_lines(hazard: Hazard) -> list[str]:
    return [f"隐患等级：{LEVEL_WORDS.get(hazard.level, hazard.level)}。", *_lines(hazard.description)]


def order_layout(round_: RectificationRound) -> Layout:
    """The rectification order of ``round_``: the unit, the site, what was found, the measures
    and the day to rectify by, the legal basis of the checklist item, and for a major hazard
    the stopped work and the six-part plan the unit owes."""
    hazard = round_.hazard
    site, office = hazard.site, _office_name(hazard, round_)
    found = _day(hazard.found_at)
    where = f"{site.name}（{site.address}）"
    earlier = hazard.rounds.filter(number__lt=round_.number).order_by("-number").first()
    if earlier is not None and earlier.result == RoundResult.FAILED:
        lead = [f"{_day(earlier.reinspected_at)}，{office}对你单位{where}的隐患整改情况进行复查，整改不合格"
                f"（原《安全隐患整改通知书》{earlier.order_number}）。现责令你单位按下列要求继续整改。"]
    else:
        lead = [f"{found}，{office}对你单位负责的{where}进行安全检查，发现存在下列安全隐患。"
                "现责令你单位按下列要求限期整改。"]
    measures = [*_lines(round_.measures), f"请于{_day(round_.due_at)}前整改完毕。"]
    if hazard.level == HazardLevel.MAJOR:
        stopped = f"（已于{chinese_date(hazard.work_stopped_on)}停止）" if hazard.work_stopped_on else ""
        measures.append(
            f"本隐患为重大事故隐患。你单位应当停止受影响的作业{stopped}，制定并落实隐患治理方案，方案应当包括：治理的目标和任务，"
            "采取的方法和措施，经费和物资的落实，负责治理的机构和人员，治理的时限和要求，安全措施和应急预案。")
    sections = [("存在的隐患", _hazard_lines(hazard)), ("整改措施和期限", measures)]
    basis = basis_of(hazard)
    if basis:
        sections.append(("检查依据", [f"{basis}。" if not basis.endswith("。") else basis]))
    sections.append(("其他要求", [
        "整改期间，你单位应当采取必要的安全防范措施，防止事故发生。",
        f"整改完成后，请将整改情况书面报告{office}。{office}将于{_day(round_.reinspect_by)}前组织复查；"
        "逾期未整改或者复查不合格的，将依法依规处理。",
    ]))
    return Layout(
        title="安全隐患整改通知书", number=round_.order_number, addressee=f"{site.unit}：", lead=lead,
        sections=_numbered(sections), signatures=[f"被检查单位签收：{BLANK}\u3000\u3000{chinese_date(None)}"],
        office=office, date=_day(round_.ordered_at),
    )


def reinspection_number(round_: RectificationRound) -> str:
    """The record's number, beside the order's: （2026）隐复字第00012号."""
    year = local_date(round_.reinspected_at or round_.ordered_at).year
    return f"（{year}）隐复字第{round_.pk:05d}号"


def reinspection_layout(round_: RectificationRound) -> Layout:
    """The re-inspection record of ``round_`` (already re-inspected): what was ordered, the
    evidence seen, the result, the day and the re-inspector; a failed one names the new order."""
    hazard = round_.hazard
    site, office = hazard.site, _office_name(hazard, round_)
    where = f"{site.name}（{site.address}）"
    lead = [f"根据{office}《安全隐患整改通知书》（{round_.order_number}），{_day(round_.reinspected_at)}，"
            f"{office}对你单位{where}的隐患整改情况进行了复查。复查意见如下："]
    ordered = [*_lines(round_.measures), f"整改期限：{_day(round_.due_at)}。"]
    if round_.rectified_at:
        on_time = "按期" if round_.on_time else "逾期"
        ordered.append(f"你单位于{_day(round_.rectified_at)}报告整改完成（{on_time}）。")
    else:
        ordered.append("你单位未报告整改完成。")
    if round_.result == RoundResult.PASSED:
        verdict = ["经复查，该隐患已整改合格，予以销号。"]
    else:
        verdict = ["经复查，该隐患整改不合格。"]
        following = hazard.rounds.filter(number=round_.number + 1).first()
        if following is not None:
            verdict.append(f"现重新下达《安全隐患整改通知书》（{following.order_number}），责令你单位于"
                           f"{_day(following.due_at)}前整改完毕，整改期间应当采取必要的安全防范措施，防止事故发生。")
    sections = [("原隐患情况", _hazard_lines(hazard)), ("整改要求", ordered),
                ("复查情况", _lines(round_.evidence)), ("复查结论", verdict)]
    reinspector = round_.reinspected_by
    name = (reinspector.display_name or reinspector.username) if reinspector else ""
    return Layout(
        title="安全隐患整改复查意见书", number=reinspection_number(round_), addressee=f"{site.unit}：", lead=lead,
        sections=_numbered(sections),
        signatures=[f"复查人员：{name}\u3000\u3000（签名）{BLANK}",
                    f"被检查单位签收：{BLANK}\u3000\u3000{chinese_date(None)}"],
        office=office, date=_day(round_.reinspected_at),
    )


# ---------------------------------------------------------------------------- Word


def layout_docx(layout: Layout) -> bytes:
    """``layout`` as a .docx on A4 with the margins of GB/T 9704 (37 mm top, 35 mm bottom, 28 mm
    left, 26 mm right): the same words in the same order as the print page."""
    document = doc.a4_document(title=layout.title, number=layout.number)

    doc.paragraph(document, layout.title, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, name=doc.TITLE_FONT,
               space_after=6)
    doc.paragraph(document, layout.number, size=14, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, space_after=14)
    doc.paragraph(document, layout.addressee, indent=False)
    for text in layout.lead:
        doc.paragraph(document, text)
    for heading, lines in layout.sections:
        doc.paragraph(document, heading, name=doc.TITLE_FONT).paragraph_format.keep_with_next = True
        for line in lines:
            doc.paragraph(document, line)
    # The signature lines, the issuing office and the date stay on one page: never the seal alone.
    for index, text in enumerate(layout.signatures):
        doc.paragraph(document, text, indent=False, space_before=14 if index == 0 else 0
                   ).paragraph_format.keep_with_next = True
    doc.paragraph(document, f"{layout.office}（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False,
               space_before=44).paragraph_format.keep_with_next = True
    doc.paragraph(document, layout.date, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    doc.page_numbers(document)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------- the ledger

# The column headers are fixed Chinese words whatever the page language: the ledger is a county
# document, and spreadsheets built on it rely on the names.
LEDGER_COLUMNS = [
    ("编号", 13), ("场所", 24), ("场所类型", 14), ("乡镇（街道）", 14), ("发现日期", 12), ("隐患等级", 10),
    ("隐患描述", 48), ("整改措施", 40), ("整改期限", 12), ("责任单位", 26), ("监管（属地）单位", 20),
    ("复查日期", 12), ("复查结果", 10), ("销号日期", 12), ("状态", 10), ("挂牌督办", 10),
]
DATE_FORMAT = "yyyy-mm-dd"


@dataclass
class LedgerRow:
    """One hazard as the ledger shows it."""

    code: str
    site: str
    kind: str
    township: str
    found: date | None
    level: str
    description: str
    measures: str
    deadline: date | None
    unit: str
    office: str
    reinspected: date | None
    result: str
    closed: date | None
    stage: str
    listed: str

    def values(self) -> list:
        return [self.code, self.site, self.kind, self.township, self.found, self.level, self.description,
                self.measures, self.deadline, self.unit, self.office, self.reinspected, self.result,
                self.closed, self.stage, self.listed]


def ledger_row(hazard: Hazard, townships: dict[str, str]) -> LedgerRow:
    """``hazard`` as a ledger row; its rounds read from ``hazard.rounds.all()`` (prefetch them),
    its township's name from ``townships`` (path → name)."""
    rounds = sorted(hazard.rounds.all(), key=lambda r: r.number)
    current = rounds[-1] if rounds else None
    checked = next((r for r in reversed(rounds) if r.result), None)
    case, site = hazard.case, hazard.site
    township = next((name for path, name in townships.items() if case.area_path.startswith(path)), "")
    # A hazard without a listing raises RelatedObjectDoesNotExist, an AttributeError.
    listing = getattr(hazard, "listing", None)
    listed = "" if listing is None else "挂牌中" if listing.status == ListingStatus.LISTED else "已摘牌"
    result = ""
    if checked is not None:
        result = RESULT_WORDS.get(checked.result, checked.result)
        if len(rounds) > 1:
            result += f"（第{checked.number}轮）"
    return LedgerRow(
        code=tracking.display(case.tracking_code), site=site.name if site else "",
        kind=site.kind.name if site else "", township=township,
        found=local_date(hazard.found_at) if hazard.found_at else None,
        level=LEVEL_WORDS.get(hazard.level, hazard.level), description=hazard.description,
        measures=current.measures if current else "", deadline=local_date(current.due_at) if current else None,
        unit=site.unit if site else "", office=case.office.name if case.office_id else "",
        reinspected=local_date(checked.reinspected_at) if checked and checked.reinspected_at else None,
        result=result, closed=local_date(hazard.closed_at) if hazard.closed_at else None,
        stage=STAGE_WORDS.get(hazard.stage, hazard.stage), listed=listed,
    )


def _clean(value: str) -> str:
    """Text as a cell may hold it: no control characters (invalid in the file), phone-like
    numbers masked as every export masks them."""
    return masking.mask_phones_in(ILLEGAL_CHARACTERS_RE.sub("", value or ""))


def ledger_workbook(hazards: Iterable[Hazard], *, scope: str, made_on: date,
                    townships: dict[str, str]) -> bytes:
    """The hazard ledger: a title with its scope and date, a frozen header with a filter, one row
    a hazard in the order given, columns sized for reading and A4 landscape for printing."""
    book = Workbook()
    sheet = book.active
    sheet.title = "隐患台账"
    last = get_column_letter(len(LEDGER_COLUMNS))
    sheet.append(["安全隐患排查整治台账"])
    sheet.append([f"范围：{scope}\u3000\u3000制表日期：{chinese_date(made_on)}"])
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([title for title, _width in LEDGER_COLUMNS])
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for index, (_title, width) in enumerate(LEDGER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(vertical="top", wrap_text=True)
    for hazard in hazards:
        sheet.append([_clean(v) if isinstance(v, str) else v for v in ledger_row(hazard, townships).values()])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
            cell.border = border
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str):
                # Text stays text: a description starting with "=" is never read as a formula.
                cell.data_type = "s"
    sheet.freeze_panes = "C4"
    sheet.auto_filter.ref = f"A3:{last}{max(sheet.max_row, 3)}"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
