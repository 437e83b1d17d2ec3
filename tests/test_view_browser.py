"""The reading view in a real browser: Debian's chromium, headless, driven through chromedriver.

These tests fail (they never skip) when chromium or chromedriver is missing; ``.ci/run``
installs both (``apt-get install -y chromium chromium-driver``). Nothing is downloaded:
the browser and the driver are the system's, and Selenium Manager is kept offline.
Set ``COITOOL_SCREENSHOT_DIR`` to keep the screenshots (docs/reading-view.png is one).
"""

from __future__ import annotations

import os
import shutil
import struct

import pytest

from test_view import hand_built, translated_report
from toolkit.view import tei_to_html
from toolkit.view.writer import read_tei

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Headless, and quiet: the network is closed, so no updates, sync or background fetches.
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
    "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--lang=en-GB",
)
DESKTOP = (1400, 1000)
PHONE = (500, 900)  # headless chromium's narrowest window
RU_TINT = "rgb(248, 207, 207)"  # LANGUAGE_COLOURS["ru"]
NO_BACKGROUND = "rgba(0, 0, 0, 0)"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: install Debian's chromium and chromium-driver "
                    "(apt-get install -y chromium chromium-driver), as .ci/run does")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with pytest.MonkeyPatch.context() as env:
        env.setenv("SE_OFFLINE", "true")  # Selenium Manager must not look anything up
        env.setenv("SE_AVOID_STATS", "true")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
        options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory, argos_packages):
    folder = tmp_path_factory.mktemp("view-pages")
    sources = {
        "report": translated_report(tmp_path_factory.getbasetemp(), tuple(str(p) for p in argos_packages.values())),
        "hand-built": hand_built(folder),
    }
    out = {}
    for name, source in sources.items():
        target = folder / f"{name}.html"
        target.write_bytes(tei_to_html(read_tei(source)))
        out[name] = target.as_uri()
    return out


def open_page(driver, url, size=DESKTOP):
    """A fresh load with default settings (pages remember them in localStorage)."""
    if tuple(driver.get_window_size().values()) != size:
        driver.set_window_size(*size)
    driver.execute_script("try { localStorage.clear(); } catch (e) {}")  # about:blank has none
    driver.get(url)
    driver.get_log("browser")  # start each test with an empty console


