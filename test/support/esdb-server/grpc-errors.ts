import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

/** EventStoreDB reports typed failures as a status plus an `exception` trailer the client maps on. */
export function typedError(code: status, exception: string, details: string, trailers: Record<string, string>): Partial<ServiceError> {
  const metadata = new Metadata();
  metadata.set('exception', exception);
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return { code, details, metadata };
}

export function streamDeletedError(streamId: string): Partial<ServiceError> {
  return typedError(status.FAILED_PRECONDITION, 'stream-deleted', `Event stream '${streamId}' is deleted.`, {
    'stream-name': streamId,
  });
}

export function wrongExpectedVersionError(streamId: string, expected: string, actual: bigint | 'no_stream'): Partial<ServiceError> {
  const trailers: Record<string, string> = { 'stream-name': streamId, 'expected-version': expected };
  if (actual !== 'no_stream') trailers['actual-version'] = actual.toString();
  return typedError(status.FAILED_PRECONDITION, 'wrong-expected-version', `Append failed due to WrongExpectedVersion. Stream: ${streamId}, Expected version: ${expected}, Actual version: ${String(actual)}`, trailers);
}
