import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect, createServer, type Server, type TLSSocket } from 'node:tls';
import { freePort } from './free-port';
import type { ServerCert } from './tls-ca';

interface Fault {
  match: RegExp;
  /** 'drop': forward the command, then cut both sockets after `afterBytes` of the answer. 'NO'/'BAD': answer instead of the server. */
  kind: 'drop' | 'NO' | 'BAD';
  afterBytes: number;
  times: number;
}

interface Pair {
  client: TLSSocket;
  upstream: TLSSocket;
}

export interface ChaosProxy {
  port: number;
  /** Open client connections right now. */
  connections(): number;
  /** Every command line clients sent through the proxy (tag included). */
  commands: string[];
  /** The same commands with the connection they came on (numbered from 1 in the order they opened). */
  commandsByConnection: { connection: number; line: string }[];
  /** Cut every open connection at once (like a crashed server or a lost network). */
  dropAll(): void;
  /** The next `times` commands matching `match` are forwarded, and the connection is cut after `afterBytes` of the answer. */
  dropDuring(match: RegExp, afterBytes: number, times?: number): void;
  /** The next `times` commands matching `match` are answered NO or BAD by the proxy instead of the server. */
  refuse(match: RegExp, status: 'NO' | 'BAD', times?: number): void;
  stop(): Promise<void>;
}

/**
 * A TLS-terminating TCP proxy in front of a real Dovecot (imaps), for faults a real server will not
 * produce on demand: a connection dropped in the middle of a FETCH answer, a NO or BAD to one command.
 * It presents the same test certificate as the Dovecot behind it.
 */
export async function startChaosProxy(upstreamPort: number, cert: ServerCert): Promise<ChaosProxy> {
  const port = await freePort();
  const pairs = new Set<Pair>();
  const faults: Fault[] = [];
  const commands: string[] = [];
  const commandsByConnection: { connection: number; line: string }[] = [];
  let opened = 0;

  const server: Server = createServer(
    { cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) },
    (client) => {
      const upstream = tlsConnect({ host: '127.0.0.1', port: upstreamPort, ca: cert.caPem, servername: 'localhost' });
      const pair: Pair = { client, upstream };
      const connection = ++opened;
      pairs.add(pair);
      let cutAfter: number | null = null;
      let pending = Buffer.alloc(0);
      const close = () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
      client.on('close', close);
      upstream.on('close', close);
      upstream.on('data', (chunk: Buffer) => {
        if (cutAfter !== null) {
          const part = chunk.subarray(0, Math.max(0, cutAfter));
          if (part.length) client.write(part);
          const wasOpen = cutAfter > 0;
          cutAfter -= chunk.length;
          // The answer stops here; the line dies a moment later (as when a network stalls, then drops).
          if (wasOpen && cutAfter <= 0) setTimeout(close, 400);
          return;
        }
        client.write(chunk);
      });
      client.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        for (;;) {
          const end = pending.indexOf('\r\n');
          if (end < 0) break;
          const lineBuf = pending.subarray(0, end + 2);
          pending = pending.subarray(end + 2);
          const line = lineBuf.toString('latin1').trimEnd();
          commands.push(line);
          commandsByConnection.push({ connection, line });
          const fault = faults.find((f) => f.times > 0 && f.match.test(line));
          if (fault) {
            fault.times--;
            if (fault.kind === 'drop') {
              cutAfter = fault.afterBytes;
            } else {
              const tag = line.split(' ')[0];
              client.write(`${tag} ${fault.kind} [UNAVAILABLE] Ratsdesk test proxy refuses this command\r\n`);
              continue;
            }
          }
          upstream.write(lineBuf);
        }
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  const dropAll = () => {
    for (const p of [...pairs]) {
      p.client.destroy();
      p.upstream.destroy();
      pairs.delete(p);
    }
  };
  return {
    port,
    commands,
    commandsByConnection,
    connections: () => pairs.size,
    dropAll,
    dropDuring(match, afterBytes, times = 1) {
      faults.push({ match, kind: 'drop', afterBytes, times });
    },
    refuse(match, status, times = 1) {
      faults.push({ match, kind: status, afterBytes: 0, times });
    },
    async stop() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Crash the server side of every open IMAP session on `port`: SIGKILL to exactly the processes holding
 * an established connection on that local port (Dovecot's imap processes of this test server). After a
 * plain SIGTERM of the master those processes linger for about ten seconds; a crash does not.
 */
export function killSessionsOn(port: number): number[] {
  const out = execFileSync('ss', ['-Htnp', 'state', 'established', `( sport = :${port} )`]).toString();
  const pids = [...new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))].filter((p) => p !== process.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids;
}
