import { checkStatementSeals, parseDigest, verifyLog, type VerifyReport } from '@cl/event-store';
import { EXIT_BROKEN, EXIT_VALID, openConfiguredStore, parseOptions, progressOnStderr, runCommand, UsageError } from './audit-cli';

/**
 * npm run audit:verify [-- --digest <hex>@<position>]: re-checks every stream's hash chain and
 * every statement signature's content hash and, given a digest, that the log up to its position
 * is the one digested. Exit 0 when all holds, 1 with the first broken link otherwise. docs/audit.md.
 */
async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), ['digest']);
  let digest;
  try {
    digest = options.digest === undefined ? undefined : parseDigest(options.digest);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const store = openConfiguredStore();
  let unsealedSignatures = 0;
  try {
    const report = await verifyLog(store, {
      digest,
      onProgress: progressOnStderr('audit:verify'),
      checkStream: (stream) => {
        const seals = checkStatementSeals(stream);
        unsealedSignatures += seals.unsealed;
        return seals.broken;
      },
    });
    process.stdout.write(summarise(report, unsealedSignatures));
    return report.broken || report.digest?.matches === false ? EXIT_BROKEN : EXIT_VALID;
  } finally {
    await store.close();
  }
}

function summarise(report: VerifyReport, unsealedSignatures: number): string {
  const lines = [
    `log: ${report.events} events in ${report.streams} streams, up to position ${report.headPosition}; ` +
      `${report.legacyEvents} recorded before the chain, ${unsealedSignatures} statement signatures without a content hash`,
  ];
  const broken = report.broken;
  if (broken) {
    lines.push(`BROKEN: ${broken.kind} at stream ${broken.streamId}, revision ${broken.revision}, position ${broken.position}: ${broken.detail}`);
    if (report.brokenStreams > 1) lines.push(`(${report.brokenStreams} streams are broken; this is the first in log order)`);
  } else {
    lines.push('chains: every stream links up, every statement signature matches its statement');
  }
  if (report.digest) {
    lines.push(report.digest.matches
      ? `digest ${report.digest.expected}: the log up to that position is unchanged`
      : `DIGEST MISMATCH: expected ${report.digest.expected}, the log gives ${report.digest.actual}: ${report.digest.detail}`);
  }
  lines.push(`digest now: ${report.headDigest}@${report.headPosition}`);
  return `${lines.join('\n')}\n`;
}

runCommand('audit:verify', main);
