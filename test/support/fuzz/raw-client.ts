import * as http from 'node:http';

export interface RawRequest {
  method: string;
  /** Already percent-encoded where needed: sent as is. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The whole body, or its first MAX_BODY_BYTES when `overCap`. */
  body: Buffer;
  overCap?: boolean;
}

/** More than any answer of the fuzzer's small ledger: a body beyond it is reported, and not read further. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** A request still unanswered after this is reported as such (a `?minPosition` wait lasts 5 s). */
const ANSWER_TIMEOUT_MS = 20_000;

/**
 * Raw HTTP/1.1 over keep-alive connections: the bytes of a body are sent as they are (invalid
 * UTF-8 included), with no serializer in the way, which supertest would add.
 */
export class RawClient {
  private readonly agent: http.Agent;

  constructor(private readonly port: number, maxSockets: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  send(request: RawRequest): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const headers = { ...request.headers, ...(request.body ? { 'Content-Length': String(request.body.length) } : {}) };
      const req = http.request({ host: '127.0.0.1', port: this.port, method: request.method, path: request.path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
          else {
            res.destroy();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), overCap: true });
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
        // A streamed answer (NDJSON, CSV) that fails after its status was sent can only be cut: that is a failure too.
        res.on('close', () => {
          if (!res.complete) reject(new Error(`the ${res.statusCode} answer was cut after ${size} bytes`));
        });
      });
      req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(request.body);
    });
  }

  /** Sends every request, at most `concurrency` at a time, in order of start; answers in the order of the requests. */
  async sendAll(requests: readonly RawRequest[], concurrency: number): Promise<RawResponse[]> {
    const responses: RawResponse[] = new Array(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const index = next++;
        // A connection the server breaks is an answer too: status 0, which no check accepts.
        responses[index] = await this.send(requests[index]).catch((error: Error) => ({ status: 0, headers: {}, body: Buffer.from(`transport error: ${error.message}`) }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
    return responses;
  }

  close(): void {
    this.agent.destroy();
  }
}