def shown(driver, css) -> list[bool]:
    """Whether each element matching ``css`` is rendered (one round trip for all)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.getClientRects().length > 0)", css)


def js(driver, script, *args):
    return driver.execute_script(script, *args)


IN_VIEW = "var r = arguments[0].getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight;"


def element(driver, css):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css)


def note_for(driver, marker):
    return js(driver, "return document.getElementById(arguments[0].getAttribute('href').slice(1))", marker)


def test_clicking_a_note_marker_shows_the_note_and_the_back_link_returns(browser, pages):
    open_page(browser, pages["report"])
    marker = element(browser, "#sec-1\\.1\\.2 ~ .unit a.noteref")  # a marker well down the page
    js(browser, "arguments[0].scrollIntoView({block: 'center'})", marker)
    marker.click()
    note = note_for(browser, marker)
    assert js(browser, "return location.hash") == "#" + note.get_attribute("id")
    assert note.is_displayed() and js(browser, IN_VIEW, note)
    assert "current" in note.get_attribute("class").split()
    assert js(browser, "return document.activeElement") == note
    back = note.find_element("css selector", "a.backlink")
    assert back.text.startswith(marker.text)
    back.click()
    assert js(browser, "return location.hash") == "#" + marker.get_attribute("id")
    assert js(browser, "return document.activeElement") == marker and js(browser, IN_VIEW, marker)


def test_on_a_phone_notes_follow_the_paragraph_and_the_back_link_scrolls_back(browser, pages):
    open_page(browser, pages["report"], PHONE)
    assert js(browser, "return document.documentElement.scrollWidth <= window.innerWidth")
    marker = element(browser, "#sec-1\\.1\\.2 ~ .unit a.noteref")
    note = note_for(browser, marker)
    marker_box = js(browser, "return arguments[0].getBoundingClientRect().toJSON()", marker)
    note_box = js(browser, "return arguments[0].getBoundingClientRect().toJSON()", note)
    assert note_box["top"] > marker_box["bottom"], "below the paragraph on a narrow screen"
    js(browser, "arguments[0].scrollIntoView({block: 'start'})", note)
    assert not js(browser, IN_VIEW, marker)
    note.find_element("css selector", "a.backlink").click()
    assert js(browser, IN_VIEW, marker) and js(browser, "return document.activeElement") == marker


def test_with_notes_hidden_a_marker_opens_its_note(browser, pages):
    open_page(browser, pages["report"])
    element(browser, "#opt-notes").click()
    marker = element(browser, "#sec-1 ~ .unit a.noteref")
    note = note_for(browser, marker)
    assert not note.is_displayed()
    js(browser, "arguments[0].scrollIntoView({block: 'center'})", marker)
    marker.click()
    assert note.is_displayed() and js(browser, IN_VIEW, note)
    note.find_element("css selector", "a.backlink").click()
    assert not note.is_displayed(), "the back-link closes a note opened by its marker"
    js(browser, "location.reload()")
    assert not element(browser, "#opt-notes").is_selected(), "the setting is remembered"


def test_hover_and_focus_show_notes_and_translation_provenance(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains

    open_page(browser, pages["report"])
    marker = element(browser, "#sec-1 ~ .unit a.noteref")
    js(browser, "arguments[0].scrollIntoView({block: 'center'})", marker)
    ActionChains(browser).move_to_element(marker).perform()
    tip = element(browser, "#tip")
    note = note_for(browser, marker)
    assert tip.is_displayed()
    assert tip.text == note.find_element("css selector", ".note-body").text
    assert marker.get_attribute("aria-describedby") == "tip"
    translation = element(browser, "main .tr[tabindex]")
    js(browser, "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", translation)
    assert tip.is_displayed()
    lines = tip.text.splitlines()
    assert lines[0].startswith("Machine translation into ") and "certainty: medium" in lines[0]
    assert any(line.startswith("Engine: argostranslate") for line in lines)
    assert any(line.startswith("Glossary: ") for line in lines)
    term = element(browser, "main a.term")
    js(browser, "arguments[0].scrollIntoView({block: 'center'})", term)
    ActionChains(browser).move_to_element(term).perform()
    assert tip.text.startswith("Glossary: ") and " — en: " in tip.text
    ActionChains(browser).send_keys("\ue00c").perform()  # Escape
    assert not tip.is_displayed()


def test_the_language_switch_colours_the_text(browser, pages):
    open_page(browser, pages["report"])
    russian = element(browser, "main .note cite[lang='ru']")
    dutch = element(browser, "main p:not([lang])")
    background = "return getComputedStyle(arguments[0]).backgroundColor"
    legend = element(browser, ".legend")
    assert js(browser, background, russian) == NO_BACKGROUND and not legend.is_displayed()
    element(browser, "#opt-lang").click()
    assert js(browser, background, russian) == RU_TINT
    assert js(browser, "return getComputedStyle(arguments[0], '::before').content", russian) == '"ru"'
    assert js(browser, background, dutch) == NO_BACKGROUND, "the main language is not tinted"
    assert legend.is_displayed() and "Русский" in legend.text
    element(browser, "#opt-lang").click()
    assert js(browser, background, russian) == NO_BACKGROUND


def test_running_headers_are_shown_on_request(browser, pages):
    open_page(browser, pages["hand-built"])
    running = browser.find_elements("css selector", "main .fw")
    assert shown(browser, "main .fw") == [False] * 4
    element(browser, "#opt-fw").click()
    assert shown(browser, "main .fw") == [True] * 4
    assert running[0].text == "Thematisch ambtsbericht Testland | maart 2025"
    assert running[0].get_attribute("data-label") == "running header"  # shown before it by CSS
    page_number = element(browser, "#page-3 .pb-n")
    main_left = js(browser, "return document.querySelector('main p').getBoundingClientRect().left")
    assert page_number.is_displayed() and page_number.rect["x"] + page_number.rect["width"] <= main_left


def test_translations_can_be_hidden(browser, pages):
    open_page(browser, pages["hand-built"])
    before = shown(browser, "main .tr")
    assert len(before) == 2 and all(before)
    element(browser, "#opt-tr").click()
    assert shown(browser, "main .tr") == [False, False]


def test_print_shows_every_note_and_no_controls(browser, pages):
    open_page(browser, pages["report"])
    element(browser, "#opt-notes").click()  # hidden on screen ...
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert shown(browser, ".controls, .tip, .legend") == [False, False, False]
        notes = shown(browser, "main .note")
        assert len(notes) > 60 and all(notes)  # ... printed
        below = js(browser, """const u = document.querySelector('.unit.has-notes');
            return u.lastElementChild.getBoundingClientRect().top >= u.firstElementChild.getBoundingClientRect().bottom""")
        assert below, "notes below their paragraph on paper"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_notes_beside_the_text_neither_overlap_nor_drift_far(browser, pages):
    open_page(browser, pages["report"])
    boxes = js(browser, """
        return Array.from(document.querySelectorAll('.unit.has-notes')).map(u => {
          const p = u.firstElementChild.getBoundingClientRect(), n = u.lastElementChild.getBoundingClientRect();
          return [p.top, p.right, n.top, n.bottom, n.left];
        });""")
    height = js(browser, "return window.innerHeight")
    assert len(boxes) > 30 and shown(browser, "html.packed") == [True]
    for (text_top, text_right, top, bottom, left), following in zip(boxes, boxes[1:] + [None]):
        assert left > text_right, "in the margin, not over the text"
        assert text_top - 1 <= top <= text_top + height / 2 + 1
        if following is not None:
            assert bottom <= following[2]


def test_the_page_loads_nothing_and_logs_no_error(browser, pages):
    for url in pages.values():
        open_page(browser, url)
        assert js(browser, "return performance.getEntriesByType('resource').length") == 0
        problems = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
        assert problems == []


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as handle:
        header = handle.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_screenshots_of_the_reading_view(browser, pages, tmp_path):
    keep = os.environ.get("COITOOL_SCREENSHOT_DIR")
    shots = {}
    open_page(browser, pages["report"])
    js(browser, "document.getElementById('sec-1.1.2').scrollIntoView({block: 'start'}); window.scrollBy(0, -12)")
    element(browser, "#sec-1\\.1\\.2 ~ .unit a.noteref").click()  # its note is marked
    shots["reading-view.png"] = DESKTOP
    browser.save_screenshot(str(tmp_path / "reading-view.png"))
    open_page(browser, pages["report"], PHONE)
    element(browser, "#opt-lang").click()
    js(browser, "document.getElementById('sec-1.1.2').scrollIntoView({block: 'start'})")
    shots["reading-view-phone.png"] = PHONE
    browser.save_screenshot(str(tmp_path / "reading-view-phone.png"))
    for name, (width, _) in shots.items():
        assert png_size(tmp_path / name)[0] == width
        if keep:
            shutil.copyfile(tmp_path / name, os.path.join(keep, name))
