"""Patterns of real news, each pinned by a short text written for the test (the real pages that
showed them are scored in `make eval`, never copied here)."""

from __future__ import annotations

from datetime import date

from parsers.events import extract_events
from parsers.models import Event
from parsers.profile import WatchProfile
from parsers.seedfile import parse_seed_file


def events(text: str, profile: WatchProfile) -> list[Event]:
    return list(extract_events(parse_seed_file("t.txt", text), profile).events)


def test_a_place_before_the_title_does_not_make_the_official_foreign(profile):
    # "tại <country>, Chủ tịch nước X": the comma ends the place; the title is Vietnam's.
    found = events(
        " date 2025-10-29 Ngày 29/10, nhân dịp dự hội nghị cấp cao tại Nhật Bản, Chủ tịch nước Trần Văn Nam đã "
        "có cuộc gặp với Tổng thống Hoa Kỳ Donald Trump bàn về Hiệp định Thương mại đối ứng.",
        profile,
    )
    meetings = [e for e in found if e.kind == "meeting"]
    assert [m.vn_side for m in meetings] == [("Trần Văn Nam",)]
    assert str(meetings[0].start_date) == "2025-10-29"


def test_the_mode_is_the_nearest_word_not_another_events_trigger(profile):
    found = events(
        " date 2025-06-05 Bộ trưởng Nguyễn Hồng Diên và Đại diện Thương mại Jamieson Greer đã có phiên đàm phán "
        "cấp Bộ trưởng trực tiếp tại Paris ngày 4/6, sau cuộc họp trực tuyến hồi tháng 4 về Hiệp định Thương mại "
        "đối ứng.",
        profile,
    )
    session = next(e for e in found if e.kind == "ministerial_session")
    assert session.mode == "in_person"


def test_continuing_the_work_is_no_round_but_next_week_is(profile):
    base = (
        " date 2025-09-10 Bộ trưởng Nguyễn Hồng Diên và Đại sứ Marc Knapper nhất trí {} với Hoa Kỳ về Hiệp định "
        "Thương mại đối ứng."
    )
    assert [e.kind for e in events(base.format("tiếp tục đàm phán kỹ thuật"), profile) if e.kind == "round"] == []
    planned = [
        e for e in events(base.format("tiếp tục đàm phán kỹ thuật trong tuần tới"), profile) if e.kind == "round"
    ]
    assert [e.status for e in planned] == ["planned"]


def test_a_sentence_glued_to_the_last_one_is_read_on_its_own(profile):
    # "...sang Mỹ.Sau khi": no space after the stop, and the last sentence names a third country.
    found = events(
        " date 2025-06-02 Việt Nam và Hoa Kỳ đàm phán Hiệp định Thương mại đối ứng.\n\nMỹ lo ngại linh kiện của "
        "Trung Quốc vào Mỹ.Sau khi kết thúc vòng đàm phán thương mại thứ hai, phía Mỹ đưa ra thêm yêu cầu.",
        profile,
    )
    assert [e.number for e in found if e.kind == "round"] == [2]


def test_an_announced_deal_has_happened_whatever_it_will_do(profile):
    # Undated, "on Wednesday" cannot be placed: the verb, not the "will" after it, says it happened.
    found = events(
        "President Donald Trump on Wednesday announced a new trade agreement with Vietnam that he says will give "
        "American goods access to its market.",
        profile,
    )
    assert [(e.kind, e.status) for e in found] == [("statement", "held")]


def test_a_negotiating_delegation_travelling_to_washington_is_a_round(profile):
    for text in (
        " date 2025-10-05 Trong tháng 10, đoàn đàm phán của Việt Nam sẽ có chuyến công tác sang Hoa Kỳ để trao đổi "
        "về Hiệp định Thương mại đối ứng.",
        " date 2025-10-05 A Vietnamese delegation is set to visit Washington later this month to wrap up the "
        "reciprocal trade agreement.",
    ):
        rounds = [e for e in events(text, profile) if e.kind == "round"]
        assert [r.status for r in rounds] == ["planned"], text


def test_a_time_given_again_in_vietnam_time_is_the_same_event(profile):
    found = events(
        " date 2025-04-09 Phó Thủ tướng Hồ Đức Phớc dự kiến hội đàm với Bộ trưởng Tài chính Mỹ Scott Bessent hôm "
        "nay (9/4) về thuế đối ứng.\n\nCuộc gặp giữa Phó Thủ tướng Hồ Đức Phớc và Bộ trưởng Bessent dự kiến diễn ra "
        "lúc 16h theo giờ Washington, tương ứng với 3h sáng ngày 10/4 giờ Việt Nam.",
        profile,
    )
    meetings = [e for e in found if e.kind == "meeting"]
    assert [str(m.start_date) for m in meetings] == ["2025-04-09"]


def test_an_undated_page_of_earlier_years_reports_no_meeting_of_unlisted_officials(profile):
    history = (
        "Prime Minister Tran Van Binh met US President Donald Trump in Hanoi on November 12, the first visit of "
        "a US president since 2016. Vietnam's exports to the US grew 30% in 2017."
    )
    assert events(history, profile) == []
    # The same meeting on a page that speaks of this year is news.
    assert [e.kind for e in events(history.replace("2017", "2025"), profile)] == ["meeting"]


def test_a_proposal_to_reach_a_deal_is_no_statement(profile):
    found = events(
        " date 2025-04-10 Phó Thủ tướng Hồ Đức Phớc đề nghị Việt Nam và Hoa Kỳ sớm trao đổi cụ thể để đạt "
        "thỏa thuận trong thời gian sớm nhất.",
        profile,
    )
    assert [e for e in found if e.kind == "statement"] == []


def test_an_assistant_secretary_of_the_us_commerce_department_is_on_the_us_side(profile):
    found = events(
        " date 2026-02-19 Quyền Bộ trưởng Bộ Công Thương Lê Mạnh Hùng đã có cuộc trao đổi với ông David Fogel, Trợ "
        "lý Bộ trưởng Bộ Thương mại, về Hiệp định Thương mại đối ứng với Hoa Kỳ ngày 18/2.",
        profile,
    )
    meetings = [e for e in found if e.kind == "meeting"]
    assert [m.us_side for m in meetings] == [("David Fogel",)]


def test_a_back_reference_naming_others_is_another_event_than_its_sentences(profile):
    # "..., sau cuộc gọi của Trump với Tô Lâm ngày 4/4": the 4 April is that call's, not the talk's.
    found = events(
        " date 2025-04-26 Đại diện Thương mại Hoa Kỳ Jamieson Greer trong tuần này đã có cuộc họp trực tuyến với Bộ "
        "trưởng Công Thương Nguyễn Hồng Diên về thuế đối ứng, sau cuộc gọi của Tổng thống Donald Trump với Tổng Bí "
        "thư Tô Lâm ngày 4/4.",
        profile,
    )
    talk = next(e for e in found if "Jamieson Greer" in e.us_side)
    assert talk.start_date != date(2025, 4, 4)
    assert talk.start_date is None  # "trong tuần này": a week, not a day
    call = next(e for e in found if "Donald Trump" in e.us_side)
    assert (call.kind, call.start_date, call.vn_side) == ("call", date(2025, 4, 4), ("Tô Lâm",))


