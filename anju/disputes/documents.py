"""The mediation agreement (调解协议书) as an official Chinese document: its content, shared
by the print page, and the same content as a Word document (python-docx).

The fixed headings are Chinese literals on purpose: the document is filed in Chinese whatever
language the mediator's screen is in. The parties' details appear in full, so callers log the
look first (``services.log_agreement_print``).
"""

import io
from dataclasses import dataclass

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from anju.cases import redaction
from anju.disputes.choices import AgreementStatus, MediationType, PartyRole
from anju.disputes.models import JUDICIAL_WINDOW_DAYS, MediationAgreement
from anju.lib import officialdoc as doc
from anju.lib.chinese import chinese_date

ROLE_NAMES = {PartyRole.APPLICANT: "申请人", PartyRole.RESPONDENT: "被申请人", PartyRole.THIRD_PARTY: "第三人"}
# By mediation type: the title, who mediated and seals it, and what the law says of the agreement.
KINDS = {
    MediationType.PEOPLE: {
        "title": "人民调解协议书", "organisation": "人民调解委员会", "mediator": "人民调解员",
        "note": ("经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。"
                 f"双方当事人认为有必要的，可以自调解协议生效之日起{JUDICIAL_WINDOW_DAYS}日内共同向人民法院申请司法确认"
                 "（《中华人民共和国人民调解法》第三十三条）。"),
    },
    MediationType.ADMINISTRATIVE: {
        "title": "行政调解协议书", "organisation": "行政调解机关", "mediator": "调解人员",
        "note": ("本协议经行政机关主持调解达成，当事人应当按照约定履行。"
                 f"双方当事人认为有必要的，可以自调解协议生效之日起{JUDICIAL_WINDOW_DAYS}日内共同向人民法院申请司法确认。"),
    },
    MediationType.JUDICIAL: {
        "title": "调解协议", "organisation": "人民法院", "mediator": "调解员",
        "note": "本协议在人民法院主持下达成，由人民法院依法审查处理。",
    },
}


@dataclass
class PartyLine:
    role: str
    name: str
    phone: str
    address: str


@dataclass
class AgreementContent:
    title: str
    number: str
    committee: str
    # The name of the mediating body's kind, for the seal and the signature line.
    body: str
    mediator_title: str
    draft: bool
    parties: list[PartyLine]
    # Each heading with its text as paragraphs (one per line typed).
    sections: list[tuple[str, list[str]]]
    effective: str
    judicial: str
    copies: str
    mediator: str
    effective_on: str


def agreement_content(agreement: MediationAgreement) -> AgreementContent:
    """What the document says, in its order (People's Mediation Law Art. 29). A signed agreement
    names the parties, organisation and mediator as they were at signing (``signed_as``); a
    draft names them as they are now."""
    dispute = agreement.dispute
    signed = agreement.signed_as or {}
    if signed:
        people = [(p["role"], p["name"], p["phone"], p["address"]) for p in signed.get("parties", [])]
        organisation, mediator = signed.get("organisation", ""), signed.get("mediator", "")
        mediation_type = signed.get("mediation_type", MediationType.PEOPLE)
    else:
        people = [(p.role, p.name, p.phone, p.address) for p in dispute.parties.order_by("id")]
        case = dispute.case
        organisation = case.office.name if case.office_id else ""
        mediator = (dispute.mediator.display_name or dispute.mediator.username) if dispute.mediator_id else ""
        mediation_type = dispute.mediation_type
    kind = KINDS.get(mediation_type, KINDS[MediationType.PEOPLE])
    parties = [PartyLine(ROLE_NAMES.get(role, role), name, phone or "—", address or "—")
               for role, name, phone, address in people]
    # The parties sign the words as written (printing is a logged look at the parties).
    manner = redaction.whole(agreement, "performance_manner")
    performance = f"{manner}；于{chinese_date(agreement.performance_deadline)}前履行完毕。"
    sections = [(heading, [line.strip() for line in (text or "").splitlines() if line.strip()]) for heading, text in (
        ("纠纷主要事实", redaction.whole(agreement, "facts")),
        ("争议事项", redaction.whole(agreement, "matters")),
        ("各方责任", redaction.whole(agreement, "responsibilities")),
        ("协议内容", redaction.whole(agreement, "terms")),
        ("履行方式和期限", performance),
    )]
    draft = agreement.status == AgreementStatus.DRAFT
    effective = (f"本协议自各方当事人签名（盖章或按指印）、{kind['mediator']}签名并加盖{kind['organisation']}"
                 "印章之日起生效。")
    if agreement.effective_on:
        effective += f"本协议于{chinese_date(agreement.effective_on)}生效。"
    judicial = kind["note"]
    if agreement.judicial_window_ends_on:
        judicial += f"申请期限截至{chinese_date(agreement.judicial_window_ends_on)}。"
    copies = f"本协议一式{len(parties) + 1}份，当事人各执一份，{kind['organisation']}留存一份。"
    return AgreementContent(
        title=kind["title"], number=agreement.number, committee=organisation, body=kind["organisation"],
        mediator_title=kind["mediator"], draft=draft, parties=parties, sections=sections, effective=effective,
        judicial=judicial, copies=copies, mediator=mediator, effective_on=chinese_date(agreement.effective_on),
    )


