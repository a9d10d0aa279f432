"""``anju bench redact``: the redactor on the fixed corpus of the test suite
(``anju/lib/tests/redaction_corpus.jsonl``): what it hides and misses, and what it costs per
text, with and without the name net of the word segmenter (jieba)."""

import json
import time
from collections import Counter
from pathlib import Path

from anju.lib import redact as redactor
from anju.lib.redact import Person, find

CORPUS_PATH = Path(redactor.__file__).parent / "tests" / "redaction_corpus.jsonl"
# Kinds never to miss, whoever's they are.
NEVER_MISSED = ("name", "phone", "landline", "id", "email", "address")


def corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS_PATH.read_text("utf-8").splitlines() if line.strip()]


def _occurrences(text: str, part: str):
    start = text.find(part)
    while start >= 0:
        yield set(range(start, start + len(part)))
        start = text.find(part, start + 1)


def measure(entries: list[dict] | None = None) -> dict:
    """Per kind, how many occurrences there are and how many the redactor left visible; how many
    characters of ordinary words (outside every annotated name and datum) it blanked."""
    found, missed = Counter(), Counter()
    ordinary = blanked = 0
    for entry in entries if entries is not None else corpus():
        text = entry["text"]
        hidden = {i for start, end in find(text, [Person(**entry["person"])]) for i in range(start, end)}
        annotated = set()
        items = [(item["kind"], item["text"]) for item in entry["personal"] if item["kind"] != "other_name"]
        items += [("other_name", name) for name in entry["other_names"]]
        for kind, part in items:
            for positions in _occurrences(text, part):
                annotated |= positions
                found[kind] += 1
                missed[kind] += not positions <= hidden
        ordinary += len(text) - len(annotated)
        blanked += len(hidden - annotated)
    return {"found": found, "missed": missed, "ordinary": ordinary, "blanked": blanked}


def timing(repeat: int = 5) -> dict:
    """Milliseconds per text of the corpus, with the name net and with the rules alone."""
    entries = corpus()
    started = time.perf_counter()
    redactor.tagged_names("载入")  # the segmenter's dictionary, once per process
    load = time.perf_counter() - started

    def per_text() -> float:
        started = time.perf_counter()
        for _ in range(repeat):
            for entry in entries:
                find(entry["text"], [Person(**entry["person"])])
        return 1000 * (time.perf_counter() - started) / (repeat * len(entries))

    with_net = per_text()
    net, redactor.tagged_names = redactor.tagged_names, lambda text: []
    try:
        rules_only = per_text()
    finally:
        redactor.tagged_names = net
    return {"texts": len(entries), "repeat": repeat, "load_s": load, "ms_per_text": with_net,
            "ms_per_text_rules_only": rules_only}


def format_table(figures: dict, times: dict) -> str:
    lines = []
    for kind in (*NEVER_MISSED, "other_name"):
        found, missed = figures["found"][kind], figures["missed"][kind]
        lines.append(f"{kind:11} {found:4} found, {missed:3} missed, {100 * (found - missed) / found:5.1f} % hidden")
    lines.append(f"ordinary words: {figures['blanked']} of {figures['ordinary']} characters blanked, "
                 f"{100 * figures['blanked'] / figures['ordinary']:.2f} %")
    lines.append(f"time: {times['ms_per_text']:.2f} ms per text with the name net, "
                 f"{times['ms_per_text_rules_only']:.2f} ms with the rules alone "
                 f"({times['texts']} texts x {times['repeat']}); segmenter loaded in {times['load_s']:.2f} s")
    return "\n".join(lines)
