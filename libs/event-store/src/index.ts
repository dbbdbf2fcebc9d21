export * from './event-store.port';
export * from './embedded';
export * from './create-event-store';
export * from './chain';
