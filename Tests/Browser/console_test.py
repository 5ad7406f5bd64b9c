#!/usr/bin/env python3
"""Drives the built-in console (/console/) with headless Chromium against a running server.

Everything the test expects is read from the server's own API first (GET /api/plugins, the
catalogs' list endpoints with the same parameters), then looked for in the page. Any browser
console error (a JavaScript error, a CSP violation, a failed request) fails the test, except the
failed requests a step provokes on purpose (the bad filterQuery's 400, the 401 without a token).

Environment:
  CONSOLE_BASE_URL      the server root, e.g. http://127.0.0.1:8080 (required)
  CONSOLE_SCREENSHOTS   where the PNG of each step goes (default: a new temporary directory)
  CONSOLE_BROKEN_FILE   the name of the broken plugin file the server must report (default broken.so)
  CONSOLE_ADMIN_TOKEN   an admin bearer token when the server runs with --auth-tokens: the test
                        first tags without it (and expects a 401 shown), then enters it
  CHROMIUM, CHROMEDRIVER  default /usr/bin/chromium and /usr/bin/chromedriver
"""
import json
import os
import re
import secrets
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must never download anything

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

BASE = os.environ.get("CONSOLE_BASE_URL", "").rstrip("/")
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS") or tempfile.mkdtemp(prefix="console-screenshots-")
BROKEN_FILE = os.environ.get("CONSOLE_BROKEN_FILE", "broken.so")
ADMIN_TOKEN = os.environ.get("CONSOLE_ADMIN_TOKEN", "")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
SHIPPED = {"agents", "hello", "knowledge", "mcp", "model"}
WAIT = 15


class Failure(Exception):
    pass


def fail(message):
    raise Failure(message)


def check(condition, message):
    if not condition:
        fail(message)


# ------------------------------------------------------------------ the API, directly

def api(path, params=None, method="GET", body=None, token=None):
    url = BASE + path + ("?" + urllib.parse.urlencode(params) if params else "")
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")


def api_ok(path, params=None):
    status, data = api(path, params)
    check(status == 200, f"GET {path} {params or ''} answered {status}: {data}")
    return data


# ------------------------------------------------------------------ the browser

class Console:
    def __init__(self):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1440,1000", "--no-first-run", "--no-default-browser-check",
                         "--disable-extensions", "--disable-background-networking", "--disable-sync",
                         "--disable-component-update", "--disable-default-apps", "--password-store=basic",
                         "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)
        self.step_no = 0

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass

    # -- finding
    def all(self, testid, root=None):
        return (root or self.driver).find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def one(self, testid, root=None):
        found = self.all(testid, root)
        check(found, f'no element with data-testid="{testid}" on {self.driver.current_url}')
        return found[0]

    def wait(self, what, condition, timeout=WAIT):
        last = [None]

        def probe(_):
            try:
                result = condition()
                last[0] = result
                return result
            except (StaleElementReferenceException, Failure) as error:
                last[0] = error
                return False
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(probe)
        except TimeoutException:
            fail(f"timed out after {timeout}s waiting for {what} (last: {last[0]!r}) on {self.driver.current_url}")

    def ready(self):
        """Waits for the view of the current hash to be rendered."""
        def done():
            main = self.driver.find_element(By.ID, "main")
            current = self.driver.execute_script("return location.hash")
            return main.get_attribute("data-state") == "ready" and main.get_attribute("data-hash") == current
        self.wait("the view to render", done)

    def go(self, hash_path):
        self.driver.execute_script("location.hash = arguments[0]", hash_path)
        self.ready()

    def rows(self):
        return [row.get_attribute("data-name") for row in self.all("entity-row")]

    def text(self, testid, root=None):
        return self.one(testid, root).text

    # -- evidence
    def shot(self, name):
        self.step_no += 1
        path = os.path.join(SHOTS, f"{self.step_no:02d}-{name}.png")
        # The whole page, not just the window: grow the window to the document for the shot.
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(1440, min(max(1000, height + 140), 5000))
        try:
            check(self.driver.save_screenshot(path), f"could not write the screenshot {path}")
        finally:
            self.driver.set_window_size(1440, 1000)
        return path

    def check_log(self, step, allowed=()):
        """Fails on any console error or CSP report the step did not provoke on purpose."""
        problems = []
        for entry in self.driver.get_log("browser"):
            message = entry.get("message", "")
            serious = entry.get("level") == "SEVERE" or "Content Security Policy" in message or "Refused to" in message
            if not serious:
                continue
            if any(re.search(pattern, message) for pattern in allowed):
                continue
            problems.append(f"[{entry.get('level')}] {message}")
        check(not problems, f"browser console errors during '{step}':\n  " + "\n  ".join(problems))


