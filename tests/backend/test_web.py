"""The public pages: the landing page with the chat widget, the privacy page, static files."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("path", ["/", "/privacy"])
def test_pages_render_with_the_widget(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "{{" not in response.text  # the template was rendered
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', response.text)
    assert "/static/widget.js" in scripts


@pytest.mark.parametrize("name", ["widget.js", "widget.css", "site.css"])
def test_static_files_are_served(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.content


def test_static_does_not_leave_its_directory(client):
    assert client.get("/static/../settings.py").status_code == 404
    assert client.get("/static/%2e%2e/settings.py").status_code == 404
