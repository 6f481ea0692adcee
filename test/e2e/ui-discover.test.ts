import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { CHROMIUM, withPage } from '../harness/browser.js';
import { startVigil, type VigilServer } from '../harness/vigil.js';

// The Logs (Discover) page in a real browser against a real `vigil server` holding 2 000
// generated lines sent through the native ingest API: a typed KQL query shows exactly the
// matching lines and their histogram, a field value filters, a document opens and shows its
// surrounding lines. Each test saves a screenshot to test-results/ui-discover-*.png.

const noChromium =
  !existsSync(CHROMIUM) && !process.env.CI
    ? 'chromium not installed (apt-get install chromium)'
    : false;

const SERVICES = ['api', 'web', 'db'] as const;
const N = 2000;

interface Doc {
  i: number;
  '@timestamp': string;
  message: string;
  level: string;
  service: string;
  user: string;
  log: { file: { path: string } };
}

function generate(now: number): Doc[] {
  const start = now - 30 * 60_000;
  return Array.from({ length: N }, (_, i) => {
    const service = SERVICES[i % 3]!;
    return {
      i,
      '@timestamp': new Date(start + i * 800).toISOString(),
      message: `request ${i} done`,
      level: i % 10 === 0 ? 'error' : i % 10 === 5 ? 'warn' : 'info',
      service,
      user: `user-${i % 97}`,
      log: { file: { path: `/var/log/${service}.log` } },
    };
  });
}

async function fill(vigil: VigilServer): Promise<Doc[]> {
  const docs = generate(Date.now());
  const body = docs.map((d) => JSON.stringify(d)).join('\n');
  const res = await fetch(`${vigil.url}/api/v1/logs/ingest?index=logs-app`, {
    method: 'POST',
    body,
  });
  assert.equal(res.status, 200, await res.text());
  // Searchable within a second of the acknowledgement.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = (await (
      await fetch(`${vigil.url}/api/v1/logs/search?start=now-1h&limit=0`)
    ).json()) as { data: { total: { value: number } } };
    if (r.data.total.value === N) return docs;
    assert.ok(Date.now() < deadline, `only ${r.data.total.value} of ${N} lines searchable`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const RESULTS = new URL('../../test-results/', import.meta.url).pathname;

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: `${RESULTS}ui-discover-${name}.png` });
}

