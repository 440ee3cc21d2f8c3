// The board as a person meets it, in Debian's Chromium: seeded tasks in several statuses under people's words, the
// empty statuses folded, a card moved by its one action (a click in its Move menu, the keyboard, a drag) and the store
// changed, dates as the CLI writes them, and the live page screenshotted by `chromium --headless --screenshot
// --virtual-time-budget`, which only settles once the page has nothing pending.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessScreenshot, launchChromium } from '../helpers/chromium.js';
import { type DashboardProject, startDashboardProject } from '../helpers/dashboard.js';

let board: DashboardProject;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
let page: Page;
let shots: string;

const card = (title: string) => page.locator('li.card', { has: page.locator('.title', { hasText: title }) });
const column = (status: string) => page.locator(`section.column[data-status=${status}]`);
const headings = async (which: string) =>
  (await page.locator(`section.column${which} h3`).allTextContents()).map((h) => h.trim());
const statusOf = async (title: string) => (await board.listed()).find((t) => t.title === title)?.status;

/** A PNG's width and height, from its IHDR chunk; throws on anything else. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error(`${file} is not a PNG`);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

beforeAll(async () => {
  shots = mkdtempSync(path.join(os.tmpdir(), 'th-board-shots-'));
  board = await startDashboardProject(async (cli) => {
    for (const title of ['Fix login outage', 'Add coupon field', 'Update payment SDK', 'Show the cart total'])
      await cli('tasks', 'add', title);
    await cli('tasks', 'start', 'TASK-001');
    await cli('tasks', 'block', 'TASK-003');
    await cli('tasks', 'done', 'TASK-004');
  });
  chrome = await launchChromium();
  browser = chrome.browser;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(await board.link());
});

afterAll(async () => {
  await chrome?.close();
  await board?.stop();
  rmSync(shots, { recursive: true, force: true });
});

describe('the board in Chromium', () => {
  it('settles under --virtual-time-budget on the live page, so a headless Chromium screenshots it', async () => {
    const file = path.join(shots, 'headless.png');
    // Virtual time stands still while the page has a fetch pending: a page that holds its live stream itself never
    // spends the budget, and Chromium would run until killed.
    const code = await headlessScreenshot(await board.link(), file, {
      width: 1280,
      height: 900,
      budgetMs: 3000,
      giveUpMs: 120_000,
    });
    expect(code, 'chromium --virtual-time-budget never settled on the board and was killed').toBe(0);
    expect(pngSize(file)).toEqual({ width: 1280, height: 900 });
  });

  it('names each column as a person does and folds the empty ones to narrow labelled strips', async () => {
    await expect.poll(() => page.locator('li.card').count()).toBe(4);
    expect(await headings(':not(.folded)')).toEqual(['To do 1', 'In progress 1', 'Blocked 1', 'Done 1']);
    expect(await headings('.folded')).toEqual(['In review 0', 'Testing 0', 'Cancelled 0']);
    const open = await column('todo').boundingBox();
    for (const status of ['review', 'testing', 'cancelled']) {
      const strip = await column(status).boundingBox();
      expect(strip?.width).toBeLessThan((open?.width ?? 0) / 4);
      expect(await column(status).locator('h3').isVisible()).toBe(true);
    }
    expect(await page.locator('section[aria-labelledby=h-board]').textContent()).not.toContain('in_progress');
  });

  it('moves a card in one click of its Move menu, and the store has it', async () => {
    const coupon = card('Add coupon field');
    await coupon.locator('details.move summary').click();
    // The menu offers every other status, in people's words, and nothing else to confirm.
    expect(await coupon.locator('details.move button').allTextContents()).toEqual([
      'In progress',
      'Blocked',
      'In review',
      'Testing',
      'Done',
      'Cancelled',
    ]);
    await coupon.getByRole('button', { name: 'In review', exact: true }).click();
    await expect.poll(() => statusOf('Add coupon field')).toBe('review');
    await expect.poll(() => column('review').locator('.title').allTextContents()).toEqual(['Add coupon field']);
    expect(await column('review').getAttribute('class')).toBe('column');
    expect(await column('todo').getAttribute('class')).toBe('column folded');
  });

  it('moves a card with the keyboard alone', async () => {
    const sdk = card('Update payment SDK');
    await sdk.locator('details.move summary').focus();
    await page.keyboard.press('Enter');
    await sdk.getByRole('button', { name: 'In progress', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => statusOf('Update payment SDK')).toBe('in_progress');
    await expect.poll(() => column('in_progress').locator('li.card').count()).toBe(2);
  });

  it('moves a card dropped on a folded column; a done one offers only its reopening', async () => {
    await card('Fix login outage').dragTo(column('cancelled'));
    await expect.poll(() => statusOf('Fix login outage')).toBe('cancelled');
    await expect.poll(() => column('cancelled').locator('.title').allTextContents()).toEqual(['Fix login outage']);

    const done = card('Show the cart total');
    await done.dragTo(column('testing'));
    await done.locator('details.move summary').click();
    expect(await done.locator('details.move button').allTextContents()).toEqual(['To do']);
    expect(await statusOf('Show the cart total')).toBe('done');
  });

  it('takes and shows a due date as YYYY-MM-DD, and refuses another format with a message', async () => {
    const add = page.locator('form.add');
    const due = add.locator('input[name=dueDate]');
    expect(await due.getAttribute('type')).toBe('text');
    expect(await due.getAttribute('placeholder')).toBe('YYYY-MM-DD');
    await add.locator('input[name=title]').fill('Ship it');
    await due.fill('12/01/2026');
    await add.getByRole('button', { name: 'Add' }).click();
    // Page-side code as a string: the tests compile without the DOM's types.
    expect(await page.evaluate(`document.querySelector('form.add input[name=dueDate]').validationMessage`)).toBe(
      'Write the day as YYYY-MM-DD, as the CLI does: 2026-12-01',
    );
    expect((await board.listed()).map((t) => t.title)).not.toContain('Ship it');

    await due.fill('2026-12-01');
    await add.getByRole('button', { name: 'Add' }).click();
    await expect
      .poll(async () => (await board.listed()).find((t) => t.title === 'Ship it')?.dueDate)
      .toBe('2026-12-01');
    await expect.poll(() => card('Ship it').locator('.meta').textContent()).toContain('due 2026-12-01');
    const edit = card('Ship it').locator('form.edit input[name=dueDate]');
    expect(await edit.inputValue()).toBe('2026-12-01');
  });

  it('writes a screenshot of the board as it now is', async () => {
    const file = path.join(shots, 'board.png');
    await page.screenshot({ path: file });
    expect(pngSize(file)).toEqual({ width: 1280, height: 900 });
  });
});
