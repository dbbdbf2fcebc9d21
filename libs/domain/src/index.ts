export * from './money';
export * from './dates';
export * from './errors';
export * from './events';
export * from './commands';
