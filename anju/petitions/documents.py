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

from docx.enum.text import WD_ALIGN_PARAGRAPH

from anju.lib import officialdoc as doc
from anju.lib.chinese import chinese_date
from anju.petitions import notices
from anju.petitions.models import Notice

DIGITS = "零一二三四五六七八九"


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


def notice_docx(notice: Notice) -> bytes:
    """The notice as a .docx on A4 with the margins of GB/T 9704 (37 mm top, 35 mm bottom, 28 mm
    left, 26 mm right): the same layout as the print page."""
    layout = notice_layout(notice)
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
    # The closing lines, the issuing body and the date stay on one page: never the seal alone.
    for text in layout.end:
        doc.paragraph(document, text).paragraph_format.keep_with_next = True
    doc.paragraph(document, f"{layout.office}（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False,
               space_before=58).paragraph_format.keep_with_next = True
    doc.paragraph(document, layout.date, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    doc.page_numbers(document)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
