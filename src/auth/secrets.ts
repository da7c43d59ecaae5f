import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// `Algorithm` is an ambient const enum that isolatedModules cannot read: 2 is Argon2id
const ARGON2ID = 2;

/** Passwords are low-entropy: argon2id. */
export const hashPassword = (password: string) => hash(password, { algorithm: ARGON2ID });
export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password).catch(() => false);

/**
 * Generated secrets (API keys, OAuth tokens, client secrets) carry 256 random bits, so a fast
 * SHA-256 is enough to store them and lets us look them up by hash.
 */
export const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Token prefixes tell at a glance what a secret is. */
export const PREFIX = { apiKey: 'fgk_', accessToken: 'fga_', refreshToken: 'fgr_', clientSecret: 'fgs_' } as const;
