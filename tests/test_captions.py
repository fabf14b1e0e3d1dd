"""Tests for the ``captions`` step (vntext.captions).

Data-driven cases live in ``tests/cases/{synthetic,negative}/captions.json``;
this file checks the cue table, the API, line-break handling and properties.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vntext import Config, apply_changes, clean_and_explain
from vntext.captions import (
    LINE_LABELS,
    CaptionsStep,
    _cuesets,
    classify_lines,
    default_cues,
    load_cues,
    strip_captions,
)
from vntext.trace import Change

ONLY = Config().with_steps(only=["captions"])


def explain(text: str, **options: object) -> tuple[str, list[Change]]:
    r = clean_and_explain(text, ONLY.replace(**options))
    return r.text, r.changes


def test_packaged_table_is_well_formed() -> None:
    cues = default_cues()
    assert len(cues) > 30
    rules = {c.rule for c in cues}
    assert {"photo-credit", "source", "date-stamp", "widget", "related-link"} <= rules
    for c in cues:
        assert c.label in LINE_LABELS
        assert 0 <= c.confidence <= 1
        assert c.trigger, f"packaged row {c.rule} needs a trigger (keeps prose off slow paths)"
    header = (Path(__file__).parent.parent / "vntext/data/caption_cues.tsv").read_text("utf-8")
    assert header.startswith("#") and "Licence: MIT" in header.splitlines()[1]


def test_every_removal_is_a_labelled_change_and_replays() -> None:
    text = "Tiêu đề\nĐoạn văn.\nCầu mới. Ảnh: TTXVN\nXem thêm: Tin khác\nTrần Hương"
    out, changes = explain(text)
    assert out == "Tiêu đề\nĐoạn văn."
    assert [c.label for c in changes] == ["caption", "boilerplate", "byline"]
    assert all(c.after == "" and c.step == "captions" for c in changes)
    assert apply_changes(text, changes) == out
    assert clean_and_explain(text, ONLY).removed_lines == changes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A.\nCầu. Ảnh: X\nB.", "A.\nB."),  # middle line with its break
        ("A.\n\nCầu. Ảnh: X\n\nB.", "A.\n\nB."),  # blank lines around: one paragraph break stays
        ("A.\nCầu. Ảnh: X\n\nB.", "A.\n\nB."),
        ("A.\nCầu. Ảnh: X", "A."),  # last line without break: take the break before it
        ("A.\nCầu. Ảnh: X\n", "A.\n"),  # last line with break: the document still ends with one
        ("A.\n\nCầu. Ảnh: X\n\nTheo TTXVN\n", "A.\n"),  # a run at the end
        ("\n\nA.\nCầu. Ảnh: X\nB.", "\n\nA.\nB."),  # leading blank lines are not ours
        ("A.\r\nCầu. Ảnh: X\r\nB.", "A.\r\nB."),
    ],
)
def test_line_breaks(text: str, expected: str) -> None:
    out, changes = explain(text)
    assert out == expected
    assert apply_changes(text, changes) == out


def test_title_is_protected_from_weak_cues() -> None:
    headline = "Video: Bão số 3 vào bờ\nĐoạn văn."
    assert strip_captions(headline) == headline
    # ... but not from a date stamp
    assert strip_captions("15:34 21/05/2021\nĐoạn văn.") == "Đoạn văn."


def test_related_headlines_need_a_run_of_three() -> None:
    body = "Tiêu đề\nĐoạn văn dài kết thúc bằng dấu chấm."
    heads = [
        "Giá vàng hôm nay tăng mạnh sau nhiều phiên giảm",
        "Hà Nội mở thêm ba tuyến buýt mới từ tháng sau",
        "Cầu thủ trẻ ghi bàn đẹp nhất vòng đấu tuần này...",
    ]
    assert strip_captions("\n".join([body, *heads])) == body
    two = "\n".join([body, *heads[:2]])
    assert strip_captions(two) == two


def test_photo_story_keeps_captions_and_says_why() -> None:
    doc = "\n".join(
        [
            "Toàn cảnh lễ hội pháo hoa",
            "Pháo hoa rực sáng trên sông Hàn. Ảnh: Minh Anh",
            "Người dân đổ ra đường xem pháo hoa. Ảnh: Minh Anh",
            "Các đội thi trình diễn màn cuối. Ảnh: Minh Anh",
        ]
    )
    assert strip_captions(doc) == doc
    labels = [x for x in classify_lines(doc) if x.label == "caption"]
    assert len(labels) == 3 and {x.kept for x in labels} == {"photo-story"}


def test_keep_lines_option_is_validated() -> None:
    assert Config(keep_lines="byline, caption").keep_lines == "byline, caption"
    with pytest.raises(ValueError, match="comma-separated list"):
        Config(keep_lines="bylines")
    text = "Tiêu đề\nĐoạn.\nTrần Hương"
    assert explain(text, keep_lines="byline")[0] == text


def test_site_patterns(tmp_path: Path) -> None:
    f = tmp_path / "site.tsv"
    f.write_text(
        "# my site\nboilerplate\tsite-footer\tany\tBản tin do .* cung cấp\n"
        "body\tkeep-top\tany\tTop 10 .*\n",
        encoding="utf-8",
    )
    text = "Tiêu đề\nĐoạn.\nTop 10 cầu thủ\nBản tin do ABC cung cấp"
    out, changes = explain(text, caption_patterns=str(f))
    assert out == "Tiêu đề\nĐoạn.\nTop 10 cầu thủ"
    assert [c.rule for c in changes] == ["site-footer"]
    assert len(load_cues(f)) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("caption\tx\tany\n", "4 to 6"),
        ("caption\tx\tany\ta\t\t^ Theo\n", "needs text right after"),
        ("caption\tx\tany\ta\t0.9\t(\n", "bad trigger"),
        ("bogus\tx\tany\ta\n", "class must be"),
        ("caption\tx\teverywhere\ta\n", "scope must be"),
        ("caption\tx\tany\t(\n", "bad regular expression"),
        ("caption\tx\tany\t(?P<n>a)\n", "named groups"),
        ("caption\tx\tany\ta\t2\n", "between 0 and 1"),
    ],
)
def test_bad_pattern_files_fail_with_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    f = tmp_path / "bad.tsv"
    f.write_text("# header\n" + content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as exc:
        CaptionsStep(Config(caption_patterns=str(f)))
    assert "bad.tsv:2" in str(exc.value)


def test_triggers_decide_which_lines_a_row_is_tried_on(tmp_path: Path) -> None:
    f = tmp_path / "site.tsv"
    long_tail = " ".join(["nội dung"] * 8)
    f.write_text(
        "# rows without a trigger are tried on every line, long ones too\n"
        "boilerplate\tsite-footer\tany\tBản tin do .* cung cấp\n"
        "boilerplate\tsite-promo\tany\t\\(?Khuyến mãi .*\t\t^Khuyến mãi\n"
        "caption\tsite-credit\tany\t.* Photo: \\w+\t\tPhoto:\n"
        "boilerplate\tsite-more\tany\t.* xem tiếp >\t0.8\t>$\n",
        encoding="utf-8",
    )
    doc = "\n".join(
        [
            "Tiêu đề",
            "Đoạn văn.",
            f"Bản tin do ABC {long_tail} cung cấp",  # no trigger: every line
            f"(KHUYẾN MÃI {long_tail})",  # ^literal: upper case too, after "("
            f"Cầu mới {long_tail} Photo: Reuters",  # regex trigger
            f"Tin khác {long_tail} xem tiếp >",  # end literal
            "Đoạn cuối.",
        ]
    )
    got = {x.n: x.rule for x in classify_lines(doc, patterns=f) if x.label != "body"}
    assert got == {2: "site-footer", 3: "site-promo", 4: "site-credit", 5: "site-more"}
    assert load_cues(f)[1].trigger == "^Khuyến mãi"


def test_missing_pattern_file() -> None:
    with pytest.raises(ValueError, match="caption patterns file"):
        CaptionsStep(Config(caption_patterns="/nonexistent/x.tsv"))


def test_classify_lines_reports_every_nonblank_line() -> None:
    text = "Tiêu đề\n\nĐoạn văn.\nTheo TTXVN"
    got = [(x.n, x.label, x.rule) for x in classify_lines(text)]
    assert got == [(0, "body", ""), (2, "body", ""), (3, "byline", "source")]
    x = classify_lines(text)[2]
    assert text[x.start : x.end] == x.text


def test_step_pickles() -> None:
    import pickle

    step = CaptionsStep(ONLY)
    assert pickle.loads(pickle.dumps(step)).apply("A.\nTheo TTXVN", None) == "A."


# -- properties -------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "Tiêu đề bài báo",
        "Đoạn văn có nội dung và kết thúc bằng dấu chấm.",
        "Cầu mới khánh thành. Ảnh: Minh Anh",
        "Theo TTXVN",
        "Trần Hương",
        "Xem thêm: Tin khác",
        "15:34 21/05/2021",
        " date 2021-05 Nội dung bài.",
        "Giá vàng hôm nay tăng mạnh sau nhiều phiên giảm",
        "Hà Nội mở thêm ba tuyến buýt mới từ tháng sau",
        "Top",
        "",
        "  ",
        "- Anh có khỏe không?",
        "Xe lao xuống dốc. (Ảnh: CTV) Sau đó tài xế bỏ chạy.",
        "*Một số hình ảnh tại buổi lễ:",
        "|",
        "\r",
    ]
)
_DOCS = st.one_of(
    st.lists(_PIECES, max_size=12).map("\n".join),
    st.text(alphabet=st.sampled_from("aÂ.:|()>\n \tẢnh0/-"), max_size=60),
    st.text(max_size=80),
)


_T = "Mưa lớn gây ngập nhiều tuyến phố ở Hà Nội"
_P = (
    "Sáng nay mưa lớn kéo dài khiến nhiều tuyến phố ngập sâu, nhiều xe chết máy giữa "
    "đường và người dân phải dắt bộ rất vất vả trong nhiều giờ liền."
)


@settings(max_examples=300, deadline=None)
@given(_DOCS)
# Pages of little but junk, where removing lines gives others new neighbours:
# a photo story's verdict once its copies go, a byline uncovered at the end,
# a paragraph next to its own copy, blank lines left on both sides.
@example(f"{_P}\n" + f"{_T}\n" * 4 + f"{_T} |\n" * 2 + f"{_T} :\nTheo TTXVN\n")
@example(f"{_T} |\n" + f"{_P}\n" * 4 + f"Trần Hương\n{_T}\n")
@example(f"{_T}\n{_T}\n{_P}\n{_T}\n{_T}\n |{_P}\n")
@example(f"{_T}\n" * 7 + f"Trần Hương\n |{_T} :\nTheo TTXVN\n")
@example(f"{_T}\n" * 7 + f"\n{_T}\n{_T}\n\n{_P}\n")
def test_properties(text: str) -> None:
    out, changes = explain(text)  # never raises
    assert apply_changes(text, changes) == out  # replay
    assert explain(out)[0] == out  # idempotent
    for c in changes:
        assert c.after == "" and c.label in {"caption", "byline", "boilerplate", "header"}


#: A paragraph longer than the 320 characters cues are tried on, holding every trigger.
_LONG_LINE = "Ảnh: Nguồn: xem (ảnh CTV) (giữa) thắc mắc Theo TTXVN | " * 7


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.just(_LONG_LINE), st.just("  " + _LONG_LINE)), max_size=10))
def test_scanning_only_cue_lines_finds_what_a_whole_scan_finds(pieces: list[str]) -> None:
    # The packaged triggers stay within a line, so only the lines cues are tried on
    # are scanned for them: the rows found there must be those a whole scan finds.
    text = "\n".join(pieces)
    lines = text.split("\n")
    eff = [s.strip() for s in lines]
    cue_lines = [i for i, s in enumerate(eff) if 0 < len(s) <= 320]
    short = [i for i in cue_lines if len(eff[i]) <= 40]
    fast = _cuesets()[0]
    assert fast.line_local
    whole = copy.copy(fast)
    whole.line_local = False
    expected = whole.candidates(text, lines, eff, cue_lines, short)
    found = fast.candidates(text, lines, eff, cue_lines, short)
    assert found == {i: r for i, r in expected.items() if i in cue_lines}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Đoạn văn một có dấu chấm.",
                "Câu hai.",
                "Một dòng nữa không có dấu chấm",
                "- Anh nghĩ sao?",
                "Giá 1.000 đồng tại TP.HCM.",
                "Hamburger: Rost; Demal, Mathijsen",
                "",
            ]
        ),
        max_size=7,
        unique=True,
    )
)
def test_body_only_text_is_unchanged(lines: list[str]) -> None:
    # Distinct body lines (a repeated one is a duplicate, removed by design).
    text = "\n".join(lines)
    assert strip_captions(text) == text


def test_navigation_after_closing_widgets() -> None:
    body = "Tiêu đề bài\nĐoạn văn đầu tiên của bài báo.\nĐoạn văn thứ hai của bài báo."
    nav = body + "\nChia sẻ:\nDoanh nghiệp - Sản phẩm - Rao vặt\nCác đơn vị thông tin"
    assert strip_captions(nav) == body
    rules = [x.rule for x in classify_lines(nav) if x.label != "body"]
    assert rules == ["widget", "navigation", "navigation"]
    # A sentence after the widget: the widget sat inside the article, nothing else goes.
    rest = "\nCâu trả lời của độc giả rất đáng chú ý.\nMột dòng ngắn"
    assert strip_captions(body + "\nChia sẻ:" + rest) == body + rest


def test_affiliation_after_a_byline_at_the_head() -> None:
    doc = "Tiêu đề bài\nThS HOÀNG VĂN HÙNG\nHọc viện Chính trị quốc gia Hồ Chí Minh\nĐoạn văn."
    got = [(x.label, x.rule) for x in classify_lines(doc) if x.label != "body"]
    assert got == [("byline", "name-at-start"), ("byline", "affiliation")]
    # Without the name above it, an institution line is a sub-heading or a sentence.
    plain = "Tiêu đề bài\nHọc viện Chính trị quốc gia Hồ Chí Minh\nĐoạn văn."
    assert strip_captions(plain) == plain


@pytest.mark.parametrize(
    "text",
    [
        # a line shown twice after captions: judged as it will be once its copy is gone
        "Tiêu đề bài báo\nCầu mới khánh thành. Ảnh: Minh Anh\nCầu mới khánh thành. Ảnh: Minh Anh\n"
        "Đoạn văn có nội dung và kết thúc bằng dấu chấm.\n"
        "Đoạn văn có nội dung và kết thúc bằng dấu chấm.",
        # a headline after removed lines at the end, then the byline it hid
        "Tiêu đề bài báo\nTrần Hương\nCầu mới khánh thành. Ảnh: Minh Anh\n"
        "Giá vàng hôm nay tăng mạnh sau nhiều phiên giảm",
        # site navigation never takes the headline
        "Xem thêm: Tin khác\nTiêu đề bài báo\n*Một số hình ảnh tại buổi lễ:\n"
        "Đoạn văn có nội dung và kết thúc bằng dấu chấm.\n*Một số hình ảnh tại buổi lễ:",
    ],
)
def test_idempotent_on_cascades(text: str) -> None:
    once = strip_captions(text)
    assert strip_captions(once) == once


def test_photo_story_judges_a_repeated_line_as_once_its_copy_is_gone() -> None:
    # Found by the property below: the line shown twice stayed (the story keeps
    # captions) and a second run, with its copy gone, removed it as a headline.
    text = (
        "Tiêu đề bài báo\nĐoạn văn có nội dung và kết thúc bằng dấu chấm.\n"
        "Cầu mới khánh thành. Ảnh: Minh Anh\nCầu mới khánh thành. Ảnh: Minh Anh\n"
        "Giá vàng hôm nay tăng mạnh sau nhiều phiên giảm\n"
        "Giá vàng hôm nay tăng mạnh sau nhiều phiên giảm\n*Một số hình ảnh tại buổi lễ:"
    )
    out, _ = explain(text)
    assert explain(out)[0] == out
    assert "Giá vàng" not in out and out.count("Ảnh: Minh Anh") == 2


def test_truncated_copy_after_a_run_of_duplicates_is_found_on_the_first_run() -> None:
    # The copies of the lines in between go on the first run; a second run
    # would see the truncated copy right after its paragraph, so the first
    # run looks past them too.
    paras = [
        "Đoạn văn thứ nhất của bài báo nói về một sự kiện khá dài, đủ để không bị coi là tiêu đề.",
        "Đoạn văn thứ hai của bài báo kể lại diễn biến của sự kiện với nhiều chi tiết cụ thể hơn.",
        "Đoạn văn thứ ba của bài báo là lời bình luận của người viết về ý nghĩa của sự kiện này.",
    ]
    tail = paras[2][:60] + "..."
    text = "\n".join(["Tiêu đề bài báo", *paras, paras[0], paras[1], tail])
    out, _ = explain(text)
    assert explain(out)[0] == out
    assert out == "\n".join(["Tiêu đề bài báo", *paras])


# Invented paragraphs (over 150 characters) for the restated-caption rule.
_LEAD = (
    "Sáng nay, một chiếc xe khách chở hơn ba mươi hành khách đã bị lật khi đang xuống "
    "đèo Cả, khiến nhiều người bị thương nặng và phải đưa đi cấp cứu tại bệnh viện tỉnh."
)
_MENTION = (
    "Theo bà Lê Thị Mai, Giám đốc Sở Giao thông vận tải tỉnh Khánh Hòa, đoạn đèo này đã "
    "được cảnh báo nhiều lần vì dốc dài, nhiều khúc cua gấp và mặt đường hẹp vào mùa mưa."
)
_AFTER = (
    "Lực lượng cứu hộ cùng người dân địa phương đã nhanh chóng có mặt để đưa các nạn nhân "
    "ra khỏi xe, trong khi cảnh sát giao thông phân luồng để tránh ùn tắc kéo dài trên đèo."
)
_PORTRAIT = "Bà Lê Thị Mai, Giám đốc Sở Giao thông vận tải tỉnh Khánh Hòa."
_UNDER_LEAD = "Chiếc xe khách bị lật khi đang xuống đèo sáng nay."


@pytest.mark.parametrize(
    ("lines", "removed"),
    [
        # a portrait's caption copies the name and title from a paragraph before it
        (["Xe khách lật trên đèo", _LEAD, _MENTION, _PORTRAIT, _AFTER], _PORTRAIT),
        # ... also with a short line in between
        (["Xe khách lật trên đèo", _LEAD, _MENTION, "Đoạn ngắn.", _PORTRAIT, _AFTER], _PORTRAIT),
        # the caption under the lead photo retells the lead
        (["Xe khách lật trên đèo", _LEAD, _UNDER_LEAD, _AFTER], _UNDER_LEAD),
        # the same line before the paragraph it restates: a headline, it stays
        (["Tin giao thông", _AFTER, _PORTRAIT, _MENTION], None),
        (["Tin giao thông", _AFTER, _UNDER_LEAD, _LEAD], None),
        # retelling the lead, but not right under it: a summing-up sentence
        (["Xe khách lật trên đèo", _LEAD, _AFTER, _UNDER_LEAD, _MENTION], None),
        # a copied sub-heading (no full stop) or a question stays
        (["Xe khách lật trên đèo", _LEAD, _MENTION, _PORTRAIT.rstrip("."), _AFTER], None),
        (["Xe khách lật trên đèo", _LEAD, _MENTION, _PORTRAIT[:-1] + "?", _AFTER], None),
    ],
)
def test_restated_caption(lines: list[str], removed: str | None) -> None:
    text = "\n".join(lines)
    out, changes = explain(text)
    if removed is None:
        assert out == text
        return
    assert [(c.label, c.rule, c.before.strip()) for c in changes] == [
        ("caption", "restated", removed)
    ]
    assert out == "\n".join(x for x in lines if x != removed)
    assert strip_captions(out) == out


def test_glued_headlines_only_right_after_the_lead() -> None:
    glued = "- Giá vàng tăng mạnh trong phiên sáng nay- Ngân hàng đồng loạt hạ lãi suất huy động"
    text = "\n".join(["Giá vàng lập đỉnh", _LEAD, glued, _AFTER])
    out, changes = explain(text)
    assert [(c.label, c.rule) for c in changes] == [("boilerplate", "glued-headlines")]
    assert glued not in out
    # deep in the text the same line is left alone (a list item of the article)
    text = "\n".join(["Giá vàng lập đỉnh", _LEAD, _AFTER, glued, _MENTION])
    assert strip_captions(text) == text


def test_blank_lines_around_removed_lines_leave_one_paragraph_break() -> None:
    # Copies of the title with blank lines on both sides, some of them
    # separated by other removed copies: one paragraph break stays.
    doc = f"{_T}\n" * 3 + f"\n{_T}\n{_T}\n\n{_P}\n"
    assert strip_captions(doc) == f"{_T}\n\n{_P}\n"
