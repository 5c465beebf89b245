import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testEngine } from '../../support/db.ts';
import { serviceOrSkip } from '../../support/required-service.ts';

/** Debian's chromium from PATH; never a downloaded browser. */
export function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'chromium');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The chromium to drive, or undefined (with a message) when it is absent on a developer machine.
 * Under CI a missing browser is a failure, not a skip.
 */
export function chromiumOrSkip(): string | undefined {
  const executable = findChromium();
  const found = serviceOrSkip(
    executable !== undefined,
    "The console browser tests need Debian's chromium on PATH (apt-get install chromium).",
  );
  return found ? executable : undefined;
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const screenshotDir = path.resolve('test-results', 'console');

/** Where `npm run docs:screenshots` asks the tests to put the pictures docs/console.md shows. */
const docsDir = process.env.CONSIGN_DOCS_SCREENSHOTS;
const docsPage = docsDir ? fs.readFileSync(path.resolve('docs', 'console.md'), 'utf8') : '';

/**
 * Saves a full-page screenshot under test-results/console/ (one per engine). With
 * CONSIGN_DOCS_SCREENSHOTS set to a folder, the embedded engine's run also saves there, as
 * `name.jpg`, each picture docs/console.md shows.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}-${testEngine()}.png`), fullPage: true });
  if (docsDir && testEngine() === 'pglite' && docsPage.includes(`(console/${name}.jpg)`)) {
    fs.mkdirSync(docsDir, { recursive: true });
    await page.screenshot({ path: path.join(docsDir, `${name}.jpg`), fullPage: true, type: 'jpeg', quality: 70 });
  }
}

/** Signs in with an API key through the form's second way, and waits for the signed-in header. */
export async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Use an API key' }).click();
  await page.getByLabel('API key').fill(key);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Signs in as a person with their e-mail and password (on the page as it is), and waits for the signed-in header. */
export async function signInAsPerson(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** The visible names of the main navigation's links. */
export async function navLinks(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
}

/** A new tab of `browser`, signed in to the console at `url` with `key`. */
export async function openPage(browser: Browser, url: string, key: string, viewport = DESKTOP): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await signIn(page, url, key);
  return page;
}
