"""AppTest of the embed page (`einbetten`) and the presentation page (`praesentation`) with URL parameters."""

from __future__ import annotations

import json

import pytest

from geo.indicators import slides
from tests.test_app_smoke import run_page


def html_blocks(app) -> list[str]:
    """The page's HTML blocks (st.html: the slide's head and the figures' sources)."""
    return [element.proto.body for element in app.get("html")]


def page_text(app) -> str:
    parts = [element.value for element in (*app.markdown, *app.caption, *app.warning, *app.error, *app.info)]
    parts += html_blocks(app)
    parts += [f"{metric.label} {metric.value}" for metric in app.metric]
    return "\n".join(str(part) for part in parts)


# --- embed --------------------------------------------------------------------------------------------


def embed_map_args(app) -> dict:
    """The arguments the embed page sent to its map component (the map draws, counts and links itself)."""
    [component] = app.get("bidi_component")
    assert component.proto.component_name == "atlas_map"
    return json.loads(component.proto.json)


def test_embed_shows_the_chosen_programs_and_links_to_the_same_view():
    app = run_page("einbetten", program="zukunftsort", state="ST")
    assert not app.exception, app.exception
    assert not app.warning
    args = embed_map_args(app)
    assert args["mode"] == "embed"
    assert args["sites"]["filter"]["any_of"] == {"state_code": ["ST"], "program": ["zukunftsort"]}
    # the link to the full atlas opens the map page with the same view and language
    assert args["atlas_url"] == "/karte?state=ST&program=zukunftsort&lang=de"
    assert args["texts"]["open_atlas"] == "Vollständigen Atlas öffnen"
    assert args["height"]["min"] <= 300  # the map fills the frame the host page gives it


def test_embed_in_english_with_a_selected_site():
    app = run_page("einbetten", lang="en", site="green-gate-gatersleben", embed="true")
    assert not app.exception, app.exception
    args = embed_map_args(app)
    assert args["texts"]["open_atlas"] == "Open the full atlas"
    assert args["texts"]["open_profile"] == "Open the profile in the atlas"
    assert args["selected"] == "green-gate-gatersleben" and args["lang"] == "en"


def test_embed_shows_a_linked_site_that_the_links_filter_would_hide():
    app = run_page("einbetten", program="kreativort_sachsen", site="chemiestandort-leuna")
    assert not app.exception, app.exception
    args = embed_map_args(app)
    assert args["selected"] == "chemiestandort-leuna"
    assert args["sites"]["filter"]["any_of"] == {}  # every site, so the linked one is on the map
    assert args["atlas_url"] == "/karte?lang=de"
    kept = embed_map_args(run_page("einbetten", program="zukunftsort", site="chemiestandort-leuna"))
    assert kept["sites"]["filter"]["any_of"] == {"program": ["zukunftsort"]}  # a filter that shows the site stays


@pytest.mark.parametrize(
    "param, value",
    [
        ("program", "nope"),
        ("state", "XX"),
        ("zone", "atlantis"),
        ("site", "no-such-site"),
        ("lang", "fr"),
    ],
)
def test_embed_reports_a_bad_parameter_and_still_shows_the_map(param, value):
    app = run_page("einbetten", **{param: value})
    assert not app.exception, app.exception
    [warning] = app.warning
    assert f"„{param}“" in warning.value and value in warning.value.replace("\\", "")
    assert embed_map_args(app)["selected"] is None


def test_embed_shows_a_hostile_value_as_text():
    app = run_page("einbetten", state="<img src=x onerror=alert(1)>")
    [warning] = app.warning
    # Markdown-escaped: shown literally, never as an element
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in warning.value


def test_embed_offers_no_upload_no_download_and_no_staff_link(monkeypatch):
    monkeypatch.setenv("STANDORTATLAS_STEWARD_PASSWORD", "secret")
    app = run_page("einbetten")
    assert not app.exception, app.exception
    assert len(app.get("file_uploader")) == 0
    assert len(app.get("download_button")) == 0
    assert "pflege" not in page_text(app)
    assert len(app.sidebar) == 0


# --- presentation -------------------------------------------------------------------------------------


def slide_title(app) -> str:
    """The slide's head (an HTML block: its h1 is the title)."""
    return next(body for body in html_blocks(app) if "sa-slide-title" in body)


def test_presentation_opens_on_the_first_slide_with_figures():
    app = run_page("praesentation")
    assert not app.exception, app.exception
    assert "Vier Länder auf einen Blick" in slide_title(app)
    assert 2 <= len(app.metric) <= 3
    assert all(metric.value for metric in app.metric)
    assert "Destatis" in page_text(app)


def test_presentation_slide_number_comes_from_the_url():
    app = run_page("praesentation", slide="6")
    assert not app.exception, app.exception
    assert "Lausitzer Revier" in slide_title(app)


def test_presentation_in_english():
    app = run_page("praesentation", slide="1", lang="en")
    assert "Four states at a glance" in slide_title(app)
    assert app.button(key="slide_next").label == "Next"


@pytest.mark.parametrize("value", ["99", "0", "abc", "![x](https://example.org/x.png)"])
def test_presentation_bad_slide_number_falls_back_to_the_first(value):
    app = run_page("praesentation", slide=value)
    assert not app.exception, app.exception
    [warning] = app.warning
    assert value[:15] in warning.value.replace("\\", "").replace("\u2060", "")  # escapes, the link breaker
    assert "![" not in warning.value  # Markdown-escaped: a link in the URL never loads an image
    assert "Vier Länder auf einen Blick" in slide_title(app)
    assert "slide" not in app.query_params  # the URL no longer names a slide that is not shown


def test_presentation_steps_through_every_slide_with_next_and_back():
    app = run_page("praesentation")
    titles = [slide_title(app)]
    total = len(slides.read_slide_file())
    for _ in range(total - 1):
        app.button(key="slide_next").click().run()
        assert not app.exception, app.exception
        titles.append(slide_title(app))
    assert len(set(titles)) == total
    assert app.query_params["slide"] == str(total)
    assert app.button(key="slide_next").disabled
    app.button(key="slide_previous").click().run()
    assert slide_title(app) == titles[-2]


def test_presentation_offers_the_offline_map_download():
    app = run_page("praesentation", slide="2")
    labels = [button.proto.label for button in app.get("download_button")]
    assert any("HTML, offline" in label for label in labels)


def test_a_broken_slide_file_is_explained_slide_by_slide(tmp_path, monkeypatch):
    broken = tmp_path / "slides.toml"
    broken.write_text(
        '[[slide]]\nkind = "overview"\nfigures = ["sites"]\n\n'
        '[[slide]]\nkind = "zone"\nkey = "lausiz"\nfigures = ["sites"]\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(slides, "SLIDES_FILE", broken)
    app = run_page("praesentation")
    assert not app.exception, app.exception
    assert "Folienliste" in app.error[0].value
    problems = " ".join(str(element.proto.body) for element in app.get("html"))
    assert "Folie 2: " in problems and "lausiz" in problems and "Folie 1" not in problems
