"""The live room in a real browser: a team answers the whole questionnaire in headless chromium
against a real server, and the trainer's page reveals the summary and updates it live.

Drives Debian's chromium through chromedriver with selenium. Skipped where the browser is not
installed, except in CI, where that is a failure (as in test_browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CHROMEDRIVER, CHROMIUM, HEADLESS, require_browser
from padtool.conditions import AnswerValue
from padtool.model import RuleSet
from padtool.scenarios import load_scenarios
from roomserver import RoomServer, answer_all, join, some_answer


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    require_browser(CHROMIUM, CHROMEDRIVER)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        *HEADLESS,
        "--window-size=412,915",  # a phone's screen
        f"--user-data-dir={tmp_path_factory.mktemp('profile')}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(str(CHROMEDRIVER)))
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def answer_in_browser(
    driver: WebDriver, rule_set: RuleSet, question_id: str, value: AnswerValue
) -> None:
    """Give one answer the way a person does: click the options, or type."""
    question = rule_set.questions_by_id[question_id]
    if question.type in ("number", "text"):
        box = driver.find_element(By.ID, "answer")
        box.clear()
        box.send_keys(str(value))
    else:
        if isinstance(value, bool):
            chosen = ["yes" if value else "no"]
        else:
            chosen = value if isinstance(value, list) else [str(value)]
        for option in driver.find_elements(By.CSS_SELECTOR, "input[name=answer]"):
            if (option.get_attribute("value") in chosen) != option.is_selected():
                option.click()
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "button[value=next]"))


def click_and_wait(driver: WebDriver, element: WebElement) -> None:
    """Click, and wait until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def replaced(_: WebDriver) -> bool:
        try:
            page.is_enabled()  # any question to the old page's node
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # Mid-navigation, chromedriver may answer that the old node "does not belong to
            # the document" instead: the page is gone all the same.
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    WebDriverWait(driver, 10).until(replaced)


def panel_text(driver: WebDriver) -> str:
    """The trainer's live panel as shown; '' while an update is replacing it."""
    try:
        return str(driver.find_element(By.ID, "panel").text)
    except WebDriverException:  # the element went stale under us
        return ""


def test_a_team_answers_in_a_browser_and_the_trainer_reveals_the_summary(
    browser: WebDriver, rule_set: RuleSet, tmp_path: Path
) -> None:
    scenarios = load_scenarios(rule_set)
    wanted = dict(scenarios[0].answers)
    with RoomServer(tmp_path / "room", "--min-group", "1", cache=tmp_path / "cache") as server:
        # The QR code's address fills the join code in; the team types its name.
        browser.get(f"{server.url}/?code={server.urls['join_code']}")
        browser.find_element(By.ID, "team").send_keys("Browser Team")
        click_and_wait(
            browser, browser.find_element(By.CSS_SELECTOR, "form[action='/join'] button")
        )
        asked = []
        for _ in range(len(rule_set.questions) + 1):
            if "Your answers" in browser.page_source:
                break
            question_id = browser.find_element(By.NAME, "question").get_attribute("value")
            assert question_id
            asked.append(question_id)
            answer_in_browser(
                browser,
                rule_set,
                question_id,
                wanted.get(question_id, some_answer(rule_set, question_id)),
            )
        assert asked[0] == rule_set.questions[0].id
        # Back from the review: the answer is still there.
        click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Change"))
        assert browser.find_element(By.ID, "answer").get_attribute("value") == wanted.get(
            asked[0], some_answer(rule_set, asked[0])
        )
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[value=next]"))
        assert "Your answers" in browser.page_source  # a change from the review returns there
        click_and_wait(
            browser, browser.find_element(By.XPATH, "//button[text()='See the results']")
        )
        assert "Download your report" in browser.page_source
        assert browser.find_element(By.CSS_SELECTOR, "article.report h1").text.startswith(
            "Pre-arrest diversion pathways for"
        )
        assert (tmp_path / "room" / "browser-team.yaml").exists()

        # The trainer: the key goes into a cookie, the summary appears on reveal.
        browser.get(server.urls["trainer_url"])
        assert browser.current_url == f"{server.url}/room"
        assert server.urls["join_code"] in browser.page_source
        click_and_wait(
            browser, browser.find_element(By.XPATH, "//button[text()='Reveal the summary']")
        )
        WebDriverWait(browser, 10).until(lambda d: "Workshop summary: 1 team" in panel_text(d))
        assert browser.find_element(By.CSS_SELECTOR, "section.summary svg")  # the chart
        # Another team finishes: the page updates by itself (server-sent events).
        with httpx2.Client(base_url=server.url, timeout=30) as other:
            join(other, server.urls["join_code"], "Second Team")
            answer_all(other, rule_set, dict(scenarios[1].answers))
        WebDriverWait(browser, 10).until(lambda d: "Workshop summary: 2 teams" in panel_text(d))
        assert "Second Team" in panel_text(browser)
        assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
