import { conventionIdOf, upcast } from '@cl/domain';
import type { RecordedEvent } from '@cl/event-store';

/**
 * The CloudEvents 1.0 JSON envelope of one ledger event, as webhooks deliver it (and the live
 * feed can): `id` is the event's eventId (as GET /conventions/{id}/events lists it), `subject`
 * the convention's id, `position` (an extension attribute) its place in the global log.
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  position: number;
  data: unknown;
}

/**
 * Keys never sent out of the ledger, at any depth: a party's bank account (RIB) and anything
 * derived from it (docs/integrations.md, "What is sent").
 */
const BANK_DETAIL_KEYS = new Set(['bankaccount', 'iban', 'bic', 'rib']);

/** A deep copy of `value` without bank details. */
export function withoutBankDetails(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutBankDetails);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !BANK_DETAIL_KEYS.has(key.toLowerCase()))
      .map(([key, child]) => [key, withoutBankDetails(child)]),
  );
}

/** The envelope of a convention's event, at the current schema version (upcast), bank details left out. */
export function toCloudEvent(recorded: RecordedEvent): CloudEvent {
  const conventionId = conventionIdOf(recorded.streamId);
  if (conventionId === undefined) throw new Error(`not a convention event: stream ${recorded.streamId}`);
  const event = upcast({ type: recorded.type, schemaVersion: recorded.metadata?.schemaVersion, data: recorded.data });
  return {
    specversion: '1.0',
    id: recorded.id,
    source: `/conventions/${conventionId}`,
    type: recorded.type,
    subject: conventionId,
    time: recorded.recordedAt,
    datacontenttype: 'application/json',
    position: recorded.position,
    data: withoutBankDetails(event.data),
  };
}
