import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CHILD_SCRIPT = join(ROOT, 'test', 'support', 'embedded-append-child.ts');

export interface Ack {
  id: string;
  revision: number;
  position: number;
}

/** Runs test/support/embedded-append-child.ts and collects the appends it acknowledged. */
export class AppendChildProcess {
  readonly acks: Ack[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private stderr = '';
  private ready = false;

  constructor(file: string, streamId: string, count: number | 'forever') {
    this.child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', CHILD_SCRIPT, file, streamId, String(count)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
    );
    let pending = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.parse(line);
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    // 'close', not 'exit': every ack the child printed has been read by then.
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
  }

  get isReady(): boolean {
    return this.ready;
  }

  get errorOutput(): string {
    return this.stderr;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  private parse(line: string): void {
    if (line === 'ready') this.ready = true;
    const ack = /^ack (\S+) (\d+) (\d+)$/.exec(line);
    if (ack) this.acks.push({ id: ack[1], revision: Number(ack[2]), position: Number(ack[3]) });
  }
}
