import { lookup } from 'node:dns/promises';
import { connect, type Socket } from 'node:net';
import type { ErrorCode } from '../../contract/errors';
import { classifyConnectError } from '../mail/imap-connection';
import type { CheckArea, CheckStatus, CheckStep, DoctorCheck } from './doctor-report';

export interface StepOutcome {
  status?: CheckStatus;
  code?: ErrorCode;
  detail: string;
  facts?: DoctorCheck['facts'];
}

/** Runs one check, timing it; a thrown error becomes a failed check with a stable code. */
export async function runStep(area: CheckArea, step: CheckStep, fn: () => Promise<StepOutcome>): Promise<DoctorCheck> {
  const started = performance.now();
  try {
    const out = await fn();
    const check: DoctorCheck = {
      area,
      step,
      status: out.status ?? 'ok',
      detail: out.detail,
      durationMs: Math.round(performance.now() - started),
    };
    if (out.code) check.code = out.code;
    if (out.facts) check.facts = out.facts;
    return check;
  } catch (err) {
    const classified = classifyConnectError(err);
    const e = err as NodeJS.ErrnoException;
    return {
      area,
      step,
      status: 'fail',
      code: classified.code,
      detail: `${e.code ? `${e.code}: ` : ''}${(e.message ?? String(err)).slice(0, 200)}`,
      durationMs: Math.round(performance.now() - started),
    };
  }
}

export function skipped(area: CheckArea, step: CheckStep, why: string): DoctorCheck {
  return { area, step, status: 'skipped', detail: why, durationMs: 0 };
}

export const isIpLiteral = (host: string) => /^[\d.]+$|:/.test(host);

export async function dnsStep(area: CheckArea, host: string): Promise<DoctorCheck> {
  if (isIpLiteral(host)) return skipped(area, 'dns', `${host} is an IP address; no name lookup`);
  return runStep(area, 'dns', async () => {
    const found = await lookup(host, { all: true, verbatim: true });
    const addresses = found.map((a) => a.address);
    return { detail: `${host} → ${addresses.join(', ')}`, facts: { addresses } };
  });
}

/** Opens a TCP connection (kept open for the next steps). */
export function openTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no TCP answer from ${host}:${port}`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
