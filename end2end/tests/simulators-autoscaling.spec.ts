import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// The chapter's section 4 "Scaling Policies" example, verbatim: the same file the core's tests load.
const CHAPTER_HPA = fs.readFileSync(path.join(__dirname, '../../src/autoscale/chapter_hpa.yaml'), 'utf8');

// A flat 7,000 req/s for 2 h at 1,000 req/s per pod and a 70% CPU target: ⌈7,000 / 700⌉ = 10
// pods exactly at target, so the HPA never moves: 10 × 2 h × $0.0416 = $0.832.
const STEADY = 'as_pattern=step&as_mean=7000&as_peak=1&as_noise=0';

test('autoscaling shows the chapter policy and a steady run on first load', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/autoscaling', STEADY);
  await calc.expectMetric('hpa-replicas', '3 – 100');
  await calc.expectMetric('hpa-up', '+100% per 15 s');
  await calc.expectMetric('hpa-down', '−10% per 60 s');
  await calc.expectMetric('as-replicas', '10 – 10');
  await calc.expectMetric('as-cost', '$0.832');
  await calc.expectMetric('as-dropped', '0%');
  expect(errors).toEqual([]);
});

test('typing a base rate reruns the simulation and updates the URL', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/autoscaling', STEADY);
  await calc.set('as_mean', '14000');
  // ⌈14,000 / 700⌉ = 20 pods at exactly 70%: 20 × 2 h × $0.0416 = $1.664.
  await calc.expectMetric('as-replicas', '20 – 20');
  await calc.expectMetric('as-cost', '$1.66');
  await expect(page).toHaveURL(/as_mean=14000/);
  expect(errors).toEqual([]);
});

test('autoscaling draws its charts (or their tables without JavaScript)', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/autoscaling');
  await calc.expectChart('chart-as-capacity');
  await calc.expectChart('chart-as-replicas');
  await calc.expectChart('chart-as-utilization');
});

test('an invalid pod capacity shows its message', async ({ page }, info) => {
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/autoscaling');
  await calc.set('as_pod_rps', 'lots');
  await expect(calc.note('as_pod_rps')).toContainText('not a number');
  await expect(calc.field('as_pod_rps')).toHaveValue('lots');
  await expect(page.locator('.stale-notice')).toBeVisible();
});

test("pasting the chapter's HPA YAML loads its policy", async ({ page }, info) => {
  const errors = watchErrors(page);
  const js = hasJs(info);
  const calc = new CalculatorPage(page, js);
  // Start from Kubernetes' defaults so that the paste visibly changes the policy.
  await calc.open('/autoscaling', 'hpa=min%3D1%3Bmax%3D10');
  await calc.expectMetric('hpa-replicas', '1 – 10');
  await page.locator('#f-hpa_yaml').fill(CHAPTER_HPA);
  if (!js) await calc.submit();
  await calc.expectMetric('hpa-replicas', '3 – 100');
  await calc.expectMetric('hpa-up', '+100% per 15 s');
  await expect(page.locator('#f-hpa_yaml-note')).toContainText('Read: 3 to 100 replicas, 2 metrics');
  await expect(page.locator('#hpa-unsupported')).toContainText('spec.scaleTargetRef');
  if (js) {
    // The policy is written into the `hpa` field, so the share URL carries it compactly.
    await expect(calc.field('hpa')).toHaveValue(
      'min=3;max=100;metrics=cpu/70,pods/requests_per_second/1000;up=0:max:Percent/100/15;down=300:max:Percent/10/60;sync=15',
    );
    await expect(page).toHaveURL(/hpa=min%3D3%3Bmax%3D100/);
  }
  expect(errors).toEqual([]);
});

