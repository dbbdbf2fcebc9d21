import { Inject, Injectable } from '@nestjs/common';
import { ReadModelQueries } from '@cl/read-models';
import { InlineProjection } from './inline-projection';

export const MIN_POSITION_WAIT_MS = 5_000;

/**
 * ?minPosition=P: answers once the read models include P. When this process projects, the
 * projector wakes the wait on each commit; otherwise (separate projector, or standing by) the
 * committed checkpoint is polled.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(ReadModelQueries) private readonly queries: ReadModelQueries,
    @Inject(InlineProjection) private readonly inline: InlineProjection | null,
  ) {}

  waitFor(position: number, timeoutMs = MIN_POSITION_WAIT_MS): Promise<boolean> {
    return this.inline?.isActive() ? this.inline.projector.waitForPosition(position, timeoutMs) : this.queries.waitForPosition(position, timeoutMs);
  }

  /** Who keeps the read models up to date, as seen from this process (reported by /health). */
  projectorRole(): 'active' | 'standby' | 'external' {
    if (!this.inline) return 'external';
    return this.inline.isActive() ? 'active' : 'standby';
  }

  checkpoint(): Promise<number> {
    return this.inline?.isActive() ? Promise.resolve(this.inline.projector.checkpoint()) : this.queries.checkpoint();
  }
}
