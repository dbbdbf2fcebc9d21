import { Logger } from '@nestjs/common';
import type { AppConfig } from '@cl/config';
import { acquireSingleInstanceLock, ProjectorAlreadyRunningError, type Projector, type SingleInstanceLock } from '@cl/read-models';

export const STANDBY_RETRY_MS = 5_000;

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
      await this.projector.stop();
      await this.lock.release();
      this.lock = undefined;
    }
  }

  private async tryTakeOver(): Promise<void> {
    if (this.stopped) return;
    try {
      this.lock = await acquireSingleInstanceLock(this.readModels);
    } catch (error) {
      if (!(error instanceof ProjectorAlreadyRunningError)) throw error;
      this.logger.warn(`${error.message}; standing by`);
      this.retryTimer = setTimeout(() => void this.tryTakeOver().catch((e) => this.logger.error(String(e))), STANDBY_RETRY_MS);
      this.retryTimer.unref();
      return;
    }
    await this.projector.start();
  }
}
