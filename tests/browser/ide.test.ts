/**
 * The newcomer's first click, in a real browser: open the gateway's IDE with no internet, paste a
 * dev token into the Headers tab, press Run on the default operation, see data.
 *
 * Headless Chromium from Debian's `chromium` package (`.ci/run` installs it), driven by
 * playwright-core (which downloads no browser of its own). Without the browser this file skips
 * with a warning on a laptop and fails in CI (`CI=true`), like the PostgreSQL project.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestGraph, type TestGraph } from '../support/graph';

/** CodeMirror 5 (GraphiQL 3's editors) hangs its instance on the editor's element. */
type CodeMirrorElement = { CodeMirror: { getValue(): string } };
const editorText = (el: unknown) => (el as CodeMirrorElement).CodeMirror.getValue();

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);

if (!available && process.env.CI) {
  test('Chromium is installed (required in CI)', () => {
    throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package (apt-get install -y chromium)`);
  });
} else if (!available) {
  console.warn(`\n[qinqing-hub] ${CHROMIUM} not found: the browser test of the IDE is skipped (apt-get install chromium, or set CHROMIUM_PATH).\n`);
}

(available ? describe : describe.skip)('the IDE in a browser, offline', () => {
  let graph: TestGraph;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  /** Every request the page tried to send off the host: refused, and there must be none. */
  const offHost: string[] = [];

  beforeAll(async () => {
    graph = await startTestGraph();
    profile = mkdtempSync(join(tmpdir(), 'qinqing-chromium-'));
    // A fresh profile, nothing phoning home (Playwright adds --headless itself).
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // The county network has no internet: anything not for 127.0.0.1 is cut, and recorded.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      offHost.push(url.href);
      return route.abort('internetdisconnected');
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await graph?.stop();
  });

  test('paste a dev token, press Run on the default operation, see data', async () => {
    const token = await graph.token({ role: 'APPROVAL_BUREAU', region: '360732' });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(graph.gatewayUrl);
    // The default tab, exactly as the gateway serves it, is what gets run.
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();

    // The Headers tab, as a person would: open it, select what is there, paste the JSON.
    await page.locator('button[data-name="headers"]').click();
    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    await headersEditor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));

    const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url() === graph.gatewayUrl && !(r.postData() ?? '').includes('IntrospectionQuery'));
    await page.locator('.graphiql-execute-button').click();
    const request = await sent;
    expect(request.headers().authorization).toBe(`Bearer ${token}`);
    const response = await request.response();
    expect(response?.status()).toBe(200);

    // The result pane is a CodeMirror that renders only the lines in view: read its whole text.
    const result = await page.locator('.graphiql-response .CodeMirror').elementHandle();
    await page.waitForFunction((el) => (el as CodeMirrorElement).CodeMirror.getValue().includes('县发改委'), result);
    const shown = JSON.parse(await page.evaluate(editorText, result));
    expect(shown.errors).toBeUndefined();
    expect(shown.data.departments.map((d: { shortName: string }) => d.shortName)).toContain('县发改委');
    expect(pageErrors).toEqual([]);
    expect(offHost).toEqual([]);

    // …and the wall really is there: a request off the host from this page is cut (by the page's
    // CSP, which already refuses it, or else by the route).
    const probe = await page.evaluate(() => fetch('https://cdn.jsdelivr.net/npm/graphiql/graphiql.min.js').then(() => 'reached', () => 'cut'));
    expect(probe).toBe('cut');
    expect(offHost.filter((url) => !url.startsWith('https://cdn.jsdelivr.net/'))).toEqual([]);
  });
});
