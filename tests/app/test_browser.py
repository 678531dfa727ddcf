"""End to end in a real browser: `streamlit run app.py` on localhost, driven by Chromium.

Uses Debian's Chromium and chromedriver (``/usr/bin/chromium``, ``/usr/bin/chromedriver``,
installed by ``.ci/run``) through Selenium; no browser is downloaded. Outside CI a missing
browser skips with the reason; in CI (``CI=true``) it fails. The screenshot is kept in
``artifacts/browser/`` at the repository root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "browser"
CHROMIUM = os.environ.get("FRAMING_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FRAMING_CHROMEDRIVER", "/usr/bin/chromedriver")
INJECTIONS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def _missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the browser test, but {reason} (see .ci/run)")
    pytest.skip(
        f"{reason}; install with `apt-get install -y chromium chromium-driver` "
        "and `pip install selenium`"
    )


@pytest.fixture(scope="module")
def webdriver():
    try:
        from selenium import webdriver as wd
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("the selenium package is not installed")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            _missing(f"{path} is not installed")
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium fetch anything
    profile = tempfile.mkdtemp(prefix="framing-chromium-")
    options = wd.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--window-size=1400,2200",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    driver = wd.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    marks = tempfile.mkdtemp(prefix="framing-marks-")  # the app's feedback database
    env = {**os.environ, "FRAMING_DB": str(Path(marks) / "marks.db")}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"streamlit exited early:\n{log.read().decode(errors='replace')}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r,
            ):
                if r.status == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not answer its health check within 90 s")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(marks, ignore_errors=True)


def _type_headline(driver, wait, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, 'input[aria-label="Headline"]'))
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


_HEADLINE_STATE = """
const block = document.querySelector('div.fr-text');
if (!block) { return null; }
return {
  text: block.textContent,
  marks: Array.from(block.querySelectorAll('mark.fr-term')).map(m => [m.textContent, m.title]),
  markup: block.querySelectorAll('script, img, iframe').length,
  stray: document.querySelectorAll('img[src="x"]').length,
};
"""


def _headline_state(driver, expected: str):
    """The first highlighted block (the headline), read in one step once it shows ``expected``."""
    state = driver.execute_script(_HEADLINE_STATE)
    if state is None or state["text"].strip() != expected:
        return False
    return state


def test_type_headline_see_highlights_and_injection_stays_text(webdriver, app_url, capsys):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.support.ui import WebDriverWait

    driver = webdriver
    wait = WebDriverWait(driver, 60, poll_frequency=0.25)
    driver.get(app_url)

    headline = "Shameless despot denies chilling reports"
    _type_headline(driver, wait, headline)
    state = wait.until(lambda d: (s := _headline_state(d, headline)) and s["marks"] and s)
    words = {text.lower() for text, _ in state["marks"]}
    assert {"shameless", "despot", "chilling"} & words, words
    assert all("to the logit" in title for _, title in state["marks"]), state["marks"]

    injected = f"{INJECTIONS[0]} {INJECTIONS[1]} shocking news"
    _type_headline(driver, wait, injected)
    state = wait.until(lambda d: _headline_state(d, injected))
    # The markup arrived as characters, not elements: no script or img from the headline.
    assert state["markup"] == 0 and state["stray"] == 0
    time.sleep(1.0)  # give an injected handler time to fire if it were live
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    assert driver.execute_script(_HEADLINE_STATE)["markup"] == 0

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _type_headline(driver, wait, headline)
    wait.until(lambda d: (s := _headline_state(d, headline)) and s["marks"] and s)
    time.sleep(0.5)  # let the charts finish drawing
    shot = ARTIFACTS / "analyse.png"
    driver.save_screenshot(str(shot))
    with capsys.disabled():  # show the artifact's path in the normal test output
        print(f"\nbrowser screenshot: {shot}")
    assert shot.stat().st_size > 10_000


def _set_article(driver, wait, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, 'textarea[aria-label="Article"]'))
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text)
    box.send_keys(Keys.CONTROL, Keys.ENTER)


_SENTENCE_CHOICE = """
const box = document.querySelector('input[aria-label="Show the words of sentence"]');
return box ? box.value : null;
"""


def test_new_article_resets_the_sentence_selector_and_suggestion_view(webdriver, app_url):
    """After a new article is pasted, the sentence selector shows a sentence of the new
    article; "Suggest neutral wording" shows the rewritten headline with the words marked."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = webdriver
    wait = WebDriverWait(driver, 60, poll_frequency=0.25)
    driver.get(app_url)
    first = wait.until(lambda d: d.execute_script(_SENTENCE_CHOICE))
    assert "council" in first.lower() or "rain" in first.lower() or "critics" in first.lower()

    article = "The despot slammed the chilling report. Officials met on Monday."
    _set_article(driver, wait, article)
    shown = wait.until(
        lambda d: (
            (s := d.execute_script(_SENTENCE_CHOICE)) and ("despot" in s or "Monday" in s) and s
        )
    )
    assert "council" not in shown.lower()

    headline = "North Korean despot slams talks"
    _type_headline(driver, wait, headline)
    wait.until(lambda d: (s := _headline_state(d, headline)) and s)
    toggle = wait.until(
        lambda d: d.find_element(
            By.XPATH, "//label[.//*[contains(text(), 'Suggest neutral wording')]]"
        )
    )
    toggle.click()
    old = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "del.fr-old"))
    new = driver.find_elements(By.CSS_SELECTOR, "ins.fr-new")
    assert "despot" in [e.text for e in old]
    assert {"leader", "criticises"} <= {e.text for e in new}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "suggest.png"))


