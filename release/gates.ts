/**
 * The release gates measured the way the Argo Rollouts AnalysisTemplate measures them: the same
 * queries (charts/observability/release-gates.ts) on the new revision's pods, the same verdicts.
 */
import { judge, RELEASE_GATES, type Verdict } from '../charts/observability/release-gates.ts';
import { Refused } from './command.ts';

interface QueryResponse {
  status: string;
  error?: string;
  data?: { result: Array<{ value: [number, string] }> };
}

/** A Prometheus that does not answer makes a measurement inconclusive, never a pass; the reason is kept. */
export async function measureGates(prometheusUrl: string, revision: string, window: string): Promise<{ verdicts: Record<string, Verdict>; problems: string[] }> {
  const verdicts: Record<string, Verdict> = {};
  const problems: string[] = [];
  for (const gate of RELEASE_GATES) {
    try {
      const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(gate.query(revision, window))}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as QueryResponse;
      if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${res.status}`);
      verdicts[gate.name] = judge(gate, (body.data?.result ?? []).map((sample) => Number(sample.value[1])));
    } catch (error) {
      verdicts[gate.name] = 'inconclusive';
      problems.push(`${gate.name}: ${(error as Error).message}`);
    }
  }
  return { verdicts, problems };
}

/** Checked before anything is applied: a release whose gates cannot be read would only ever roll back. */
export async function assertReachable(prometheusUrl: string): Promise<void> {
  const ready = await fetch(`${prometheusUrl}/-/ready`, { signal: AbortSignal.timeout(5_000) }).then(
    (res) => res.ok,
    () => false,
  );
  if (!ready) {
    throw new Refused(`Prometheus is not answering at ${prometheusUrl}: port-forward it (kubectl --context <context> -n drafty-bird port-forward svc/prometheus 9090:9090) or pass --prometheus URL`);
  }
}