# ------------------------------------------------------------------ the steps

def main():
    check(BASE, "CONSOLE_BASE_URL is not set (the server root, e.g. http://127.0.0.1:8080)")
    os.makedirs(SHOTS, exist_ok=True)
    print(f"console test: server {BASE}, screenshots in {SHOTS}", flush=True)

    listing = api_ok("/api/plugins")
    plugins = {p["name"]: p for p in listing["plugins"]}
    missing = SHIPPED - set(plugins)
    check(not missing, f"the server does not serve the shipped plugins {sorted(missing)}; it serves {sorted(plugins)}")
    broken = [f for f in listing["failures"] if os.path.basename(f["file"]) == BROKEN_FILE]
    check(broken, f"the server lists no failure for {BROKEN_FILE}: {listing['failures']}")
    mcp_doc = plugins["mcp"].get("capabilitiesV2") or api_ok("/api/plugins/mcp/capabilities")
    mcp_entity = next(e for e in mcp_doc["entities"] if e["plural"] == "mcpservers")
    mcp_list = mcp_entity["endpoints"]["list"]

    console = Console()
    try:
        run(console, plugins, listing, broken[0], mcp_entity, mcp_list)
    except Exception:
        try:
            print(f"console test: the page at failure: {console.shot('failure')}", file=sys.stderr)
        except Exception:  # noqa: BLE001 - evidence is best effort
            pass
        raise
    finally:
        console.quit()