def test_a_meeting_of_an_earlier_governments_official_is_history(profile):
    # No year anywhere: the profile's list of officials who left office before the watch says so.
    text = (
        "Thủ tướng Nguyễn Xuân Phúc đã gặp Tổng thống Mỹ Donald Trump bên lề hội nghị thượng đỉnh, trao đổi về "
        "thương mại song phương và thuế quan giữa Việt Nam và Hoa Kỳ."
    )
    assert events(text, profile) == []
    # The same sentence with a leader of today's government is news.
    assert [e.kind for e in events(text.replace("Nguyễn Xuân Phúc", "Phạm Minh Chính"), profile)] == ["meeting"]


def test_a_technical_visit_early_in_the_month_is_not_the_round_later_in_it(profile):
    found = events(
        " date 2025-05-20 Vòng đàm phán thứ hai về Hiệp định Thương mại đối ứng giữa Việt Nam và Hoa Kỳ diễn ra từ "
        "ngày 19-22/5 tại Washington.\n\nĐoàn trao đổi cấp kỹ thuật của Việt Nam đã sang Mỹ, làm việc với các cơ "
        "quan của Hoa Kỳ từ đầu tháng 5.",
        profile,
    )
    rounds = sorted((e.number or 0, str(e.start_date), e.location) for e in found if e.kind == "round")
    assert rounds == [(0, "None", "United States"), (2, "2025-05-19", "Washington D.C.")]
    # "làm việc với các cơ quan": the delegation's work, no meeting of its own
    assert [e.kind for e in found if e.kind == "meeting"] == []


def test_working_sessions_with_two_officials_are_two_meetings_unless_with_both(profile):
    serial = (
        " date 2025-04-11 On April 10, Deputy Prime Minister Ho Duc Phoc held working sessions with US Treasury "
        "Secretary Scott Bessent and Commerce Secretary Howard Lutnick on the reciprocal trade agreement."
    )
    meetings = sorted(e.us_side for e in events(serial, profile) if e.kind == "meeting")
    assert meetings == [("Howard Lutnick",), ("Scott Bessent",)]
    joint = serial.replace("sessions with US", "sessions with both US")
    meetings = [e.us_side for e in events(joint, profile) if e.kind == "meeting"]
    assert meetings == [("Howard Lutnick", "Scott Bessent")]


def test_a_session_on_the_last_day_of_a_round_takes_that_day(profile):
    found = events(
        " date 2025-06-14 Vòng đàm phán thứ ba Hiệp định Thương mại đối ứng giữa Việt Nam và Hoa Kỳ diễn ra từ ngày "
        "9-12/6 tại Washington.\n\nVào buổi chiều ngày làm việc cuối cùng, Bộ trưởng Nguyễn Hồng Diên đã có phiên "
        "đàm phán cấp Bộ trưởng với Bộ trưởng Thương mại Howard Lutnick.",
        profile,
    )
    session = next(e for e in found if e.kind == "ministerial_session")
    assert str(session.start_date) == "2025-06-12"


def test_a_round_just_concluded_did_not_begin_on_the_day_of_the_report(profile):
    found = events(
        " date 2025-06-19 Việt Nam và Hoa Kỳ vừa kết thúc vòng đàm phán thứ ba về Hiệp định Thương mại đối ứng tại "
        "Washington.",
        profile,
    )
    assert [(e.number, e.start_date) for e in found if e.kind == "round"] == [(3, None)]


def test_the_host_who_invited_is_not_at_the_meeting(profile):
    found = events(
        " date 2026-02-20 General Secretary To Lam received US Trade Representative Jamieson Greer in Washington "
        "on February 19, on the occasion of a summit he attended at the invitation of US President Donald Trump.",
        profile,
    )
    assert [(e.kind, e.us_side) for e in found] == [("meeting", ("Jamieson Greer",))]


def test_a_hinted_meeting_is_no_meeting_but_a_call_in_april_is_a_call(profile):
    found = events(
        "The deal follows months of talks, including a call in April where General Secretary To Lam offered to cut "
        "tariffs on US goods. President Donald Trump hinted at a future meeting with the Vietnamese leader.",
        profile,
    )
    assert [(e.kind, e.vn_side) for e in found] == [("call", ("Tô Lâm",))]


def test_a_call_with_the_president_elect_is_not_this_negotiation(profile):
    text = (
        "Tổng Bí thư Tô Lâm điện đàm với ông Donald Trump\nTối 11/11, Tổng Bí thư Tô Lâm đã điện đàm với Tổng thống "
        "đắc cử Mỹ Donald Trump, trao đổi về quan hệ kinh tế, thương mại Việt Nam - Hoa Kỳ."
    )
    assert events(text, profile) == []
    assert [e.kind for e in events(text.replace("Tổng thống đắc cử Mỹ", "Tổng thống Mỹ"), profile)] == ["call"]


def test_a_trip_to_the_next_session_gives_the_round_its_place(profile):
    # The sentence after the numbered round says where the delegation goes "for this session".
    found = events(
        " date 2026-01-29 Thứ trưởng cho biết Việt Nam sẽ đàm phán phiên thứ 6 về thuế đối ứng với Mỹ vào tuần sau."
        "\n\nĐoàn đàm phán do Bộ trưởng Công Thương Trần Văn Nam làm trưởng đoàn sẽ sang Mỹ để chuẩn bị cho phiên "
        "đàm phán lần này.",
        profile,
    )
    assert [(e.number, e.location) for e in found if e.kind == "round"] == [(6, "United States")]


def test_discussions_held_earlier_in_another_country_are_another_meeting(profile):
    found = events(
        "WASHINGTON DC — Minister Nguyen Hong Dien had a working session with Under Secretary of State Jacob "
        "Helberg in Washington DC, as part of his visit for the reciprocal trade negotiations.\n\nHelberg recalled "
        "discussions with Minister Dien held earlier in Malaysia on cooperation in technology.",
        profile,
    )
    assert sorted(e.location or "" for e in found if e.kind == "meeting") == ["Malaysia", "Washington D.C."]