test('malformed YAML shows a message and keeps the policy', async ({ page }, info) => {
  const js = hasJs(info);
  const calc = new CalculatorPage(page, js);
  await calc.open('/autoscaling');
  await page.locator('#f-hpa_yaml').fill('spec: [');
  if (!js) await calc.submit();
  await expect(page.locator('#f-hpa_yaml-note')).toContainText('the YAML could not be read');
  await expect(page.locator('.field.hpa-yaml')).toHaveClass(/invalid/);
  await calc.expectMetric('hpa-replicas', '3 – 100');
});

// No `behavior`: Kubernetes takes its older path (normalizeDesiredReplicas in
// pkg/controller/podautoscaler/horizontal.go), scale-up limited to max(2 × current, 4) per sync.
const NO_BEHAVIOR_HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  minReplicas: 1
  maxReplicas: 20
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 70}
`;

test('pasting an HPA without behavior shows the legacy scaling', async ({ page }, info) => {
  const errors = watchErrors(page);
  const js = hasJs(info);
  const calc = new CalculatorPage(page, js);
  await calc.open('/autoscaling', STEADY);
  await expect(page.locator('#hpa-legacy')).toHaveCount(0);
  await page.locator('#f-hpa_yaml').fill(NO_BEHAVIOR_HPA);
  if (!js) await calc.submit();
  await calc.expectMetric('hpa-replicas', '1 – 20');
  await calc.expectMetric('hpa-up', 'max(2 × current, 4) per sync');
  await calc.expectMetric('hpa-down', 'none');
  await expect(page.locator('#hpa-legacy')).toContainText('No behavior in this HPA');
  await expect(page.locator('#hpa-legacy')).toContainText('normalizeDesiredReplicas');
  if (js) {
    await expect(calc.field('hpa')).toHaveValue(/;behavior=none$/);
    await expect(page).toHaveURL(/behavior%3Dnone/);
  }
  expect(errors).toEqual([]);
});

// The YAML is read by the server (the WASM carries no YAML parser). A link that carries a pasted
// manifest, as a form sent without JavaScript makes, opens with the manifest's policy, and the
// page hydrates from the reading the server made while it rendered: no second request, no
// hydration error.
test('a link with a pasted manifest opens with its policy, read once by the server', async ({ page }, info) => {
  const errors = watchErrors(page);
  const js = hasJs(info);
  const calc = new CalculatorPage(page, js);
  const reads: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/hpa')) reads.push(r.url()); });
  await calc.open('/autoscaling', `${STEADY}&hpa_yaml=${encodeURIComponent(NO_BEHAVIOR_HPA)}`);
  await calc.expectMetric('hpa-replicas', '1 – 20');
  await expect(page.locator('#f-hpa_yaml-note')).toContainText('Read: 1 to 20 replicas, 1 metric');
  if (js) {
    await expect(calc.field('hpa')).toHaveValue(/^min=1;max=20;.*;behavior=none$/);
    // Typing after hydration is read by the server once the typing pauses.
    await page.locator('#f-hpa_yaml').fill(NO_BEHAVIOR_HPA.replace('maxReplicas: 20', 'maxReplicas: 30'));
    await calc.expectMetric('hpa-replicas', '1 – 30');
    expect(reads.length).toBe(1);
  }
  expect(errors).toEqual([]);
});

test('when the server cannot be reached, the paste says so and the policy stays', async ({ page }, info) => {
  test.skip(!hasJs(info), 'without JavaScript the form itself goes to the server');
  const calc = new CalculatorPage(page, true);
  await calc.open('/autoscaling');
  await page.route('**/api/v1/hpa', (route) => route.abort('internetdisconnected'));
  await page.locator('#f-hpa_yaml').fill(NO_BEHAVIOR_HPA);
  await expect(page.locator('#f-hpa_yaml-note')).toContainText('could not be sent to be read');
  await expect(page.locator('.field.hpa-yaml')).toHaveClass(/invalid/);
  await expect(page.locator('#f-hpa_yaml')).toHaveValue(NO_BEHAVIOR_HPA);
  await calc.expectMetric('hpa-replicas', '3 – 100');
});
