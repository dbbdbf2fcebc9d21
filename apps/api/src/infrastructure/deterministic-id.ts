import { createHash } from 'node:crypto';

const NAMESPACE = Buffer.from('6f1c2b7e4d0a4e5b9c3f2a1d0e8b7c6a', 'hex');

/**
 * RFC 4122 version-5 UUID (SHA-1, name-based). Event ids are derived from the command's identity
 * and the revision it expects, so that re-sending the same append is recognised as a duplicate by
 * the store instead of being written twice.
 */
export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name).digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
