import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// Headroom sizes Headroom: the HorizontalPodAutoscaler that deploy/kubernetes/ ships, pasted into
// Headroom's own /autoscaling page. The figures the page reads must be the ones the manifest
// says, read here from the same file, so that the manifest and this test cannot drift apart.
const HPA = fs.readFileSync(path.join(__dirname, '../../deploy/kubernetes/hpa.yaml'), 'utf8');

function number(pattern: RegExp): number {
  const match = HPA.match(pattern);
  if (!match) throw new Error(`deploy/kubernetes/hpa.yaml has no ${pattern}`);
  return Number(match[1]);
}

const min = number(/^\s*minReplicas:\s*(\d+)/m);
const max = number(/^\s*maxReplicas:\s*(\d+)/m);
const cpuTarget = number(/averageUtilization:\s*(\d+)/);
const scaleUp = HPA.slice(HPA.indexOf('scaleUp:'), HPA.indexOf('scaleDown:'));
const scaleDown = HPA.slice(HPA.indexOf('scaleDown:'));
const upPercent = Number(scaleUp.match(/type: Percent\s+value: (\d+)/)?.[1]);
const upPeriod = Number(scaleUp.match(/periodSeconds: (\d+)/)?.[1]);
const downPods = Number(scaleDown.match(/type: Pods\s+value: (\d+)/)?.[1]);
const downPeriod = Number(scaleDown.match(/periodSeconds: (\d+)/)?.[1]);
const downWindow = Number(scaleDown.match(/stabilizationWindowSeconds: (\d+)/)?.[1]);

// One pod at 100% of its 1-CPU request serves POD_RPS requests/s of scripts/load.lua's mix
// (measured with scripts/measure_pod.sh; deploy/kubernetes/README.md). At the peak the README
// derives maxReplicas from, the HPA must run all of them: ⌈11,000 / (POD_RPS × 0.7)⌉ pods.
const POD_RPS = 1700;
const PEAK = 11_000;
const NEEDED = Math.min(max, Math.ceil(PEAK / ((POD_RPS * cpuTarget) / 100)));

test("Headroom's own HPA manifest loads on /autoscaling with the figures it states", async ({ page }, info) => {
  expect([min, max, cpuTarget, upPercent, upPeriod, downPods, downPeriod, downWindow]).not.toContain(NaN);
  const errors = watchErrors(page);
  const js = hasJs(info);
  const calc = new CalculatorPage(page, js);
  await calc.open('/autoscaling', `as_pattern=step&as_mean=${PEAK}&as_peak=1&as_noise=0&as_pod_rps=${POD_RPS}`);
  await page.locator('#f-hpa_yaml').fill(HPA);
  if (!js) await calc.submit();
  await expect(page.locator('#f-hpa_yaml-note')).toContainText(`Read: ${min} to ${max} replicas, 1 metric`);
  await calc.expectMetric('hpa-replicas', `${min} – ${max}`);
  await expect(calc.metric('hpa-replicas').locator('..')).toContainText(`CPU ${cpuTarget}%`);
  await calc.expectMetric('hpa-up', `+${upPercent}% per ${upPeriod} s`);
  await calc.expectMetric('hpa-down', `−${downPods} pod per ${downPeriod} s`);
  await expect(calc.metric('hpa-down').locator('..')).toContainText(`after a ${downWindow / 60} min stabilization window`);
  // The peak the README sizes for needs every pod the manifest allows, and no more.
  expect(NEEDED).toBe(max);
  await calc.expectMetric('as-replicas', `${NEEDED} – ${NEEDED}`);
  if (js) {
    await expect(calc.field('hpa')).toHaveValue(
      `min=${min};max=${max};metrics=cpu/${cpuTarget};up=0:max:Percent/${upPercent}/${upPeriod};` +
        `down=${downWindow}:max:Pods/${downPods}/${downPeriod};sync=15`,
    );
  }
  expect(errors).toEqual([]);
});
