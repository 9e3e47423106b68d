"""The app factory (webapp/__init__.py): configuration, error pages, JSON settings."""

import json
from datetime import date

import pytest
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup
from webtools import SPECIAL_EDUCATION, ZONG_AWARD

from indexer import VAR_DIR
from webapp import BLUEPRINTS, create_app, engine


def test_default_index_is_the_one_make_index_builds(monkeypatch):
    monkeypatch.delenv("YEARBOOK_INDEX_DIR", raising=False)
    assert create_app().config["INDEX_DIR"] == str(VAR_DIR / "index")


def test_environment_variable_overrides_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("YEARBOOK_INDEX_DIR", str(tmp_path))
    assert create_app().config["INDEX_DIR"] == str(tmp_path)


def test_test_config_overrides_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("YEARBOOK_INDEX_DIR", "/elsewhere")
    app = create_app({"INDEX_DIR": str(tmp_path)})
    assert app.config["INDEX_DIR"] == str(tmp_path)
    assert engine.live(app).index_dir == tmp_path


def test_every_listed_blueprint_is_registered(app):
    names = {name.split(":")[0].rsplit(".", 1)[1] for name in BLUEPRINTS}
    assert {"pages", "api"} <= names
    assert {"pages", "api"} <= set(app.blueprints)
    assert app.debug is False


def test_missing_index_is_a_503_with_instructions(tmp_path):
    client = create_app({"INDEX_DIR": str(tmp_path / "none")}).test_client()
    page = client.get("/search?q=x&lang=en")
    assert page.status_code == 503
    assert "The index has not been built yet: run make index." in page.get_data(as_text=True)
    assert client.get("/api/docs?lang=zh").get_json() == {
        "error": "索引尚未建立:请先运行 make index。"}
    # Pages that need no index still work.
    assert client.get("/help").status_code == 200


def test_unknown_route_is_a_helpful_404(client):
    response = client.get("/no/such/page?lang=en")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Not found" in body and 'href="/?lang=en"' in body and 'name="q"' in body


def test_bad_parameter_page_is_a_400_with_the_message(client):
    response = client.get("/search?q=卫星班&page=abc&lang=zh")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert '<p class="message" id="error-message">参数 page 必须是整数</p>' in body
    assert 'value="卫星班"' in body


def test_unexpected_errors_render_a_500_page(app, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(engine.live(app), "current", broken)
    response = app.test_client().get("/docs?lang=en")
    assert response.status_code == 500
    assert "Internal error; please try again later." in response.get_data(as_text=True)
    assert app.test_client().get("/api/docs?lang=en").get_json() == {
        "error": "Internal error; please try again later."}


def test_json_is_utf8_and_keeps_key_order(app):
    assert app.json.ensure_ascii is False
    assert app.json.sort_keys is False


@pytest.mark.parametrize("url", [
    "/api/search?q=special+education&lang=en", "/api/search?q=宗庆后&kind=award",
    "/api/search?q=%22送教上门%22&sort=date&lang=zh", f"/api/doc/{SPECIAL_EDUCATION}",
    f"/api/record/{ZONG_AWARD}", "/api/docs?lang=en"])
def test_json_is_written_as_flask_writes_it(app, url):
    """orjson writes the bytes Flask's own provider (json.dumps, compact) writes for the
    same data: UTF-8 without escapes, the keys in order, no spaces, a final newline."""
    body = app.test_client().get(url).get_data()
    flask_json = DefaultJSONProvider(app)
    flask_json.ensure_ascii = flask_json.sort_keys = False
    with app.app_context():
        assert body == flask_json.response(json.loads(body)).get_data()
    assert "\\u" not in body.decode("utf-8") and body.endswith(b"}\n")


def test_json_writes_dates_and_markup_as_flask_does(app):
    """What orjson would write otherwise (a date as ISO) goes through Flask's ``default``."""
    data = {"day": date(2018, 6, 20), "html": Markup("<b>x</b>"), 3: "三", "t": (1, 2)}
    flask_json = DefaultJSONProvider(app)
    flask_json.ensure_ascii = flask_json.sort_keys = False
    with app.app_context():
        written = app.json.response(data).get_data()
        assert written == flask_json.response(data).get_data() == \
            '{"day":"Wed, 20 Jun 2018 00:00:00 GMT","html":"<b>x</b>","3":"三","t":[1,2]}\n' \
            .encode()
