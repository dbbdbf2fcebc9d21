/** DI tokens of the API's infrastructure. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
