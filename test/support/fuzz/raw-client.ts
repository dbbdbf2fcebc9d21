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
  body: Buffer;
}

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
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
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
