/** Where the generated client's inputs and outputs live (docs/integrations.md, "A typed client"). */
export const CLIENT_FILES = {
  /** The OpenAPI document as `GET /docs-json` serves it, for integrators who generate their own client. */
  document: 'libs/api-client/openapi.json',
  /** The types openapi-typescript generates from it; the client of libs/api-client/src uses them. */
  schema: 'libs/api-client/src/openapi-schema.ts',
};

/** The document as committed: two-space JSON in the order produced, final newline. */
export const documentSource = (document: object): string => `${JSON.stringify(document, null, 2)}\n`;
