import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode, MlperfError } from '@mlperf/core';
import puppeteer, { type Browser } from 'puppeteer-core';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface BrowserOptions {
  /** Chromium or Chrome binary; default $MLPERF_CHROMIUM, then /usr/bin/chromium. */
  chromiumPath?: string;
  /** Page viewport. */
  width?: number;
  height?: number;
}

/** A headless Chromium with a fresh profile; `close()` ends it and removes the profile. */
export interface HeadlessBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export function chromiumPath(explicit?: string): string {
  return explicit ?? process.env.MLPERF_CHROMIUM ?? DEFAULT_CHROMIUM;
}

export async function launchBrowser(options: BrowserOptions = {}): Promise<HeadlessBrowser> {
  const executablePath = chromiumPath(options.chromiumPath);
  if (!existsSync(executablePath)) {
    throw new MlperfError('CHROMIUM_NOT_FOUND', `--chromium ${executablePath}: no such browser binary`, {
      hint: 'install Chromium (Debian: apt-get install chromium) or point --chromium / MLPERF_CHROMIUM at a Chrome binary',
      exitCode: ExitCode.unavailable,
    });
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'mlperf-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
      defaultViewport: { width: options.width ?? 1280, height: options.height ?? 900 },
      timeout: 60_000,
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new MlperfError(
      'CHROMIUM_FAILED',
      `${executablePath}: could not start headless Chromium: ${(err as Error).message}`,
      {
        hint: 'check that the binary runs (`chromium --headless --version`) or choose another with --chromium',
        exitCode: ExitCode.unavailable,
        cause: err,
      },
    );
  }
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Prints an HTML file to an A4 PDF with backgrounds (the report's print stylesheet applies). */
export async function printPdf(
  htmlPath: string,
  pdfPath: string,
  options: BrowserOptions = {},
): Promise<{ path: string; bytes: number }> {
  const hb = await launchBrowser(options);
  try {
    const page = await hb.browser.newPage();
    await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load' });
    const pdf = await page.pdf({
      path: pdfPath,
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
    return { path: pdfPath, bytes: pdf.byteLength };
  } finally {
    await hb.close();
  }
}
