import * as http from 'node:http';

/** One Server-Sent Events message: its fields as the server framed them. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A Server-Sent Events client over node:http that reads the stream as it comes and parses the
 * frames itself (the WHATWG rules the feed uses: `field: value` lines, a blank line ends a
 * message, `:` starts a comment). Tests wait for the next messages, or for comments.
 */
export class SseConnection {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  /** The last `retry:` hint received. */
  retry: string | undefined;
  private buffer = '';
  private pending: Partial<SseMessage> & { dataLines?: string[] } = {};
  private waiters: Array<() => void> = [];
  ended = false;

  private constructor(readonly request: http.ClientRequest, readonly response: http.IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.feed(chunk));
    const end = () => {
      this.ended = true;
      this.notify();
    };
    response.on('end', end);
    response.on('close', end);
    response.on('error', end);
  }

  static open(port: number, path: string, headers: Record<string, string>): Promise<SseConnection> {
    return new Promise((resolve, reject) => {
      const request = http.get({ port, host: '127.0.0.1', path, headers: { Accept: 'text/event-stream', ...headers } });
      request.on('response', (response) => resolve(new SseConnection(request, response)));
      request.on('error', reject);
    });
  }

  /** Resolves once `count` messages have arrived in all; rejects if the stream ends first or after `timeoutMs`. */
  async take(count: number, timeoutMs = 5_000): Promise<SseMessage[]> {
    await this.until(() => this.messages.length >= count, `${count} messages (got ${this.messages.length})`, timeoutMs);
    return this.messages.slice(0, count);
  }

  /** Resolves once the condition holds; rejects if the stream ends first or after `timeoutMs`. */
  async until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.ended) throw new Error(`the stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once the server has ended the stream. */
  async closedByServer(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the stream is still open');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.request.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.search(/\r\n|\r|\n/); end >= 0; end = this.buffer.search(/\r\n|\r|\n/)) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      this.line(line);
    }
    this.notify();
  }

  private line(line: string): void {
    if (line === '') {
      const { dataLines, ...fields } = this.pending;
      if (dataLines !== undefined || fields.id !== undefined || fields.event !== undefined) this.messages.push({ ...fields, data: (dataLines ?? []).join('\n') });
      this.pending = {};
      return;
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).trim());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') (this.pending.dataLines ??= []).push(value);
    else if (field === 'id' || field === 'event') this.pending[field] = value;
    else if (field === 'retry') this.retry = value;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