_ARTICLE_MARKS = """
const start = arguments[0];
const block = Array.from(document.querySelectorAll('div.fr-text'))
  .find(b => b.textContent.trim().startsWith(start));
if (!block) { return null; }
return Array.from(block.querySelectorAll('mark.fr-term')).map(
  m => [m.textContent, m.title, getComputedStyle(m).backgroundColor]);
"""


def test_exported_page_opens_as_the_app_shows_the_article(webdriver, app_url, tmp_path):
    """The standalone page of the app's example (framing.app.export, the app's defaults)
    shows the article's words highlighted exactly as the Analyse page does, in the same
    colours; nothing in it runs."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.support.ui import WebDriverWait

    from framing import explain
    from framing.app.analyse import EXAMPLE_BODY, EXAMPLE_HEADLINE
    from framing.app.export import write_page

    driver = webdriver
    wait = WebDriverWait(driver, 60, poll_frequency=0.25)
    start = EXAMPLE_BODY[:40]
    driver.get(app_url)
    in_app = wait.until(lambda d: d.execute_script(_ARTICLE_MARKS, start))

    result = explain(EXAMPLE_HEADLINE, EXAMPLE_BODY + "\n\nREAD MORE: " + INJECTIONS[0])
    page = tmp_path / "analysis.html"
    write_page(page, result, source=INJECTIONS[1])
    driver.get(page.as_uri())
    exported = wait.until(lambda d: d.execute_script(_ARTICLE_MARKS, start))
    assert len(in_app) > 5 and exported == in_app
    counts = driver.execute_script(
        "return [document.scripts.length, document.images.length, document.title,"
        " document.body.innerText];"
    )
    assert counts[:2] == [0, 0]
    assert counts[2] == f"framing: {EXAMPLE_HEADLINE}"
    assert INJECTIONS[0] in counts[3] and INJECTIONS[1] in counts[3]  # shown as text
    time.sleep(0.5)
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "exported_page.png"))


_BLOCKS = """
return Array.from(document.querySelectorAll('div.fr-text')).map(b => ({
  text: b.textContent,
  marks: Array.from(b.querySelectorAll('mark.fr-term')).map(m => ({
    word: m.textContent,
    contribution: parseFloat(m.dataset.contribution),
    level: parseInt(m.dataset.level),
    colour: getComputedStyle(m).backgroundColor,
  })),
}));
"""
_LEGEND = "return Array.from(document.querySelectorAll('.fr-level')).map(e => e.dataset.level);"
_PAGE_TEXT = "return document.body.innerText;"


def test_compare_draws_the_same_contribution_in_the_same_colour(webdriver, app_url):
    """On the Compare page two headlines are highlighted (the loaded head by default): the
    colour of a word is set by its contribution alone, on the numbered fixed scale, so a
    small contribution ("budget") is pale whatever the other text holds."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    driver = webdriver
    wait = WebDriverWait(driver, 60, poll_frequency=0.25)
    driver.get(app_url)
    page = wait.until(
        lambda d: d.find_element(By.XPATH, "//label[.//*[contains(text(), 'Compare headlines')]]")
    )
    page.click()
    label = "Two to five headlines for the same story, one per line"
    selector = f'textarea[aria-label="{label}"]'  # the Compare page's box, not the old page's

    def compare_box(d):
        boxes = d.find_elements(By.CSS_SELECTOR, selector)
        return boxes[0] if boxes and boxes[0].is_displayed() and boxes[0].is_enabled() else False

    box = wait.until(compare_box)
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    texts = ["The despot shamelessly denied the chilling reports", "It approved the budget"]
    box.send_keys("\n".join(texts))
    box.send_keys(Keys.CONTROL, Keys.ENTER)

    def ready(d):
        blocks = d.execute_script(_BLOCKS)
        found = {b["text"].strip() for b in blocks}
        return blocks if set(texts) <= found and all(b["marks"] for b in blocks) else False

    blocks = wait.until(ready)
    assert "Words highlighted for the loaded head." in driver.execute_script(_PAGE_TEXT)
    assert driver.execute_script(_LEGEND)[:5] == ["1", "2", "3", "4", "5"]
    marks = [m for b in blocks for m in b["marks"]]
    colour_of: dict = {}
    for m in marks:  # one colour per (direction, level), in both texts
        key = (m["contribution"] > 0, m["level"])
        assert colour_of.setdefault(key, m["colour"]) == m["colour"], (key, marks)
    by_text = {b["text"].strip(): {m["word"]: m for m in b["marks"]} for b in blocks}
    despot, budget = by_text[texts[0]]["despot"], by_text[texts[1]]["budget"]
    assert abs(despot["contribution"]) > 1 and abs(budget["contribution"]) < 0.25
    assert despot["colour"] != budget["colour"] and budget["level"] == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "compare.png"))


