import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { DeleteReq, DeleteResp, TombstoneReq, TombstoneResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, Expected, InMemoryLog } from './in-memory-log';
import { streamDeletedError, wrongExpectedVersionError } from './grpc-errors';
import { empty, expectedFrom, streamName } from './proto-mapping';

/** The legacy numeric form the `expected-version` trailer carries. */
function legacyExpectedVersion(expected: Expected): string {
  switch (expected.kind) {
    case 'any':
      return '-2';
    case 'no_stream':
      return '-1';
    case 'stream_exists':
      return '-4';
    case 'revision':
      return expected.revision.toString();
  }
}

type Resp = DeleteResp | TombstoneResp;

function respond<T extends Resp>(
  name: string,
  expected: Expected,
  outcome: AppendOutcome,
  build: (position: bigint | undefined) => T,
  callback: sendUnaryData<T>,
): void {
  if (outcome.kind === 'stream_deleted') return callback(streamDeletedError(name));
  if (outcome.kind === 'wrong_expected_version') {
    return callback(wrongExpectedVersionError(name, legacyExpectedVersion(expected), outcome.current));
  }
  callback(null, build(outcome.position));
}

export function deleteHandler(log: InMemoryLog) {
  return (call: ServerUnaryCall<DeleteReq, DeleteResp>, callback: sendUnaryData<DeleteResp>): void => {
    const options = call.request.getOptions()!;
    const name = streamName(options.getStreamIdentifier());
    const expected = expectedFrom(options, () => options.getRevision());
    respond(name, expected, log.softDelete(name, expected), (position) => {
      const resp = new DeleteResp();
      if (position === undefined) return resp.setNoPosition(empty());
      const at = position.toString();
      return resp.setPosition(new DeleteResp.Position().setCommitPosition(at).setPreparePosition(at));
    }, callback);
  };
}

export function tombstoneHandler(log: InMemoryLog) {
  return (call: ServerUnaryCall<TombstoneReq, TombstoneResp>, callback: sendUnaryData<TombstoneResp>): void => {
    const options = call.request.getOptions()!;
    const name = streamName(options.getStreamIdentifier());
    const expected = expectedFrom(options, () => options.getRevision());
    respond(name, expected, log.tombstone(name, expected), (position) => {
      const resp = new TombstoneResp();
      if (position === undefined) return resp.setNoPosition(empty());
      const at = position.toString();
      return resp.setPosition(new TombstoneResp.Position().setCommitPosition(at).setPreparePosition(at));
    }, callback);
  };
}
