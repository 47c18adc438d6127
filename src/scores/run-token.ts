import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import type { RunKey } from './score-store.ts';

/** A run the server issued: what a score is checked against. Times are epoch milliseconds. */
export interface Run {
  id: string;
  startedAt: number;
  expiresAt: number;
}

/**
 * A run travels as a JWT (HS256, `kid` naming the key) of this type. `v` is the claims' format: a
 * new format gets a new number and the server reads the old one for one run lifetime, so a release
 * that changes it invalidates no run in flight.
 */
export const RUN_TOKEN_TYPE = 'drafty-run+jwt';
const FORMAT = 1;
const READABLE_FORMATS: ReadonlySet<unknown> = new Set([1]);
/** Replicas' clocks may differ a little; expiry is not a stopwatch. */
const CLOCK_TOLERANCE_S = 2;
/** Longer than any token this server signs (~300 characters); longer input is not parsed at all. */
export const MAX_RUN_TOKEN_LENGTH = 1024;

export type RunReading = { ok: true; run: Run } | { ok: false; reason: 'run_invalid' | 'run_expired'; detail: string };

const cryptoKeys = new WeakMap<RunKey, Promise<CryptoKey>>();

/**
 * The key as WebCrypto's HMAC-SHA-256 key, imported once per key: handed raw bytes, jose imports them
 * again on every sign and verify, an extra WebCrypto job per request (bench/RESULTS.md).
 */
function cryptoKeyOf(key: RunKey): Promise<CryptoKey> {
  let imported = cryptoKeys.get(key);
  if (!imported) {
    imported = crypto.subtle.importKey('raw', key.secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    cryptoKeys.set(key, imported);
  }
  return imported;
}

export async function signRun(run: Run, key: RunKey): Promise<string> {
  return new SignJWT({ v: FORMAT, st: run.startedAt })
    .setProtectedHeader({ alg: 'HS256', kid: key.id, typ: RUN_TOKEN_TYPE })
    .setJti(run.id)
    .setIssuedAt(Math.floor(run.startedAt / 1000))
    .setExpirationTime(Math.ceil(run.expiresAt / 1000))
    .sign(await cryptoKeyOf(key));
}

/** Verifies a run token's signature, type, format and expiry at `now`; never throws on bad input. */
export async function readRun(token: string, keyOf: (id: string) => Promise<RunKey | undefined>, now: number): Promise<RunReading> {
  const invalid = (detail: string): RunReading => ({ ok: false, reason: 'run_invalid', detail });
  const notOurs = invalid('run is not a token this server issued');
  if (token.length > MAX_RUN_TOKEN_LENGTH) return notOurs;
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return notOurs;
  }
  const key = typeof kid === 'string' ? await keyOf(kid) : undefined;
  if (!key) return invalid('run is signed with a key this server does not know');
  try {
    const { payload } = await jwtVerify(token, await cryptoKeyOf(key), {
      algorithms: ['HS256'],
      typ: RUN_TOKEN_TYPE,
      currentDate: new Date(now),
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['jti', 'exp', 'iat'],
    });
    if (!READABLE_FORMATS.has(payload.v) || typeof payload.st !== 'number' || typeof payload.jti !== 'string') {
      return invalid('run is in a format this server does not read');
    }
    return { ok: true, run: { id: payload.jti, startedAt: payload.st, expiresAt: (payload.exp as number) * 1000 } };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'run_expired', detail: 'run has expired' };
    return invalid('run signature or claims are not valid');
  }
}