def run(console, plugins, listing, broken, mcp_entity, mcp_list):
    d = console.driver

    # 1. The page loads at /console/ (and /console redirects there), under the CSP.
    with urllib.request.urlopen(BASE + "/console/", timeout=10) as response:
        csp = response.headers.get("Content-Security-Policy", "")
    check("default-src 'self'" in csp, f"/console/ is served without the Content-Security-Policy (got {csp!r})")
    d.get(BASE + "/console")
    console.wait("the console page at /console/", lambda: d.current_url.startswith(BASE + "/console/"))
    console.ready()
    check(d.title.endswith("catalog-server console"), f"unexpected title {d.title!r}")

    # 2. Overview: every plugin, the broken file's stage and reason, readiness.
    console.wait("the plugins table", lambda: console.all("plugin-row"))
    shown = {row.get_attribute("data-plugin"): row for row in console.all("plugin-row")}
    check(set(shown) == set(plugins), f"the overview lists {sorted(shown)}, the server serves {sorted(plugins)}")
    for name, plugin in plugins.items():
        row = shown[name]
        check(console.text("plugin-basepath", row) == plugin["basePath"], f"{name}: base path shown {console.text('plugin-basepath', row)!r}")
        health = console.text("plugin-health", row)
        check(health == ("healthy" if plugin["healthy"] else "unhealthy"), f"{name}: health shown {health!r}")
        check(console.text("plugin-version", row) == plugin["version"], f"{name}: version shown {console.text('plugin-version', row)!r}")
        for key, testid in (("abiVersion", "plugin-abi"), ("sdkVersion", "plugin-sdk")):
            if isinstance(plugin.get(key), str) and plugin[key]:
                check(console.text(testid, row) == plugin[key], f"{name}: {key} shown {console.text(testid, row)!r}, the API says {plugin[key]!r}")
    failures = console.all("failure-row")
    check(len(failures) == len(listing["failures"]), f"{len(failures)} failure rows for {len(listing['failures'])} failures")
    row = next((r for r in failures if console.text("failure-file", r) == broken["file"]), None)
    check(row is not None, f"no failure row for {broken['file']}: {[console.text('failure-file', r) for r in failures]}")
    check(console.text("failure-stage", row) == broken["stage"], f"stage shown {console.text('failure-stage', row)!r}, expected {broken['stage']!r}")
    check(console.text("failure-reason", row) == broken["reason"], f"reason shown {console.text('failure-reason', row)!r}, expected {broken['reason']!r}")
    readiness = api("/readyz")[1]
    check(console.text("readiness-status") == readiness["status"], f"readiness shown {console.text('readiness-status')!r}, /readyz says {readiness['status']!r}")
    config = readiness.get("components", {}).get("configuration", {}).get("status")
    if config:
        check(console.text("config-state") == config, f"configuration state shown {console.text('config-state')!r}, /readyz says {config!r}")
    console.one("nav-plugin-hello")  # the C plugin, without a capabilities document, is listed too
    console.shot("overview")
    console.check_log("overview")

    # 3. The C plugin's page: no capabilities document, its base path.
    console.one("nav-plugin-hello").click()
    console.ready()
    console.one("no-capabilities")
    for route in plugins["hello"].get("routes") or []:
        text = route if isinstance(route, str) else str(route.get("path") or route.get("pattern") or "")
        check(text.split()[-1] in console.text("plugin-summary"), f"the hello plugin's route {route!r} is not shown")
    check(plugins["hello"]["basePath"] in console.text("plugin-summary"), "the hello plugin's page does not show its base path")
    console.shot("plugin-hello")
    console.check_log("hello plugin page")

    # 4. The MCP servers list: the document's columns, the server's rows.
    console.one("nav-catalog-mcp-mcpservers").click()
    console.ready()
    expected = [i["name"] for i in api_ok(mcp_list, {"pageSize": 25})["items"]]
    check(console.rows() == expected, f"MCP list shows {console.rows()}, the API answers {expected}")
    headers = [th.text.replace("↕", "").replace("▲", "").replace("▼", "").strip()
               for th in d.find_elements(By.CSS_SELECTOR, '[data-testid="entity-table"] thead th')]
    columns = [c["displayName"] for c in mcp_entity["fields"]["columns"]]
    check(headers == columns, f"column headers {headers}, the document declares {columns}")
    console.shot("mcp-list")
    console.check_log("MCP list")

    # 5. A filterQuery that narrows the list.
    query = "toolCount > 8 AND verified = true"
    expected = [i["name"] for i in api_ok(mcp_list, {"filterQuery": query, "pageSize": 25})["items"]]
    check(0 < len(expected) < len(console.rows()), f"the filter {query!r} should narrow the list; the API answers {expected}")
    box = console.one("filter-input")
    box.clear()
    box.send_keys(query)
    console.one("filter-apply").click()
    console.wait("the filtered rows", lambda: console.rows() == expected and "filterQuery=" in d.execute_script("return location.hash"))
    console.ready()
    check(console.text("active-filter") == query, f"active filter shown {console.text('active-filter')!r}")
    console.shot("mcp-filtered")
    console.check_log("filterQuery")

    # 5b. The condition builder, from the document's filterFields (a field with declared options).
    field = next((f for f in mcp_entity["fields"].get("filterFields", []) if f.get("options") and "=" in f.get("operators", [])), None)
    if field:
        option = field["options"][-1]
        expected = [i["name"] for i in api_ok(mcp_list, {"filterQuery": f"{field['name']} = '{option}'", "pageSize": 25})["items"]]
        console.one("filter-input").clear()
        d.find_element(By.CSS_SELECTOR, '[data-testid="condition-builder"] summary').click()
        index = mcp_entity["fields"]["filterFields"].index(field)
        Select(console.one("cond-field")).select_by_value(str(index))
        Select(console.one("cond-op")).select_by_value("=")
        Select(console.one("cond-value")).select_by_value(option)
        console.one("cond-add").click()
        check(console.one("filter-input").get_attribute("value") == f"{field['name']} = '{option}'",
              f"the builder wrote {console.one('filter-input').get_attribute('value')!r}")
        console.one("filter-apply").click()
        console.wait(f"the rows of {field['name']} = {option!r}", lambda: console.rows() == expected and "filterQuery=" in d.execute_script("return location.hash"))
        console.ready()
        console.shot("mcp-condition-builder")
        console.check_log("condition builder")

    # 6. A bad filterQuery shows the server's own message.
    bad = "name = 'x' AND ("
    status, answer = api(mcp_list, {"filterQuery": bad, "pageSize": 25})
    check(status == 400 and isinstance(answer, dict) and answer.get("error"), f"the API answered the bad query with {status} {answer}")
    box = console.one("filter-input")
    box.clear()
    box.send_keys(bad)
    console.one("filter-apply").click()
    console.wait("the list error", lambda: console.all("list-error-text"))
    console.ready()
    check(console.text("list-error-text") == answer["error"], f"error shown {console.text('list-error-text')!r}, the server says {answer['error']!r}")
    check("400" in console.text("list-error"), "the error box does not show the status 400")
    console.shot("mcp-bad-filter")
    console.check_log("bad filterQuery", allowed=[r"filterQuery=.*status of 400"])

    # 7. Paging through the real list endpoint, pageSize 5.
    console.one("filter-clear").click()
    console.ready()
    all_names = [i["name"] for i in api_ok(mcp_list, {"pageSize": 100})["items"]]
    check(len(all_names) > 5, f"paging needs more than 5 MCP servers, the server has {len(all_names)}")
    Select(console.one("page-size")).select_by_value("5")
    console.one("filter-apply").click()
    console.wait("page 1 of 5", lambda: console.rows() == all_names[:5] and "pageSize=5" in d.execute_script("return location.hash"))
    console.ready()
    check(console.text("page-info").startswith("Page 1"), f"page info {console.text('page-info')!r}")
    check(not console.one("page-prev").is_enabled(), "Previous is enabled on the first page")
    console.shot("mcp-page-1")
    seen = list(console.rows())
    page = 1
    while console.one("page-next").is_enabled():
        before = d.execute_script("return location.hash")
        console.one("page-next").click()
        console.wait(f"page {page + 1}", lambda: d.execute_script("return location.hash") != before)
        console.ready()
        page += 1
        check(console.text("page-info").startswith(f"Page {page}"), f"page info {console.text('page-info')!r} on page {page}")
        seen += console.rows()
        if page == 2:
            console.shot("mcp-page-2")
        check(page < 50, "paging does not end")
    check(seen == all_names, f"the pages together show {seen}, the API has {all_names}")
    check(page >= 2, "fewer than two pages")
    # Previous, and the browser's back and forward buttons.
    console.one("page-prev").click()
    console.wait("the page before the last", lambda: console.rows() == all_names[(page - 2) * 5:(page - 1) * 5])
    console.ready()
    d.back()
    console.ready()
    check(console.rows() == all_names[(page - 1) * 5:], f"back shows {console.rows()}")
    d.forward()
    console.ready()
    check(console.rows() == all_names[(page - 2) * 5:(page - 1) * 5], f"forward shows {console.rows()}")
    console.check_log("paging")

    # 8. Sorting by a sortable column of the document.
    sortable = [c for c in mcp_entity["fields"]["columns"] if c.get("sortable") and c["name"] != "name"]
    check(sortable, "the MCP document declares no sortable column but name")
    column = next((c for c in sortable if c["type"] in ("integer", "number")), sortable[0])
    Select(console.one("order-by")).select_by_value(column["name"])
    Select(console.one("sort-order")).select_by_value("DESC")
    Select(console.one("page-size")).select_by_value("25")
    console.one("filter-apply").click()
    expected = [i["name"] for i in api_ok(mcp_list, {"orderBy": column["name"], "sortOrder": "DESC", "pageSize": 25})["items"]]
    console.wait(f"rows sorted by {column['name']} DESC", lambda: console.rows() == expected)
    console.ready()
    console.shot("mcp-sorted")
    console.check_log("sorting")

    # 9. One entity: its fields, its asset envelope.
    name = "git-mcp-server" if "git-mcp-server" in expected else expected[0]
    link = next(r for r in console.all("entity-row") if r.get_attribute("data-name") == name)
    console.one("entity-link", link).click()
    console.ready()
    check(console.text("entity-title") == name, f"entity title {console.text('entity-title')!r}")
    entity = api_ok(mcp_entity["endpoints"]["get"].replace("{name}", urllib.parse.quote(name, safe="")))
    fields = console.text("main")
    for field in mcp_entity["fields"]["detailFields"]:
        value = entity.get(field["path"])
        if isinstance(value, (str, int)) and not isinstance(value, bool) and field["path"] != "description":
            check(str(value) in fields, f"the detail view does not show {field['path']} = {value!r}")
    check(console.text("asset-lifecycle") == "active", f"lifecycle shown {console.text('asset-lifecycle')!r}")
    console.shot("mcp-detail")
    console.check_log("entity detail")

    # 10. Tag it through the UI (first without the token when the server wants one).
    tag = f"console-{secrets.token_hex(3)}"
    asset_path = mcp_entity["endpoints"]["asset"].replace("{name}", urllib.parse.quote(name, safe=""))
    if ADMIN_TOKEN:
        console.one("token-clear").click()
        console.one("tag-input").send_keys(tag)
        console.one("tag-add").click()
        console.wait("the 401 message", lambda: console.all("action-error"))
        check("HTTP 401" in console.text("action-error"), f"no 401 shown: {console.text('action-error')!r}")
        console.one("auth-hint")
        console.shot("tag-unauthorized")
        console.check_log("tag without a token", allowed=[r":action - Failed to load resource: the server responded with a status of 401"])
        check(tag not in api_ok(asset_path)["metadata"]["tags"], "the tag was stored without a token")
        console.one("token-input").send_keys(ADMIN_TOKEN)
        console.one("token-save").click()
        console.wait("the token to be kept", lambda: console.text("token-state") == "token set")
        stored = d.execute_script("return Object.keys(localStorage).length")
        check(stored == 0, "the console wrote to localStorage (the token belongs in sessionStorage only)")
        console.one("tag-input").clear()
    console.one("tag-input").send_keys(tag)
    console.one("tag-add").click()
    console.wait("the action's answer", lambda: console.all("action-ok"))
    check(tag in console.text("action-message"), f"action message {console.text('action-message')!r}")
    console.wait("the tag in the asset card", lambda: tag in console.text("asset-tags"))
    console.ready()
    check(tag in api_ok(asset_path)["metadata"]["tags"], "the asset envelope does not carry the tag")
    entity = api_ok(mcp_entity["endpoints"]["get"].replace("{name}", urllib.parse.quote(name, safe="")))
    check(tag in (entity.get("overlay") or {}).get("tags", []), f"the entity's overlay does not carry the tag: {entity.get('overlay')}")
    check(tag in console.text("entity-overlay"), "the detail view's overlay line does not show the tag")
    console.shot("mcp-tagged")
    console.check_log("tag")

    # 11. Back to the list (the browser's back button): the row shows the tag.
    d.back()
    console.ready()
    console.wait("the list", lambda: name in console.rows())
    row = next(r for r in console.all("entity-row") if r.get_attribute("data-name") == name)
    check(tag in console.text("row-tags", row), "the list row does not show the tag")
    console.shot("mcp-list-tagged")
    console.check_log("list with the tag")

    # 12. Hostile strings are shown as text (when the server has the test's hostile entity).
    hostile_plugin = plugins.get("knowledge")
    if hostile_plugin:
        doc = hostile_plugin.get("capabilitiesV2") or api_ok("/api/plugins/knowledge/capabilities")
        ks = doc["entities"][0]
        status, found = api(ks["endpoints"]["get"].replace("{name}", "zz-hostile-entry"))
        if status == 200:
            console.go("#/catalog/knowledge/" + ks["plural"] + "/entity/zz-hostile-entry")
            shown = console.text("entity-description")
            check(shown == found["description"], f"the hostile description is shown as {shown!r}, not as the text {found['description']!r}")
            check(d.execute_script("return window.__pwned === undefined && !document.querySelector('main img, main script, main b')"),
                  "markup from the data reached the DOM")
            console.shot("hostile-strings")
            console.check_log("hostile strings")
        else:
            print("console test: no hostile entity on this server; the hostile-strings step is skipped", flush=True)

    # 13. A deep link with a filter renders the same view (linkable state).
    deep = "#/catalog/mcp/mcpservers?" + urllib.parse.urlencode({"filterQuery": query})
    d.get(BASE + "/console/" + deep)
    console.ready()
    expected = [i["name"] for i in api_ok(mcp_list, {"filterQuery": query, "pageSize": 25})["items"]]
    check(console.rows() == expected, f"the deep link shows {console.rows()}, expected {expected}")
    check(console.one("filter-input").get_attribute("value") == query, "the deep link's filter is not in the box")
    console.check_log("deep link")
    print(f"console test: passed ({console.step_no} screenshots in {SHOTS})", flush=True)


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        print(f"console test: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    except Exception:  # noqa: BLE001
        print("console test: FAILED with an unexpected error:", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
