import { createDecoder, createSigner, createVerifier } from 'fast-jwt';
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

type Signer = (payload: Record<string, unknown>) => string;

const signers = new WeakMap<RunKey, Signer>();

/**
 * fast-jwt signs and verifies with node:crypto's HMAC, synchronously: jose goes through WebCrypto,
 * whose jobs cost ~5× as much CPU per token here (bench/RESULTS.md) — on every game start and score.
 */
function signerOf(key: RunKey): Signer {
  let signer = signers.get(key);
  if (!signer) {
    signer = createSigner({ key: Buffer.from(key.secret), algorithm: 'HS256', kid: key.id, header: { alg: 'HS256', typ: RUN_TOKEN_TYPE } }) as Signer;
    signers.set(key, signer);
  }
  return signer;
}

export async function signRun(run: Run, key: RunKey): Promise<string> {
  return signerOf(key)({ v: FORMAT, st: run.startedAt, jti: run.id, iat: Math.floor(run.startedAt / 1000), exp: Math.ceil(run.expiresAt / 1000) });
}

const readHeader = createDecoder({ complete: true });

type Verifier = (token: string) => unknown;

const verifiers = new WeakMap<RunKey, Verifier>();

/**
 * One verifier per key, like the signers: making one per read cost as much as the HMAC itself. It
 * checks the signature, type and claims; expiry is checked by readRun at the service's clock (`now`,
 * which tests move), since a verifier's clock is fixed when it is made. Runs carry no `nbf`.
 */
function verifierOf(key: RunKey): Verifier {
  let verifier = verifiers.get(key);
  if (!verifier) {
    verifier = createVerifier({
      key: Buffer.from(key.secret),
      algorithms: ['HS256'],
      checkTyp: RUN_TOKEN_TYPE,
      ignoreExpiration: true,
      ignoreNotBefore: true,
      requiredClaims: ['jti', 'exp', 'iat'],
      cache: false,
    }) as Verifier;
    verifiers.set(key, verifier);
  }
  return verifier;
}

/** Verifies a run token's signature, type, format and expiry at `now`; never throws on bad input. */
export async function readRun(token: string, keyOf: (id: string) => Promise<RunKey | undefined>, now: number): Promise<RunReading> {
  const invalid = (detail: string): RunReading => ({ ok: false, reason: 'run_invalid', detail });
  const notOurs = invalid('run is not a token this server issued');
  if (token.length > MAX_RUN_TOKEN_LENGTH) return notOurs;
  let kid: unknown;
  try {
    kid = (readHeader(token) as { header: { kid?: unknown } }).header.kid;
  } catch {
    return notOurs;
  }
  const key = typeof kid === 'string' ? await keyOf(kid) : undefined;
  if (!key) return invalid('run is signed with a key this server does not know');
  try {
    const payload = verifierOf(key)(token) as Record<string, unknown>;
    if (!READABLE_FORMATS.has(payload.v) || typeof payload.st !== 'number' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      return invalid('run is in a format this server does not read');
    }
    if (now > payload.exp * 1000 + CLOCK_TOLERANCE_S * 1000) return { ok: false, reason: 'run_expired', detail: 'run has expired' };
    return { ok: true, run: { id: payload.jti, startedAt: payload.st, expiresAt: payload.exp * 1000 } };
  } catch {
    return invalid('run signature or claims are not valid');
  }
}
