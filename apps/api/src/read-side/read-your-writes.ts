import { Inject, Injectable } from '@nestjs/common';
import { Projector, ReadModelQueries } from '@cl/read-models';

export const MIN_POSITION_WAIT_MS = 5_000;

/**
 * ?minPosition=P: answers once the read models include P. With the projector in this process
 * it is woken on each commit; otherwise the committed checkpoint is polled.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(ReadModelQueries) private readonly queries: ReadModelQueries,
    @Inject(Projector) private readonly projector: Projector | null,
  ) {}

  waitFor(position: number, timeoutMs = MIN_POSITION_WAIT_MS): Promise<boolean> {
    return this.projector ? this.projector.waitForPosition(position, timeoutMs) : this.queries.waitForPosition(position, timeoutMs);
  }

  checkpoint(): Promise<number> {
    return this.projector ? Promise.resolve(this.projector.checkpoint()) : this.queries.checkpoint();
  }
}
