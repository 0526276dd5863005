import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * Reads CRLF-terminated lines from a socket with a time limit; used by the doctor to speak just
 * enough IMAP and SMTP (greeting, CAPABILITY, EHLO, STARTTLS) to describe a server.
 */
export class LineSession {
  private buffer = '';
  private lines: string[] = [];
  private waiting: { resolve: (line: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout } | undefined;
  private closedError: Error | undefined;
  private readonly onData = (d: Buffer) => {
    this.buffer += d.toString('latin1');
    let i: number;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      this.lines.push(this.buffer.slice(0, i).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(i + 1);
    }
    this.flush();
  };
  private readonly onEnd = () =>
    this.fail(Object.assign(new Error('connection closed by server'), { code: 'ECONNRESET' }));
  private readonly onError = (err: Error) => this.fail(err);

  constructor(
    readonly socket: Socket | TLSSocket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
  }

  private flush(): void {
    if (this.waiting && this.lines.length > 0) {
      const w = this.waiting;
      this.waiting = undefined;
      clearTimeout(w.timer);
      w.resolve(this.lines.shift() ?? '');
    }
  }

  private fail(err: Error): void {
    this.closedError ??= err;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  readLine(): Promise<string> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift() ?? '');
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' }));
      }, this.timeoutMs);
      this.waiting = { resolve, reject, timer };
    });
  }

  /** Reads lines until `done(line)` is true; answers all of them. */
  async readUntil(done: (line: string) => boolean): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const line = await this.readLine();
      out.push(line);
      if (done(line)) return out;
    }
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Stops listening so the socket can be handed to TLS (STARTTLS) or closed. */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('error', this.onError);
  }
}
