/**
 * The typed HTTP client of convention-ledger, for back-office integrations written in TypeScript:
 * openapi-fetch over the types that openapi-typescript generates from the OpenAPI document
 * (`npm run client:generate`; docs/integrations.md, "A typed client"). Paths, bodies, parameters
 * and answers are checked by the compiler against the contract the server publishes.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './openapi-schema';

export type { components, operations, paths } from './openapi-schema';
export type LedgerClient = Client<paths>;

export interface LedgerClientOptions {
  /** Where the API listens, e.g. `https://ledger.example.gouv.fr`. */
  baseUrl: string;
  /** A bearer token (docs/security.md), sent on every request. */
  token: string;
  /** Another fetch implementation (a proxy-aware one, say); the global fetch by default. */
  fetch?: typeof globalThis.fetch;
}

export function createLedgerClient({ baseUrl, token, fetch }: LedgerClientOptions): LedgerClient {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` }, ...(fetch ? { fetch } : {}) });
}
