import type { WebhooksConfig } from '@cl/config';

/**
 * When to try a failed delivery again (docs/integrations.md, "Retries"): exponential backoff with
 * "equal jitter": after the n-th failure, a wait drawn in [d/2, d] where d = base × 2^(n-1),
 * capped at the maximum. Each wait is at least the previous one's upper half, so waits grow
 * while concurrent failures spread out. `random` is injectable for the spec.
 */
export function retryDelayMs(failures: number, config: Pick<WebhooksConfig, 'retryBaseDelayMs' | 'retryMaxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(config.retryMaxDelayMs, config.retryBaseDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 40));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Whether a delivery failing since `firstAttemptAt` has used up the retry period: then it is a dead letter. */
export const retryPeriodOver = (firstAttemptAt: Date, now: Date, config: Pick<WebhooksConfig, 'retryPeriodMs'>): boolean =>
  now.getTime() - firstAttemptAt.getTime() >= config.retryPeriodMs;
