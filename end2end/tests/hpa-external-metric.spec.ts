import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// Issue 20: an External metric of an imported manifest joins the policy, and its value, typed
// as a constant, drives the replicas. Kubernetes' GetExternalPerPodMetricReplicas
// (pkg/controller/podautoscaler/replica_calculator.go) asks for ⌈600 / 30⌉ = 20 replicas; without
// `behavior` the older path allows max(2 × current, 4) per sync, so from 1 replica:
// 1 → 4 → 8 → 16 → 20, 4 scale events, fewest 4 (by hand; the core's test
// the_browser_tests_external_manifest_by_hand runs the same case).
const QUEUE_HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: worker
spec:
  minReplicas: 1
  maxReplicas: 20
  metrics:
  - type: External
    external:
      metric:
        name: queue_messages_ready
      target: {type: AverageValue, averageValue: 30}
`;

// Flat demand and no noise: the External metric alone decides.
const FLAT = 'as_pattern=step&as_mean=7000&as_peak=1&as_noise=0';

test('an imported External metric is simulated with the value typed for it', async ({ page }, info) => {
  const errors = watchErrors(page);
  const js = hasJs(info);
  const calc = new CalculatorPage(page, js);
  await calc.open('/autoscaling', FLAT);
  await page.locator('#f-hpa_yaml').fill(QUEUE_HPA);
  if (!js) await calc.submit();
  await expect(page.locator('#f-hpa_yaml-note')).toContainText('Read: 1 to 20 replicas, 1 metric');
  await calc.expectMetric('hpa-replicas', '1 – 20');
  await expect(calc.metric('hpa-replicas').locator('..')).toContainText('external queue_messages_ready 30 per pod');
  // Without a value the metric proposes nothing, and the page says so and what to type.
  await expect(page.locator('#hpa-outside')).toContainText('No value for external metric queue_messages_ready');
  await expect(page.locator('#hpa-unsupported')).toContainText('(as_ext)');
  await calc.set('as_ext', 'queue_messages_ready=600');
  await expect(page.locator('#hpa-outside')).toHaveCount(0);
  await calc.expectMetric('as-replicas', '4 – 20');
  await expect(calc.metric('as-replicas').locator('..')).toContainText('4 scale events');
  if (js) await expect(page).toHaveURL(/as_ext=queue_messages_ready%3D600/);
  expect(errors).toEqual([]);
});

test('a bad metric value shows its message next to the field', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  await calc.open('/autoscaling', FLAT);
  await calc.set('as_ext', 'queue_messages_ready=10m:5,5m:6');
  await expect(calc.note('as_ext')).toContainText('increasing time');
  expect(errors).toEqual([]);
});
