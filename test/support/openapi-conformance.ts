import Ajv, { type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

/**
 * Checks answers against the response schemas of an OpenAPI document, strictly: an object schema
 * that lists its properties admits no other (a field the server sends and the document does not
 * declare is a failure, since a generated client would not know it).
 */
export class OpenApiConformance {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: object) {
    this.ajv.addSchema(closeObjectSchemas(document) as Json, 'openapi.json');
  }

  /** The problems of one answer (none when it conforms): `schemaPath` as openapi-fetch names it, e.g. `/conventions/{id}`. */
  problems(method: string, schemaPath: string, status: number, body: unknown): string[] {
    const pointer = ['paths', schemaPath, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema']
      .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    const key = `openapi.json#/${pointer}`;
    let validate = this.validators.get(key);
    if (!validate) {
      if (!this.ajv.getSchema(key)) return [`${method} ${schemaPath}: no ${status} JSON answer is declared`];
      validate = this.ajv.compile({ $ref: key });
      this.validators.set(key, validate);
    }
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${method} ${schemaPath} ${status}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

/**
 * Prepares a document's schemas for a JSON Schema validator: objects that list their properties
 * are closed, and OpenAPI 3.0's `nullable: true` admits null as generated clients read it (a
 * nullable `allOf: [$ref]` is `T | null` to openapi-typescript, while JSON Schema would let the
 * referenced object schema refuse null).
 */
function closeObjectSchemas(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjectSchemas);
  if (!node || typeof node !== 'object') return node;
  const schema = Object.fromEntries(Object.entries(node as Json).map(([key, value]) => [key, closeObjectSchemas(value)]));
  if (schema.properties && typeof schema.properties === 'object' && !('additionalProperties' in schema)) schema.additionalProperties = false;
  if (schema.nullable === true) {
    delete schema.nullable;
    return { anyOf: [{ type: 'null' }, schema] };
  }
  return schema;
}
