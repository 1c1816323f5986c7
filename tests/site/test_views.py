"""views.mark_figures: a figure's words marked in its measure's quote, its table's quote column only
where a figure is quoted from elsewhere."""

from __future__ import annotations

from generator.site.views import mark_figures


def quote(text: str) -> dict:
    return {"text": text, "parts": None}


def figure(text: str) -> dict:
    return {"quote": {"text": text}}


def joined(q: dict) -> str:
    return "".join(p["text"] for p in q["parts"])


def test_each_figures_words_are_marked_and_the_quote_reads_as_before():
    quotes = [quote("到2025年，新增技能人才300万人，其中高技能人才100万人。"), quote("给予10万元奖励。")]
    need = mark_figures(
        quotes,
        {
            "targets": [figure("新增技能人才300万人"), figure("高技能人才100万人")],
            "amounts": [figure("给予10万元奖励")],
            "statistics": [],
        },
    )
    assert need == {"targets": False, "amounts": False, "statistics": False}  # every figure is marked above
    assert joined(quotes[0]) == quotes[0]["text"] and joined(quotes[1]) == quotes[1]["text"]
    assert [p["text"] for p in quotes[0]["parts"] if p["mark"]] == ["新增技能人才300万人", "高技能人才100万人"]
    assert [p["text"] for p in quotes[1]["parts"] if p["mark"]] == ["给予10万元奖励"]


def test_overlapping_figures_make_one_mark():
    quotes = [quote("技师和高级技师分别达到10万人和2万人")]
    mark_figures(quotes, {"targets": [figure("技师和高级技师分别达到10万人"), figure("高级技师分别达到10万人和2万人")]})
    assert [p["text"] for p in quotes[0]["parts"] if p["mark"]] == ["技师和高级技师分别达到10万人和2万人"]


def test_a_figure_quoted_from_elsewhere_keeps_its_tables_quote_column():
    quotes = [quote("加大培训补贴力度。")]
    need = mark_figures(quotes, {"amounts": [figure("每人每年补贴1000元")], "targets": []})
    assert need == {"amounts": True, "targets": False}
    assert quotes[0]["parts"] is None, "nothing to mark: the quote is printed as it is"