async function waitFor(what: string, fn: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function hitCount(page: Page): Promise<number> {
  const text = await page.getByTestId('hit-count').textContent();
  return Number((text ?? '').replace(/,/g, ''));
}

async function waitForCount(page: Page, n: number): Promise<void> {
  await page.getByTestId('hit-count').waitFor();
  await waitFor(`${n} hits`, async () => (await hitCount(page)) === n);
  await waitFor(
    'the list to finish loading',
    async () =>
      !((await page.getByTestId('loaded-count').textContent()) ?? '').includes('Searching'),
  );
}

/** The messages of the rows in the DOM, top to bottom. */
async function rowMessages(page: Page): Promise<string[]> {
  const rows = await page.getByTestId('result-row').evaluateAll((els) =>
    els
      .map((el) => ({
        top: parseFloat((el as { style: { top: string } }).style.top),
        text: el.textContent ?? '',
      }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.text),
  );
  return rows.map((t) => /request \d+ done/.exec(t)?.[0] ?? t);
}

async function typeQuery(page: Page, query: string): Promise<void> {
  const input = page.getByTestId('kql-input');
  await input.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(query);
  await page.keyboard.press('Escape'); // close completion, so Enter submits
  await page.keyboard.press('Enter');
}

async function setup(t: TestContext) {
  const vigil = await startVigil(t);
  const docs = await fill(vigil);
  return { vigil, docs };
}

test(
  'Discover: a typed KQL query shows exactly its lines, a histogram, errors with positions',
  { skip: noChromium },
  async (t) => {
    const { vigil, docs } = await setup(t);
    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/logs?from=now-1h`);
      await waitForCount(page, N);

      // Completion: field names, then the field's values from the store.
      await page.getByTestId('kql-input').click();
      await page.keyboard.type('serv');
      const labels = page.locator('.cm-tooltip-autocomplete .cm-completionLabel');
      await waitFor(
        'field completion',
        async () => (await labels.allTextContents()).join() === 'service',
      );
      await page.keyboard.press('Enter');
      await waitFor(
        'value completion',
        async () => (await labels.allTextContents()).sort().join() === '"api","db","web"',
      );
      assert.equal(await page.getByTestId('kql-input').textContent(), 'service:');
      await page.keyboard.type('d');
      await waitFor(
        'narrowed values',
        async () => (await labels.allTextContents()).join() === '"db"',
      );
      await page.keyboard.press('Enter');
      assert.equal(await page.getByTestId('kql-input').textContent(), 'service:"db" ');
      await page.keyboard.press('Enter');
      await waitForCount(page, docs.filter((d) => d.service === 'db').length);

      await typeQuery(page, 'level:error and service:db');
      const expected = docs
        .filter((d) => d.level === 'error' && d.service === 'db')
        .map((d) => d.message)
        .reverse();
      assert.equal(expected.length, 66);
      await waitForCount(page, expected.length);
      assert.match(page.url(), /[?&]q=level%3Aerror\+and\+service%3Adb/);
      assert.equal(
        (await page.getByTestId('loaded-count').textContent())?.trim(),
        `${expected.length} lines loaded`,
      );
      const shown = await rowMessages(page);
      assert.ok(shown.length >= 10, `${shown.length} rows rendered`);
      assert.deepEqual(shown, expected.slice(0, shown.length));
      // Matches are highlighted.
      assert.ok((await page.locator('[data-testid=result-row] mark').count()) > 0);
      // The histogram: a uPlot canvas with bars for the 66 matches.
      const canvas = page.locator('[data-testid=histogram] canvas');
      await canvas.waitFor();
      assert.ok(((await canvas.boundingBox())?.width ?? 0) > 200);
      await screenshot(page, 'query');

      // Scrolling to the end shows the oldest match last.
      await page.getByTestId('result-list').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await waitFor(
        'the last row',
        async () => (await rowMessages(page)).at(-1) === expected.at(-1),
      );

      // A query that does not parse: the server's message, with its position.
      await typeQuery(page, 'level:');
      const err = page.getByTestId('kql-error');
      await err.waitFor();
      assert.match(
        (await err.textContent()) ?? '',
        /at column 7: Expected .* but end of input found/,
      );
      await page.locator('.cm-lintRange-error').first().waitFor();
      await screenshot(page, 'query-error');

      // Brushing the histogram zooms the time range to absolute bounds.
      await typeQuery(page, '');
      await waitForCount(page, N);
      const box = (await page.locator('[data-testid=histogram] .u-over').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      await page.waitForURL(/from=\d{4}-\d{2}-\d{2}T.*&to=\d{4}-/);
      const url = new URL(page.url());
      const from = Date.parse(url.searchParams.get('from')!);
      const to = Date.parse(url.searchParams.get('to')!);
      const inRange = docs.filter((d) => {
        const ms = Date.parse(d['@timestamp']);
        return ms >= from && ms <= to;
      }).length;
      await waitForCount(page, inRange);
      assert.ok(inRange > 0 && inRange < N, `${inRange} lines in the brushed range`);
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);

test(
  'Discover: a field value from the sidebar filters for and out',
  { skip: noChromium },
  async (t) => {
    const { vigil, docs } = await setup(t);
    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/logs?from=now-1h`);
      await waitForCount(page, N);
      const sidebar = page.getByTestId('field-sidebar');
      await sidebar.locator('[data-field=service] .field-name').click();
      await sidebar.getByRole('button', { name: 'Filter for service: db' }).click();
      await page.waitForURL(/q=service%3A%22db%22/);
      const db = docs.filter((d) => d.service === 'db');
      await waitForCount(page, db.length);
      assert.deepEqual(
        await rowMessages(page),
        db
          .map((d) => d.message)
          .reverse()
          .slice(0, (await rowMessages(page)).length),
      );

      await sidebar.locator('[data-field=level] .field-name').click();
      await sidebar.getByRole('button', { name: 'Filter out level: info' }).click();
      await page.waitForURL(/q=service%3A%22db%22\+and\+not\+level%3A%22info%22/);
      await waitForCount(page, db.filter((d) => d.level !== 'info').length);
      // The editor shows the query the filter wrote.
      assert.equal(
        await page.getByTestId('kql-input').textContent(),
        'service:"db" and not level:"info"',
      );
      // Add a column from the sidebar: the list shows it.
      await sidebar.getByRole('button', { name: 'Add column user' }).click();
      await page.waitForURL(/col=user/);
      await page.locator('[data-testid=result-row] [data-column=user]').first().waitFor();
      await screenshot(page, 'field-filter');

      // The theme switch: Auto → Light → Dark, kept across reloads.
      const toggle = page.getByTestId('theme-toggle');
      await toggle.click();
      await toggle.click();
      assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
      await page.reload();
      await waitForCount(page, db.filter((d) => d.level !== 'info').length);
      assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
      const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
      assert.equal(bg, 'rgb(13, 17, 23)');
      await screenshot(page, 'dark');
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);

test(
  'Discover: open a document, then its surrounding lines in the same stream',
  { skip: noChromium },
  async (t) => {
    const { vigil, docs } = await setup(t);
    await withPage(t, async (page) => {
      await page.goto(
        `${vigil.url}/logs?from=now-1h&q=${encodeURIComponent('message:"request 1000 done"')}`,
      );
      await waitForCount(page, 1);
      await page.getByTestId('result-row').first().click();
      const flyout = page.getByTestId('doc-flyout');
      await flyout.waitFor();
      assert.match(page.url(), /[?&]doc=logs-app%2F/);
      assert.match(
        (await flyout.getByTestId('doc-table').textContent()) ?? '',
        /\/var\/log\/web\.log/,
      );
      await flyout.getByRole('tab', { name: 'JSON' }).click();
      const json = JSON.parse((await flyout.getByTestId('doc-json').textContent()) ?? '') as Doc;
      assert.equal(json.i, 1000);
      await screenshot(page, 'document');

      await flyout.getByTestId('view-surrounding').click();
      await page.getByTestId('surrounding').waitFor();
      assert.match(page.url(), /[?&]context=logs-app%2F/);
      await page.getByTestId('context-anchor').waitFor();
      assert.equal(
        (await page.getByTestId('context-stream').textContent())?.trim(),
        'Stream: log.file.path = /var/log/web.log',
      );
      const web = docs.filter((d) => d.service === 'web');
      const at = web.findIndex((d) => d.i === 1000);
      const expected = web.slice(at - 10, at + 11).map((d) => d.message);
      const shown = await page
        .locator('[data-testid=context-row], [data-testid=context-anchor]')
        .evaluateAll((els) => els.map((el) => /request \d+ done/.exec(el.textContent ?? '')?.[0]));
      assert.deepEqual(shown, expected);
      await screenshot(page, 'surrounding');

      // The link alone reproduces the view.
      const link = page.url();
      await page.goto('about:blank');
      await page.goto(link);
      await page.getByTestId('context-anchor').waitFor();
      assert.match(
        (await page.getByTestId('context-anchor').textContent()) ?? '',
        /request 1000 done/,
      );
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);

test(
  'Discover: keyboard moves through the list and pages load as it scrolls',
  { skip: noChromium },
  async (t) => {
    const { vigil, docs } = await setup(t);
    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/logs?from=now-1h`);
      await waitForCount(page, N);
      const list = page.getByTestId('result-list');
      await list.focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const flyout = page.getByTestId('doc-flyout');
      await flyout.getByRole('tab', { name: 'JSON' }).click();
      const third = JSON.parse((await flyout.getByTestId('doc-json').textContent()) ?? '') as Doc;
      assert.equal(third.i, N - 3);
      await page.keyboard.press('Escape');
      await flyout.waitFor({ state: 'detached' });

      // End jumps to the last loaded row; the next pages arrive with search_after, while the DOM
      // holds only the rows in view.
      await list.focus();
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('End');
        await new Promise((r) => setTimeout(r, 300));
      }
      await waitFor('more pages', async () => {
        const text = (await page.getByTestId('loaded-count').textContent()) ?? '';
        return Number(text.replace(/[^\d]/g, '')) >= 800;
      });
      assert.ok((await page.getByTestId('result-row').count()) < 120);
      const last = (await rowMessages(page)).at(-1);
      assert.ok(docs.some((d) => d.message === last));
      await screenshot(page, 'scrolled');

      // Nothing matches: the empty state says so; auto-refresh finds the line that arrives later.
      await page.goto(`${vigil.url}/logs?from=now-1h&refresh=5s&q=service%3Acron`);
      await page.getByTestId('empty-state').waitFor();
      assert.match((await page.getByTestId('empty-state').textContent()) ?? '', /No lines match/);
      const res = await fetch(`${vigil.url}/api/v1/logs/ingest?index=logs-app`, {
        method: 'POST',
        body: JSON.stringify({
          '@timestamp': new Date().toISOString(),
          message: 'nightly job ran',
          service: 'cron',
        }),
      });
      assert.equal(res.status, 200);
      await waitFor(
        'the auto-refresh',
        async () => {
          const rows = await rowMessages(page);
          return rows.length === 1 && rows[0]!.includes('nightly job ran');
        },
        15_000,
      );
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);

test(
  'Discover: absolute time range, export as NDJSON and CSV, live tail of new lines',
  { skip: noChromium },
  async (t) => {
    const { vigil, docs } = await setup(t);
    await withPage(t, async (page) => {
      await page.goto(`${vigil.url}/logs?from=now-1h`);
      await waitForCount(page, N);

      // An absolute range from the picker: exactly the 100 lines inside it.
      const from = docs[100]!['@timestamp'];
      const to = new Date(Date.parse(docs[199]!['@timestamp']) + 400).toISOString();
      await page.getByTestId('time-picker').click();
      await page.getByTestId('time-from').fill(from);
      await page.getByTestId('time-to').fill(to);
      await page.getByTestId('time-apply').click();
      await waitForCount(page, 100);
      assert.equal(new URL(page.url()).searchParams.get('from'), from);
      assert.match((await page.getByTestId('time-picker').textContent()) ?? '', /→/);
      await screenshot(page, 'absolute-range');

      // A bad bound is refused in the picker, with the reason.
      await page.getByTestId('time-picker').click();
      await page.getByTestId('time-from').fill('yesterday-ish');
      await page.getByTestId('time-apply').click();
      await page.getByRole('dialog').getByRole('alert').waitFor();
      await page.keyboard.press('Escape');

      // Export: every match, not only the loaded page.
      await page.goto(`${vigil.url}/logs?from=now-1h&q=level%3Aerror&col=service&col=message`);
      const errors = docs.filter((d) => d.level === 'error').reverse();
      await waitForCount(page, errors.length);
      const [ndjson] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-ndjson').click(),
      ]);
      assert.match(ndjson.suggestedFilename(), /^vigil-logs-.*\.ndjson$/);
      const lines = readFileSync((await ndjson.path())!, 'utf8')
        .trimEnd()
        .split('\n');
      assert.deepEqual(
        lines.map((l) => (JSON.parse(l) as { _source: Doc })._source.message),
        errors.map((d) => d.message),
      );
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-csv').click(),
      ]);
      const rows = readFileSync((await csv.path())!, 'utf8').split('\r\n');
      assert.equal(rows[0], '@timestamp,service,message');
      assert.equal(rows.length, errors.length + 2); // header, rows, and the final line end
      assert.match(rows[1]!, new RegExp(`,${errors[0]!.service},${errors[0]!.message}$`));

      // Live tail: lines sent now appear at the top without a reload.
      await page.getByTestId('live-tail').click();
      await new Promise((r) => setTimeout(r, 1500)); // the tail starts from what is there
      const now = Date.now();
      const fresh = [0, 1, 2].map((k) =>
        JSON.stringify({
          '@timestamp': new Date(now + k).toISOString(),
          message: `tailed ${k}`,
          level: 'error',
          service: 'api',
        }),
      );
      const res = await fetch(`${vigil.url}/api/v1/logs/ingest?index=logs-app`, {
        method: 'POST',
        body: fresh.join('\n'),
      });
      assert.equal(res.status, 200);
      await waitFor('tailed lines', async () =>
        ((await page.getByTestId('loaded-count').textContent()) ?? '').includes('live: 3 new'),
      );
      const top = await page.getByTestId('result-row').evaluateAll((els) =>
        els
          .map((el) => ({
            top: parseFloat((el as { style: { top: string } }).style.top),
            text: el.textContent ?? '',
          }))
          .sort((a, b) => a.top - b.top)
          .slice(0, 4)
          .map((r) => /tailed \d|request \d+ done/.exec(r.text)?.[0]),
      );
      assert.deepEqual(top, ['tailed 2', 'tailed 1', 'tailed 0', errors[0]!.message]);
      await screenshot(page, 'live-tail');
    });
    assert.equal((await vigil.stop()).code, 0);
  },
);
