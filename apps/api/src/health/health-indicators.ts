import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { AppConfig } from '@cl/config';
import { EVENT_STORE, type EventStore } from '@cl/event-store';
import { ReadModelQueries } from '@cl/read-models';
import { APP_CONFIG } from '../infrastructure/tokens';
import { ReadYourWrites } from '../read-side/read-your-writes';
import { diskSpaceOf, localDataDirOf } from './disk-space';

/** A probe that does not answer within this is taken as down (a stuck store must not hang /health). */
const PROBE_TIMEOUT_MS = 3_000;

/**
 * The indicators behind GET /health (docs/api.md, docs/deployment.md "Probes"). Readiness is
 * "this process can record commands and answer reads": the event store answers and can write,
 * the read models answer, and DATA_DIR has room. The projector's lag is reported, never a
 * reason to be unready (docs/architecture.md, "Health").
 */
@Injectable()
export class HealthIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadModelQueries) private readonly queries: ReadModelQueries,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Ready (reads and, after a failed write, a real write) and its head position. */
  async eventStore() {
    const session = this.indicator.check('eventStore');
    const ready = await withTimeout(this.store.isReady(), false);
    const headPosition = await withTimeout(this.store.headPosition(), null);
    return ready && headPosition !== null ? session.up({ ready, headPosition }) : session.down({ ready, headPosition });
  }

  /** The read-model database answers; its committed checkpoint. */
  async readModels() {
    const session = this.indicator.check('readModels');
    const checkpoint = await withTimeout(this.queries.checkpoint(), null);
    return checkpoint !== null ? session.up({ reachable: true, checkpoint }) : session.down({ reachable: false, checkpoint });
  }

  /**
   * Who projects, how far, and the lag (head position − checkpoint). Always up: a lagging
   * projector does not stop this process from recording commands, and reads that must include a
   * write wait for it with ?minPosition (503 READ_MODELS_BEHIND after 5 s).
   */
  async projector(headPosition: number | null) {
    const checkpoint = await withTimeout(this.readYourWrites.checkpoint(), null);
    const lag = headPosition !== null && checkpoint !== null ? Math.max(0, headPosition - checkpoint) : null;
    return this.indicator.check('projector').up({ role: this.readYourWrites.projectorRole(), checkpoint, lag });
  }

  /** Free space on DATA_DIR's file system, against HEALTH_MIN_FREE_DISK_MB; absent when nothing is local. */
  async disk() {
    const session = this.indicator.check('disk');
    const path = localDataDirOf(this.config);
    if (path === undefined) return session.up({ local: false });
    const minimumBytes = this.config.healthMinFreeDiskBytes;
    const space = await diskSpaceOf(path, minimumBytes).catch(() => undefined);
    if (!space) return session.down({ path, freeBytes: null, minimumBytes });
    return space.freeBytes >= minimumBytes ? session.up({ ...space }) : session.down({ ...space });
  }
}

function withTimeout<T, F>(probe: Promise<T>, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<F>((resolve) => { timer = setTimeout(() => resolve(fallback), PROBE_TIMEOUT_MS); });
  return Promise.race([probe.catch(() => fallback), timedOut]).finally(() => clearTimeout(timer));
}