def _click(driver, wait, xpath: str) -> None:
    """Click the first displayed element at ``xpath`` once it is there and can be clicked
    (the app may be redrawing the page after the last click)."""
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        ElementNotInteractableException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By

    def clicked(d):
        found = [e for e in d.find_elements(By.XPATH, xpath) if e.is_displayed()]
        if not found:
            return False
        try:
            d.execute_script("arguments[0].scrollIntoView({block: 'center'});", found[0])
            found[0].click()
        except (
            ElementClickInterceptedException,
            ElementNotInteractableException,
            StaleElementReferenceException,
        ):
            return False
        return True

    wait.until(clicked)


def test_mark_a_word_and_see_it_on_the_review_page(webdriver, app_url):
    """Issue 27: under the headline's loaded words, mark the first one "Loaded"; the Review
    page lists it (the newest mark, with its word, answer and head)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver = webdriver
    wait = WebDriverWait(driver, 60, poll_frequency=0.25)
    driver.get(app_url)
    headline = "Shameless despot denies chilling reports"
    _type_headline(driver, wait, headline)
    wait.until(lambda d: (s := _headline_state(d, headline)) and s["marks"] and s)
    _click(driver, wait, "//*[@role='tab'][.//p[text()='loaded']]")
    panel = "//details[.//summary[contains(., '(loaded, this headline)')]]"
    _click(driver, wait, f"{panel}/summary")
    word = wait.until(
        lambda d: d.execute_script(
            "const b = document.evaluate(arguments[0], document, null, 9, null).singleNodeValue;"
            "const i = b && b.querySelector('input[aria-label=\"Highlighted word\"]');"
            "return i && i.value ? i.value.split(' (')[0].trim() : null;",
            panel,
        )
    )
    assert word in headline.split(), word
    _click(driver, wait, f"{panel}//button[.//p[text()='Loaded']]")
    wait.until(lambda d: "Stored mark #1" in d.execute_script(_PAGE_TEXT))
    _click(driver, wait, "//section[@data-testid='stSidebar']//label[.//p[text()='Review']]")
    newest = f"Newest: #1 “{word}” → loaded (loaded, headline)"
    wait.until(lambda d: newest in d.execute_script(_PAGE_TEXT))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "review.png"))
