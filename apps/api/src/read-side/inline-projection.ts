import { Logger } from '@nestjs/common';
import type { AppConfig } from '@cl/config';
import { acquireSingleInstanceLock, ProjectorAlreadyRunningError, type Projector, type SingleInstanceLock } from '@cl/read-models';

export const STANDBY_RETRY_MS = 5_000;

/** Work that runs only where the projector runs, under its lock (the webhook dispatcher). */
export interface LockedCompanion {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Runs the projector inside the API process (PROJECTOR_MODE=inline) under the same
 * single-instance lock as apps/projector: when another process already projects, this one stands
 * by and tries again every few seconds, taking over if that process dies.
 */
export class InlineProjection {
  private readonly logger = new Logger('Projector');
  private lock?: SingleInstanceLock;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    readonly projector: Projector,
    private readonly readModels: AppConfig['readModels'],
    private readonly companions: readonly LockedCompanion[] = [],
  ) {}

  /** True while this process holds the lock and projects. */
  isActive(): boolean {
    return this.lock !== undefined;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.tryTakeOver();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.lock) {
      await Promise.all(this.companions.map((companion) => companion.stop()));
      await this.projector.stop();
      await this.lock.release();
      this.lock = undefined;
    }
  }

  /** Another process may take over now: stop writing, then stand by like any other instance. */
  private async lockLost(error: Error): Promise<void> {
    this.logger.error(`lost the single-instance lock (${error.message}); stopping the projector and standing by`);
    const lock = this.lock;
    this.lock = undefined;
    await Promise.all(this.companions.map((companion) => companion.stop()));
    await this.projector.stop();
    await lock?.release().catch(() => undefined);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => void this.tryTakeOver().catch((e) => this.logger.error(String(e))), STANDBY_RETRY_MS);
    this.retryTimer.unref();
  }

  private async tryTakeOver(): Promise<void> {
    if (this.stopped) return;
    try {
      this.lock = await acquireSingleInstanceLock(this.readModels, (error) => void this.lockLost(error));
    } catch (error) {
      if (!(error instanceof ProjectorAlreadyRunningError)) throw error;
      this.logger.warn(`${error.message}; standing by`);
      this.scheduleRetry();
      return;
    }
    await this.projector.start();
    for (const companion of this.companions) companion.start();
  }
}