def test_meeting_two_secretaries_is_two_meetings_but_a_plan_to_meet_them_is_one(profile):
    held = events(
        " date 2025-04-11 Deputy Prime Minister Ho Duc Phoc met with US Treasury Secretary Scott Bessent and "
        "Commerce Secretary Howard Lutnick in Washington on April 10 to discuss a reciprocal trade agreement.",
        profile,
    )
    assert sorted(e.us_side for e in held if e.kind == "meeting") == [("Howard Lutnick",), ("Scott Bessent",)]
    planned = events(
        " date 2025-04-08 Deputy Prime Minister Ho Duc Phoc plans to meet with Treasury Secretary Scott Bessent "
        "and Commerce Secretary Howard Lutnick in Washington this week about a reciprocal trade agreement.",
        profile,
    )
    assert [e.us_side for e in planned if e.kind == "meeting"] == [("Howard Lutnick", "Scott Bessent")]


def test_the_envoy_meets_not_the_leader_who_sent_him(profile):
    found = events(
        " date 2025-04-11 Đặc phái viên của ông Tô Lâm là Phó Thủ tướng Hồ Đức Phớc đã đến Mỹ, gặp Bộ trưởng "
        "Tài chính Scott Bessent về thuế đối ứng.\n\nThe meeting took place between Deputy Prime Minister Ho Duc "
        "Phoc, who is also the Special Envoy of General Secretary of the Communist Party of Vietnam To Lam, and US "
        "Trade Representative Jamieson Greer.",
        profile,
    )
    assert {e.vn_side for e in found if e.kind == "meeting"} == {("Hồ Đức Phớc",)}


def test_an_old_caption_calling_him_president_elect_does_not_make_a_later_call_history(profile):
    found = events(
        " date 2025-07-02 U.S. President-elect Donald Trump smiles during a rally in Phoenix.\n\nPresident Donald "
        "Trump announced a trade deal with Vietnam on Wednesday. “I have just made a Trade Deal with the Socialist "
        "Republic of Vietnam after speaking with To Lam, the General Secretary,” he wrote.",
        profile,
    )
    calls = [e for e in found if e.kind == "call"]
    # The call led to the deal announced that day.
    assert [(c.vn_side, c.us_side, c.mode, str(c.start_date)) for c in calls] == [
        (("Tô Lâm",), ("Donald Trump",), "phone", "2025-07-02")
    ]


def test_speaking_personally_with_a_leader_is_a_call_not_a_meeting_in_a_room(profile):
    found = events(
        " date 2025-07-03 Tổng thống Donald Trump cho biết đã đạt thỏa thuận thương mại với Việt Nam sau khi trực "
        "tiếp nói chuyện với Tổng Bí thư Tô Lâm.",
        profile,
    )
    assert [(e.kind, e.mode) for e in found if e.kind != "statement"] == [("call", "phone")]


def test_a_virtual_call_is_a_call(profile):
    found = events(
        " date 2025-10-15 Deputy Minister Nguyen Sinh Nhat Tan told Deputy US Trade Representative Rick Switzer "
        "during a virtual call on October 14 that Vietnam wants to conclude the reciprocal trade agreement.",
        profile,
    )
    assert [(e.kind, str(e.start_date)) for e in found] == [("call", "2025-10-14")]


def test_being_close_to_a_deal_or_pressing_for_one_is_no_statement(profile):
    for text in (
        "Negotiators are close to a framework agreement on reciprocal trade between Vietnam and the United States.",
        "General Secretary To Lam is planning a trip to Washington to press U.S. leaders for a framework agreement "
        "on reciprocal trade.",
        "Thủ tướng yêu cầu đoàn đàm phán nỗ lực để sớm đạt được thỏa thuận với Hoa Kỳ về thương mại đối ứng.",
    ):
        assert [e.kind for e in events(" date 2025-06-20 " + text, profile) if e.kind == "statement"] == [], text


def test_negotiations_going_on_online_are_no_call(profile):
    text = (
        " date 2025-06-20 The visit comes amid stalled online negotiations between Vietnam and the United States, "
        "with Minister Nguyen Hong Dien urging Jamieson Greer to lower the tariff in May."
    )
    assert [e for e in events(text, profile) if e.kind == "call"] == []


def test_a_call_between_two_roles_is_still_the_two_governments(profile):
    found = events(
        " date 2025-04-25 Cuộc điện đàm của Bộ trưởng Công thương Việt Nam với Trưởng đại diện thương mại Mỹ vào "
        "tối 23/4 đã thống nhất khởi động đàm phán Hiệp định Thương mại đối ứng.\n\nTrước đó, Tổng Bí thư Tô Lâm "
        "đã điện đàm với Tổng thống Donald Trump.",
        profile,
    )
    assert sorted((e.vn_side, e.us_side, str(e.start_date)) for e in found if e.kind == "call") == [
        ((), (), "2025-04-23"),
        (("Tô Lâm",), ("Donald Trump",), "None"),
    ]


def test_the_ministerial_talks_named_again_are_no_second_session(profile):
    found = events(
        " date 2025-11-14 The working session followed up on the eighth ministerial-level negotiations on November "
        "10 between Minister Nguyen Hong Dien and US Trade Representative Jamieson Greer. Deputy Minister Nguyen "
        "Sinh Nhat Tan discussed key issues from the ministerial talks and agreed on topics for the technical teams.",
        profile,
    )
    assert [(e.number, str(e.start_date)) for e in found if e.kind == "ministerial_session"] == [(8, "2025-11-10")]


def test_a_report_that_opens_on_a_government_meeting_is_not_about_the_negotiation(profile):
    from parsers.relevance import is_relevant

    text = (
        " date 2025-04-22 Tại cuộc họp Thường trực Chính phủ ngày 22/4, Thủ tướng khẳng định Việt Nam sẵn sàng đàm "
        "phán Hiệp định Thương mại đối ứng với Hoa Kỳ.\n\nThủ tướng yêu cầu các bộ, ngành chuẩn bị kỹ nội dung."
    )
    assert not is_relevant(parse_seed_file("t.txt", text), profile)
    reported = text.replace("Tại cuộc họp Thường trực Chính phủ ngày 22/4, Thủ", "Ngày 22/4, Thủ")
    assert is_relevant(parse_seed_file("t.txt", reported), profile)


def test_his_visit_names_the_visitor_and_its_place(profile):
    found = events(
        " date 2025-04-09 Deputy Prime Minister Ho Duc Phoc is on a visit to the United States this week."
        "\n\nThe key focus of his visit is a meeting with U.S. Treasury Secretary Scott Bessent on tariffs.",
        profile,
    )
    assert [(e.vn_side, e.us_side, e.location) for e in found if e.kind == "meeting"] == [
        (("Hồ Đức Phớc",), ("Scott Bessent",), "United States")
    ]


def test_an_invited_visit_or_another_trip_is_not_where_the_meeting_was(profile):
    found = events(
        " date 2025-10-27 Prime Minister Pham Minh Chinh met with President Donald Trump on the sidelines of the "
        "summit to discuss the reciprocal trade agreement.\n\nPrime Minister Pham Minh Chinh conveyed the invitation "
        "of the leaders of Viet Nam for President Donald Trump to pay an official visit to Viet Nam.",
        profile,
    )
    assert [(e.kind, e.location) for e in found] == [("meeting", None)]


