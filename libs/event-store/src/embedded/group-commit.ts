/** One member's outcome in a committed group: its result, or the error that undid its part alone. */
export type MemberOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

interface Pending<Request, Result> {
  request: Request;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit (docs/event-store.md, "Group commit"). better-sqlite3 runs every statement, COMMIT
 * and its fsync included, synchronously on the event loop, so requests made while one commit
 * runs cannot join it; they pile up in the sockets instead and all arrive in the next turn of the
 * loop. This queue collects the requests made during one turn and hands them together to
 * `commitGroup` at the next setImmediate, after the I/O callbacks of the turn: one transaction,
 * one fsync, however many requests. A lone request waits only for that setImmediate.
 *
 * `commitGroup` answers one outcome per request, in order, and only once the group is durable;
 * if it throws, nothing of the group was written and every member is rejected with that error.
 */
export class GroupCommitQueue<Request, Result> {
  private pending: Array<Pending<Request, Result>> = [];
  private scheduled = false;

  constructor(private readonly commitGroup: (requests: Request[]) => Array<MemberOutcome<Result>>) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  /** Commits what is waiting now (the scheduled flush then finds nothing): before closing the store. */
  flush(): void {
    this.scheduled = false;
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    let outcomes: Array<MemberOutcome<Result>>;
    try {
      outcomes = this.commitGroup(group.map((member) => member.request));
    } catch (error) {
      for (const member of group) member.reject(error);
      return;
    }
    group.forEach((member, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) member.resolve(outcome.value);
      else member.reject(outcome.error);
    });
  }
}
