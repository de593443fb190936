import { readFileSync } from 'node:fs';

/**
 * CI's reading of `npm audit --omit=dev --json` (.ci/run; docs/security.md#hardening): a high or critical advisory in
 * a production dependency fails the run; moderate and low ones are listed and let through; a registry that gives no
 * report (no audit endpoint, no network) is a loud skip, not a failure, since it says nothing about the dependencies.
 */
export interface AuditVerdict {
  exitCode: 0 | 1;
  lines: string[];
}

const failingSeverities = new Set(['high', 'critical']);
const severities = ['critical', 'high', 'moderate', 'low', 'info'] as const;

interface AuditReport {
  metadata?: { vulnerabilities?: Partial<Record<(typeof severities)[number], number>> };
  vulnerabilities?: Record<string, { severity?: string; via?: unknown[]; fixAvailable?: unknown }>;
  statusCode?: number;
  code?: string;
  error?: { summary?: string; code?: string };
}

export function auditVerdict(reportText: string): AuditVerdict {
  let report: AuditReport;
  try {
    report = JSON.parse(reportText) as AuditReport;
  } catch {
    return skipped('npm audit printed no JSON report');
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) return skipped(whyNoReport(report));
  const summary = severities.map((severity) => `${counts[severity] ?? 0} ${severity}`).join(', ');
  const listed = Object.entries(report.vulnerabilities ?? {}).map(([name, finding]) => {
    const titles = (finding.via ?? [])
      .map((via) => (typeof via === 'object' && via !== null ? (via as { title?: string }).title : undefined))
      .filter((title): title is string => typeof title === 'string');
    const fix = finding.fixAvailable ? 'fix available' : 'no fix yet';
    return `  ${finding.severity ?? 'unknown'}: ${name}${titles.length > 0 ? ` (${titles.join('; ')})` : ''}, ${fix}`;
  });
  const failing = Object.values(report.vulnerabilities ?? {}).some((finding) =>
    failingSeverities.has(finding.severity ?? ''),
  );
  if (failing || (counts.high ?? 0) + (counts.critical ?? 0) > 0) {
    return {
      exitCode: 1,
      lines: [`FAILED npm audit: ${summary} in production dependencies`, ...listed, 'see `npm audit --omit=dev`'],
    };
  }
  return {
    exitCode: 0,
    lines: [`npm audit: ${summary} in production dependencies (high and critical fail)`, ...listed],
  };
}

function whyNoReport(report: AuditReport): string {
  if (typeof report.statusCode === 'number')
    return `the registry answered HTTP ${report.statusCode} to the audit request`;
  const code = report.code ?? report.error?.code;
  if (code) return `the audit request failed (${code})`;
  return report.error?.summary || 'the registry gave no audit report';
}

function skipped(reason: string): AuditVerdict {
  const banner = '*'.repeat(100);
  return { exitCode: 0, lines: [banner, `SKIPPED npm audit: ${reason}`, banner] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (!path) throw new Error('usage: tsx scripts/audit-verdict.ts <npm audit --json output>');
  const verdict = auditVerdict(readFileSync(path, 'utf8'));
  for (const line of verdict.lines) process.stdout.write(`${line}\n`);
  process.exitCode = verdict.exitCode;
}