# ---------------------------------------------------------------------------- Word


# An agreement between parties is no 公文: 四号 (14 pt) text, 1.4 lines apart, 2 cm margins.
SIZE = 14


def _paragraph(document, text: str = "", *, size: float = SIZE, space_after: float = 6, **style):
    return doc.paragraph(document, text, size=size, space_after=space_after, line_spacing=1.4, **style)


def agreement_docx(agreement: MediationAgreement) -> bytes:
    """The agreement as a .docx on A4 with 2 cm margins: the same content as the print page."""
    content = agreement_content(agreement)
    document = doc.a4_document(title=content.title, number=content.number, margins=(2, 2, 2, 2), size=SIZE)

    _paragraph(document, content.title, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
               name=doc.TITLE_FONT, space_after=4)
    _paragraph(document, content.number, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    if content.draft:
        _paragraph(document, "（草稿，尚未生效）", size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)

    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("当事人", "姓名", "联系电话", "住址"), strict=True):
        cell.text = ""
        doc.font(cell.paragraphs[0].add_run(text), size=12, bold=True)
    for party in content.parties:
        cells = table.add_row().cells
        for cell, text in zip(cells, (party.role, party.name, party.phone, party.address), strict=True):
            cell.text = ""
            doc.font(cell.paragraphs[0].add_run(text), size=12)
    _paragraph(document, "", space_after=2)

    _paragraph(document, f"上列当事人因纠纷，于{content.committee or '本委员会'}主持下，"
                         "在查明事实、分清是非的基础上，自愿达成如下协议：")
    numerals = "一二三四五六七八九十"
    for index, (heading, lines) in enumerate(content.sections):
        _paragraph(document, f"{numerals[index]}、{heading}", bold=True, indent=False, name=doc.TITLE_FONT)
        for line in lines:
            _paragraph(document, line)
    _paragraph(document, content.effective)
    _paragraph(document, content.judicial)
    _paragraph(document, content.copies)

    _paragraph(document, "", space_after=12)
    for party in content.parties:
        _paragraph(document, f"{party.role}（签名、盖章或按指印）：＿＿＿＿＿＿\u3000\u3000{chinese_date(None)}",
                   indent=False, size=12)
    mediator = content.mediator or "＿＿＿＿＿＿"
    _paragraph(document, f"{content.mediator_title}（签名）：{mediator}\u3000\u3000＿＿＿＿＿＿", indent=False, size=12)
    _paragraph(document, f"{content.committee or content.body}（印章）", indent=False, size=12,
               align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, content.effective_on, indent=False, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
