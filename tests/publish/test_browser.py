"""One real browser: headless Chromium opens the home page, types a search without
diacritics, clicks a facet, filters by date, opens an article and its citation, follows
a place from the place facet to its page, and leaves screenshots (desktop and a
390-pixel phone) in test-output/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from newsarchive.archive import Archive
from newsarchive.extract.core import extract
from newsarchive.places import tag
from tests.support.fixtures import manifest, registry

pytestmark = pytest.mark.slow  # end-to-end, in subprocesses

ROOT = Path(__file__).resolve().parent.parent.parent
OUTPUT = ROOT / "test-output"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, fixtures_path):
    db = tmp_path / "archive.db"
    archive = Archive(db)
    archive.runs.sync_sites(s.row() for s in registry())
    for fx in manifest(fixtures_path):
        if fx.kind == "article":
            site = registry().for_url(fx.url)
            article = extract((fixtures_path / fx.file).read_bytes(), fx.url, site=site)
            _, article_id = archive.articles.store(article)
            with archive.conn:  # the places, as ingest tags them
                archive.places.replace(article_id, [t.row() for t in tag(
                    article, registry().get(article.site))])
    archive.conn.close()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newsarchive.cli", "serve", "--db", str(db),
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(f"newsarchive serve did not start: {proc.stderr.read().decode()}")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def browser():
    if not (CHROMIUM and DRIVER):
        message = "Debian's chromium and chromium-driver are needed (.ci/run installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,1400"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def test_search_without_diacritics_then_read_an_article(server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser()
    wait = WebDriverWait(driver, 30)
    try:
        driver.get(server + "/")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
        box = driver.find_element(By.CSS_SELECTOR, "input[name=q]")
        box.send_keys("gia vang the gioi", Keys.ENTER)
        wait.until(ready.presence_of_element_located((By.TAG_NAME, "mark")))
        assert "/search" in driver.current_url
        results = driver.find_element(By.CSS_SELECTOR, ".na-hits").text
        assert "Giá vàng thế giới cao nhất mọi thời đại" in results
        marks = [m.text for m in driver.find_elements(By.TAG_NAME, "mark")]
        assert "Giá vàng thế giới" in marks
        OUTPUT.mkdir(exist_ok=True)
        driver.save_screenshot(str(OUTPUT / "search-page.png"))
        facet = driver.find_element(By.CSS_SELECTOR, ".na-facets a")
        facet.click()
        wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".na-facets .chosen")))
        assert "site=" in driver.current_url
        since = driver.find_element(By.CSS_SELECTOR, "input[name=since]")
        driver.execute_script("arguments[0].value = '2030-01-01'", since)
        driver.find_element(By.CSS_SELECTOR, ".na-box button").click()
        wait.until(lambda d: "since=2030-01-01" in d.current_url)
        assert "Không tìm thấy" in driver.page_source
        driver.get(server + "/search?q=gia+vang+the+gioi")
        driver.find_element(By.CSS_SELECTOR, "a[href^='/article/']").click()
        wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".na-article")))
        assert driver.find_element(By.TAG_NAME, "h1").text == \
            "Giá vàng thế giới cao nhất mọi thời đại"
        assert "Thứ Ba, 23/12/2025 09:02" in driver.page_source
        assert driver.find_elements(By.CSS_SELECTOR, ".na-body figure img")
        assert "Archived copy, version 1" in driver.find_element(By.CSS_SELECTOR, ".na-cite").text
        driver.save_screenshot(str(OUTPUT / "article-page.png"))
        driver.get(server + "/search?q=tp+hcm")
        place = driver.find_element(By.CSS_SELECTOR, ".na-facets a[href*='place=p34-79']")
        assert place.text.startswith("Thành phố Hồ Chí Minh")
        place.click()
        wait.until(lambda d: "place=p34-79" in d.current_url)
        hits = driver.find_elements(By.CSS_SELECTOR, ".na-hit")
        assert hits and all("Thành phố Hồ Chí Minh" in h.text for h in hits)
        hits[0].find_element(By.CSS_SELECTOR, "a[href='/place/p34-79']").click()
        wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "svg.na-months, h1")))
        assert driver.find_element(By.TAG_NAME, "h1").text == "Thành phố Hồ Chí Minh"
        assert "Đoàn đại biểu TP.HCM" in driver.find_element(By.CSS_SELECTOR, ".na-hits").text
        driver.save_screenshot(str(OUTPUT / "place-page.png"))
        driver.get(server + "/")
        driver.save_screenshot(str(OUTPUT / "home-page.png"))
        driver.set_window_size(390, 1400)
        driver.get(server + "/search?q=gia+vang")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400, f"the phone page scrolls sideways ({width}px)"
        driver.save_screenshot(str(OUTPUT / "search-phone.png"))
    finally:
        driver.quit()
    for name in ("article-page", "search-page", "home-page", "search-phone",
                 "place-page"):
        assert (OUTPUT / f"{name}.png").stat().st_size > 10_000
