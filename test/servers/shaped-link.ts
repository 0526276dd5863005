import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { freePort } from './free-port';

export interface ShapedLinkOptions {
  /** Bandwidth of each direction, bits per second (a 50 Mbit/s home line: 50e6). */
  bitsPerSecond: number;
  /** Round-trip time added on top of loopback's (half on the way out, half on the way back). */
  rttMs: number;
  /** Bytes a direction may hold before its senders are paused (the line's buffer). Default: 2 × bandwidth-delay product. */
  bufferBytes?: number;
}

export interface ShapedConnection {
  /** The forwarder it came through (its listening port). */
  port: number;
  /** Date.now() when the client connected. */
  openedAt: number;
}

export interface ShapedLink {
  /** A forwarder on a free loopback port to 127.0.0.1:`targetPort`; every forwarder of a link shares its bandwidth. */
  forward(targetPort: number): Promise<number>;
  /** Connections opened so far, in order. */
  connections(): ShapedConnection[];
  /** Bytes carried so far: up (client to server) and down. */
  carried(): { up: number; down: number };
  stop(): Promise<void>;
}

interface Parcel {
  to: Socket;
  /** null: the sender ended its side; the end arrives after what it sent before. */
  data: Buffer | null;
  /** performance.now() when it leaves the far end of the line. */
  at: number;
}

/**
 * One direction of the line: parcels leave one after the other at the line's rate and arrive half the RTT
 * later. What is waiting beyond the line's buffer pauses the sockets that feed it (TCP's flow control then
 * slows the sender, as a real bottleneck does).
 */
class Direction {
  private freeAt = 0;
  private queue: Parcel[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly paused = new Set<Socket>();
  carried = 0;

  constructor(
    private readonly bytesPerMs: number,
    private readonly delayMs: number,
    private readonly bufferBytes: number,
  ) {}

  push(from: Socket, to: Socket, data: Buffer): void {
    // Parcels of at most 16 KiB keep the pacing smooth for big reads.
    for (let o = 0; o < data.length; o += 16_384) {
      const part = data.subarray(o, Math.min(data.length, o + 16_384));
      const now = performance.now();
      const leaves = Math.max(now, this.freeAt) + part.length / this.bytesPerMs;
      this.freeAt = leaves;
      this.queue.push({ to, data: part, at: leaves + this.delayMs });
      this.queued += part.length;
    }
    if (this.queued > this.bufferBytes && !this.paused.has(from)) {
      from.pause();
      this.paused.add(from);
    }
    this.schedule();
  }

  end(to: Socket): void {
    this.queue.push({ to, data: null, at: Math.max(performance.now(), this.freeAt) + this.delayMs });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    const wait = Math.max(0, this.queue[0]!.at - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.deliver();
    }, wait);
  }

  private deliver(): void {
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now + 0.5) {
      const p = this.queue.shift()!;
      if (p.data === null) {
        if (!p.to.destroyed) p.to.end();
        continue;
      }
      this.queued -= p.data.length;
      this.carried += p.data.length;
      if (!p.to.destroyed && p.to.writable) p.to.write(p.data);
    }
    if (this.queued <= this.bufferBytes / 2) {
      for (const s of this.paused) if (!s.destroyed) s.resume();
      this.paused.clear();
    }
    this.schedule();
  }

  /** Drops what is in flight for a closed socket. */
  forget(socket: Socket): void {
    this.paused.delete(socket);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.queue = [];
  }
}

/**
 * A home line on loopback: TCP forwarders whose traffic shares one link of a given bandwidth and round-trip
 * time (a token schedule per direction plus a fixed delay). TLS passes through untouched, so clients verify
 * the real server's certificate. The benchmarks put Dovecot and Postfix behind it; the process running the
 * forwarder should do nothing else while it measures.
 */
export function startShapedLink(options: ShapedLinkOptions): ShapedLink {
  const bytesPerMs = options.bitsPerSecond / 8 / 1000;
  const bdp = bytesPerMs * options.rttMs;
  const buffer = options.bufferBytes ?? Math.max(64 * 1024, 2 * bdp);
  const up = new Direction(bytesPerMs, options.rttMs / 2, buffer);
  const down = new Direction(bytesPerMs, options.rttMs / 2, buffer);
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const opened: ShapedConnection[] = [];

  const forward = async (targetPort: number): Promise<number> => {
    const port = await freePort();
    const server = createServer({ allowHalfOpen: true }, (client) => {
      opened.push({ port, openedAt: Date.now() });
      const upstream = tcpConnect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true });
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      sockets.add(client);
      sockets.add(upstream);
      const destroy = () => {
        for (const s of [client, upstream]) {
          sockets.delete(s);
          up.forget(s);
          down.forget(s);
          s.destroy();
        }
      };
      client.on('data', (d: Buffer) => up.push(client, upstream, d));
      upstream.on('data', (d: Buffer) => down.push(upstream, client, d));
      // An orderly close travels the line like data (after what was sent before it); an error cuts both.
      client.on('end', () => up.end(upstream));
      upstream.on('end', () => down.end(client));
      client.on('error', destroy);
      upstream.on('error', destroy);
      for (const s of [client, upstream]) s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    servers.push(server);
    return port;
  };

  return {
    forward,
    connections: () => [...opened],
    carried: () => ({ up: up.carried, down: down.carried }),
    async stop() {
      up.stop();
      down.stop();
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
