"""The written notices to a petitioner (告知书、意见书) as official documents: the content kept as
issued (``Notice.content``, see ``anju.petitions.notices``) laid out once here for the A4 print
page, and the same layout as a Word document (python-docx).

The layout follows the usual form of a notice to a petitioner: the title in Hei type, the
number under it, the addressee line ("王秀英、赵德明："), the paragraphs in Song type, the
headed sections numbered 一、二、…, the closing lines, and at the foot the issuing body and the
date as the seal block. The fixed words are Chinese literals on purpose: notices are filed in
Chinese whatever language a member of staff reads the screens in. The petitioners are named in
full, so callers log the look first (``services.log_notice_print``).
"""

import io
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from anju.lib.chinese import chinese_date
from anju.petitions import notices
from anju.petitions.models import Notice

FONT = "SimSun"  # 宋体: every Chinese Word installation has it; WPS maps it too.
TITLE_FONT = "SimHei"  # 黑体
DIGITS = "零一二三四五六七八九"
# GB/T 9704 (党政机关公文格式): text in 3号 type (16 pt), 22 lines in a type area of 156 × 225 mm.
BODY_SIZE = 16
LINE = Pt(28.9)


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五: the numbers of section headings."""
    if not 1 <= n <= 99:
        raise ValueError("section numbers run from 1 to 99")
    tens, units = divmod(n, 10)
    return ("" if tens == 0 else "十" if tens == 1 else DIGITS[tens] + "十") + (DIGITS[units] if units else "")


@dataclass
class NoticeLayout:
    """What a notice says, in the order it is laid out on the page."""

    title: str
    number: str
    addressee: str
    paragraphs: list[str]
    # Each heading already numbered (一、信访请求) with its lines.
    sections: list[tuple[str, list[str]]]
    closing: list[str]
    office: str
    date: str
    code: str

    @property
    def lead(self) -> list[str]:
        """The paragraphs before the sections, less the one kept with the seal (``end``)."""
        return self.paragraphs[:-1] if self._last_paragraph_ends else self.paragraphs

    @property
    def end(self) -> list[str]:
        """The lines printed with the seal block, on the same page: the closing lines, or the last
        paragraph of a notice that has neither closing lines nor sections. A page never holds
        the seal alone."""
        return self.paragraphs[-1:] if self._last_paragraph_ends else self.closing

    @property
    def _last_paragraph_ends(self) -> bool:
        return not self.closing and not self.sections


def notice_layout(notice: Notice) -> NoticeLayout:
    """The notice as issued, ready to lay out. The seal block names the body that issued the
    notice (``Notice.office``): a receipt is issued by the petition office that routed the
    matter, not by the body it went to."""
    content = notice.content or {}
    sections = [(f"{chinese_numeral(index)}、{heading}", list(lines))
                for index, (heading, lines) in enumerate(content.get("sections") or [], start=1)]
    return NoticeLayout(
        title=content.get("title", ""),
        number=content.get("number") or notice.number,
        addressee=notices.addressee(list(content.get("petitioners") or []), content.get("group_size") or 1) + "：",
        paragraphs=list(content.get("paragraphs") or []),
        sections=sections,
        closing=list(content.get("closing") or []),
        office=notice.office.name if notice.office_id else content.get("office", ""),
        date=content.get("date") or chinese_date(notice.sent_on),
        code=content.get("code", ""),
    )


# ---------------------------------------------------------------------------- Word


def _font(run, name: str = FONT, size: float = BODY_SIZE, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes Chinese characters from the East Asian font slot, not from the Latin one.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text: str = "", *, size: float = BODY_SIZE, bold: bool = False, align=None,
               indent=True, name: str = FONT, space_after: float = 0, space_before: float = 0):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.line_spacing = LINE if size <= BODY_SIZE else Pt(size * 1.5)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        _font(paragraph.add_run(text), name=name, size=size, bold=bold)
    return paragraph


def _page_numbers(document) -> None:
    """— 1 — centred in the footer, as official documents number their pages (a PAGE field)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), size=14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    _font(run, size=14)
    paragraph._p.remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), size=14)


def notice_docx(notice: Notice) -> bytes:
    """The notice as a .docx on A4 with the margins of GB/T 9704 (37 mm top, 35 mm bottom, 28 mm
    left, 26 mm right): the same layout as the print page."""
    layout = notice_layout(notice)
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.core_properties.title = layout.title
    document.core_properties.identifier = layout.number

    _paragraph(document, layout.title, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, name=TITLE_FONT,
               space_after=6)
    _paragraph(document, layout.number, size=14, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, space_after=14)
    _paragraph(document, layout.addressee, indent=False)
    for text in layout.lead:
        _paragraph(document, text)
    for heading, lines in layout.sections:
        _paragraph(document, heading, name=TITLE_FONT).paragraph_format.keep_with_next = True
        for line in lines:
            _paragraph(document, line)
    # The closing lines, the issuing body and the date stay on one page: never the seal alone.
    for text in layout.end:
        _paragraph(document, text).paragraph_format.keep_with_next = True
    _paragraph(document, f"{layout.office}（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False,
               space_before=58).paragraph_format.keep_with_next = True
    _paragraph(document, layout.date, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _page_numbers(document)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
