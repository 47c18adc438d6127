/**
 * The release history, kept in the cluster the way Helm keeps its own: one Secret per release in the
 * app's namespace, holding what was applied (gzipped, so a rollback can re-apply it exactly) and how
 * it ended. Pure: encoding, decoding and choosing; cluster.ts reads and writes the Secrets.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { labelSelector } from '../charts/labels.ts';
import { Refused } from './command.ts';

export type ReleaseStatus = 'pending' | 'deployed' | 'superseded' | 'failed';

export interface ReleaseRecord {
  revision: number;
  status: ReleaseStatus;
  /** ISO times. */
  startedAt: string;
  finishedAt?: string;
  /** The app image the release runs. */
  image: string;
  /** What happened, one line (the failure's reason when it failed). */
  description: string;
  /** The manifests applied, as YAML. */
  manifests: string;
}

export const HISTORY_SECRET_TYPE = 'drafty-bird.dev/release.v1';
export const HISTORY_LABELS = { 'app.kubernetes.io/managed-by': 'drafty-bird-release', 'app.kubernetes.io/name': 'drafty-bird' } as const;
export const HISTORY_SELECTOR = labelSelector(HISTORY_LABELS);

export const historySecretName = (revision: number) => `drafty-bird-release.v${revision}`;

export interface HistorySecret {
  apiVersion: 'v1';
  kind: 'Secret';
  type: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  data: { release: string };
}

/** The Secret for a record: status and revision as labels (so `kubectl get secrets -l …` reads them), the rest gzipped. */
export function toSecret(record: ReleaseRecord, namespace: string): HistorySecret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: HISTORY_SECRET_TYPE,
    metadata: {
      name: historySecretName(record.revision),
      namespace,
      labels: { ...HISTORY_LABELS, 'drafty-bird.dev/release-revision': String(record.revision), 'drafty-bird.dev/release-status': record.status },
    },
    data: { release: gzipSync(JSON.stringify(record)).toString('base64') },
  };
}

export function fromSecret(secret: { data?: Record<string, string> }): ReleaseRecord {
  const data = secret.data?.release;
  if (!data) throw new Error('not a release record: no data.release');
  return JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')) as ReleaseRecord;
}

export function newestFirst(records: readonly ReleaseRecord[]): ReleaseRecord[] {
  return [...records].sort((a, b) => b.revision - a.revision);
}

export function nextRevision(records: readonly ReleaseRecord[]): number {
  return Math.max(0, ...records.map((r) => r.revision)) + 1;
}

/** The release running now: the newest one that was kept. */
export function current(records: readonly ReleaseRecord[]): ReleaseRecord | undefined {
  return newestFirst(records).find((r) => r.status === 'deployed');
}

/**
 * What `release rollback [N]` re-applies: revision N, or by default the release before the current
 * one that was itself kept once (deployed or later superseded) — never a failed one.
 */
export function rollbackTarget(records: readonly ReleaseRecord[], revision?: number): ReleaseRecord {
  if (revision !== undefined) {
    const found = records.find((r) => r.revision === revision);
    if (!found) throw new Refused(`no release ${revision} in the history (release history lists them)`);
    if (found.status === 'failed' || found.status === 'pending') throw new Refused(`release ${revision} ${found.status === 'failed' ? 'failed' : 'never finished'}: rolling back to it would not restore a working version`);
    return found;
  }
  const running = current(records);
  const earlier = newestFirst(records).find((r) => r.status === 'superseded' && (!running || r.revision < running.revision));
  if (!earlier) throw new Refused('no earlier release that was kept: nothing to roll back to');
  return earlier;
}

/** `release history`: one line per release, newest first, like `helm history`. */
export function historyTable(records: readonly ReleaseRecord[]): string[] {
  const rows = newestFirst(records).map((r) => [String(r.revision), r.finishedAt ?? r.startedAt, r.status, r.image, r.description]);
  const header = ['REVISION', 'UPDATED', 'STATUS', 'IMAGE', 'DESCRIPTION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}
