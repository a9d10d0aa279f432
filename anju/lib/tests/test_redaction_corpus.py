"""Format checks for the redaction test corpus, ``redaction_corpus.jsonl`` next to this file.

What the corpus is for
    Anju will blank personal data out of free texts (complaints, petitions, hotline notes, replies…)
    so that the office a complaint is about cannot learn who complained. The corpus is the fixed yardstick
    for that redactor: each text says, by hand, what must be hidden and what must stay, so that its
    recall (personal data hidden) and its false blanks (ordinary words hidden) can be measured honestly.

Why it must stay fixed
    It was written BEFORE the redactor existed, by someone who did not see or design it, in the varied
    styles real people write in a county in Chongqing (phone-typed complaints with typos and dialect,
    formal petitions, hotline transcriptions, grid workers' notes, office replies, supervision notes,
    timelines, disputes, short messages, mediation summaries). Do not add, drop or reword texts to suit
    the redactor. Change a line only to fix an annotation error, and give the reason in the commit.
    All data is synthetic: invented names, numbers and addresses.

Fields of each line (one JSON object per line, UTF-8)
    id           unique integer.
    style        complaint | petition | hotline | grid_note | reply | supervision | timeline | dispute |
                 sms | mediation.
    person       the reporter / petitioner / party as Anju knows them from the form fields: name, phone,
                 email, id_number, address (any may be ""). The text may write them differently
                 (13987654321 in the form, "139 8765 4321" or "一三九八七六五四三二一" in the text).
    text         the free text.
    personal     what must be hidden: [{"kind", "text"}], text being an exact substring of `text`; every
                 occurrence of that substring counts as personal. Kinds:
                   name        a form of the known person's name (full name, 王先生, 老王, 建国, 小梅, 王 建 国…);
                   phone       any mobile number of anyone, in any grouping, with +86/0086, or in Chinese numerals;
                   landline    a fixed-line number (023-…, (023)…, bare 8 digits introduced as 座机/电话, extensions);
                   id          a resident ID number: 18 characters (some with a deliberately wrong check digit),
                               15-digit old ones, spaced ones, a truncated one;
                   email       e-mail addresses, also with ＠, spaces or written as 艾特…点com;
                   address     a home address after a cue such as 住/家住/现住/现居/住址 (only the part after the cue),
                               or the known person's address written in the text;
                   other_name  the name of any other private person (the other party, neighbours, relatives,
                               village cadres and staff named in full, nicknames such as 胡二娃 or 老/小 + surname).
    other_names  the other_name strings again, as a plain list.
    keep         strings that must NOT be blanked: places and substance of the concern (roads, villages as the
                 place of the problem, offices, amounts, dates, areas, case codes) and ordinary words that look
                 risky (老百姓, 小区, 养老金, 马路, 张贴, 国庆节, 方圆五公里…). A keep string never shares a character
                 with a personal occurrence. Text that is in neither list is not scored.

About 15% of the texts have no personal data at all; they measure false blanks on ordinary content.
These tests check the FORMAT only (no database); they do not check ID checksums on purpose.
"""

import json
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).with_name("redaction_corpus.jsonl")

STYLES = {
    "complaint", "petition", "hotline", "grid_note", "reply",
    "supervision", "timeline", "dispute", "sms", "mediation",
}
KINDS = {"name", "phone", "landline", "id", "email", "address", "other_name"}
PERSON_FIELDS = {"name", "phone", "email", "id_number", "address"}


def load():
    raw = CORPUS.read_bytes().decode("utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def spans(text, sub):
    found, start = [], text.find(sub)
    while start >= 0:
        found.append((start, start + len(sub)))
        start = text.find(sub, start + 1)
    return found


def test_the_file_is_plain_utf8_jsonl():
    raw = CORPUS.read_bytes().decode("utf-8")
    lines = raw.splitlines()
    assert all(line.strip() for line in lines), "blank lines in the corpus"
    assert "\\u" not in raw, "write with ensure_ascii=False, not \\u escapes"
    for number, line in enumerate(lines, 1):
        assert isinstance(json.loads(line), dict), f"line {number} is not a JSON object"


def test_there_are_enough_entries_and_ids_are_unique():
    entries = load()
    assert len(entries) >= 200
    ids = [entry["id"] for entry in entries]
    assert all(isinstance(i, int) for i in ids)
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]


def test_each_entry_has_the_documented_shape():
    for entry in load():
        where = f"id {entry.get('id')}"
        assert set(entry) == {"id", "style", "person", "text", "personal", "other_names", "keep"}, where
        assert entry["style"] in STYLES, where
        assert set(entry["person"]) == PERSON_FIELDS, where
        assert all(isinstance(value, str) for value in entry["person"].values()), where
        assert isinstance(entry["text"], str) and 10 <= len(entry["text"]) <= 400, where
        for item in entry["personal"]:
            assert set(item) == {"kind", "text"}, where
            assert item["kind"] in KINDS, (where, item)
            assert item["text"], where
        assert all(isinstance(s, str) and s for s in entry["other_names"]), where
        assert all(isinstance(s, str) and s for s in entry["keep"]), where


def test_every_annotated_string_occurs_in_its_text():
    missing = []
    for entry in load():
        strings = [item["text"] for item in entry["personal"]] + entry["other_names"] + entry["keep"]
        missing += [(entry["id"], s) for s in strings if s not in entry["text"]]
    assert not missing, missing


def test_other_names_and_other_name_items_agree():
    for entry in load():
        listed = {item["text"] for item in entry["personal"] if item["kind"] == "other_name"}
        assert listed == set(entry["other_names"]), entry["id"]


def test_no_keep_string_overlaps_a_personal_occurrence():
    overlaps = []
    for entry in load():
        text = entry["text"]
        hidden = [item["text"] for item in entry["personal"]] + entry["other_names"]
        hidden_spans = [span for s in hidden for span in spans(text, s)]
        for keep in entry["keep"]:
            for start, end in spans(text, keep):
                overlaps += [
                    (entry["id"], keep, text[a:b]) for a, b in hidden_spans if start < b and a < end
                ]
    assert not overlaps, overlaps


def test_every_kind_occurs_at_least_ten_times():
    counts = Counter(item["kind"] for entry in load() for item in entry["personal"])
    assert all(counts[kind] >= 10 for kind in KINDS), counts


def test_every_style_is_represented():
    counts = Counter(entry["style"] for entry in load())
    assert set(counts) == STYLES, counts


def test_at_least_thirty_texts_have_no_personal_data():
    clean = [entry for entry in load() if not entry["personal"] and not entry["other_names"]]
    assert len(clean) >= 30
