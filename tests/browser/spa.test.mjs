// Drives the SPA example (examples/spa.rs) in headless Chromium and checks what the
// page shows. Started by tests/apps/browser_spa.rs with the server's URL:
//
//   node tests/browser/spa.test.mjs http://127.0.0.1:PORT/
//
// Uses Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) through playwright-core;
// no browser is downloaded. Prints one line per check and exits non-zero on the first
// failure. With SPA_SCREENSHOT=<file.png>, saves a screenshot of the page at the end.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const url = process.argv[2];
if (!url) {
  console.error("usage: node spa.test.mjs <url of the SPA example>");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const TIMEOUT_MS = 15_000;

let checks = 0;
function check(name, condition, detail) {
  checks += 1;
  if (!condition) {
    throw new Error(`${name}${detail === undefined ? "" : `: ${detail}`}`);
  }
  console.log(`ok ${checks} - ${name}`);
}

// A fresh, empty profile for every run, removed afterwards.
const userDataDir = mkdtempSync(join(tmpdir(), "actix-jwt-extended-spa-"));
let context;
let failed = false;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    timeout: 60_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => console.log(`# page error: ${error}`));

  // Clicks button #btn-<action> and answers the text of <pre id=target> once the call
  // it started is done.
  async function run(action, target = action) {
    await page.click(`#btn-${action}`);
    await page.locator(`#${target}[data-state="done"]`).waitFor();
    return (await page.textContent(`#${target}`)).trim();
  }
  const documentCookie = () => page.evaluate(() => document.cookie);
  const readableCookie = (name) =>
    page.evaluate((name) => {
      const pair = document.cookie.split("; ").find((p) => p.startsWith(`${name}=`));
      return pair ? pair.slice(name.length + 1) : null;
    }, name);
  const jsonOf = (text) => JSON.parse(text.slice(text.indexOf(" ") + 1));

  await page.goto(url);
  check("the page loads", (await page.title()).includes("actix-jwt-extended"), await page.title());

  let text = await run("me");
  check(
    "GET /api/me before logging in is refused",
    text === '401 {"msg":"Missing cookie \\"access_token_cookie\\""}',
    text,
  );

  await page.fill("#username", "test");
  await page.fill("#password", "wrong");
  text = await run("login");
  check("a wrong password is refused", text === '401 {"msg":"Bad username or password"}', text);

  await page.fill("#password", "test");
  text = await run("login");
  check("logging in as test/test works", text === '200 {"login":true}', text);

  const cookies = await documentCookie();
  check("document.cookie holds csrf_access_token", /(^|; )csrf_access_token=[0-9a-f-]{36}($|;)/.test(cookies), cookies);
  check("document.cookie holds csrf_refresh_token", /(^|; )csrf_refresh_token=[0-9a-f-]{36}($|;)/.test(cookies), cookies);
  check("document.cookie does not hold access_token_cookie (HttpOnly)", !cookies.includes("access_token_cookie"), cookies);
  check("document.cookie does not hold refresh_token_cookie (HttpOnly)", !cookies.includes("refresh_token_cookie"), cookies);
  const shown = (await page.textContent("#cookies")).trim();
  check("the page shows only the CSRF cookies", shown === cookies, `${shown} vs ${cookies}`);

  const jar = await context.cookies(url);
  const byName = Object.fromEntries(jar.map((c) => [c.name, c]));
  check(
    "the browser stored the token cookies as HttpOnly, the CSRF cookies readable",
    byName.access_token_cookie?.httpOnly === true &&
      byName.refresh_token_cookie?.httpOnly === true &&
      byName.csrf_access_token?.httpOnly === false &&
      byName.csrf_refresh_token?.httpOnly === false &&
      byName.access_token_cookie?.sameSite === "Lax",
    JSON.stringify(jar.map(({ name, httpOnly, sameSite, path }) => ({ name, httpOnly, sameSite, path }))),
  );

  text = await run("me");
  check("GET /api/me shows the identity", text === '200 {"identity":"test","location":"cookies"}', text);

  await page.fill("#message", "hello from the browser");
  text = await run("echo");
  check(
    "POST /api/echo with the X-CSRF-TOKEN header works",
    text === '200 {"echo":{"message":"hello from the browser"},"identity":"test"}' ||
      text === '200 {"identity":"test","echo":{"message":"hello from the browser"}}',
    text,
  );

  text = await run("echo-no-csrf");
  check("POST /api/echo without the CSRF header is refused", text === '401 {"msg":"Missing CSRF token"}', text);

  const csrfBefore = await readableCookie("csrf_access_token");
  text = await run("refresh");
  check("refreshing through the refresh cookie works", text === '200 {"refresh":true}', text);
  const csrfAfter = await readableCookie("csrf_access_token");
  check("the refresh set a new access cookie (new CSRF value)", csrfAfter && csrfAfter !== csrfBefore, `${csrfBefore} -> ${csrfAfter}`);

  text = await run("me");
  check("GET /api/me works with the refreshed cookie", text === '200 {"identity":"test","location":"cookies"}', text);
  text = await run("echo");
  check("POST /api/echo works with the new CSRF value", text.startsWith("200 "), text);
  check("the echo carries the message", jsonOf(text).echo?.message === "hello from the browser", text);

  text = await run("logout");
  check("logging out works", text === '200 {"logout":true}', text);
  const after = await documentCookie();
  check("logging out cleared the readable cookies", after === "", after);
  const left = (await context.cookies(url)).map((c) => c.name);
  check("logging out cleared every cookie", left.length === 0, left.join(", "));

  text = await run("me");
  check(
    "GET /api/me after logging out is refused",
    text === '401 {"msg":"Missing cookie \\"access_token_cookie\\""}',
    text,
  );
  text = await run("refresh");
  check(
    "refreshing after logging out is refused",
    text === '401 {"msg":"Missing cookie \\"refresh_token_cookie\\""}',
    text,
  );

  if (process.env.SPA_SCREENSHOT) {
    await page.screenshot({ path: process.env.SPA_SCREENSHOT, fullPage: true });
    console.log(`# screenshot: ${process.env.SPA_SCREENSHOT}`);
  }
  console.log(`# all ${checks} checks passed`);
} catch (error) {
  failed = true;
  console.log(`not ok ${checks + 1} - ${error.message ?? error}`);
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