def test_who_appointed_the_negotiator_did_not_meet(profile):
    found = events(
        " date 2025-04-10 Deputy Prime Minister Ho Duc Phoc has been appointed by top leader To Lam to negotiate "
        "with the United States on tariffs, and he met with US Trade Representative Jamieson Greer on Wednesday.",
        profile,
    )
    assert [e.vn_side for e in found if e.kind == "meeting"] == [("Hồ Đức Phớc",)]


def test_a_caption_or_teaser_about_a_trip_does_not_place_the_meeting(profile):
    text = (
        " date 2025-06-14 Bộ trưởng Nguyễn Hồng Diên đã có cuộc trao đổi riêng với Bộ trưởng Howard Lutnick về Hiệp "
        "định Thương mại đối ứng.\n{}Trong chuyến công tác tại Hoa Kỳ, Bộ trưởng Nguyễn Hồng Diên làm việc với "
        "doanh nghiệp.{}"
    )
    assert [e.location for e in events(text.format("| ", " |"), profile) if e.kind == "meeting"] == [None]
    assert [e.location for e in events(text.format("", ""), profile) if e.kind == "meeting"] == ["United States"]


def test_a_concluded_agreement_and_a_separate_meeting_are_events(profile):
    found = events(
        " date 2025-04-11 Deputy Prime Minister Ho Duc Phoc met with US Treasury Secretary Scott Bessent on April 10."
        "\n\nIn a separate meeting on the same day with US Secretary of Commerce Howard Lutnick, Phoc reiterated "
        "Vietnam's policy.\n\nEarlier, President Donald Trump announced that the United States has concluded a new "
        "bilateral trade agreement with Vietnam.",
        profile,
    )
    assert sorted((e.kind, e.us_side, str(e.start_date)) for e in found if e.kind == "meeting") == [
        ("meeting", ("Howard Lutnick",), "2025-04-10"),
        ("meeting", ("Scott Bessent",), "2025-04-10"),
    ]
    assert [e.kind for e in found if e.kind == "statement"] == ["statement"]


def test_a_government_meeting_about_a_round_gives_it_neither_its_day_nor_its_chair(profile):
    found = events(
        " date 2025-05-25 Vòng đàm phán thứ hai giữa Việt Nam và Hoa Kỳ diễn ra từ ngày 19 đến 22 tháng 5 tại "
        "Washington D.C.\n\nNgày 24 tháng 5 năm 2025, Thủ tướng Phạm Minh Chính đã chủ trì cuộc họp Thường trực "
        "Chính phủ nhằm đánh giá kết quả sau vòng đàm phán thứ hai về Hiệp định Thương mại đối ứng.",
        profile,
    )
    assert [(e.number, str(e.start_date), e.vn_side) for e in found if e.kind == "round"] == [(2, "2025-05-19", ())]


def test_a_meeting_its_adjectives_do_not_hide(profile):
    # "had a brief but highly significant meeting ... with": the meeting of the sentence that dates it.
    found = events(
        "Leaders meet on trade\nTuesday, Oct/28/2025 - 11:02\n\nOn the sidelines of the summit held in Kuala Lumpur "
        "on October 26, Prime Minister Pham Minh Chinh had a brief but highly significant meeting and discussion "
        "with U.S. President Donald Trump about the reciprocal trade agreement.",
        profile,
    )
    meetings = [e for e in found if e.kind == "meeting"]
    assert [(str(m.start_date), m.vn_side, m.us_side) for m in meetings] == [
        ("2025-10-26", ("Phạm Minh Chính",), ("Donald Trump",))
    ]
    quoted = events(
        " date 2025-10-26 Prime Minister Pham Minh Chinh had a “brief” meeting with President Donald Trump on "
        "the reciprocal trade agreement.",
        profile,
    )
    assert [e.kind for e in quoted] == ["meeting"]
    # A remote one stays a call.
    calls = events(
        " date 2025-10-28 Prime Minister Pham Minh Chinh had a long virtual meeting with U.S. President Donald "
        "Trump about the reciprocal trade agreement.",
        profile,
    )
    assert [e.kind for e in calls] == ["call"]


def test_what_a_session_comes_ahead_of_keeps_its_own_date_and_leaves_the_place(profile):
    found = events(
        " date 2025-11-12 Minister Nguyen Hong Dien and US Trade Representative Jamieson Greer held a "
        "ministerial-level negotiation on the reciprocal trade agreement in Washington D.C. on November 10, "
        "ahead of technical discussions scheduled for November 12-14.",
        profile,
    )
    session = next(e for e in found if e.kind == "ministerial_session")
    rounds = [e for e in found if e.kind == "round"]
    assert (str(session.start_date), session.location) == ("2025-11-10", "Washington D.C.")
    assert [(str(r.start_date), str(r.end_date)) for r in rounds] == [("2025-11-12", "2025-11-14")]


def test_a_technical_team_given_homework_is_no_round(profile):
    found = events(
        " date 2025-11-12 Greer welcomed the proposals on the reciprocal trade agreement with Vietnam and tasked "
        "the U.S. technical team with studying them for further discussion with the Vietnamese delegation.",
        profile,
    )
    assert [e.kind for e in found if e.kind == "round"] == []


def test_a_statement_is_dated_by_its_issue_beside_another_events_date(profile):
    found = events(
        " date 2025-11-12 Theo Bộ Công Thương, sau tuyên bố chung Việt Nam - Hoa Kỳ về khuôn khổ Hiệp định "
        "Thương mại đối ứng được công bố ngày 26.10, ngày 10.11 tại Washington D.C. đã diễn ra phiên đàm phán "
        "cấp Bộ trưởng giữa Bộ trưởng Nguyễn Hồng Diên và Đại diện Thương mại Jamieson Greer.",
        profile,
    )
    dated = {e.kind: str(e.start_date) for e in found}
    assert dated == {"statement": "2025-10-26", "ministerial_session": "2025-11-10"}


def test_two_countries_that_have_reached_a_trade_agreement_made_a_statement(profile):
    found = events(
        " date 2025-07-02 The United States and Vietnam have reached a trade agreement, President Donald Trump "
        "confirmed on July 2.",
        profile,
    )
    assert [(e.kind, e.status, str(e.start_date)) for e in found] == [("statement", "held", "2025-07-02")]
    # An agreement of another kind, signed long ago, is not this deal.
    old = events(
        "Vietnam and the United States signed an agreement that should enable Hanoi to join the World Trade "
        "Organization.",
        profile,
    )
    assert [e.kind for e in old] == []


def test_a_post_about_a_call_is_no_statement(profile):
    found = events(
        " date 2025-04-05 “Vừa có một cuộc gọi rất hiệu quả với Tô Lâm, Tổng Bí thư Đảng Cộng sản Việt Nam, người "
        "đã nói với tôi rằng Việt Nam muốn giảm thuế xuống 0% nếu đạt được một thỏa thuận với Hoa Kỳ,” Tổng thống "
        "Donald Trump viết trên Truth Social.",
        profile,
    )
    assert [e.kind for e in found if e.kind == "statement"] == []


