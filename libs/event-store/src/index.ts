export * from './event-store.port';
export * from './store-unavailable.error';
export * from './embedded';
export * from './create-event-store';
export * from './chain';
