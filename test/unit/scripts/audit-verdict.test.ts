import { describe, expect, it } from 'vitest';
import { auditVerdict } from '../../../scripts/audit-verdict.js';

const report = (counts: Record<string, number>, vulnerabilities: Record<string, unknown> = {}) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts } },
  });

describe("CI's verdict on npm audit --omit=dev --json", () => {
  it('passes a clean report', () => {
    expect(auditVerdict(report({}))).toEqual({
      exitCode: 0,
      lines: [
        'npm audit: 0 critical, 0 high, 0 moderate, 0 low, 0 info in production dependencies (high and critical fail)',
      ],
    });
  });

  it('lists moderate and low advisories but lets them through', () => {
    const verdict = auditVerdict(
      report(
        { moderate: 1 },
        { yaml: { severity: 'moderate', via: [{ title: 'Uncaught exception in yaml' }], fixAvailable: true } },
      ),
    );
    expect(verdict.exitCode).toBe(0);
    expect(verdict.lines).toContain('  moderate: yaml (Uncaught exception in yaml), fix available');
  });

  it('fails on a high or a critical advisory, naming the package', () => {
    for (const severity of ['high', 'critical']) {
      const verdict = auditVerdict(
        report(
          { [severity]: 1 },
          { axios: { severity, via: [{ title: 'SSRF in axios' }, 'follow-redirects'], fixAvailable: false } },
        ),
      );
      expect(verdict.exitCode, severity).toBe(1);
      expect(verdict.lines[0]).toMatch(/^FAILED npm audit: /);
      expect(verdict.lines).toContain(`  ${severity}: axios (SSRF in axios), no fix yet`);
    }
  });

  it('skips loudly, without failing, when the registry has no audit endpoint or cannot be reached', () => {
    const noEndpoint = auditVerdict(JSON.stringify({ message: '405 Method Not Allowed', statusCode: 405, error: {} }));
    expect(noEndpoint.exitCode).toBe(0);
    expect(noEndpoint.lines).toContain('SKIPPED npm audit: the registry answered HTTP 405 to the audit request');
    const offline = auditVerdict(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'request failed' } }));
    expect(offline.lines).toContain('SKIPPED npm audit: the audit request failed (ENOTFOUND)');
    expect(auditVerdict('').lines).toContain('SKIPPED npm audit: npm audit printed no JSON report');
  });
});