def test_an_english_report_shortens_a_leader_to_his_name_with_diacritics(profile):
    found = events(
        " date 2025-07-03 HÀ NỘI — Party General Secretary Tô Lâm welcomed the reciprocal trade framework with "
        "the United States, the foreign ministry's spokesperson said on Thursday in answer to press queries about "
        "the tariff rates announced in Washington.\n\nOn Wednesday, Lâm held a phone call with Trump during "
        "which both leaders discussed bilateral relations and the reciprocal tariffs, she said.",
        profile,
    )
    calls = [e for e in found if e.kind == "call"]
    assert [(c.vn_side, c.us_side, str(c.start_date)) for c in calls] == [
        (("Tô Lâm",), ("Donald Trump",), "2025-07-02")
    ]


def test_a_deal_reached_with_the_vietnamese_leader_is_the_deal(profile):
    found = events(
        " date 2025-07-03 The tariff rates that President Donald Trump revealed late Wednesday on a deal reached "
        "with Vietnamese Party General Secretary To Lam surprised exporters.",
        profile,
    )
    assert [(e.kind, e.status, str(e.start_date)) for e in found] == [("statement", "held", "2025-07-02")]


def test_officials_who_spoke_by_phone_held_a_call(profile):
    for sentence in (
        "Vietnam's trade minister Nguyen Hong Dien spoke to US Trade Representative Jamieson Greer by phone on "
        "Wednesday about the reciprocal tariffs.",
        "General Secretary To Lam spoke with President Donald Trump via telephone to discuss reciprocal tariffs.",
        "To Lam was one of the first world leaders to speak with President Donald Trump last week about tariffs.",
    ):
        found = events(" date 2025-04-10 " + sentence, profile)
        assert [e.kind for e in found] == ["call"], sentence


def test_a_file_photos_date_does_not_make_the_story_history(profile):
    found = events(
        "Workers assemble cars at a factory in Vietnam, on Sept. 29, 2023.\nHau Dinh/AP\nhide caption\n"
        "Vietnam has asked the United States to delay the tariffs while the two sides negotiate.\n\nOn Sunday, "
        "Deputy Prime Minister Bui Thanh Son met U.S. Ambassador Marc Knapper in Hanoi about the tariffs.",
        profile,
    )
    assert [(e.kind, e.location) for e in found] == [("meeting", "Hà Nội")]
    # A credit line of its own: "PHOTO: Reuters".
    found = events(
        "Vietnam's Communist Party chief To Lam meets with U.S. President Joe Biden on the sidelines of the UN "
        "General Assembly in New York City, on Sept 25, 2024.\nPHOTO: Reuters\n"
        "US President Donald Trump met Vietnamese leader To Lam on Friday at the White House to discuss tariffs.",
        profile,
    )
    assert [(e.kind, e.us_side) for e in found] == [("meeting", ("Donald Trump",))]


def test_a_former_ambassador_speaks_for_no_side(profile):
    found = events(
        " date 2025-04-15 Cựu Đại sứ Mỹ tại Việt Nam Ted Osius cho biết ông đã gặp Phó Thủ tướng Hồ Đức Phớc "
        "trong chuyến công du về thuế đối ứng.",
        profile,
    )
    assert [e for e in found if e.kind == "meeting"] == []


def test_a_summary_of_activities_is_no_call(profile):
    found = events(
        " date 2026-02-17 Quan hệ Việt Nam - Hoa Kỳ được thúc đẩy từ năm 2024 đến nay, nổi bật là các hoạt động "
        "trao đổi thư, điện đàm giữa Tổng Bí thư Tô Lâm với Tổng thống Donald Trump về thuế đối ứng.",
        profile,
    )
    assert [e.kind for e in found] == []


def test_a_proposal_or_a_request_is_no_meeting_but_an_introductory_call_is_a_call(profile):
    found = events(
        " date 2025-04-08 To Lam requests a meeting with Trump to negotiate the reciprocal tariffs. He proposed "
        "that a U.S. representative be appointed to lead discussions with Vietnam's Deputy Prime Minister, Ho Duc "
        "Phoc, on the tariffs. After an introductory call described by Trump as very productive, Lam was ready "
        "to negotiate.",
        profile,
    )
    assert [(e.kind, e.vn_side, e.us_side) for e in found] == [("call", ("Tô Lâm",), ("Donald Trump",))]


def test_a_technical_meeting_round_is_a_round(profile):
    found = events(
        " date 2025-07-01 Trước hạn chót thuế đối ứng, một vòng họp kỹ thuật bổ sung giữa Việt Nam và Hoa Kỳ sẽ "
        "diễn ra vào thứ Sáu tại Washington.",
        profile,
    )
    assert [(e.kind, e.status, e.location) for e in found] == [("round", "planned", "Washington D.C.")]


def test_who_speaks_of_a_call_the_minister_will_hold_is_not_on_it(profile):
    found = events(
        " date 2025-04-04 Tại buổi họp báo, Thứ trưởng Nguyễn Sinh Nhật Tân cho biết, Bộ trưởng Bộ Công Thương đang "
        "thu xếp điện đàm với người đồng cấp là Đại diện Thương mại Mỹ để đàm phán về thuế đối ứng.",
        profile,
    )
    assert [(e.kind, e.vn_side) for e in found] == [("call", ())]
    # Who speaks of a call he held himself was on it.
    own = events(
        " date 2025-04-24 Bộ trưởng Nguyễn Hồng Diên cho biết, trong cuộc điện đàm với Đại diện Thương mại Jamieson "
        "Greer, hai bên đã trao đổi về thuế đối ứng.",
        profile,
    )
    assert [(e.kind, e.vn_side) for e in own] == [("call", ("Nguyễn Hồng Diên",))]


def test_a_dated_meeting_the_report_compares_with_is_an_event_of_its_own(profile):
    found = events(
        " date 2025-05-17 Minister Nguyen Hong Dien held a ministerial-level negotiation session with US Trade "
        "Representative Jamieson Greer on May 16 on the reciprocal trade agreement.\n\nIt was the first in-person "
        "negotiation at the ministerial level following the online meeting on April 12.",
        profile,
    )
    assert sorted((e.kind, str(e.start_date), e.vn_side, e.us_side) for e in found) == [
        ("call", "2025-04-12", ("Nguyễn Hồng Diên",), ("Jamieson Greer",)),
        ("ministerial_session", "2025-05-16", ("Nguyễn Hồng Diên",), ("Jamieson Greer",)),
    ]
    # Undated, "at the meeting" is the one the report is about.
    same = events(
        " date 2025-05-17 Minister Nguyen Hong Dien met US Trade Representative Jamieson Greer on May 16 about the "
        "reciprocal trade agreement.\n\nAt the meeting, the two sides discussed market access.",
        profile,
    )
    assert [e.kind for e in same] == ["meeting"]


