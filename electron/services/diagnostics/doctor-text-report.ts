import type { DoctorReport } from './doctor-report';

const AREA: Record<string, string> = {
  imap: 'IMAP',
  smtp: 'SMTP',
  council: 'Council system',
  keychain: 'Keychain',
  policy: 'Policy',
};
const MARK: Record<string, string> = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL', skipped: 'SKIP' };

/** The plain-text report a user copies to the helpdesk. It is built from the (password-free) report only. */
export function renderDoctorText(report: DoctorReport): string {
  const lines = [
    'Ratsdesk connection diagnosis',
    `Time:     ${report.generatedAt}`,
    `System:   ${report.platform}, Node ${report.nodeVersion}${report.appVersion ? `, Ratsdesk ${report.appVersion}` : ''}`,
    `Overall:  ${report.overall.toUpperCase()}`,
    '',
  ];
  let area = '';
  for (const c of report.checks) {
    if (c.area !== area) {
      area = c.area;
      lines.push(`${AREA[c.area] ?? c.area}:`);
    }
    lines.push(`  [${MARK[c.status]}] ${c.step.padEnd(12)} ${c.code ? `${c.code}: ` : ''}${c.detail}`);
    if (c.facts && (c.step === 'tls' || c.step === 'capabilities')) {
      for (const [k, v] of Object.entries(c.facts))
        lines.push(`         ${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`);
    }
  }
  if (report.logTail && report.logTail.length > 0) {
    lines.push('', 'Recent log entries:');
    for (const line of report.logTail) lines.push(`  ${line}`);
  }
  lines.push('', 'This report contains no password.');
  return `${lines.join('\n')}\n`;
}
