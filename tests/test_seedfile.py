import unicodedata
from datetime import date

from parsers.seedfile import parse_published_marker, parse_seed_file
from tests.conftest import SEEDS


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_date_marker_gives_publication_date_and_is_not_text():
    article = parse_seed_file("000.txt", seed("000_1fb59537245cd6df.txt"))
    assert article.published == date(2025, 11, 14)
    assert article.body.startswith("Từ ngày 12-14/11")
    assert "date 2025" not in article.body


def test_month_only_marker_gives_a_month_not_a_day():
    published, rest = parse_published_marker(" date 2025-06 Hà Nội, ...")
    assert published is None  # day 1 would resolve "on Friday" and statuses against a day nobody gave
    assert rest == "Hà Nội, ..."
    article = parse_seed_file("x.txt", " date 2025-06 Hà Nội, ngày 26/6 đưa tin...\nThân bài.")
    assert article.published is None and article.published_month == (2025, 6)


def test_the_pages_own_header_date_is_its_publication_date():
    text = "Đàm phán thuế đối ứng\n15/11/2025 17:31 GMT+7\nNgày 26/10/2025, bên lề Hội nghị ..."
    assert parse_seed_file("x.txt", text).published == date(2025, 11, 15)
    # A date in a sentence of the story is an event's, not the page's.
    assert (
        parse_seed_file(
            "y.txt", "Tiêu đề\nNgày 26/10/2025, bên lề Hội nghị Cấp cao ASEAN tại Kuala Lumpur, hai bên ký."
        ).published
        is None
    )


def test_a_month_name_with_slashes_is_a_header_date():
    text = "Chinh meets Trump\n\nNinh Gia Tuesday, Oct/28/2025 - 11:02\nListen to Audio\n\nThe two leaders met."
    assert parse_seed_file("x.txt", text).published == date(2025, 10, 28)


def test_a_header_date_below_a_sites_menu_is_the_publication_date():
    menu = "".join(
        f"  • {item}\n" for item in ("Home", "Latest", "Finance", "Tech", "Leadership", "Lifestyle", "Rankings")
    )
    text = (
        f"{menu}  • Multimedia\nFinance\nAsia\n\nTrump touts a Vietnam trade deal victory—but details remain "
        "unclear\n\nBy\nA Reporter\nJuly 3, 2025, 1:45 AM ET\n\nOn Wednesday, Trump announced the tariff on "
        "Vietnamese exports to the United States, and more.\n"
    )
    assert parse_seed_file("x.txt", text).published == date(2025, 7, 3)
    # Once the story has begun, a date on a short line is no longer the header's.
    sentence = "The two sides met in Hanoi on Monday to discuss the tariff and the rest of their long agenda.\n"
    story_first = "Headline\n" + sentence * 9
    assert parse_seed_file("y.txt", story_first + "July 3, 2025\n").published is None


def test_a_header_date_glued_to_its_label_is_read():
    text = (
        "Trump meets Vietnam leader\nPHOTO: Reuters\nPUBLISHED ONFebruary 21, 2026 4:19 AM\n\nWASHINGTON – The two met."
    )
    assert parse_seed_file("x.txt", text).published == date(2026, 2, 21)


def test_no_marker_means_no_publication_date():
    article = parse_seed_file("002.txt", seed("002_d436dac1ee0d164f.txt"))
    assert article.published is None


def test_headline_is_taken_only_when_the_first_line_is_one():
    assert parse_seed_file("001.txt", seed("001_e7ceec54ec5c2c73.txt")).title == (
        "Việt Nam - Hoa Kỳ đạt nhiều kết quả tích cực tại vòng đàm phán thương mại song phương lần 3"
    )
    # A first paragraph that ends like a sentence is body text.
    for name in ("002_d436dac1ee0d164f.txt", "003_765b38809bddbffd.txt"):
        assert parse_seed_file(name, seed(name)).title is None


def test_site_chrome_after_the_article_is_dropped():
    article = parse_seed_file("001.txt", seed("001_e7ceec54ec5c2c73.txt"))
    for chrome in ("Tin bài liên quan", "Đọc nhiều", "Multimedia", "[Video]", "Các tin bài khác", "Knapper"):
        assert chrome not in article.body
    assert article.body.rstrip().endswith("cùng có lợi. |")


def test_decomposed_text_is_normalised_to_nfc():
    text = seed("004_2627bbce2cb4f5a2.txt")
    nfd = parse_seed_file("x.txt", unicodedata.normalize("NFD", text))
    nfc = parse_seed_file("x.txt", text)
    assert nfd.body == nfc.body
    assert unicodedata.is_normalized("NFC", nfd.body)


def test_language_is_guessed():
    assert parse_seed_file("a.txt", seed("000_1fb59537245cd6df.txt")).language == "vi"
    english = "The fifth round of negotiations on the Agreement on Reciprocal Trade took place in Washington."
    assert parse_seed_file("b.txt", english + "\n" + english).language == "en"


def test_an_american_byline_is_read_by_the_dates_of_its_story():
    text = (
        "Trade deal announced\nBy A Reporter\n7/2/2025Updated: 7/2/2025\n\nThe president spoke at the White "
        "House on June 27, 2025, and confirmed the deal on Wednesday."
    )
    assert parse_seed_file("x.txt", text).published == date(2025, 7, 2)
    # Alone, a Vietnamese page's date is day first.
    assert parse_seed_file("y.txt", "Tin thương mại\n7/2/2025\n\nHai bên đã trao đổi.").published == date(2025, 2, 7)
