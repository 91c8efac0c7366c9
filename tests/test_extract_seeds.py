"""The seed labels (../shared/eval/seeds-gold.jsonl): every labelled event, with its facts."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from parsers.events import extract_events
from parsers.profile import WatchProfile
from parsers.seedfile import parse_seed_file
from parsers.text import fold
from tests.conftest import SEEDS
from tests.eval.score import pair_events

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))
FIELDS = ("kind", "number", "mode", "status", "start", "end", "location", "vn_side", "us_side")


def extracted(name: str, profile: WatchProfile, transform=lambda s: s) -> tuple[bool, list[dict[str, Any]]]:
    text = transform((SEEDS / name).read_text(encoding="utf-8"))
    result = extract_events(parse_seed_file(name, text), profile)
    return result.relevant, [e.to_json() for e in result.events]


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_labelled_event_is_found_with_its_facts(name, profile, seeds_gold):
    label = seeds_gold[name]
    relevant, events = extracted(name, profile)
    assert relevant == label["relevant"]
    pairs = pair_events(label["events"], events)
    assert len(pairs) == len(label["events"]) == len(events), "one extracted event per labelled event"
    for gi, pi in pairs:
        gold, got = label["events"][gi], events[pi]
        for field in FIELDS:
            want = sorted(gold[field]) if isinstance(gold[field], list) else gold[field]
            have = sorted(got[field]) if isinstance(got[field], list) else got[field]
            assert have == want, f"{gold['event_ref']}.{field}"
        assert gold["evidence"] in got["evidence"] or gold["evidence"] in (SEEDS / name).read_text(encoding="utf-8")
        if "topics" in gold:
            assert sorted(got["topics"]) == sorted(gold["topics"])


@pytest.mark.parametrize("name", SEED_FILES)
def test_evidence_is_a_sentence_of_the_article(name, profile):
    text = parse_seed_file(name, (SEEDS / name).read_text(encoding="utf-8")).full_text
    for event in extracted(name, profile)[1]:
        assert text[event["position"] : event["position"] + len(event["evidence"])] == event["evidence"]


@pytest.mark.parametrize(
    ("name", "not_event"),
    [
        ("000_1fb59537245cd6df.txt", "Gulf of America"),  # a company
        ("000_1fb59537245cd6df.txt", "Damond"),  # a consulting firm; a former official
        ("002_d436dac1ee0d164f.txt", "Costa Rica"),  # a third country, CPTPP
        ("001_e7ceec54ec5c2c73.txt", "USABC"),  # requests to a business council
    ],
)
def test_look_alikes_are_not_events(name, not_event, profile):
    for event in extracted(name, profile)[1]:
        assert not_event not in event["evidence"]


@pytest.mark.parametrize("name", SEED_FILES)
def test_decomposed_unicode_gives_the_same_events(name, profile):
    nfd = extracted(name, profile, lambda s: unicodedata.normalize("NFD", s))
    assert nfd == extracted(name, profile)


def test_names_without_diacritics_are_matched(profile):
    text = (
        " date 2025-11-14 On November 12, Deputy Minister Nguyen Sinh Nhat Tan met Deputy USTR Rick Switzer "
        "in Washington D.C. to launch the fifth round of negotiations on the Reciprocal Trade Agreement.\n"
        "The fifth round of negotiations runs from November 12-14, 2025 in Washington D.C., led by Minister "
        "Nguyen Hong Dien and U.S. Trade Representative Jamieson Greer."
    )
    events = {e.kind: e for e in extract_events(parse_seed_file("en.txt", text), profile).events}
    assert events["meeting"].vn_side == ("Nguyễn Sinh Nhật Tân",)
    assert events["meeting"].us_side == ("Rick Switzer",)
    assert str(events["meeting"].start_date) == "2025-11-12"
    assert events["round"].number == 5
    assert events["round"].vn_side == ("Nguyễn Hồng Diên",)
    assert str(events["round"].start_date) == "2025-11-12" and str(events["round"].end_date) == "2025-11-14"
    assert fold("Nguyễn Hồng Diên") == "Nguyen Hong Dien"


def test_another_negotiation_is_not_this_watch(profile):
    text = (
        " date 2025-11-20 Vòng đàm phán thứ 19 Hiệp định Thương mại tự do Việt Nam - EFTA diễn ra từ ngày "
        "17-20/11 tại Geneva. Thứ trưởng Nguyễn Sinh Nhật Tân dẫn đầu đoàn Việt Nam.\n"
        "Hai bên thảo luận các chương còn lại của Hiệp định VN-EFTA."
    )
    result = extract_events(parse_seed_file("efta.txt", text), profile)
    assert result.relevant is False
    assert result.events == ()
