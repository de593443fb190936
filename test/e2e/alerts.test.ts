import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildTestGateway } from '../helpers/build-app.js';

const rulesPath = fileURLToPath(new URL('../../config/alerts.yml', import.meta.url));
const rulesTestPath = fileURLToPath(new URL('../alerts/rules.test.yml', import.meta.url));
const runbooks = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; runbook: string };
}
const rules = (parse(readFileSync(rulesPath, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (group) => group.rules,
);
const promtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
if (!promtool) {
  process.stderr.write(
    '\n*** promtool not found: config/alerts.yml is checked by parsing only (Debian: prometheus). ***\n\n',
  );
}

describe('config/alerts.yml', () => {
  it('has the eight alerts the operators rely on, each with a severity, a summary and a runbook in docs/operations.md', () => {
    expect(rules.map((rule) => rule.alert)).toEqual([
      'GatewayFailoverRateHigh',
      'GatewayBreakerOpenTooLong',
      'GatewayNoHealthyVendor',
      'GatewayQuotaLow',
      'GatewayStoreDegraded',
      'GatewayVendorBudgetHigh',
      'GatewayVendorBudgetSpent',
      'GatewayStreamFeedFlapping',
    ]);
    for (const rule of rules) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length, rule.alert).toBeGreaterThan(10);
      // The anchor GitHub gives the heading `### GatewayFailoverRateHigh` is `#gatewayfailoverratehigh`.
      expect(rule.annotations.runbook).toBe(`docs/operations.md#${rule.alert.toLowerCase()}`);
      expect(runbooks, `docs/operations.md heading for ${rule.alert}`).toMatch(
        new RegExp(`^#{2,4} ${rule.alert}$`, 'm'),
      );
    }
  });

  it('only uses metrics the gateway exports', async () => {
    const gateway = await buildTestGateway({ adjust: (config) => (config.providers.polygon!.rateLimit.perMinute = 5) });
    await gateway.app.inject({ method: 'GET', url: '/v1/stocks/AAPL/quote' });
    const exported = new Set(
      [...(await gateway.app.inject({ method: 'GET', url: '/metrics' })).body.matchAll(/^# TYPE (\S+)/gm)].map(
        (match) => match[1],
      ),
    );
    for (const rule of rules) {
      for (const [name] of rule.expr.matchAll(/\bgateway_[a-z_]+/g))
        expect(exported, `${rule.alert}: ${name}`).toContain(name);
    }
  });

  it.skipIf(!promtool)('passes promtool check rules and the rule unit tests', () => {
    const check = spawnSync('promtool', ['check', 'rules', rulesPath], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const unit = spawnSync('promtool', ['test', 'rules', rulesTestPath], { encoding: 'utf8' });
    expect(unit.status, unit.stdout + unit.stderr).toBe(0);
  });
});
