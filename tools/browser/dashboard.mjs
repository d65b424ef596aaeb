// Drives the dashboard in Debian's headless chromium against a running service.
//   node dashboard.mjs check BASE EDITOR_KEY REVIEWER_KEY ARTIFACTS   adds known donations, then checks the page against
//                                                        the API; then the review page: the seed article read into
//                                                        drafts, and a reviewer's decisions
//   node dashboard.mjs time BASE LOADS                    how long the page takes to be fully drawn, LOADS times
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';

const [mode, base, ...rest] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

async function api(path, init) {
  const response = await fetch(new URL(path, base), init);
  const body = await response.json();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function launch() {
  // Root in CI: chromium's sandbox needs user namespaces it may not have.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}

/** Opens the page and waits until every chart and the table are drawn. */
async function open(page, path = '/') {
  await page.goto(new URL(path, base).href);
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: 30_000 });
}

async function submitted(page, action) {
  await page.evaluate(() => { document.body.dataset.state = 'loading'; });
  await action();
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: 30_000 });
}

/** Each drawn row of a chart: its key and its data-* numbers. */
function chartRows(page, id) {
  return page.$$eval(`#${id} g.row`, (rows) => rows.map((row) => {
    const values = {};
    for (const [name, value] of Object.entries(row.dataset)) if (name !== 'key') values[name] = Number(value);
    return { key: row.dataset.key, ...values };
  }));
}

/** The page's charts, table and links agree with what the API answers for the same filters. */
async function assertMatchesApi(page, filters) {
  const query = (extra) => new URLSearchParams({ ...filters, ...extra }).toString();
  const [donors, categories, deliveries, pledged, list] = await Promise.all([
    api(`/api/v1/stats/totals?${query({ group_by: 'donor', sort: '-count,donor' })}`),
    api(`/api/v1/stats/totals?${query({ group_by: 'category', sort: '-count,category' })}`),
    api(`/api/v1/stats/timeseries?${query({ date: 'delivered_on', interval: 'month' })}`),
    api(`/api/v1/stats/pledged-vs-delivered?${query({ by: 'donor' })}`),
    api(`/api/v1/donations?${query({ limit: 25 })}`),
  ]);

  assert.deepEqual(await chartRows(page, 'by-donor'), donors.items.slice(0, 15).map((g) => ({ key: g.donor, count: g.count })), 'donor chart');
  assert.deepEqual(await chartRows(page, 'by-category'), categories.items.map((g) => ({ key: g.category, count: g.count })), 'category chart');
  const points = deliveries.series[0].points;
  const drawnPoints = await chartRows(page, 'deliveries');
  if (points.some((p) => p.count > 0)) {
    assert.deepEqual(drawnPoints, points.map((p) => ({ key: p.period, count: p.count })), 'deliveries chart');
  } else {
    assert.equal(drawnPoints.length, 0, 'an empty deliveries chart draws no bars');
  }
  const ranked = [...pledged.items].sort((a, b) => (b.outstanding_count + b.delivered_count) - (a.outstanding_count + a.delivered_count) || a.key.localeCompare(b.key));
  assert.deepEqual(await chartRows(page, 'pledged'),
    ranked.slice(0, 15).map((g) => ({ key: g.key, outstandingCount: g.outstanding_count, deliveredCount: g.delivered_count })), 'pledged chart');

  const ids = await page.$$eval('#donations tbody tr[data-id]', (rows) => rows.map((row) => Number(row.dataset.id)));
  assert.deepEqual(ids, list.items.map((d) => d.id), 'table rows');
  const summary = await page.textContent('#summary');
  assert.ok(summary.startsWith(`${donors.total.count.toLocaleString('en')} donations match`), `summary: ${summary}`);

  const csv = `/api/v1/exports/donations.csv${Object.keys(filters).length ? `?${query({})}` : ''}`;
  for (const id of ['by-donor', 'by-category', 'pledged']) {
    assert.equal(await page.getAttribute(`#${id} a.download`, 'href'), csv, `${id} download link`);
  }
  const csvResponse = await fetch(new URL(csv, base));
  assert.equal(csvResponse.status, 200);
  const csvRows = (await csvResponse.text()).trimEnd().split('\r\n').length - 1;
  // The CSV holds the rows the charts count (a quoted cell may span lines, so at least that many line breaks).
  assert.ok(csvRows >= donors.total.count, `CSV rows ${csvRows} for ${donors.total.count} donations`);
  return { donors, list };
}

