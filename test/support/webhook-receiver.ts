import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receipt {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The CloudEvent, parsed. */
  event: { id: string; subject: string; type: string; position: number; data: Record<string, unknown>; [attribute: string]: unknown };
  receivedAt: number;
}

/** What the receiver does with one request: answer with a status (after a delay), or never answer. */
export type Answer = { status: number; delayMs?: number } | 'hang';

/**
 * A webhook receiver over real HTTP (node:http) for the end-to-end tests: it records every
 * request and answers as `answer` decides, per request.
 */
export async function startReceiver(answer: (receipt: Receipt, receipts: readonly Receipt[]) => Answer = () => ({ status: 200 })) {
  const receipts: Receipt[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const receipt: Receipt = { headers: request.headers, body, event: JSON.parse(body), receivedAt: Date.now() };
      receipts.push(receipt);
      const decision = answer(receipt, receipts);
      if (decision === 'hang') {
        hanging.add(response);
        return;
      }
      setTimeout(() => response.writeHead(decision.status).end(), decision.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    receipts,
    /** The receipts of one convention (the CloudEvent subject). */
    of: (conventionId: string) => receipts.filter((receipt) => receipt.event.subject === conventionId),
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Polls until `check` holds (end-to-end deliveries are asynchronous), failing after `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
