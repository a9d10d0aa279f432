"""Official documents (公文) as .docx on the layout of GB/T 9704 (党政机关公文格式): A4 with its
margins, 宋体 3号 text on a fixed line pitch, 黑体 headings, "— 1 —" page numbers. The pieces every
module's printed documents share (a petition's notices, a hazard's orders); each module writes
its own words."""

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "SimSun"  # 宋体: every Chinese Word installation has it; WPS maps it too.
TITLE_FONT = "SimHei"  # 黑体
# GB/T 9704: text in 3号 type (16 pt), 22 lines in a type area of 156 × 225 mm.
BODY_SIZE = 16
LINE = Pt(28.9)


# GB/T 9704's margins in cm: top, bottom, left, right.
MARGINS = (3.7, 3.5, 2.8, 2.6)


def a4_document(*, title: str, number: str = "", margins: tuple[float, float, float, float] = MARGINS,
                size: float = BODY_SIZE):
    """A new document on A4 with the margins of GB/T 9704 (37 mm top, 35 mm bottom, 28 mm left,
    26 mm right), 宋体 3号 as its normal text, titled ``title``. A document that is not a 公文
    (a civil agreement) passes its own ``margins`` and text ``size``."""
    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(margins[0]), Cm(margins[1])
        section.left_margin, section.right_margin = Cm(margins[2]), Cm(margins[3])
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.core_properties.title = title
    document.core_properties.identifier = number
    return document


def font(run, name: str = FONT, size: float = BODY_SIZE, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes Chinese characters from the East Asian font slot, not from the Latin one.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def paragraph(document, text: str = "", *, size: float = BODY_SIZE, bold: bool = False, align=None,
              indent: bool = True, name: str = FONT, space_after: float = 0, space_before: float = 0,
              line_spacing: float | None = None):
    """A paragraph on the line pitch (or ``line_spacing`` times its text's height), its first line
    indented two characters unless ``indent`` is False."""
    added = document.add_paragraph()
    if align is not None:
        added.alignment = align
    fmt = added.paragraph_format
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if line_spacing is not None:
        fmt.line_spacing = line_spacing
    else:
        fmt.line_spacing = LINE if size <= BODY_SIZE else Pt(size * 1.5)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if text:
        font(added.add_run(text), name=name, size=size, bold=bold)
    return added


def page_numbers(document) -> None:
    """— 1 — centred in the footer, as official documents number their pages (a PAGE field)."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(footer.add_run("— "), size=14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = footer.add_run("1")
    font(run, size=14)
    footer._p.remove(run._r)
    field.append(run._r)
    footer._p.append(field)
    font(footer.add_run(" —"), size=14)