async function addKnownDonations(editorKey) {
  // The bundled source (1) cited with a quote that says it is synthetic: the test's records exist only in its database.
  const cite = (quote, supports) => ({ source: 1, quote, supports: [supports] });
  const post = (body) => api('/api/v1/donations', {
    method: 'POST',
    headers: { Authorization: `Bearer ${editorKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ recipient: 'UKR', quantity_qualifier: 'exact', evidence: [cite('Browser test record (synthetic)', 'announcement')], ...body }),
  });
  // Deliveries in three months, a commitment and a cancellation, and enough rows to need a second table page.
  for (const [month, count] of [['2022-04', 2], ['2022-06', 1], ['2022-07', 3]]) {
    for (let i = 0; i < count; i++) {
      await post({ donor: 'POL', weapon_system: 'fim-92-stinger', quantity: 10 + i, status: 'delivered', announced_on: `${month}-01`,
        deliveries: [{ delivered_on: `${month}-15`, quantity: 10 + i, quantity_qualifier: 'exact', evidence: [cite('Browser test delivery (synthetic)', 'delivery')] }] });
    }
  }
  await post({ donor: 'USA', weapon_system: 'fgm-148-javelin', quantity: 100, status: 'committed', announced_on: '2022-05-01' });
  await post({ donor: 'GBR', weapon_system: 'fgm-148-javelin', quantity: 5, status: 'cancelled', announced_on: '2022-05-02' });
  for (let i = 0; i < 20; i++) {
    await post({ donor: 'LTU', weapon_system: 'machine-gun', quantity: i + 1, status: 'announced', announced_on: '2022-08-01' });
  }
}

/** The review page: an editor reads the seed article into drafts, their quotes marked in it; a reviewer publishes the source, then one draft, and rejects another. */
async function checkReview(browser, editorKey, reviewerKey, artifacts) {
  const article = readFileSync(new URL('../../src/AidTracker.Api/Dataset/Seed/article.txt', import.meta.url), 'utf8');
  const withKey = (key) => ({ headers: { Authorization: `Bearer ${key}` } });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(new URL('/review.html', base).href);
  const useKey = async (key) => {
    await page.fill('#key input[name="key"]', key);
    await page.click('#key button[type="submit"]');
  };

  await useKey(editorKey);
  await page.fill('textarea[name="text"]', article);
  await page.fill('input[name="published_on"]', '2022-03-06');
  await page.fill('input[name="citation"]', 'News report, 2022-03-06 (browser test)');
  await submitted(page, () => page.click('#extract button[type="submit"]'));
  assert.equal(await page.isHidden('#problem'), true, await page.textContent('#problem'));
  const source = Number(await page.getAttribute('#extraction', 'data-source'));
  const extraction = await api(`/api/v1/extractions/${source}`, withKey(editorKey));
  assert.equal(extraction.drafts.length, 12, 'the seed article makes the twelve bundled records');
  assert.deepEqual(await page.$$eval('#extraction li.draft[data-id]', (items) => items.map((i) => Number(i.dataset.id))), extraction.drafts.map((d) => d.id), 'the drafts shown');
  const quotes = [...new Set(extraction.drafts.map((d) => d.quote.text))];
  assert.deepEqual(await page.$$eval('#extraction .text mark:not(.unresolved)', (marks) => marks.map((m) => m.textContent)), quotes, 'each quote marked in the text');
  await page.screenshot({ path: `${artifacts}/review-extraction.png`, fullPage: true });

  // The editor made the drafts and their source: a reviewer decides. A draft is published only after its source;
  // publishing makes it public; rejecting needs a comment.
  await useKey(reviewerKey);
  await submitted(page, () => page.click('#load'));
  const queued = await page.$$eval('#queue li.draft[data-kind="donation"]', (items) => items.map((i) => Number(i.dataset.id)));
  for (const draft of extraction.drafts) assert.ok(queued.includes(draft.id), `draft ${draft.id} is in the queue`);
  const sourceItem = `#queue li[data-kind="source"][data-id="${source}"]`;
  assert.match(await page.textContent(`${sourceItem} h3`), /browser test/, 'the draft source is in the queue');
  const [first, second] = extraction.drafts;
  const item = (draft) => `#queue li[data-kind="donation"][data-id="${draft.id}"]`;
  assert.deepEqual(await page.$$eval(`${item(first)} .text mark`, (marks) => marks.map((m) => m.textContent)), [first.quote.text, first.quote.text],
    'the queue marks the quote in its paragraph and in the whole text');
  await submitted(page, () => page.click(`${item(first)} button.publish`));
  assert.match(await page.textContent('#problem'), /evidence: .*source .* draft/, 'a draft citing a draft source is refused, naming its evidence');
  await submitted(page, () => page.click(`${sourceItem} button.publish`));
  assert.equal((await fetch(new URL(`/api/v1/sources/${source}`, base))).status, 200, 'the source published: public');
  await submitted(page, () => page.click(`${item(first)} button.publish`));
  assert.equal((await fetch(new URL(`/api/v1/donations/${first.id}`, base))).status, 200, 'published: public');
  await submitted(page, () => page.click(`${item(second)} button.reject`));
  assert.match(await page.textContent('#problem'), /comment/, 'rejecting without a comment is refused, naming it');
  await page.fill(`${item(second)} textarea`, 'A second source is needed for this one.');
  await submitted(page, () => page.click(`${item(second)} button.reject`));
  const after = await api(`/api/v1/extractions/${source}`, withKey(editorKey));
  assert.deepEqual(after.drafts.slice(0, 2).map((d) => d.review_state), ['published', 'rejected']);
  assert.equal((await fetch(new URL(`/api/v1/donations/${second.id}`, base))).status, 404, 'rejected: not public');
  assert.equal(await page.$(item(first)), null, 'decided drafts leave the queue');
  assert.equal(await page.$(sourceItem), null, 'the published source leaves the queue');
  await page.screenshot({ path: `${artifacts}/review-queue.png`, fullPage: true });
  assert.deepEqual(errors, [], 'no script errors on the review page');
  console.log(`review page: the seed article read into ${extraction.drafts.length} drafts with ${quotes.length} quotes marked; its source published, then a draft published and one rejected`);
}

async function check(editorKey, reviewerKey, artifacts) {
  mkdirSync(artifacts, { recursive: true });
  await addKnownDonations(editorKey);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const origin = new URL(base).origin;
    const foreign = [];
    const errors = [];
    page.on('request', (request) => { if (new URL(request.url()).origin !== origin) foreign.push(request.url()); });
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    page.on('pageerror', (error) => errors.push(error.message));
    const failed = [];
    page.on('response', (response) => { if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`); });

    await open(page);
    assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
    const all = await assertMatchesApi(page, {});
    console.log(`dashboard: ${all.donors.total.count} donations, ${all.donors.items.length} donors; charts and table match the API`);
    await page.screenshot({ path: `${artifacts}/dashboard.png`, fullPage: true });

    // Paging through the API's cursors, there and back.
    const second = await api(all.list.next);
    await submitted(page, () => page.click('#next'));
    assert.deepEqual(await page.$$eval('#donations tbody tr[data-id]', (rows) => rows.map((r) => Number(r.dataset.id))), second.items.map((d) => d.id), 'second page');
    await submitted(page, () => page.click('#previous'));
    assert.deepEqual(await page.$$eval('#donations tbody tr[data-id]', (rows) => rows.map((r) => Number(r.dataset.id))), all.list.items.map((d) => d.id), 'back to the first page');

    // A filter, set with the keyboard alone, from a fresh load: Tab to the donor field, type, Enter.
    await open(page);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip', 'the first Tab reaches the skip link');
    for (let i = 0; i < 30 && await page.evaluate(() => document.activeElement.name) !== 'donor'; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'donor', 'Tab reaches the donor field');
    await page.keyboard.type('POL');
    await submitted(page, () => page.keyboard.press('Enter'));
    assert.equal(new URL(page.url()).searchParams.get('donor'), 'POL', 'the filter lives in the URL');
    const poland = await assertMatchesApi(page, { donor: 'POL' });
    assert.ok(poland.donors.items.every((g) => g.donor === 'POL'));
    assert.ok((await chartRows(page, 'deliveries')).some((p) => p.count > 0), 'Poland has deliveries drawn');
    await page.screenshot({ path: `${artifacts}/dashboard-filtered.png`, fullPage: true });

    // The shared view: a fresh page on the same URL draws the same.
    const shared = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await open(shared, `/?donor=POL`);
    assert.equal(await shared.inputValue('input[name="donor"]'), 'POL');
    await assertMatchesApi(shared, { donor: 'POL' });

    // A bad filter is the API's problem, shown, naming the field.
    await submitted(page, async () => {
      await page.fill('input[name="donor"]', 'XXX');
      await page.click('button[type="submit"]');
    });
    assert.equal(await page.getAttribute('body', 'data-state'), 'error');
    const problem = await page.textContent('#problem');
    assert.match(problem, /donor: 'XXX' is not a known country code/, problem);

    // Phone width: nothing wider than the screen but the table, which scrolls in its own box.
    const phone = await browser.newPage({ viewport: { width: 375, height: 800 }, isMobile: true });
    await open(phone);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
    await phone.screenshot({ path: `${artifacts}/dashboard-phone.png`, fullPage: true });

    // Contrast (WCAG 2.2): text at least 4.5:1 against white, bars at least 3:1.
    const contrasts = await page.evaluate(() => {
      const luminance = (css) => {
        const [r, g, b] = css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
          const s = c / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const ratio = (css) => (1.05) / (luminance(css) + 0.05);
      const text = ['body', 'a', '.note', 'th', 'label', '.plot text', '#problem'].map((selector) => {
        const node = document.querySelector(selector);
        return { selector, ratio: node ? ratio(getComputedStyle(node).color) : null };
      });
      const bars = ['.bar', '.bar.delivered'].map((selector) => ({ selector, ratio: ratio(getComputedStyle(document.querySelector(selector)).fill) }));
      return { text, bars };
    });
    for (const { selector, ratio } of contrasts.text) if (ratio !== null) assert.ok(ratio >= 4.5, `${selector} contrast ${ratio.toFixed(2)}`);
    for (const { selector, ratio } of contrasts.bars) assert.ok(ratio >= 3, `${selector} contrast ${ratio.toFixed(2)}`);

    assert.deepEqual(foreign, [], 'the page fetched nothing from another origin');
    // The one failed request is the bad filter's, by design.
    assert.deepEqual(failed.filter((f) => !(f.startsWith('400 ') && f.includes('donor=XXX'))), [], 'no other request failed');
    assert.deepEqual(errors.filter((e) => !e.includes('status of 400')), [], 'no script errors');
    console.log(`dashboard: paging, a keyboard-set filter, a shared URL, a bad filter, phone width and contrast checked; screenshots in ${artifacts}`);
    await checkReview(browser, editorKey, reviewerKey, artifacts);
  } finally {
    await browser.close();
  }
}

async function time(loads) {
  const browser = await launch();
  try {
    // drawn: the page's own clock, from navigation start to the mark app.js sets once every chart and the table are
    // drawn. wall: this script's clock around goto and the wait, which adds chromium's tab and IPC overhead.
    const drawn = [];
    const wall = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      const page = await context.newPage();
      const started = performance.now();
      await open(page);
      wall.push(Math.round(performance.now() - started));
      assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
      drawn.push(await page.evaluate(() => Math.round(performance.getEntriesByName('aidtracker-drawn')[0].startTime)));
      await context.close();
    }
    console.log(JSON.stringify({ drawn, wall }));
  } finally {
    await browser.close();
  }
}

if (mode === 'check') await check(rest[0], rest[1], rest[2]);
else if (mode === 'time') await time(Number(rest[0] ?? 5));
else {
  console.error('usage: node dashboard.mjs check BASE EDITOR_KEY ARTIFACTS | time BASE LOADS');
  process.exit(2);
}
