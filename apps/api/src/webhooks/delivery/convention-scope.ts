import { conventionIdOf, conventionStream, isConventionEventType, upcast, type ConventionRegistered } from '@cl/domain';
import type { EventStore, RecordedEvent } from '@cl/event-store';
import { scopeIncludes, type ConventionParties, type ReadScope } from '../../auth/access-policy';

/**
 * Which events of the global log a reader with a given scope may receive: those of conventions
 * it may read (auth/access-policy.ts, the rule of every read route). The parties come from each
 * convention's registration in the event store, not from the read models, so the answer does not
 * wait for (nor depend on) the projector; parties never change (A2), so they are cached.
 */
export class ConventionScopeFilter {
  private readonly parties = new Map<string, ConventionParties | null>();

  constructor(private readonly store: EventStore) {}

  async includes(scope: ReadScope, recorded: RecordedEvent): Promise<boolean> {
    const conventionId = conventionIdOf(recorded.streamId);
    if (conventionId === undefined || !isConventionEventType(recorded.type)) return false;
    const parties = await this.partiesOf(conventionId);
    return parties !== null && scopeIncludes(scope, parties);
  }

  private async partiesOf(conventionId: string): Promise<ConventionParties | null> {
    const known = this.parties.get(conventionId);
    if (known !== undefined) return known;
    const [first] = await this.store.readStream(conventionStream(conventionId), { maxCount: 1 });
    let parties: ConventionParties | null = null;
    if (first?.type === 'ConventionRegistered') {
      const { data } = upcast({ type: first.type, schemaVersion: first.metadata?.schemaVersion, data: first.data }) as ConventionRegistered;
      parties = { funder: data.funder.organisation, beneficiary: data.beneficiary.organisation, accountingOrganisation: data.beneficiary.accountingOrganisation ?? null };
    }
    this.parties.set(conventionId, parties);
    return parties;
  }
}