def test_a_dialogue_between_the_leaders_is_their_call_but_a_regular_dialogue_is_none(profile):
    found = events(
        " date 2025-04-06 Unlike conventional phone calls of a social nature, this dialogue between General "
        "Secretary To Lam and President Donald Trump on reciprocal tariffs has strategic depth.",
        profile,
    )
    assert [(e.kind, e.vn_side, e.us_side) for e in found] == [("call", ("Tô Lâm",), ("Donald Trump",))]
    regular = events(
        " date 2025-04-06 Vietnam and the United States pledged to continue high-level contacts, including through "
        "regular dialogue between the US Secretary of State and President Donald Trump's Vietnamese counterparts "
        "on the reciprocal tariffs.",
        profile,
    )
    assert [e.kind for e in regular] == []


def test_a_call_with_the_other_country_has_that_government_as_its_party(profile):
    found = events(
        " date 2025-04-05 Về thuế đối ứng với hàng Việt Nam, dự kiến Bộ trưởng Công Thương sẽ điện đàm với Mỹ "
        "trong thời gian tới.",
        profile,
    )
    assert [(e.kind, e.status) for e in found] == [("call", "planned")]
    # A call with a third country is not this negotiation's.
    other = events(
        " date 2025-04-05 Về thuế đối ứng với hàng Việt Nam, dự kiến Bộ trưởng Công Thương sẽ điện đàm với Malaysia "
        "trong thời gian tới.",
        profile,
    )
    assert [e.kind for e in other] == []


def test_the_announcement_of_a_trade_agreement_with_vietnam_is_the_deal(profile):
    found = events(
        " date 2025-07-03 Yet, if last night's announcement of a preliminary trade agreement holds together, Vietnam "
        "may well become the second country to conclude a trade deal with Washington.",
        profile,
    )
    assert [(e.kind, e.status) for e in found] == [("statement", "held")]


def test_a_meeting_held_only_by_default_is_its_plan(profile):
    found = events(
        " date 2025-04-08 Theo Reuters, Phó Thủ tướng Hồ Đức Phớc dự kiến sẽ có cuộc hội đàm vào ngày 9/4 với Bộ "
        "trưởng Tài chính Mỹ Scott Bessent về thuế đối ứng với Việt Nam.\n\nNgay sau cuộc gặp với Bộ trưởng Tài "
        "chính Scott Bessent, ông Hồ Đức Phớc dự kiến sẽ làm việc với lãnh đạo Boeing.",
        profile,
    )
    assert [(e.kind, e.status, e.us_side) for e in found] == [("meeting", "planned", ("Scott Bessent",))]


def test_who_announces_after_speaking_with_a_leader_is_on_the_call(profile):
    found = events(
        ' date 2025-07-03 US President Donald Trump has announced a trade deal with Vietnam.\n\n"It is my Great '
        "Honor to announce that I have just made a Trade Deal with the Socialist Republic of Vietnam after "
        'speaking with To Lam, the General Secretary," he said.',
        profile,
    )
    calls = [e for e in found if e.kind == "call"]
    assert [(c.vn_side, c.us_side) for c in calls] == [(("Tô Lâm",), ("Donald Trump",))]


def test_who_leads_a_new_round_is_its_delegations_head(profile):
    found = events(
        " date 2025-11-12 Deputy Prime Minister Bui Thanh Son said Vietnam expects to sign the reciprocal trade "
        "agreement with the United States as the fifth round of negotiations gets underway on November 12.\n\n"
        "Negotiators from Vietnam, "
        "led by Minister of Industry and Trade Nguyen Hong Dien, are in Washington for a new round of trade deal "
        "negotiations.",
        profile,
    )
    rounds = [e for e in found if e.kind == "round"]
    assert len(rounds) == 1 and "Nguyễn Hồng Diên" in rounds[0].vn_side


def test_a_statement_its_negotiators_agreed_is_agreed_not_issued(profile):
    # The text the negotiating teams settled is an event of its own: issued months later, and not
    # the deal a leader announces the same day. Its title ("... on a Framework for a ... Trade
    # Agreement") is no second statement.
    for text in (
        " date 2025-07-03 The two leaders welcomed the agreement reached by their negotiating teams on the "
        "Joint Vietnam–US Statement regarding a Fair, Reciprocal, and Balanced Trade Agreement Framework.",
        " date 2025-07-03 Hai nhà lãnh đạo hoan nghênh việc đoàn đàm phán hai nước đã thống nhất Tuyên bố chung "
        "về Khuôn khổ Hiệp định thương mại đối ứng.",
        " date 2025-07-03 Vietnam and the United States agreed on the content of a joint statement on "
        "reciprocal trade.",
    ):
        found = events(text, profile)
        assert [(e.kind, e.status) for e in found] == [("statement", "agreed")], text
    # Agreeing on a statement without its negotiators is the statement itself.
    issued = events(
        " date 2025-11-11 Ông Greer đánh giá cao việc hai bên thống nhất Tuyên bố chung về Khuôn khổ Hiệp định "
        "thương mại đối ứng.",
        profile,
    )
    assert [(e.kind, e.status) for e in issued if e.kind == "statement"] == [("statement", "held")]


def test_an_agreed_statement_and_the_deal_announced_in_one_article_are_two(profile):
    found = events(
        " date 2025-07-03 President Trump announced on Wednesday that the United States has reached a trade "
        "agreement with Vietnam. The two leaders welcomed the agreement reached by the negotiating teams on the "
        "Joint Vietnam–US Statement.",
        profile,
    )
    assert sorted((e.kind, e.status) for e in found) == [("statement", "agreed"), ("statement", "held")]


def test_ministers_talking_online_hold_a_call_unless_the_sources_count_it(profile):
    # A call is "phone or online talks"; the ministerial sessions the sources number are in person.
    found = events(
        " date 2025-11-15 The two sides agreed to prepare for a virtual ministerial-level negotiation between "
        "Trade Representative Jamieson Greer and Minister Nguyen Hong Dien, slated for later in November.",
        profile,
    )
    assert [(e.kind, e.mode, e.status) for e in found] == [("call", "online", "planned")]
    numbered = events(
        " date 2025-12-02 Phiên đàm phán cấp Bộ trưởng lần thứ 9 trực tuyến giữa Bộ trưởng Nguyễn Hồng Diên và "
        "Đại diện Thương mại Hoa Kỳ Jamieson Greer diễn ra ngày 1/12.",
        profile,
    )
    assert [(e.kind, e.number, e.mode) for e in numbered] == [("ministerial_session", 9, "online")]


