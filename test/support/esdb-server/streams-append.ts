import type { sendUnaryData, ServerDuplexStream, ServerReadableStream } from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { AllStreamPosition, StreamDeleted, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, Expected, InMemoryLog, ProposedEvent } from './in-memory-log';
import { streamDeletedError } from './grpc-errors';
import { empty, expectedFrom, streamIdentifier, streamName, uuidToString } from './proto-mapping';

type ProposedMessage = AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage;

function toProposed(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: uuidToString(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

/** Counts which write path the client took, so tests can prove both are exercised. */
export interface AppendCounters {
  append: number;
  batchAppend: number;
}

/** Streams.Append: one client-streaming call per write; a conflict is a response, not an error status. */
export function appendHandler(log: InMemoryLog, counters: AppendCounters) {
  return (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    counters.append++;
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      else if (req.hasProposedMessage()) events.push(toProposed(req.getProposedMessage()!));
    });
    call.on('end', () => {
      if (!options) return callback({ code: 3, details: 'append without options' });
      const name = streamName(options.getStreamIdentifier());
      const expected = expectedFrom(options, () => options!.getRevision());
      const outcome = log.append(name, events, expected);
      if (outcome.kind === 'stream_deleted') return callback(streamDeletedError(name));
      callback(null, toAppendResp(outcome, expected));
    });
  };
}

function toAppendResp(outcome: Exclude<AppendOutcome, { kind: 'stream_deleted' }>, expected: Expected): AppendResp {
  if (outcome.kind === 'wrong_expected_version') {
    const wrong = new AppendResp.WrongExpectedVersion();
    if (outcome.current === 'no_stream') wrong.setCurrentNoStream(empty());
    else wrong.setCurrentRevision(outcome.current.toString());
    if (expected.kind === 'any') wrong.setExpectedAny(empty());
    else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(empty());
    else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(empty());
    else wrong.setExpectedRevision(expected.revision.toString());
    return new AppendResp().setWrongExpectedVersion(wrong);
  }
  const success = new AppendResp.Success();
  if (outcome.currentRevision === 'no_stream') success.setNoStream(empty());
  else success.setCurrentRevision(outcome.currentRevision.toString());
  if (outcome.position === undefined) success.setNoPosition(empty());
  else {
    const at = outcome.position.toString();
    success.setPosition(new AppendResp.Position().setCommitPosition(at).setPreparePosition(at));
  }
  return new AppendResp().setSuccess(success);
}

/**
 * Streams.BatchAppend: one long-lived duplex call shared by all writes of a client. A write may span
 * several requests with the same correlation id, options on the first, until `is_final`. Failures
 * come back as a google.rpc.Status whose detail packs the typed error.
 */
export function batchAppendHandler(log: InMemoryLog, counters: AppendCounters) {
  return (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void => {
    const pending = new Map<string, { options?: BatchAppendReq.Options; events: ProposedEvent[] }>();
    call.on('data', (req: BatchAppendReq) => {
      const correlation = uuidToString(req.getCorrelationId());
      const batch = pending.get(correlation) ?? { events: [] };
      pending.set(correlation, batch);
      if (req.hasOptions()) batch.options = req.getOptions();
      batch.events.push(...req.getProposedMessagesList().map(toProposed));
      if (!req.getIsFinal()) return;
      pending.delete(correlation);
      counters.batchAppend++;
      call.write(processBatch(log, req, batch.options!, batch.events));
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  };
}

function processBatch(log: InMemoryLog, req: BatchAppendReq, options: BatchAppendReq.Options, events: ProposedEvent[]): BatchAppendResp {
  const name = streamName(options.getStreamIdentifier());
  const expected = expectedFrom(options, () => options.getStreamPosition());
  const resp = new BatchAppendResp().setCorrelationId(req.getCorrelationId()).setStreamIdentifier(streamIdentifier(name));
  if (expected.kind === 'any') resp.setAny(new ProtobufEmpty());
  else if (expected.kind === 'no_stream') resp.setNoStream(new ProtobufEmpty());
  else if (expected.kind === 'stream_exists') resp.setStreamExists(new ProtobufEmpty());
  else resp.setStreamPosition(expected.revision.toString());

  const outcome = log.append(name, events, expected);
  switch (outcome.kind) {
    case 'stream_deleted': {
      const detail = new StreamDeleted().setStreamIdentifier(streamIdentifier(name));
      return resp.setError(statusWithDetail(Code.FAILED_PRECONDITION, `Event stream '${name}' is deleted.`, detail.serializeBinary(), 'event_store.client.StreamDeleted'));
    }
    case 'wrong_expected_version': {
      const detail = new WrongExpectedVersion();
      if (outcome.current === 'no_stream') detail.setCurrentNoStream(new ProtobufEmpty());
      else detail.setCurrentStreamRevision(outcome.current.toString());
      if (expected.kind === 'any') detail.setExpectedAny(new ProtobufEmpty());
      else if (expected.kind === 'no_stream') detail.setExpectedNoStream(new ProtobufEmpty());
      else if (expected.kind === 'stream_exists') detail.setExpectedStreamExists(new ProtobufEmpty());
      else detail.setExpectedStreamPosition(expected.revision.toString());
      return resp.setError(statusWithDetail(Code.FAILED_PRECONDITION, 'WrongExpectedVersion', detail.serializeBinary(), 'event_store.client.WrongExpectedVersion'));
    }
    case 'success': {
      const success = new BatchAppendResp.Success();
      if (outcome.currentRevision === 'no_stream') success.setNoStream(new ProtobufEmpty());
      else success.setCurrentRevision(outcome.currentRevision.toString());
      if (outcome.position === undefined) success.setNoPosition(new ProtobufEmpty());
      else {
        const at = outcome.position.toString();
        success.setPosition(new AllStreamPosition().setCommitPosition(at).setPreparePosition(at));
      }
      return resp.setSuccess(success);
    }
  }
}

function statusWithDetail(code: Code, message: string, detail: Uint8Array, typeName: string): Status {
  const any = new Any();
  any.pack(detail, typeName);
  return new Status().setCode(code).setMessage(message).setDetails(any);
}
