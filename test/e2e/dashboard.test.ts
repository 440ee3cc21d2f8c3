// The monitor's web page in a real Chromium: the one-time link, the board and its writes through the task source (seen
// by `taskhooks tasks list`), a CLI change pushed to the open page, and what a stranger gets: nothing.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { type DashboardProject, startDashboardProject } from '../helpers/dashboard.js';
import { makeRepo } from '../helpers/git.js';
import { ROOT } from '../helpers/hooks.js';

const CLI = path.join(ROOT, 'dist/cli.js');
const XSS = '<img src=x onerror=alert(1)>';

let board: DashboardProject;
let env: NodeJS.ProcessEnv;
let cli: DashboardProject['cli'];
let listed: DashboardProject['listed'];
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
let page: Page;
let base: string;
const alerts: string[] = [];

const card = (p: Page, title: string) => p.locator('li.card', { has: p.locator('.title', { hasText: title }) });
const column = (p: Page, status: string) => p.locator(`section.column:has(h3#col-${status})`);

beforeAll(async () => {
  board = await startDashboardProject(async (seed) => {
    await seed('tasks', 'add', 'Write the checkout page');
  });
  ({ env, cli, listed, base } = board);
  chrome = await launchChromium();
  browser = chrome.browser;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // The board's own confirm() before a delete is answered yes; any other dialog (an alert a title ran) is recorded.
  page.on('dialog', (d) => {
    if (d.type() === 'confirm') void d.accept();
    else {
      alerts.push(d.message());
      void d.dismiss();
    }
  });
  await page.goto(await board.link());
});

afterAll(async () => {
  await chrome?.close();
  await board?.stop();
});

describe('the dashboard in a real Chromium', () => {
  it('opens from the one-time link onto the board; the link does not open it twice', async () => {
    await expect.poll(() => card(page, 'Write the checkout page').count()).toBe(1);
    expect(await column(page, 'todo').locator('li.card').count()).toBe(1);
    expect(await page.locator('#h-sessions').count()).toBe(1);
    const again = await browser.newPage();
    const answer = await again.goto(page.url().replace(/\/dashboard\/.*/, '/dashboard/'));
    expect(answer?.status()).toBe(401);
    await again.close();
  });

  it('adds a task with a due date and moves it, and `taskhooks tasks list` shows each change', async () => {
    await page.locator('form.add input[name=title]').fill('Ship it');
    await page.locator('form.add input[name=dueDate]').fill('2026-11-30');
    await page.locator('form.add button').click();
    await expect.poll(() => card(page, 'Ship it').count()).toBe(1);
    expect((await listed()).find((t) => t.title === 'Ship it')).toMatchObject({ dueDate: '2026-11-30' });
    await expect.poll(() => card(page, 'Ship it').locator('.meta').textContent()).toContain('due 2026-11-30');

    const shipIt = card(page, 'Ship it');
    await shipIt.locator('details.move summary').click();
    await shipIt.getByRole('button', { name: 'In progress', exact: true }).click();
    await expect.poll(() => column(page, 'in_progress').locator('.title', { hasText: 'Ship it' }).count()).toBe(1);
    expect((await listed()).find((t) => t.title === 'Ship it')?.status).toBe('in_progress');
  });

  it('edits and deletes a task, and `taskhooks tasks list` shows each change', async () => {
    const shipIt = card(page, 'Ship it');
    await shipIt.locator('details.edit summary').click();
    await shipIt.locator('form.edit input[name=title]').fill('Ship it today');
    await shipIt.locator('form.edit select[name=priority]').selectOption('urgent');
    await shipIt.locator('form.edit input[name=dueDate]').fill('2026-12-01');
    await shipIt.locator('form.edit button').click();
    await expect.poll(() => card(page, 'Ship it today').count()).toBe(1);
    expect((await listed()).find((t) => t.title === 'Ship it today')).toMatchObject({
      status: 'in_progress',
      priority: 'urgent',
      dueDate: '2026-12-01',
    });
    await expect.poll(() => card(page, 'Ship it today').locator('.meta').textContent()).toContain('due 2026-12-01');

    await cli('tasks', 'add', 'Delete these example tasks');
    await expect.poll(() => card(page, 'Delete these example tasks').count()).toBe(1);
    const doomed = card(page, 'Delete these example tasks');
    await doomed.locator('details.edit summary').click();
    await doomed.locator('form.delete button').click();
    await expect.poll(() => card(page, 'Delete these example tasks').count()).toBe(0);
    expect((await listed()).map((t) => t.title)).not.toContain('Delete these example tasks');
  });

  it('shows a change made with the CLI without a reload', async () => {
    // Page-side code as strings: the tests compile without the DOM's types. Read through page.evaluate, which the
    // page's CSP allows; waitForFunction's polling evaluates a string in the page, which `script-src 'self'` refuses.
    expect(await page.evaluate('window.notReloaded = true')).toBe(true);
    const id = (await listed()).find((t) => t.title === 'Write the checkout page')?.id as string;
    await cli('tasks', 'block', id);
    await expect
      .poll(
        () =>
          page.evaluate(
            `[...document.querySelectorAll('#col-blocked ~ ul .title')].some((e) => e.textContent === 'Write the checkout page')`,
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await page.evaluate('window.notReloaded')).toBe(true);
  });

  it('shows a task titled like markup as text, and runs nothing', async () => {
    await cli('tasks', 'add', XSS);
    await expect.poll(() => card(page, XSS).count()).toBe(1);
    expect(await card(page, XSS).locator('.title').textContent()).toBe(XSS);
    expect(await page.locator('main img').count()).toBe(0);
    expect(alerts).toEqual([]);
  });

  it('gives a browser without the cookie nothing, and refuses a write with a forged Origin', async () => {
    const stranger = await browser.newContext();
    const p = await stranger.newPage();
    for (const route of ['/dashboard/', '/dashboard/main', '/dashboard/events', '/dashboard/app.js']) {
      const res = await p.request.get(`${base}${route}`);
      expect(res.status()).toBe(401);
      expect(await res.text()).not.toContain('Write the checkout page');
    }
    await stranger.close();

    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'taskhooks_dashboard')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = await page.locator('meta[name=csrf-token]').getAttribute('content');
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/dashboard/tasks?project=demo`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf ?? '', ...headers },
        body: JSON.stringify({ action: 'add', title: 'forged' }),
      });
    expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await listed()).map((t) => t.title)).not.toContain('forged');
  });

  it('fits a 360 px wide screen', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows a project whose tasks were only added with `tasks add`, never installed nor opened in a session', async () => {
    const mall = makeRepo({ name: 'mall', commits: ['initial'] });
    try {
      await promisify(execFile)(process.execPath, [CLI, 'tasks', 'add', 'Open the mall'], { env, cwd: mall.dir });
      await page.goto(`${new URL(page.url()).origin}/dashboard/?project=mall`);
      await expect.poll(() => page.locator('nav[aria-label=projects] a', { hasText: 'mall' }).count()).toBe(1);
      expect(await page.locator('#h-board').textContent()).toBe('Tasks of mall');
      await expect.poll(() => card(page, 'Open the mall').count()).toBe(1);
      expect(await card(page, 'Write the checkout page').count()).toBe(0);
    } finally {
      mall.cleanup();
    }
  });
});
