"""Uploads have a size limit: set once, stated on the page, enforced by the app and by the package.

The limit is CLAIMCHECK_MAX_UPLOAD_MB (default 50); `claimcheck serve` hands
it to Streamlit as server.maxUploadSize, and .streamlit/config.toml sets the
same for `streamlit run`. Past it the facade refuses the bytes with one line
saying how to fix it and stores nothing; in the browser the upload box states
the lower of the two limits and a larger file is marked and never uploaded.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.errors import ConfigError, UploadTooLarge
from tests.appdriver import CHROMIUM, ROOT, TIMEOUT_MS, chromium, streamlit_app, wait_idle

MB = 1024 * 1024
SAMPLE = ROOT / "corpus" / "samples" / "lagged_effect_weekly.csv"
CLAIMCHECK = Path(sys.executable).with_name("claimcheck")
ESSAY_LIKE = b"# Field notes\n\nCustomers rarely want a relationship with a brand; they want a good product.\n"


def padded(data: bytes, size: int) -> bytes:
    """A readable export of exactly ``size`` bytes: the sample with blank lines after it."""
    return data + b"\n" * (size - len(data))


@pytest.fixture
def small_limit(tmp_path, embedder) -> Assistant:
    """An Assistant whose upload limit is 1 MB."""
    return Assistant(Settings(home=tmp_path / "home", corpus_dir=ROOT / "corpus", max_upload_mb=1),
                     _embedder=embedder)


def test_an_export_over_the_limit_is_refused_with_one_clear_line_and_nothing_stored(small_limit):
    big = padded(SAMPLE.read_bytes(), int(1.5 * MB))
    for call in (lambda: small_limit.preview_data("weekly.csv", big),
                 lambda: small_limit.add_data_upload("weekly.csv", big)):
        with pytest.raises(UploadTooLarge) as refused:
            call()
        assert str(refused.value).startswith("weekly.csv is 1.5 MB; the upload limit is 1 MB: split the file, or "
                                             "raise CLAIMCHECK_MAX_UPLOAD_MB")
    assert small_limit.data_files() == [], "nothing was stored"
    exactly = padded(SAMPLE.read_bytes(), MB)
    assert small_limit.preview_data("weekly.csv", exactly).rows_used == 180, "a file of exactly the limit is read"


def test_documents_over_the_limit_are_refused_whole(small_limit):
    uploads = [("notes.md", ESSAY_LIKE), ("archive.md", padded(ESSAY_LIKE, 2 * MB + 1))]
    with pytest.raises(UploadTooLarge, match=r"^archive\.md is 2\.1 MB; the upload limit is 1 MB"):
        small_limit.add_documents(uploads)
    assert not [d for d in small_limit.documents() if not d.shared], "not even the small file was stored"
    small_limit.add_documents(uploads[:1])
    assert [d.title for d in small_limit.documents() if not d.shared] == ["Field notes"]


def test_the_limit_is_a_setting_and_streamlit_gets_the_same_one_by_default():
    assert Settings.from_env({}).max_upload_mb == 50
    assert Settings.from_env({"CLAIMCHECK_MAX_UPLOAD_MB": "5"}).max_upload_mb == 5
    for bad in ("0", "-1", "ten", "1.5"):
        with pytest.raises(ConfigError, match="^CLAIMCHECK_MAX_UPLOAD_MB must be a positive whole number"):
            Settings.from_env({"CLAIMCHECK_MAX_UPLOAD_MB": bad})
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == Settings.from_env({}).max_upload_mb


def test_serve_with_a_bad_limit_says_so_in_one_line(tmp_path):
    env = {**os.environ, "CLAIMCHECK_HOME": str(tmp_path / "home"), "CLAIMCHECK_MAX_UPLOAD_MB": "ten"}
    out = subprocess.run([str(CLAIMCHECK), "serve", "--port", "9"], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1
    assert out.stderr == "claimcheck: error: CLAIMCHECK_MAX_UPLOAD_MB must be a positive whole number, not 'ten'\n"


# -- in the browser --------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not found at {CHROMIUM}")
@pytest.mark.parametrize("extra_args, extra_env", [
    ((), {"CLAIMCHECK_MAX_UPLOAD_MB": "1"}),
    (("--server.maxUploadSize", "1"), {}),
], ids=["CLAIMCHECK_MAX_UPLOAD_MB=1", "server.maxUploadSize=1"])
def test_the_page_states_the_lower_limit_and_a_larger_file_is_refused(tmp_path, extra_args, extra_env):
    big = tmp_path / "weekly.csv"
    big.write_bytes(padded(SAMPLE.read_bytes(), int(1.5 * MB)))
    home = tmp_path / "home"
    with streamlit_app(ROOT / "ui" / "app.py", home, tmp_path / "streamlit.log", extra_args, extra_env) as url, \
            chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        nav = page.locator('[data-testid="stSidebarNavLink"]')
        main = page.locator('[data-testid="stMain"]')

        nav.filter(has_text="Library").click()
        main.get_by_text("Files up to 1 MB each.").wait_for(state="visible")

        nav.filter(has_text="Your data").click()
        uploader = main.locator('[data-testid="stFileUploader"]')
        uploader.get_by_text("1MB per file").wait_for(state="visible")
        main.get_by_text("Files up to 1 MB.").wait_for(state="visible")
        wait_idle(page)

        uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
        chip = uploader.locator('[data-testid="stFileChip"]')
        chip.wait_for(state="visible")
        assert chip.get_attribute("aria-invalid") == "true", "the file is marked as refused"
        assert uploader.get_by_role("alert").inner_text() == "Error: File must be 1.0MB or smaller."
        chip.hover()
        page.get_by_text("File must be 1.0MB or smaller.", exact=True).last.wait_for(state="visible")
        assert main.get_by_text("Files up to 1 MB. A larger file is marked in red and not uploaded").is_visible()
        wait_idle(page)
        assert page.get_by_role("button", name="Add to workspace").count() == 0, "nothing was read"
        assert main.get_by_text("Files in this workspace (0)").is_visible(), "nothing was stored"
