import pytest

from parsers.ordinals import ordinal_after, ordinal_before


@pytest.mark.parametrize(
    ("after", "number"),
    [
        (" lần thứ 5 Hiệp định", 5),
        (" thương mại song phương lần 3", 3),
        (" trực tiếp lần thứ 5", 5),
        (" thứ 6 Hiệp định", 6),
        (" thứ năm vào tháng 11", 5),
        (" lần thứ tám", 8),
        (" kỹ thuật lần thứ 5, Việt Nam", 5),
        (" đầu tiên giữa hai nước", 1),
        (" lần này", None),
        (" tiếp theo", None),
        (" cấp kỹ thuật Hiệp định Thương mại đối ứng", None),
        (", Hội nghị Cấp cao ASEAN lần thứ 47", None),  # belongs to something else
        (" với EFTA lần thứ 19", None),
    ],
)
def test_vietnamese_ordinal_after_trigger(after, number):
    assert ordinal_after(after) == number


@pytest.mark.parametrize(
    ("before", "number"),
    [
        ("the fifth ", 5),
        ("The 6th ", 6),
        ("the sixth in-person ", 6),
        ("a new ", None),
        ("APEC's 31st meeting, the ", None),
    ],
)
def test_english_ordinal_before_trigger(before, number):
    assert ordinal_before(before) == number
