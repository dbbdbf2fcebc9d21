export { canonicalJson } from './canonical-json';
export { GENESIS_HASH, chainBatch, contentHashOf, eventHashOf, isChained, linkHashAfter, linkHashOf, type HashableEvent } from './event-hash';
export { checkStreamChain, type BreakKind, type BrokenLink, type StreamChainCheck } from './check-stream-chain';
export { RunningDigest, formatDigest, parseDigest, type LogDigest } from './log-digest';
export { checkStatementSeals, statementSealFor, type StatementSealsCheck } from './statement-seals';
export { digestLog, verifyLog, type LogProgress, type StreamCheck, type VerifyOptions, type VerifyReport } from './verify-log';