def test_the_meeting_a_lead_dated_without_its_people_keeps_that_day_and_place(profile):
    found = events(
        " date 2025-04-11 Vietnam and the US will begin trade negotiations, according to a bilateral economic and "
        "trade meeting held in Washington on April 10.\n\n"
        "The meeting took place between Deputy Prime Minister Ho Duc Phoc and US Trade Representative Jamieson "
        "Greer.",
        profile,
    )
    assert [(e.kind, str(e.start_date), e.location, e.vn_side, e.us_side) for e in found] == [
        ("meeting", "2025-04-10", "Washington D.C.", ("Hồ Đức Phớc",), ("Jamieson Greer",))
    ]


def test_who_met_someone_on_the_sidelines_of_a_round_came_for_the_round(profile):
    found = events(
        " date 2026-02-05 HÀ NỘI — Acting Minister of Industry and Trade Lê Mạnh Hùng held a working session with "
        "US Senator Bill Hagerty on February 4, on the sidelines of the sixth round of talks on the reciprocal "
        "trade agreement between Việt Nam and the US.",
        profile,
    )
    by_kind = {e.kind: (e.vn_side, e.us_side) for e in found}
    assert by_kind["round"] == (("Lê Mạnh Hùng",), ())  # the senator he met is no negotiator
    assert by_kind["meeting"] == (("Lê Mạnh Hùng",), ("Bill Hagerty",))


def test_a_post_made_right_after_a_call_announces_the_deal_on_its_day(profile):
    found = events(
        " date 2025-07-05 Thuế quan Việt Nam – Hoa Kỳ\n\nThông tin về thỏa thuận thương mại được Tổng thống Trump "
        "công bố lần đầu vào ngày 2/7 trên mạng xã hội Truth Social, ngay sau cuộc điện đàm với Tổng Bí thư Tô Lâm.",
        profile,
    )
    by_kind = {e.kind: e for e in found}
    assert sorted(by_kind) == ["call", "statement"]
    assert str(by_kind["statement"].start_date) == "2025-07-02"
    assert by_kind["statement"].us_side == ("Donald Trump",)


def test_a_round_that_progress_is_measured_since_has_been_held(profile):
    found = events(
        " date 2025-06-05 Minister Nguyen Hong Dien and Trade Representative Jamieson Greer reviewed progress on "
        "the reciprocal trade agreement since the second technical round of talks and outlined orientations for "
        "the upcoming round.",
        profile,
    )
    assert [(e.kind, e.number, e.status) for e in found if e.kind == "round"] == [("round", 2, "held")]


def test_a_deadline_and_the_day_a_source_spoke_date_nothing(profile):
    deadline = events(
        " date 2025-07-03 With less than a week to go before the U.S.-imposed July 9 deadline for new trade deals, "
        "U.S. President Donald Trump unveiled a new trade deal with Vietnam.",
        profile,
    )
    assert [(e.kind, e.start) for e in deadline] == [("statement", None)]
    according = events(
        " date 2025-06-21 Vietnam and the United States reported progress in their third round of trade "
        "negotiations last week, according to Vietnam's trade ministry on Sunday. The high-level talks took place "
        "in Washington, D.C. from June 9 to 12.",
        profile,
    )
    assert [(e.kind, e.number, str(e.start_date), str(e.end_date)) for e in according] == [
        ("round", 3, "2025-06-09", "2025-06-12")
    ]
    # "The talks took place on Jeju Island" is the session the article named, no round of its own.
    session = events(
        " date 2025-05-17 Minister Nguyen Hong Dien and Trade Representative Jamieson Greer held the first "
        "ministerial-level negotiation on May 16. The talks took place on Jeju Island, South Korea.",
        profile,
    )
    assert [e.kind for e in session] == ["ministerial_session"]


def test_deals_announced_in_other_words_are_statements(profile):
    for text in (
        "President Trump has announced that the U.S. and Vietnam have agreed to a trade deal.",
        "Earlier this month, he announced a preliminary agreement that would lower planned U.S. tariffs on imports "
        "from Vietnam to 20%.",
        "The deal announced Wednesday is the first full pact Trump has sealed with an Asian nation, Vietnam.",
        "This move follows an understanding reached in October to wrap up a deal within weeks, Vietnam's trade "
        "ministry said.",
        "Vào thứ Tư (ngày 2 tháng 7), Trump đã tuyên bố thông qua nền tảng xã hội Truth Social của mình rằng Hoa "
        "Kỳ và Việt Nam đã đạt thỏa thuận thương mại.",
    ):
        found = events(" date 2025-07-03 " + text, profile)
        assert [e.kind for e in found] == ["statement"], text
    other = events(
        " date 2025-07-16 Trump said the trade deal between the United States and Vietnam was nearly complete, the "
        "same day he announced a new deal with Indonesia.",
        profile,
    )
    assert [e.kind for e in other] == []


def test_a_statement_the_two_countries_reached_agreement_on_is_agreed(profile):
    found = events(
        " date 2025-07-03 Vietnamese state media said the U.S. and Vietnam reached an agreement on a joint "
        "statement on a reciprocal trade framework.",
        profile,
    )
    assert [(e.kind, e.status) for e in found] == [("statement", "agreed")]


def test_a_deal_announced_after_his_conversation_with_the_leader_had_a_call(profile):
    found = events(
        " date 2025-07-03 Trump announced the trade deal with Vietnam following his conversation with To Lam, "
        "the General Secretary of Vietnam's Communist Party.",
        profile,
    )
    assert sorted(e.kind for e in found) == ["call", "statement"]


def test_a_meeting_nobody_has_confirmed_is_no_meeting(profile):
    found = events(
        " date 2026-02-12 The Vietnamese leader is seeking trade talks with the president, though the White House "
        "has not confirmed any bilateral meeting between To Lam and Donald Trump for the week of February 17.",
        profile,
    )
    assert found == []


def test_the_first_dialogue_session_is_the_first_round(profile):
    found = events(
        " date 2025-05-05 Việt Nam chính thức trở thành một trong sáu quốc gia được Mỹ ưu tiên khởi động đàm phán "
        "thương mại, với phiên đối thoại đầu tiên diễn ra vào ngày 7/5 tới đây tại Washington.",
        profile,
    )
    assert [(e.kind, e.number, e.status, str(e.start_date), e.location) for e in found] == [
        ("round", 1, "planned", "2025-05-07", "Washington D.C.")
    ]


def test_the_day_a_delegation_left_to_prepare_for_a_round_is_not_the_rounds(profile):
    found = events(
        " date 2025-05-05 Đoàn đàm phán cấp kỹ thuật của Việt Nam đã lên đường sang Mỹ từ ngày 1/5, đánh dấu bước "
        "chuẩn bị kỹ lưỡng cho vòng đàm phán thương mại đối ứng với Hoa Kỳ.",
        profile,
    )
    assert [(e.kind, e.start, e.status) for e in found] == [("round", None, "planned")]


