"""The watch profile's geography: which places can be where one in-person meeting was held."""

from __future__ import annotations

import pytest

from parsers.profile import ProfileError, WatchProfile, parse_profile


def test_a_city_is_one_place_with_its_country_and_apart_from_others(profile: WatchProfile):
    where = profile.geography
    assert where.country_of("Washington D.C.") == "United States"
    assert not where.apart("Washington D.C.", "United States")
    assert where.apart("Washington D.C.", "Malaysia")
    assert where.apart("Washington D.C.", "Kuala Lumpur")
    assert where.apart("Malaysia", "United States")
    # A city whose country the profile does not give may be in any country.
    assert not where.apart("Brussels", "United States")


def test_within_must_name_a_country_of_the_profile():
    text = """
[watch]
id = "w"
names = ["W"]

[[place]]
name = "Kuala Lumpur"
within = "Malaysia"
"""
    with pytest.raises(ProfileError, match="within names 'Malaysia'"):
        parse_profile(text)
    parse_profile(text + '\n[[place]]\nname = "Malaysia"\ncountry = true\n')
