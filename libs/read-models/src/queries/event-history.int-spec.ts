import { randomUUID } from 'node:crypto';
import { conventionStream, isConventionEventType } from '@cl/domain';
import type { EventMetadata, RecordedEvent } from '@cl/event-store';
import { KnownAtViews, Projector, type EventPage, type EventView } from '@cl/read-models';
import { describeEachDialect } from '../../../../test/read-models/support/read-model-dialects';
import { BENEFICIARY, FUNDER, referenceCase, referenceCaseV1, useLedgerAndReadModels, type StoredEventShape } from '../../../../test/read-models/support/ledger-fixture';

const C = 'c-history-v2';
const V1 = 'c-history-v1';

/**
 * What rm_event_history (layout 4) served for a recorded event, written out from its columns:
 * the data as stored (never upcast), the actor's organisation only when it had one, absent
 * request fields as null.
 */
function asTheCopyServedIt(recorded: RecordedEvent): EventView {
  const { metadata } = recorded;
  return {
    eventId: recorded.id, type: recorded.type, schemaVersion: metadata.schemaVersion, data: recorded.data,
    revision: recorded.revision, position: recorded.position, recordedAt: recorded.recordedAt,
    actor: { subject: metadata.actor.subject, roles: metadata.actor.roles, ...(metadata.actor.organisation === undefined ? {} : { organisation: metadata.actor.organisation }) },
    request: { requestId: metadata.requestId, correlationId: metadata.correlationId, causationId: metadata.causationId, idempotencyKey: metadata.idempotencyKey ?? null },
  };
}

describeEachDialect('a convention history read from the event store', (harness) => {
  const fixture = useLedgerAndReadModels(harness);
  const project = () => new Projector(fixture.ledger.store, fixture.readModels.db, { batchSize: 5 }).catchUp();

  /** One event per append, with metadata that varies as real requests' does (organisation, idempotency key). */
  async function tell(conventionId: string, events: readonly StoredEventShape[]): Promise<void> {
    for (const [index, stored] of events.entries()) {
      const requestId = randomUUID();
      const actor = index % 2 === 0 ? { ...FUNDER, organisation: 'anct' } : BENEFICIARY;
      const metadata: EventMetadata = {
        actor, recordedAt: new Date(Date.UTC(2024, 0, 1, 0, index)).toISOString(), requestId, correlationId: requestId, causationId: randomUUID(),
        schemaVersion: stored.schemaVersion, ...(index % 3 === 0 ? { idempotencyKey: `key-${conventionId}-${index}` } : {}),
      };
      await fixture.ledger.store.appendToStream(conventionStream(conventionId), [{ id: randomUUID(), type: stored.type, data: stored.data as Record<string, unknown>, metadata }], 'any');
    }
  }

  const events = async (conventionId: string) => (await fixture.readModels.queries.getEvents(conventionId))!;
  const raw = async (conventionId: string) => (await fixture.ledger.store.readStream(conventionStream(conventionId))).filter((recorded) => isConventionEventType(recorded.type));

  it('serves, byte for byte, what the copy in the read models served: v1 and v2 histories, every field as recorded', async () => {
    await tell(V1, referenceCaseV1(V1));
    await tell(C, referenceCase(C));
    // A type this version does not know: the projection skips it, and so does the history.
    await tell(C, [{ type: 'SomethingLater', schemaVersion: 1, data: { note: 'from a later version' } }]);
    await project();
    for (const conventionId of [V1, C]) {
      const expected = (await raw(conventionId)).map(asTheCopyServedIt);
      expect(expected.length).toBeGreaterThan(5);
      expect(JSON.stringify((await events(conventionId)).events)).toBe(JSON.stringify(expected));
    }
    expect((await events(V1)).events[0]).toMatchObject({ schemaVersion: 1, data: referenceCaseV1(V1)[0].data });
  });

  it('stops at the last event the read models include, and pages through the store', async () => {
    const story = referenceCase(C);
    await tell(C, story.slice(0, 8));
    await project();
    const projected = await events(C);
    await tell(C, story.slice(8));
    // Recorded but not projected yet: the history agrees with the balance, as the copy did, and
    // a past view never knows more than the current one.
    expect(await events(C)).toEqual(projected);
    expect(projected.events).toHaveLength(8);
    const head = await fixture.ledger.store.headPosition();
    const views = new KnownAtViews(fixture.readModels.db, fixture.ledger.store);
    expect(await views.read({ position: head }, [C], async (view) => [await view.getEvents(C), await view.getBalance(C)]))
      .toEqual([projected, await fixture.readModels.queries.getBalance(C)]);
    await project();
    const whole = await events(C);
    expect(whole.events).toHaveLength(story.length);

    const pages: EventView[][] = [];
    for (let fromRevision: number | null = 0; fromRevision !== null;) {
      const page: EventPage = (await fixture.readModels.queries.getEvents(C, { fromRevision, limit: 3 }))!;
      pages.push(page.events);
      fromRevision = page.nextRevision;
    }
    expect(pages.map((page) => page.length)).toEqual([...Array(Math.floor(story.length / 3)).fill(3), ...(story.length % 3 ? [story.length % 3] : [])]);
    expect(pages.flat()).toEqual(whole.events);
    expect(await fixture.readModels.queries.getEvents(C, { fromRevision: story.length })).toEqual({ events: [], nextRevision: null });
  });
});