def test_the_sentence_after_a_statement_may_say_when_and_where_it_was_signed(profile):
    found = events(
        "27 Oct 2025\n\nThe White House has announced joint trade statements with Thailand and Vietnam.\n\nSigned by "
        "US President Donald Trump and Southeast Asian leaders at the Asean summit in Kuala Lumpur on October 26, the "
        "deals maintain US tariffs announced earlier.",
        profile,
    )
    assert [(e.kind, str(e.start_date), e.location, e.us_side) for e in found] == [
        ("statement", "2025-10-26", "Kuala Lumpur", ("Donald Trump",))
    ]


def test_a_post_announcing_a_deal_is_a_statement_where_the_article_names_the_two(profile):
    found = events(
        " date 2025-07-10 Thuế quan Việt Nam – Hoa Kỳ\n\nTrump công bố thỏa thuận sơ bộ trên Truth Social ngày 2 "
        "tháng 7, chỉ vài ngày trước hạn chót do Nhà Trắng tự đặt ra.",
        profile,
    )
    assert [(e.kind, str(e.start_date)) for e in found] == [("statement", "2025-07-02")]


def test_a_listed_official_whose_family_name_is_misspelt_is_still_that_official(profile):
    found = events(
        " date 2025-06-14 The Vietnamese delegation is led by Minister of Industry and Trade Trần Hồng Diên, who met "
        "US Secretary of Commerce Howard Lutnick on June 12.",
        profile,
    )
    assert [(e.kind, e.vn_side) for e in found if e.kind == "meeting"] == [("meeting", ("Nguyễn Hồng Diên",))]


def test_a_trip_goes_to_the_first_place_after_its_word(profile):
    found = events(
        " date 2025-04-08 Deputy Prime Minister Ho Duc Phoc cancelled meetings in New York to travel to the US "
        "capital after receiving instructions from Hanoi. He plans to meet with Treasury Secretary Scott Bessent in "
        "the coming days.",
        profile,
    )
    assert [(e.kind, e.status, e.location) for e in found] == [("meeting", "planned", "Washington D.C.")]


def test_a_countrys_own_title_without_a_name_is_its_one_listed_holder(profile):
    found = events(
        " date 2025-07-05 Công nhân làm việc tại một xưởng may ở Thái Nguyên vào ngày 2 tháng 7 năm 2025, khi Tổng "
        "thống Mỹ loan báo đạt thỏa thuận về thuế quan với Việt Nam.",
        profile,
    )
    assert [(e.kind, e.us_side) for e in found] == [("statement", ("Donald Trump",))]
    # A name after the title is that person; a former holder is history.
    former = events(
        " date 2025-07-05 Cựu Tổng thống Mỹ loan báo đạt thỏa thuận về thuế quan với Việt Nam ngày 2 tháng 7.",
        profile,
    )
    assert [e.us_side for e in former] in ([], [()])


def test_a_trip_named_by_the_long_name_of_what_it_attends_still_reaches_its_place(profile):
    found = events(
        " date 2026-02-21 Tổng Bí thư Tô Lâm kết thúc chuyến công tác tham dự Cuộc họp khai mạc Hội đồng Hòa bình về "
        "Dải Gaza tại Hợp chúng quốc Hoa Kỳ.\n\nVới nước chủ nhà, Tổng Bí thư Tô Lâm đã tiếp Trưởng Đại diện Thương "
        "mại Hoa Kỳ Đại sứ Jamieson Greer.",
        profile,
    )
    assert [(e.kind, e.location) for e in found] == [("meeting", "United States")]


def test_deals_concluded_agreed_signed_or_announced_in_the_passive_are_statements(profile):
    for text, day in (
        (" date 2025-07-03 A trade deal with Vietnam was announced by Trump on Wednesday.", "2025-07-02"),
        (" date 2025-07-10 The trade deal with Vietnam, announced on July 2, sets a 20% tariff.", "2025-07-02"),
        (
            " date 2025-07-20 Under the deal Trump announced with Vietnam on July 2, goods face a 20% tariff.",
            "2025-07-02",
        ),
        (" date 2025-07-03 The US and Vietnam concluded a trade deal on Wednesday, Trump wrote.", "2025-07-02"),
        (" date 2025-07-03 The US and Vietnam agreed a trade deal on Wednesday.", "2025-07-02"),
        (
            " date 2026-03-18 Vietnam and the United States signed a reciprocal trade agreement on Tuesday.",
            "2026-03-17",
        ),
        (
            " date 2026-03-18 The reciprocal trade agreement was signed in Hanoi on Tuesday by Le Manh Hung and "
            "Jamieson Greer.",
            "2026-03-17",
        ),
        (" date 2025-07-03 Thỏa thuận thương mại với Việt Nam được Tổng thống Trump công bố hôm 2/7.", "2025-07-02"),
    ):
        found = events(text, profile)
        assert [(e.kind, e.status, str(e.start_date)) for e in found] == [("statement", "held", day)], text


def test_who_took_a_call_or_phoned_held_a_call_and_who_met_virtually_too(profile):
    for text in (
        " date 2025-07-03 General Secretary To Lam took a call from Donald Trump on Wednesday about tariffs.",
        " date 2025-07-03 Donald Trump phoned To Lam on Wednesday to discuss tariffs.",
        " date 2025-11-26 Nguyen Hong Dien and Jamieson Greer held talks via videoconference on Tuesday.",
        " date 2025-11-26 Nguyen Hong Dien met Jamieson Greer virtually on Tuesday.",
    ):
        found = events(text, profile)
        assert [(e.kind, str(e.start_date)) for e in found] == [
            ("call", "2025-07-02" if "07-03" in text else "2025-11-25")
        ], text
    # Who is called something is no call.
    assert events(" date 2025-07-03 Trump called the deal with Vietnam a great one.", profile) == [] or all(
        e.kind != "call" for e in events(" date 2025-07-03 Trump called the deal with Vietnam a great one.", profile)
    )


def test_a_meeting_someone_will_hold_on_a_weekday_is_the_weekday_to_come(profile):
    for text in (
        " date 2025-03-04 Nguyen Hong Dien will meet Jamieson Greer on Thursday.",
        " date 2025-03-04 Nguyen Hong Dien will hold talks with Jamieson Greer in Washington on Thursday.",
        " date 2025-03-04 Jamieson Greer will receive Nguyen Hong Dien in Washington on Thursday.",
    ):
        found = events(text, profile)
        assert [(e.kind, e.status, str(e.start_date)) for e in found] == [("meeting", "planned", "2025-03-06")], text


def test_a_round_someone_hopes_for_is_no_round(profile):
    for text in (
        " date 2025-08-01 Vietnam hopes to hold another round of negotiations with the United States soon.",
        " date 2025-08-01 Việt Nam mong muốn sớm tổ chức phiên đàm phán tiếp theo với Hoa Kỳ.",
    ):
        assert events(text, profile) == [], text
