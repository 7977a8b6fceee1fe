import { expect, test } from '@playwright/test';
import { hasJs, watchErrors } from './fixtures/app';
import { CalculatorPage } from './fixtures/calculator';

// Issue 14: growth and runway on /capacity. A user types a monthly growth and what runs today;
// the cards say when each tier runs out, the charts draw (or show their tables without
// JavaScript), and a bad month keeps what was typed with a message.
test('the runway says when each tier runs out as the load grows', async ({ page }, info) => {
  const errors = watchErrors(page);
  const calc = new CalculatorPage(page, hasJs(info));
  // The chapter's example at full load with no spare: 13 web servers today.
  await calc.open('/capacity', 'v=2&util=1&spare=none');
  await expect(calc.metric('runs-out-web')).toHaveText('—');
  await calc.set('growth', '5%');
  await calc.set('have_web', '15');
  // ⌈121,528 × 1.05^5 / 10,000⌉ = ⌈15.51⌉ = 16 > 15 in month 5.
  await calc.expectMetric('runs-out-web', 'month 5');
  await calc.set('start', '2027-01');
  await calc.expectMetric('runs-out-web', '2027-06');
  // 12 running: today's 13 already need more.
  await calc.set('have_web', '12');
  await calc.expectMetric('runs-out-web', 'now');
  await calc.set('have_cache', '1000');
  await calc.expectMetric('runs-out-cache', 'not within 24 months');
  await calc.expectChart('chart-runway');
  await calc.expectChart('chart-runway-storage');
  // A month that does not exist: the message, the text kept, nothing else lost.
  await calc.set('start', '2027-13');
  await expect(calc.note('start')).toContainText('01 to 12');
  await expect(calc.field('start')).toHaveValue('2027-13');
  await expect(calc.field('have_web')).toHaveValue('12');
  expect(errors).toEqual([]);
});
