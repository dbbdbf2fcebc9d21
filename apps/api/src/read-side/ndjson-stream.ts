import type { Response } from 'express';

export const NDJSON = 'application/x-ndjson';

/** Whether the client asked for NDJSON (`Accept: application/x-ndjson`). */
export const wantsNdjson = (accept: string | undefined): boolean => accept !== undefined && /\bapplication\/x-ndjson\b/i.test(accept);

/**
 * Streams pages of objects as NDJSON (one JSON object per line) with backpressure: when the
 * socket's buffer is full (`write` returns false) it waits for 'drain' before asking the source
 * for more, and once the client has gone it stops asking (the source's `return()` ends its
 * reads). So the process holds one page and one socket buffer, whatever the size of the source.
 * An error after the first line cannot become an error answer any more: the connection is cut,
 * and the client sees a line missing its end or a missing last newline.
 */
export async function streamNdjson(response: Response, pages: AsyncIterable<readonly unknown[]>): Promise<void> {
  let gone = false;
  const onClose = () => { gone = true; };
  response.on('close', onClose);
  try {
    for await (const page of pages) {
      if (!response.headersSent) {
        response.status(200);
        response.setHeader('Content-Type', `${NDJSON}; charset=utf-8`);
      }
      for (const item of page) {
        if (gone) return;
        if (!response.write(`${JSON.stringify(item)}\n`)) await drainedOrGone(response);
      }
      if (gone) return;
    }
    if (!response.headersSent) {
      response.status(200);
      response.setHeader('Content-Type', `${NDJSON}; charset=utf-8`);
    }
    response.end();
  } catch (error) {
    if (!response.headersSent) throw error;
    response.destroy(error as Error);
  } finally {
    response.off('close', onClose);
  }
}

/** Resolves once the socket's buffer has drained, or the client has gone (then nothing more is to be written). */
export function drainedOrGone(response: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
