import { defineConfig } from '@playwright/test';
import path from 'node:path';

// The suite runs against the release build, in Debian's Chromium (no browser download), twice:
// hydrated, and with JavaScript disabled (the URL-driven forms must work without WASM).
const addr = process.env.HEADROOM_TEST_ADDR ?? '127.0.0.1:3100';
const root = path.resolve(__dirname, '..');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://${addr}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: `${root}/target/release/headroom serve`,
    cwd: root,
    url: `http://${addr}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: { LEPTOS_SITE_ADDR: addr, LEPTOS_SITE_ROOT: 'target/site' },
  },
});
