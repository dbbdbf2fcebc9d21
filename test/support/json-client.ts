import * as http from 'node:http';

export interface JsonAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an HTTP answer's body, read field by field by the caller
  body: any;
  headers: http.IncomingHttpHeaders;
  /** Time from sending the request to the end of the answer, in milliseconds. */
  ms: number;
}

/**
 * A small HTTP/1.1 JSON client over keep-alive connections, for the tests and scripts that drive
 * a real API process with many concurrent callers (supertest opens a connection per request).
 * A network failure (the process was killed, a reset) rejects; any HTTP status resolves.
 */
export class JsonClient {
  private readonly agent: http.Agent;

  constructor(private baseUrl: string, maxSockets = 64) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Points the client at another address (a restarted process listens on a new port). */
  retarget(baseUrl: string): void {
    this.baseUrl = baseUrl;
  }

  request(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: unknown): Promise<JsonAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const url = new URL(path, this.baseUrl);
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const request = http.request(url, {
        method,
        agent: this.agent,
        headers: {
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...headers,
        },
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON: kept as text, for the caller to report.
          }
          resolve({ status: response.statusCode ?? 0, body: parsed, headers: response.headers, ms: Number(process.hrtime.bigint() - started) / 1e6 });
        });
      });
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * GET with `?minPosition` (the caller puts it in `path`), asked again while the answer is 503
 * READ_MODELS_BEHIND: a projector catching up a long backlog on a loaded machine may need more
 * than the API's 5 s wait. Gives up after `attempts` and returns the last answer.
 */
export async function getOnceProjected(client: JsonClient, path: string, headers: Record<string, string>, attempts = 12): Promise<JsonAnswer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await client.request('GET', path, headers);
    if (answer.status !== 503 || answer.body?.code !== 'READ_MODELS_BEHIND' || attempt === attempts) return answer;
  }
}
