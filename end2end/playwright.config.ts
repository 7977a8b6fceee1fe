import { defineConfig } from '@playwright/test';
import path from 'node:path';

// The suite runs against the release build, in Debian's Chromium (no browser download), twice:
// hydrated, and with JavaScript disabled (the URL-driven forms must work without WASM).
//
// It runs through nginx in front of three replicas (scripts/cluster.sh, the next three ports
// after the address): what a team running Headroom as a service deploys, so the CSP nonce, the
// cache headers, the precompressed assets, the API's rate limit and the imports are checked as
// they arrive through the proxy, and any state kept in one process would show as a failure when
// the next request lands on another. HEADROOM_TEST_DIRECT=1 runs it against one binary instead.
const addr = process.env.HEADROOM_TEST_ADDR ?? '127.0.0.1:3100';
const root = path.resolve(__dirname, '..');
const direct = process.env.HEADROOM_TEST_DIRECT === '1';

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
  webServer: direct
    ? {
        command: `${root}/target/release/headroom serve`,
        cwd: root,
        url: `http://${addr}/healthz`,
        reuseExistingServer: false,
        timeout: 30_000,
        env: { LEPTOS_SITE_ADDR: addr, LEPTOS_SITE_ROOT: 'target/site' },
      }
    : {
        command: `${root}/scripts/cluster.sh run`,
        cwd: root,
        url: `http://${addr}/healthz`,
        reuseExistingServer: false,
        timeout: 30_000,
        // HEADROOM_BIN and LEPTOS_SITE_ROOT may point at a copy of the build (scripts/cluster.sh).
        env: {
          CLUSTER_ADDR: addr,
          CLUSTER_DIR: 'target/cluster-e2e',
          LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? 'target/site',
        },
        // SIGTERM, so the script stops nginx and then the replicas (each drains in about a
        // second); SIGKILL only if that takes longer than the replicas' grace.
        gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      },
});
