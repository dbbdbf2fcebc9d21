export interface RebuildProgress {
  /** Events replayed by this run (a resumed rebuild counts from where it resumed). */
  eventsDone: number;
  /**
   * Events expected in all. The port gives the head position, not a count; positions are
   * contiguous in the embedded store (exact) and byte offsets in EventStoreDB, where the total
   * is extrapolated from the events per position seen so far.
   */
  eventsTotal: number;
  position: number;
  headPosition: number;
  /** Where this run started: the checkpoint of the shadow tables it resumed, 0 from scratch. */
  startPosition: number;
  eventsPerSecond: number;
  /** Seconds left at the current rate; null until there is a rate. */
  etaSeconds: number | null;
  done: boolean;
}

export class RebuildProgressMeter {
  private readonly startedAt = process.hrtime.bigint();
  private eventsDone = 0;

  /** `startPosition`: where a resumed rebuild starts (its shadow checkpoint), 0 from scratch. */
  constructor(private readonly headPosition: number, private readonly startPosition = 0) {}

  recordBatch(events: number, position: number): RebuildProgress {
    this.eventsDone += events;
    return this.progress(position);
  }

  finish(position: number): RebuildProgress {
    return { ...this.progress(position), eventsTotal: this.eventsDone, etaSeconds: 0, done: true };
  }

  progress(position: number): RebuildProgress {
    const elapsedSeconds = Number(process.hrtime.bigint() - this.startedAt) / 1e9;
    const eventsPerSecond = elapsedSeconds > 0 ? this.eventsDone / elapsedSeconds : 0;
    const covered = position - this.startPosition;
    const toCover = Math.max(0, this.headPosition - this.startPosition);
    const eventsTotal = covered > 0 && toCover > 0
      ? Math.max(this.eventsDone, Math.round((this.eventsDone * toCover) / covered))
      : toCover;
    const remaining = Math.max(0, eventsTotal - this.eventsDone);
    return {
      eventsDone: this.eventsDone,
      eventsTotal,
      position,
      headPosition: this.headPosition,
      startPosition: this.startPosition,
      eventsPerSecond,
      etaSeconds: eventsPerSecond > 0 ? remaining / eventsPerSecond : null,
      done: false,
    };
  }
}
