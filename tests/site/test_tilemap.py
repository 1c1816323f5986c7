"""The coverage tile map: every province once, neighbours kept, counts bucketed, text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator.site import tilemap

SVG = "{http://www.w3.org/2000/svg}"


def test_the_layout_has_each_of_the_31_provinces_once_on_its_own_tile():
    prefixes = [p for p, *_ in tilemap.PROVINCES]
    cells = [(c, r) for *_, c, r in tilemap.PROVINCES]
    assert len(prefixes) == 31 == len(set(prefixes))
    assert len(set(cells)) == 31, "two provinces share a tile"
    # GB/T 2260 province prefixes: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65
    assert all(re.fullmatch(r"1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]", p) for p in prefixes)


def test_neighbours_stay_neighbours():
    where = {name: (c, r) for _, name, c, r in tilemap.PROVINCES}
    for a, b in (("北京", "河北"), ("河南", "湖北"), ("四川", "重庆"), ("江苏", "上海"), ("广东", "广西")):
        (ca, ra), (cb, rb) = where[a], where[b]
        assert max(abs(ca - cb), abs(ra - rb)) == 1, (a, b)


def test_counts_are_bucketed_and_linked_tiles_carry_their_label():
    tiles = tilemap.tiles({"41": 30, "51": 2}, {"41": "../regions/henan/"}, frozenset({"37"}))
    by = {t.prefix: t for t in tiles}
    assert tilemap.bucket(0) == 0 and tilemap.bucket(2) == 1 and tilemap.bucket(30) == 4
    root = ET.fromstring(tilemap.svg(tiles, "培训：各省措施数"))
    links = root.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == ["../regions/henan/"]
    assert links[0].get("aria-label") == "河南：30 条措施"
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert (
        "山东？：尚未收录措施" not in titles and "山东：尚未收录措施" in titles
    )  # the mark needs a count to mean anything
    assert by["51"].count == 2


def test_text_is_escaped():
    tiles = tilemap.tiles({}, {"41": '"><script>alert(1)</script>'})
    out = tilemap.svg(tiles, "<b>x</b>")
    assert "<script>" not in out and "<b>" not in out
    ET.fromstring(out)  # still well-formed


def test_home_and_theme_pages_carry_the_map_and_its_text(tmp_path):
    """The map is on the home page (all measures) and on each theme page (that theme's), and the
    text beside it gives the same per-province counts, cities counted with their province."""
    from atlas_pipeline import MINI

    from generator.site.generate import generate

    gen = generate(MINI)
    cat = gen.catalogue
    province = {r.code[:2]: r for r in cat.regions.values() if r.level.value == "province"}
    for src, refs in [("index.md", cat.measures)] + [
        (f"themes/{t}.md", cat.by_theme.get(t, [])) for t in cat.theme_order
    ]:
        page = gen.markdown[src]
        assert '<svg class="atlas-tilemap"' in page, src
        counts: dict[str, int] = {}
        for ref in refs:
            region = cat.regions[ref.policy.region]
            if region.level.value != "national":
                counts[region.code[:2]] = counts.get(region.code[:2], 0) + 1
        text = re.search(r'<p class="atlas-tilemap-text">(.*?)</p>', page).group(1)
        for prefix, count in counts.items():
            name = next(n for p, n, *_ in tilemap.PROVINCES if p == prefix)
            assert re.search(rf">{name}？?</a> {count}(、|。)", text), (src, name, count, text)
            assert prefix in province, prefix
