"""Writes articles/*.txt and labels.jsonl from ARTICLES below (run: python build.py).

Every article here was written for tradewatch's tests, in the manner of Vietnamese state media,
Vietnamese newspapers, English-language Vietnamese media and USTR. Where they name real people,
the events are plausible but not necessarily real. Labels follow ../../../../../shared/eval/README.md.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent


def ev(
    kind,
    start=None,
    end=None,
    *,
    number=None,
    mode="in_person",
    status="held",
    location=None,
    vn=(),
    us=(),
    evidence,
    ref,
):
    return {
        "kind": kind,
        "number": number,
        "mode": mode,
        "status": status,
        "start": start,
        "end": end,
        "location": location,
        "vn_side": list(vn),
        "us_side": list(us),
        "event_ref": ref,
        "evidence": evidence,
    }


DIEN, HUNG, TAN, CHINH, TOLAM, SON = (
    "Nguyễn Hồng Diên",
    "Lê Mạnh Hùng",
    "Nguyễn Sinh Nhật Tân",
    "Phạm Minh Chính",
    "Tô Lâm",
    "Bùi Thanh Sơn",
)
GREER, LUTNICK, SWITZER, TRUMP, KNAPPER, BESSENT = (
    "Jamieson Greer",
    "Howard Lutnick",
    "Rick Switzer",
    "Donald Trump",
    "Marc Knapper",
    "Scott Bessent",
)
DC, HN, KL = "Washington D.C.", "Hà Nội", "Kuala Lumpur"

ARTICLES = [
    # --- English ---------------------------------------------------------------------------------
    (
        "e01_vna_round4.txt",
        "2025-09-26",
        "Vietnam, US hold fourth round of reciprocal trade negotiations\n"
        "Hanoi (VNA) – The fourth round of negotiations on the Agreement on Reciprocal Trade between Vietnam and the "
        "United States took place in Washington D.C. from September 22 to 25, the Ministry of Industry and Trade said on "
        "Friday.\nThe Vietnamese delegation was led by Minister of Industry and Trade Nguyen Hong Dien. The two sides "
        "discussed market access, rules of origin and digital trade.",
        [
            ev(
                "round",
                "2025-09-22",
                "2025-09-25",
                number=4,
                location=DC,
                vn=[DIEN],
                evidence="fourth round of negotiations",
                ref="round-4",
            )
        ],
    ),
    (
        "e02_ustr_greer_dien.txt",
        "2025-09-23",
        "Ambassador Greer Meets with Vietnam's Minister of Industry and Trade\n"
        "WASHINGTON – Today, United States Trade Representative Jamieson Greer met with Vietnam's Minister of Industry "
        "and Trade Nguyen Hong Dien in Washington to discuss progress toward an Agreement on Reciprocal Trade.\n"
        "Ambassador Greer underscored the importance of addressing non-tariff barriers and transshipment.",
        [
            ev(
                "meeting",
                "2025-09-23",
                location=DC,
                vn=[DIEN],
                us=[GREER],
                evidence="met with Vietnam's Minister",
                ref="meeting-2025-09-23-dien-greer",
            )
        ],
    ),
    (
        "e03_vnexpress_round6_planned.txt",
        "2026-01-28",
        "Vietnam, US to hold sixth round of trade talks next week\n"
        "Vietnam and the U.S. will hold the sixth round of negotiations on a reciprocal trade agreement in Washington "
        "next week, Acting Minister of Industry and Trade Le Manh Hung said on Wednesday.\n"
        "The round is expected to focus on the remaining chapters of the agreement.",
        [
            ev(
                "round",
                number=6,
                status="planned",
                location=DC,
                vn=[HUNG],
                evidence="sixth round of negotiations",
                ref="round-6",
            )
        ],
    ),
    (
        "e04_vns_call_lutnick.txt",
        "2025-07-11",
        "Minister Dien, US Commerce Secretary discuss reciprocal trade by phone\n"
        "Minister of Industry and Trade Nguyen Hong Dien held a phone call with U.S. Secretary of Commerce Howard "
        "Lutnick on July 10 to discuss the reciprocal tariff arrangement and the next steps of the negotiations.\n"
        "Both sides agreed to keep in close contact.",
        [
            ev(
                "call",
                "2025-07-10",
                mode="phone",
                vn=[DIEN],
                us=[LUTNICK],
                evidence="held a phone call",
                ref="call-2025-07-10-dien-lutnick",
            )
        ],
    ),
    (
        "e05_hanoitimes_online_session.txt",
        "2025-11-27",
        "Vietnam, US ministers review talks in online session\n"
        "On November 26, Minister Nguyen Hong Dien and U.S. Trade Representative Jamieson Greer held an online "
        "ministerial session to review the results of the fifth round of negotiations and agree on the way forward.\n"
        "The session was held in a constructive atmosphere, the ministry said.",
        [
            ev(
                "call",  # ministers' online talks: DESIGN's call is "phone or online talks"
                "2025-11-26",
                mode="online",
                vn=[DIEN],
                us=[GREER],
                evidence="online ministerial session",
                ref="online-ministerial-2025-11",
            ),
            ev("round", number=5, evidence="fifth round of negotiations", ref="round-5")
            | {"note": "the sentence says who held the session, not who led round 5"},
        ],
    ),
    (
        "e06_ustr_joint_statement.txt",
        "2025-10-26",
        "Joint Statement on a United States–Vietnam Framework for an Agreement on Reciprocal, Fair, and Balanced Trade\n"
        "The United States and Vietnam issued a joint statement today announcing a framework for an Agreement on "
        "Reciprocal, Fair, and Balanced Trade.\n"
        "The two countries will work to finalize the agreement in the coming weeks.",
        [ev("statement", "2025-10-26", evidence="issued a joint statement today", ref="statement-2025-10-26")],
    ),
    (
        "e07_wire_dien_lutnick_tuesday.txt",
        "2025-06-12",
        "Vietnam's top negotiator meets Lutnick as talks near deadline\n"
        "Vietnam's top trade negotiator, Industry and Trade Minister Nguyen Hong Dien, met U.S. Commerce Secretary "
        "Howard Lutnick on Tuesday, the ministry said, as the two countries pushed to reach a reciprocal trade deal.\n"
        "Dien also asked Washington to recognise Vietnam as a market economy.",
        [
            ev(
                "meeting",
                "2025-06-10",
                vn=[DIEN],
                us=[LUTNICK],
                evidence="met U.S. Commerce Secretary",
                ref="meeting-2025-06-10-dien-lutnick",
            )
        ],
    ),
    (
        "e08_neg_us_china_geneva.txt",
        "2025-05-12",
        "US, China agree to cut tariffs after talks in Geneva\n"
        "U.S. Treasury Secretary Scott Bessent and Chinese Vice Premier He Lifeng held two days of trade talks in "
        "Geneva, after which both sides agreed to lower tariffs for 90 days.\n"
        "It was the first round of high-level negotiations between the two economies since tariffs were raised.",
        [],
    ),
    (
        "e09_neg_efta.txt",
        "2025-11-21",
        "Vietnam, EFTA conclude 19th round of FTA negotiations\n"
        "The 19th round of negotiations on a free trade agreement between Vietnam and the European Free Trade "
        "Association (EFTA) took place in Geneva from November 17 to 20.\n"
        "Deputy Minister Nguyen Sinh Nhat Tan led the Vietnamese delegation.",
        [],
    ),
    (
        "e10_bilingual_meeting.txt",
        "2026-03-10",
        "Chiều 9/3, tại Washington D.C., Quyền Bộ trưởng Lê Mạnh Hùng đã có buổi làm việc với Trưởng Đại diện Thương "
        "mại Hoa Kỳ Jamieson Greer về Hiệp định Thương mại đối ứng.\n"
        "On the afternoon of March 9, in Washington D.C., Acting Minister Le Manh Hung had a working session with U.S. "
        "Trade Representative Jamieson Greer on the Agreement on Reciprocal Trade.",
        [
            ev(
                "meeting",
                "2026-03-09",
                location=DC,
                vn=[HUNG],
                us=[GREER],
                evidence="có buổi làm việc với",
                ref="meeting-2026-03-09-hung-greer",
            )
        ],
    ),
    (
        "e11_vns_son_knapper.txt",
        "2026-03-04",
        "Deputy PM receives US Ambassador\n"
        "Deputy Prime Minister Bui Thanh Son received U.S. Ambassador Marc Knapper in Hanoi on March 3 to discuss "
        "bilateral ties and the negotiations on the reciprocal trade agreement.\n"
        "Son asked the U.S. side to consider Vietnam's proposals on export controls.",
        [
            ev(
                "meeting",
                "2026-03-03",
                location=HN,
                vn=[SON],
                us=[KNAPPER],
                evidence="received U.S. Ambassador",
                ref="meeting-2026-03-03-son-knapper",
            )
        ],
    ),
    (
        "e12_neg_company.txt",
        "2025-11-13",
        "Minister Dien meets US energy firms in Washington\n"
        "Minister of Industry and Trade Nguyen Hong Dien met executives of Boeing and Excelerate Energy in Washington on "
        "November 12, on the margins of the reciprocal trade negotiations.\n"
        "The companies expressed interest in LNG projects in Vietnam.",
        [],
    ),
    (
        "e13_tuoitrenews_round6_held.txt",
        "2026-02-06",
        "Vietnam, US wrap up sixth round of reciprocal trade talks\n"
        "The sixth round of negotiations on the reciprocal trade agreement between Vietnam and the United States took "
        "place in Washington from February 2 to 5, according to the Ministry of Industry and Trade.\n"
        "The Vietnamese delegation was led by Acting Minister Le Manh Hung.",
        [
            ev(
                "round",
                "2026-02-02",
                "2026-02-05",
                number=6,
                location=DC,
                vn=[HUNG],
                evidence="sixth round of negotiations",
                ref="round-6",
            )
        ],
    ),
    # --- Vietnamese ------------------------------------------------------------------------------
    (
        "v01_baochinhphu_round1.txt",
        "2025-05-25",
        "Kết thúc vòng đàm phán đầu tiên về Hiệp định Thương mại đối ứng Việt Nam - Hoa Kỳ\n"
        "Từ ngày 21 đến 24/5, tại Washington D.C., vòng đàm phán đầu tiên về Hiệp định Thương mại đối ứng giữa Việt "
        "Nam và Hoa Kỳ đã diễn ra. Đoàn Việt Nam do Bộ trưởng Bộ Công Thương Nguyễn Hồng Diên dẫn đầu.\n"
        "Hai bên thống nhất lộ trình cho các vòng đàm phán tiếp theo.",
        [
            ev(
                "round",
                "2025-05-21",
                "2025-05-24",
                number=1,
                location=DC,
                vn=[DIEN],
                evidence="vòng đàm phán đầu tiên",
                ref="round-1",
            )
        ],
    ),
    (
        "v02_vnexpress_round2.txt",
        "2025-06-07",
        "Vòng đàm phán thứ hai Hiệp định Thương mại đối ứng diễn ra tại Hà Nội\n"
        "Vòng đàm phán thứ hai giữa Việt Nam và Hoa Kỳ về Hiệp định Thương mại đối ứng diễn ra tại Hà Nội từ 4 đến "
        "6/6/2025, dưới sự chủ trì của Thứ trưởng Bộ Công Thương Nguyễn Sinh Nhật Tân và Phó Đại diện Thương mại Hoa "
        "Kỳ Rick Switzer.\nHai bên đã trao đổi về thuế quan, quy tắc xuất xứ và thương mại số.",
        [
            ev(
                "round",
                "2025-06-04",
                "2025-06-06",
                number=2,
                location=HN,
                vn=[TAN],
                us=[SWITZER],
                evidence="Vòng đàm phán thứ hai giữa Việt Nam và Hoa Kỳ",
                ref="round-2",
            )
        ],
    ),
    (
        "v03_tuoitre_online_planned.txt",
        "2025-11-18",
        "Dự kiến tuần tới, Bộ trưởng Nguyễn Hồng Diên sẽ có phiên đàm phán trực tuyến với Trưởng Đại diện Thương mại "
        "Hoa Kỳ Jamieson Greer nhằm thúc đẩy Hiệp định Thương mại đối ứng.\n"
        "Các nhóm kỹ thuật hai bên đang khẩn trương chuẩn bị cho phiên đàm phán này.",
        [
            ev(
                "call",
                mode="online",
                status="planned",
                vn=[DIEN],
                us=[GREER],
                evidence="phiên đàm phán trực tuyến",
                ref="online-ministerial-2025-11",
            )
        ],
    ),
    (
        "v04_thanhnien_tolam_trump.txt",
        "2025-07-03",
        "Tổng Bí thư Tô Lâm điện đàm với Tổng thống Donald Trump\n"
        "Tối 2/7, Tổng Bí thư Tô Lâm đã có cuộc điện đàm với Tổng thống Hoa Kỳ Donald Trump. Hai bên hoan nghênh kết "
        "quả đàm phán Hiệp định Thương mại đối ứng và nhất trí giao các cơ quan chức năng tiếp tục trao đổi.",
        [
            ev(
                "call",
                "2025-07-02",
                mode="phone",
                vn=[TOLAM],
                us=[TRUMP],
                evidence="cuộc điện đàm",
                ref="call-2025-07-02-tolam-trump",
            )
        ],
    ),
    (
        "v05_vietnamplus_tan_switzer_online.txt",
        "2026-01-15",
        "Sáng 15/1, Thứ trưởng Nguyễn Sinh Nhật Tân đã có cuộc họp trực tuyến với Phó Đại diện Thương mại Hoa Kỳ Rick "
        "Switzer để chuẩn bị cho vòng đàm phán tiếp theo của Hiệp định Thương mại đối ứng.\n"
        "Hai bên rà soát các nội dung còn tồn tại trong các chương về nông nghiệp và hàng rào kỹ thuật.",
        [
            ev(
                "call",
                "2026-01-15",
                mode="online",
                vn=[TAN],
                us=[SWITZER],
                evidence="cuộc họp trực tuyến",
                ref="call-2026-01-15-tan-switzer",
            )
        ],
    ),
    (
        "v06_nhandan_hung_knapper.txt",
        "2026-01-21",
        "Quyền Bộ trưởng Lê Mạnh Hùng tiếp Đại sứ Hoa Kỳ\n"
        "Chiều 20/1, tại Hà Nội, Quyền Bộ trưởng Bộ Công Thương Lê Mạnh Hùng đã tiếp Đại sứ Hoa Kỳ tại Việt Nam Marc "
        "Knapper. Hai bên trao đổi về tiến trình đàm phán Hiệp định Thương mại đối ứng.",
        [
            ev(
                "meeting",
                "2026-01-20",
                location=HN,
                vn=[HUNG],
                us=[KNAPPER],
                evidence="đã tiếp Đại sứ Hoa Kỳ",
                ref="meeting-2026-01-20-hung-knapper",
            )
        ],
    ),
    (
        "v07_neg_efta_round.txt",
        "2025-09-12",
        "Vòng đàm phán thứ 18 Hiệp định Thương mại tự do Việt Nam - EFTA\n"
        "Từ ngày 8 đến 11/9, tại Hà Nội, vòng đàm phán thứ 18 Hiệp định Thương mại tự do giữa Việt Nam và Khối Thương "
        "mại tự do châu Âu (EFTA) đã diễn ra. Đoàn Việt Nam do Thứ trưởng Nguyễn Sinh Nhật Tân dẫn đầu.",
        [],
    ),
    (
        "v08_neg_cptpp.txt",
        "2025-11-22",
        "Phiên họp Ủy ban CPTPP lần thứ 9\n"
        "Bộ trưởng Nguyễn Hồng Diên dự Phiên họp Ủy ban CPTPP lần thứ 9 tại Melbourne. Các bên thảo luận về việc kết "
        "nạp thành viên mới, trong đó có Costa Rica.",
        [],
    ),
    (
        "v09_neg_company_boeing.txt",
        "2025-11-14",
        "Bộ trưởng Nguyễn Hồng Diên tiếp lãnh đạo Tập đoàn Boeing\n"
        "Chiều 13/11, tại Washington D.C., Bộ trưởng Nguyễn Hồng Diên đã tiếp ông Brendan Nelson, Chủ tịch Boeing Toàn "
        "cầu, bên lề vòng đàm phán Hiệp định Thương mại đối ứng. Hai bên trao đổi về kế hoạch mua máy bay.",
        [ev("round", status="ongoing", vn=[DIEN], evidence="bên lề vòng đàm phán", ref="round-under-way")],
    ),  # Boeing is a company: no meeting. The round under way is one (the real corpus labels "on the
    # sidelines of the sixth round" and "a new round of negotiations gets underway" as rounds), and
    # the minister who received someone on its sidelines came for it (as the real corpus labels it).
    (
        "v10_neg_apec.txt",
        "2025-05-16",
        "Hội nghị Bộ trưởng Thương mại APEC lần thứ 31\n"
        "Tại Jeju, Hàn Quốc, Bộ trưởng Nguyễn Hồng Diên dự Hội nghị Bộ trưởng Thương mại APEC lần thứ 31 và có cuộc "
        "gặp với Bộ trưởng Thương mại Hàn Quốc.",
        [],
    ),
    (
        "v11_nfd_round3.txt",
        "2025-06-13",
        "Kết thúc vòng đàm phán thứ ba Hiệp định Thương mại đối ứng\n"
        "Từ ngày 9 đến 12/6, tại Washington D.C., vòng đàm phán thứ ba Hiệp định Thương mại đối ứng giữa Việt Nam và "
        "Hoa Kỳ đã diễn ra. Đoàn Hoa Kỳ do Trưởng Đại diện Thương mại Jamieson Greer dẫn đầu, đoàn Việt Nam do Bộ "
        "trưởng Nguyễn Hồng Diên dẫn đầu.",
        [
            ev(
                "round",
                "2025-06-09",
                "2025-06-12",
                number=3,
                location=DC,
                vn=[DIEN],
                us=[GREER],
                evidence="vòng đàm phán thứ ba",
                ref="round-3",
            )
        ],
    ),
    (
        "v12_vneconomy_round5_dots.txt",
        "2025-11-15",
        "Ngày 15-11, Bộ Công Thương cho biết vòng đàm phán thứ năm Hiệp định Thương mại đối ứng đã kết thúc tốt đẹp "
        "tại Washington D.C. sau ba ngày làm việc từ 12 - 14.11.\n"
        "Hai bên đạt tiến bộ lớn về dịch vụ và thương mại số.",
        [
            ev(
                "round",
                "2025-11-12",
                "2025-11-14",
                number=5,
                location=DC,
                evidence="vòng đàm phán thứ năm",
                ref="round-5",
            )
        ],
    ),
    (
        "v13_congthuong_ministerial9.txt",
        "2025-11-28",
        "Phiên đàm phán cấp Bộ trưởng lần thứ 9 diễn ra trực tuyến\n"
        "Ngày 27/11, Phiên đàm phán cấp Bộ trưởng lần thứ 9 về Hiệp định Thương mại đối ứng giữa Bộ trưởng Nguyễn "
        "Hồng Diên và Trưởng Đại diện Thương mại Hoa Kỳ Jamieson Greer đã diễn ra theo hình thức trực tuyến.",
        [
            ev(
                "ministerial_session",
                "2025-11-27",
                number=9,
                mode="online",
                vn=[DIEN],
                us=[GREER],
                evidence="Phiên đàm phán cấp Bộ trưởng lần thứ 9",
                ref="ministerial-9",
            )
        ],
    ),
    (
        "v14_round8_planned.txt",
        "2026-04-02",
        "Vòng đàm phán thứ 8 Hiệp định Thương mại đối ứng dự kiến diễn ra từ ngày 20 đến 23/4 tại Washington D.C., "
        "Bộ Công Thương cho biết.\nĐoàn Việt Nam sẽ do Quyền Bộ trưởng Lê Mạnh Hùng dẫn đầu.",
        [
            ev(
                "round",
                "2026-04-20",
                "2026-04-23",
                number=8,
                status="planned",
                location=DC,
                vn=[HUNG],
                evidence="Vòng đàm phán thứ 8",
                ref="round-8",
            )
        ],
    ),
    (
        "v15_call_tomorrow.txt",
        "2026-01-29",
        "Ngày mai (30/1), Quyền Bộ trưởng Lê Mạnh Hùng sẽ có cuộc điện đàm với Bộ trưởng Thương mại Hoa Kỳ Howard "
        "Lutnick về Hiệp định Thương mại đối ứng.",
        [
            ev(
                "call",
                "2026-01-30",
                mode="phone",
                status="planned",
                vn=[HUNG],
                us=[LUTNICK],
                evidence="cuộc điện đàm",
                ref="call-2026-01-30-hung-lutnick",
            )
        ],
    ),
    (
        "v16_asean_sidelines.txt",
        "2025-10-27",
        "Thủ tướng Phạm Minh Chính gặp Tổng thống Donald Trump\n"
        "Bên lề Hội nghị Cấp cao ASEAN lần thứ 47 tại Kuala Lumpur, chiều 26/10, Thủ tướng Phạm Minh Chính đã có cuộc "
        "gặp với Tổng thống Hoa Kỳ Donald Trump. Hai bên hoan nghênh tiến triển của đàm phán Hiệp định Thương mại đối "
        "ứng.",
        [
            ev(
                "meeting",
                "2025-10-26",
                location=KL,
                vn=[CHINH],
                us=[TRUMP],
                evidence="đã có cuộc gặp",
                ref="meeting-2025-10-26-chinh-trump",
            )
        ],
    ),
    (
        "v17_neg_us_china_vi.txt",
        "2025-07-30",
        "Mỹ và Trung Quốc kết thúc vòng đàm phán tại Stockholm\n"
        "Sau hai ngày đàm phán tại Stockholm, Bộ trưởng Tài chính Mỹ Scott Bessent cho biết Mỹ và Trung Quốc nhất trí "
        "tiếp tục thảo luận về việc gia hạn thỏa thuận đình chiến thuế quan.",
        [],
    ),
    (
        "v18_neg_evfta.txt",
        "2025-10-10",
        "Phiên họp lần thứ 5 Ủy ban Thương mại EVFTA\n"
        "Ngày 9/10, tại Brussels, Thứ trưởng Nguyễn Sinh Nhật Tân đồng chủ trì Phiên họp lần thứ 5 Ủy ban Thương mại "
        "Hiệp định EVFTA với đại diện Liên minh châu Âu.",
        [],
    ),
    (
        "v20_same_day_statement.txt",
        "2025-10-27",
        "Việt Nam và Hoa Kỳ ra Tuyên bố chung về Hiệp định Thương mại đối ứng\n"
        "Chiều 26/10, tại Kuala Lumpur, Thủ tướng Phạm Minh Chính đã có cuộc gặp với Tổng thống Hoa Kỳ Donald Trump. "
        "Cùng ngày, hai nước ra Tuyên bố chung về khuôn khổ Hiệp định Thương mại đối ứng, công bằng và cân bằng.",
        [
            ev(
                "meeting",
                "2025-10-26",
                location=KL,
                vn=[CHINH],
                us=[TRUMP],
                evidence="đã có cuộc gặp",
                ref="meeting-2025-10-26-chinh-trump",
            ),
            ev("statement", "2025-10-26", vn=[CHINH], us=[TRUMP], evidence="Tuyên bố chung", ref="statement-2025-10-26")
            | {"note": "'Cùng ngày' is the 26th; the two countries' leaders are the paragraph's"},
        ],
    ),
    (
        "e14_later_that_day.txt",
        "2025-09-24",
        "Deputy Prime Minister Ho Duc Phoc met U.S. Treasury Secretary Scott Bessent in Washington on September 23 "
        "to discuss the reciprocal trade negotiations. Later that day, he held a phone call with Commerce Secretary "
        "Howard Lutnick.",
        [
            ev(
                "meeting",
                "2025-09-23",
                location=DC,
                vn=["Hồ Đức Phớc"],
                us=[BESSENT],
                evidence="met U.S. Treasury",
                ref="meeting-2025-09-23-phoc-bessent",
            ),
            ev(
                "call",
                "2025-09-23",
                mode="phone",
                vn=["Hồ Đức Phớc"],
                us=[LUTNICK],
                evidence="held a phone call",
                ref="call-2025-09-23-phoc-lutnick",
            ),
        ],
    ),
    (
        "e15_agreed_to_finalise.txt",
        "2025-11-10",
        "Vietnam, US trade talks continue\n"
        "Vietnam and the United States are negotiating a reciprocal trade agreement. In September the two countries "
        "agreed to finalise a trade deal within weeks that would keep tariffs on Vietnamese goods at 20%.",
        [
            ev("statement", evidence="agreed to finalise a trade deal", ref="statement-2025-09-agreed")
            | {"note": "what they agreed is an agreement reached, though its object lies ahead"},
        ],
    ),
    (
        "e16_virtual_meetings_plural.txt",
        "2026-04-10",
        "Seventh round of Vietnam-US trade talks set for Hanoi\n"
        "Vietnam and the United States will hold the seventh round of reciprocal trade negotiations in Hanoi from "
        "April 20 to 23, the Ministry of Industry and Trade said on Friday. The Vietnamese delegation will be led by "
        "Minister Nguyen Hong Dien. Both in-person and virtual meetings have taken place between Minister Nguyen Hong "
        "Dien and U.S. officials since the talks began.",
        [
            ev(
                "round",
                "2026-04-20",
                "2026-04-23",
                number=7,
                status="planned",
                location=HN,
                vn=[DIEN],
                evidence="will hold the seventh round",
                ref="round-7",
            )
            | {"note": "the headline's round 'set for Hanoi' is the same; 'virtual meetings have taken place' is many"},
        ],
    ),
    (
        "e17_planned_and_underway.txt",
        "2025-12-01",
        "Vietnam expects to sign trade deal with US soon\n"
        "Vietnam expects to sign a reciprocal trade agreement with the United States soon, the Deputy Prime Minister "
        "said on Monday, as a new round of negotiations gets underway in Washington.\n"
        "Vietnamese negotiators are in Washington for a new round of trade talks scheduled for December 1-4. The next "
        "round of negotiations is expected to be held in Hanoi in January.",
        [
            ev(
                "round",
                "2025-12-01",
                "2025-12-04",
                status="ongoing",
                location=DC,
                evidence="a new round of trade talks scheduled for December 1-4",
                ref="round-2025-12-01",
            )
            | {"note": "announced for 1-4 December and under way on the 1st: one round"},
            ev(
                "round",
                status="planned",
                location=HN,
                evidence="The next round of negotiations is expected",
                ref="round-2026-01-planned",
            ),
        ],
    ),
    (
        "v20_press_briefing_date.txt",
        "2026-03-03",
        "Bộ Công Thương: phiên đàm phán thứ 9 dự kiến diễn ra tuần tới\n"
        "Tại buổi họp báo thường kỳ chiều 3/3, đại diện Bộ Công Thương cho biết phiên đàm phán thứ 9 Hiệp định "
        "Thương mại đối ứng giữa Việt Nam và Hoa Kỳ dự kiến diễn ra trong tuần tới tại Hà Nội.",
        [
            ev(
                "round",
                number=9,
                status="planned",
                location=HN,
                evidence="phiên đàm phán thứ 9",
                ref="round-9",
            )
            | {"note": "3/3 is the press briefing's day, not the round's"},
        ],
    ),
    (
        "e18_social_post.txt",
        "2025-07-03",
        "Trump says Vietnam deal sets 20% tariff\n"
        "U.S. President Donald Trump wrote on Truth Social on Wednesday that goods from Vietnam would face a 20% "
        "tariff under a trade deal between the two countries.",
        [
            ev("statement", "2025-07-02", us=[TRUMP], evidence="wrote on Truth Social", ref="statement-2025-07-02")
            | {"note": "a leader's post announcing the deal is the announcement"},
        ],
    ),
    (
        "v21_quoted_just.txt",
        "2025-07-03",
        "Trump: Mỹ đạt thỏa thuận thương mại với Việt Nam\n"
        "“Tôi vừa đạt được thỏa thuận thương mại với Việt Nam”, Tổng thống Mỹ Donald Trump viết trên mạng xã hội "
        "Truth Social tối 2/7.",
        [
            ev("statement", "2025-07-02", us=[TRUMP], evidence="viết trên mạng xã hội", ref="statement-2025-07-02")
            | {"note": "the quoted 'vừa' is the day he wrote, not the day of the report"},
        ],
    ),
    (
        "v22_government_meeting_date.txt",
        "2025-08-08",
        "Bộ trưởng Công Thương: tuần tới tiếp tục đàm phán với Mỹ\n"
        "Tại phiên họp Chính phủ thường kỳ ngày 7/8, Bộ trưởng Công Thương Nguyễn Hồng Diên cho biết vòng đàm phán "
        "tiếp theo về Hiệp định Thương mại đối ứng với Hoa Kỳ sẽ diễn ra trong tuần tới tại Washington.",
        [
            ev("round", status="planned", location=DC, evidence="vòng đàm phán tiếp theo", ref="round-2025-08-planned")
            | {
                "note": "7/8 is the government meeting's day; the minister speaks of the round, he is not said to lead it"
            },
        ],
    ),
    (
        "v23_neg_india_us_teaser.txt",
        "2025-10-15",
        "Chứng khoán Việt Nam được nâng hạng\n"
        "Ấn Độ đang đẩy nhanh đàm phán thương mại với Mỹ, với mục tiêu hoàn tất thỏa thuận trước cuối năm. Các nhà "
        "đàm phán của Ấn Độ sẽ tới Mỹ trong tuần này để gặp các quan chức Mỹ. Phía Mỹ muốn Ấn Độ giảm mua dầu.",
        [],
    ),
    (
        "v19_lan_dau_trap.txt",
        "2025-08-02",
        "Lần đầu tiên doanh nghiệp Việt tham gia hội chợ thương mại tại Mỹ với quy mô lớn\n"
        "Lần đầu tiên, hơn 100 doanh nghiệp Việt Nam tham gia hội chợ thương mại tại New York, trong bối cảnh Hiệp "
        "định Thương mại đối ứng đang được đàm phán.",
        [],
    ),
]

NFD_FILES = {"v11_nfd_round3.txt"}  # stored decomposed, as some CMSs do


def main() -> None:
    folder = HERE / "articles"
    folder.mkdir(exist_ok=True)
    lines = []
    for name, published, text, events in ARTICLES:
        body = f" date {published} {text}\n"
        if name in NFD_FILES:
            body = unicodedata.normalize("NFD", body)
        (folder / name).write_text(body, encoding="utf-8")
        relevant = bool(events) or name not in {
            "e08_neg_us_china_geneva.txt",
            "e09_neg_efta.txt",
            "v07_neg_efta_round.txt",
            "v08_neg_cptpp.txt",
            "v10_neg_apec.txt",
            "v17_neg_us_china_vi.txt",
            "v18_neg_evfta.txt",
            "v23_neg_india_us_teaser.txt",
        }
        lines.append(
            json.dumps(
                {"file": name, "published": published, "relevant": relevant, "events": events}, ensure_ascii=False
            )
        )
    (HERE / "labels.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
