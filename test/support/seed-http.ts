/**
 * The seed convention as the JSON body of POST /conventions (docs/examples/seed-convention.json,
 * the README's example): every end-to-end test proves the documented example.
 */
export { SEED_REGISTRATION_BODY as SEED_CONVENTION_BODY } from '../../libs/domain/testing/seed-convention';
