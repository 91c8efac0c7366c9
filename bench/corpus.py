"""A realistic synthetic corpus: Vietnamese and English articles about the negotiation and
unrelated news, with reprints and near-duplicates, as JSONL records or article pages.

Deterministic for a given seed, streamed (never all in memory), and labelled: every record says
which event it reports, so the benchmark can check that fast and naive paths agree."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta

from bench.pages import render_page

VN_PEOPLE = [
    ("Bộ trưởng Nguyễn Hồng Diên", "Minister Nguyen Hong Dien"),
    ("Quyền Bộ trưởng Lê Mạnh Hùng", "Acting Minister Le Manh Hung"),
    ("Thứ trưởng Nguyễn Sinh Nhật Tân", "Deputy Minister Nguyen Sinh Nhat Tan"),
]
US_PEOPLE = [
    ("Trưởng Đại diện Thương mại Hoa Kỳ Jamieson Greer", "U.S. Trade Representative Jamieson Greer"),
    ("Bộ trưởng Thương mại Hoa Kỳ Howard Lutnick", "U.S. Commerce Secretary Howard Lutnick"),
    ("Phó Đại diện Thương mại Hoa Kỳ Rick Switzer", "Deputy U.S. Trade Representative Rick Switzer"),
]
PLACES = [("Hà Nội", "Hanoi"), ("Washington D.C.", "Washington D.C.")]
FILLER_VI = [
    "Hai bên đánh giá cao tinh thần hợp tác và thiện chí của các đoàn đàm phán.",
    "Các nhóm kỹ thuật đã thảo luận chuyên sâu về thuế quan, quy tắc xuất xứ và thương mại số.",
    "Doanh nghiệp xuất khẩu kỳ vọng hiệp định sẽ tạo khuôn khổ ổn định cho thương mại song phương.",
    "Kim ngạch thương mại hai chiều tiếp tục tăng trưởng trong những tháng đầu năm.",
]
FILLER_EN = [
    "Both sides praised the constructive atmosphere of the talks.",
    "Technical teams discussed tariffs, rules of origin and digital trade in depth.",
    "Exporters hope the agreement will provide a stable framework for bilateral trade.",
    "Two-way trade continued to grow in the first months of the year.",
]
UNRELATED_VI = [
    "Giá vàng trong nước tăng mạnh phiên cuối tuần, vàng miếng lên mức cao nhất trong tháng.",
    "Thành phố triển khai nhiều giải pháp chống ngập trong mùa mưa năm nay.",
    "Ngân hàng Nhà nước điều chỉnh tỷ giá trung tâm, thị trường ngoại hối ổn định.",
    "Giải bóng đá vô địch quốc gia bước vào vòng đấu quyết định với nhiều bất ngờ.",
]
UNRELATED_EN = [
    "Rice exports to the Philippines rose in the first quarter, traders said.",
    "The central bank kept its policy rate unchanged as inflation eased.",
    "A new metro line opened to passengers in Ho Chi Minh City on Sunday.",
]
START = date(2025, 4, 7)


GOODS_VI = ["dệt may", "điện tử", "đồ gỗ", "thủy sản", "cà phê", "giày dép", "nông sản", "hạt điều", "thép", "máy móc"]
GOODS_EN = [
    "textiles",
    "electronics",
    "furniture",
    "seafood",
    "coffee",
    "footwear",
    "cashew nuts",
    "steel",
    "machinery",
]
CITIES = ["Bình Dương", "Đồng Nai", "Hải Phòng", "Bắc Ninh", "Long An", "Cần Thơ", "Đà Nẵng", "Quảng Ninh"]
DETAILS_VI = [
    "Theo số liệu mới nhất, xuất khẩu {good} sang thị trường này đạt {a} triệu USD trong {b} tháng, tăng {c}% so với cùng kỳ năm trước.",
    "Tại {city}, {a} doanh nghiệp {good} cho biết đơn hàng quý này tăng khoảng {c}%, nhưng chi phí logistics vẫn ở mức cao.",
    "Hiệp hội ngành {good} ước tính khoảng {a} nghìn lao động phụ thuộc vào các đơn hàng từ thị trường này.",
    "Ông {name}, giám đốc một doanh nghiệp {good} ở {city}, nói công ty đã chuẩn bị {b} phương án giá cho năm tới.",
    "Các chuyên gia của {institute} cho rằng biên lợi nhuận của ngành {good} có thể giảm {c}% nếu thuế quan không thay đổi.",
    "Lượng container rời cảng {city} trong {b} tuần gần đây đạt {a} nghìn TEU, cao hơn {c}% so với trung bình.",
]
DETAILS_EN = [
    "Exports of {good} to the market reached {a} million USD in {b} months, up {c} percent from a year earlier.",
    "In {city}, {a} {good} makers said orders this quarter rose by about {c} percent, though freight costs stayed high.",
    "The {good} association estimates that some {a} thousand workers depend on orders from the market.",
    "{name}, who runs a {good} company in {city}, said the firm had prepared {b} pricing scenarios for next year.",
    "Analysts at {institute} said margins in the {good} sector could shrink by {c} percent if tariffs stay unchanged.",
    "Container volumes leaving {city} over the past {b} weeks reached {a} thousand TEU, {c} percent above average.",
]
NAMES = ["Trần Văn Phúc", "Lê Thị Mai", "Phạm Quốc Bảo", "Nguyễn Thu Hà", "Đỗ Minh Khang", "Vũ Thanh Tùng"]
INSTITUTES = ["Viện Nghiên cứu Kinh tế", "một công ty chứng khoán", "Trung tâm WTO", "một ngân hàng quốc tế"]


def _details(rng: random.Random, lang: str, count: int) -> list[str]:
    """Sentences with their own numbers and names, so that two articles are only alike by design."""
    pool = DETAILS_VI if lang == "vi" else DETAILS_EN
    return [
        rng.choice(pool).format(
            good=rng.choice(GOODS_VI if lang == "vi" else GOODS_EN),
            city=rng.choice(CITIES),
            name=rng.choice(NAMES),
            institute=rng.choice(INSTITUTES),
            a=rng.randrange(2, 999),
            b=rng.randrange(2, 12),
            c=rng.randrange(1, 40),
        )
        for _ in range(count)
    ]


def _round_record(rng: random.Random, n: int, lang: str, published: date) -> dict[str, object]:
    first = START + timedelta(days=35 * (n - 1))
    last = first + timedelta(days=3)
    place_vi, place_en = PLACES[n % 2]
    vn_vi, vn_en = VN_PEOPLE[n % 3 if n < 6 else 1]
    fill = rng.sample(FILLER_VI if lang == "vi" else FILLER_EN, 2)
    if lang == "vi":
        title = f"Kết thúc vòng đàm phán thứ {n} Hiệp định Thương mại đối ứng"
        span = (
            f"{first.day}-{last.day}/{first.month}/{first.year}"
            if first.month == last.month
            else f"{first.day}/{first.month} - {last.day}/{last.month}/{last.year}"
        )
        lead = rng.choice(
            [
                f"Từ ngày {span}, tại {place_vi}, vòng đàm phán thứ {n} "
                f"Hiệp định Thương mại đối ứng giữa Việt Nam và Hoa Kỳ đã diễn ra dưới sự chủ trì của {vn_vi}.",
                f"Vòng đàm phán thứ {n} về Hiệp định Thương mại đối ứng giữa Việt Nam và Hoa Kỳ đã diễn ra từ ngày "
                f"{span} tại {place_vi}, do {vn_vi} dẫn đầu đoàn Việt Nam.",
            ]
        )
    else:
        title = f"Vietnam, US conclude round {n} of reciprocal trade talks"
        lead = rng.choice(
            [
                f"The round {n} of negotiations on the Agreement on Reciprocal Trade between Vietnam and the United "
                f"States took place in {place_en} from {first:%B} {first.day} to {last:%B} {last.day}, {first.year}, "
                f"led by {vn_en}.",
                f"Vietnam and the United States held round {n} of negotiations on the Agreement on Reciprocal Trade "
                f"in {place_en} from {first:%B} {first.day} to {last:%B} {last.day}, {first.year}, with {vn_en} "
                "leading the Vietnamese delegation.",
            ]
        )
    body = "\n".join([lead, *fill, *_details(rng, lang, rng.randrange(6, 12))])
    return {"title": title, "body": body, "language": lang, "published": published.isoformat(), "event": f"round-{n}"}


def _meeting_record(rng: random.Random, k: int, lang: str, published: date) -> dict[str, object]:
    day = START + timedelta(days=11 * k + 5)
    vn_vi, vn_en = VN_PEOPLE[k % 3]
    us_vi, us_en = US_PEOPLE[k % 3]
    place_vi, place_en = PLACES[k % 2]
    fill = rng.sample(FILLER_VI if lang == "vi" else FILLER_EN, 2)
    if lang == "vi":
        title = f"{vn_vi.split(' ', 2)[-1]} làm việc với đối tác Hoa Kỳ"
        lead = rng.choice(
            [
                f"Chiều {day.day}/{day.month}/{day.year}, tại {place_vi}, {vn_vi} đã có buổi làm việc với {us_vi} "
                "về Hiệp định Thương mại đối ứng.",
                f"Ngày {day.day}/{day.month}/{day.year}, tại {place_vi}, {vn_vi} đã có cuộc gặp với {us_vi} để trao "
                "đổi về tiến trình đàm phán Hiệp định Thương mại đối ứng.",
            ]
        )
    else:
        title = "Vietnamese and US officials meet on reciprocal trade"
        lead = rng.choice(
            [
                f"On {day:%B} {day.day}, {day.year}, in {place_en}, {vn_en} met {us_en} to discuss the Agreement on "
                "Reciprocal Trade.",
                f"In {place_en} on {day:%B} {day.day}, {day.year}, {vn_en} held talks with {us_en} on the Agreement "
                "on Reciprocal Trade.",
            ]
        )
    body = "\n".join([lead, *fill, *_details(rng, lang, rng.randrange(6, 12))])
    return {"title": title, "body": body, "language": lang, "published": published.isoformat(), "event": f"meeting-{k}"}


def _unrelated(rng: random.Random, lang: str, published: date) -> dict[str, object]:
    pool = UNRELATED_VI if lang == "vi" else UNRELATED_EN
    body = "\n".join([*rng.sample(pool, min(2, len(pool))), *_details(rng, lang, rng.randrange(5, 10))])
    return {"title": body[:60], "body": body, "language": lang, "published": published.isoformat(), "event": None}


def records(count: int, *, seed: int = 7, rounds: int = 12, meetings: int = 60) -> Iterator[dict[str, object]]:
    """`count` article records: ~45% about the negotiation (rounds and meetings, in both languages,
    many outlets per event), ~10% reprints and near-duplicates of those, the rest unrelated news."""
    rng = random.Random(seed)
    originals: list[dict[str, object]] = []
    for i in range(count):
        published = START + timedelta(days=rng.randrange(0, 420))
        roll = rng.random()
        lang = "vi" if rng.random() < 0.65 else "en"
        if roll < 0.10 and originals:
            source = dict(rng.choice(originals))
            paragraphs = str(source["body"]).split("\n")
            keep = paragraphs[: max(1, len(paragraphs) - rng.randrange(0, 2))]
            record = {**source, "title": "(Tin lại) " + str(source["title"]), "body": "\n".join(keep) + "\nTheo TTXVN"}
        elif roll < 0.25:
            n = rng.randrange(1, rounds + 1)
            record = _round_record(rng, n, lang, START + timedelta(days=35 * (n - 1) + 4 + rng.randrange(0, 3)))
        elif roll < 0.55:
            k = rng.randrange(0, meetings)
            record = _meeting_record(rng, k, lang, START + timedelta(days=11 * k + 6 + rng.randrange(0, 2)))
        else:
            record = _unrelated(rng, lang, published)
        record["url"] = f"https://news{rng.randrange(1, 41)}.example.vn/a-{seed}-{i}.html"
        record["source_id"] = str(record["url"]).split("/")[2].split(".")[0]
        if record.get("event"):
            originals.append(record)
        yield record


def as_page(record: dict[str, object]) -> dict[str, object]:
    """The record as a crawler keeps it: the outlet's whole page, and the label; title, text and
    date are for the parser to find in the page."""
    return {
        "url": record["url"],
        "source_id": record["source_id"],
        "html": render_page(record),
        "event": record.get("event"),
    }


def write_jsonl(path: str, count: int, *, pages: bool = False, **kwargs: object) -> None:
    """`count` records as JSONL: article texts, or (`pages`) their whole HTML pages."""
    with open(path, "w", encoding="utf-8") as handle:
        for record in records(count, **kwargs):  # type: ignore[arg-type]
            handle.write(json.dumps(as_page(record) if pages else record, ensure_ascii=False) + "\n")
