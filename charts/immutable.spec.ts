import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleValues } from './testing/example-values.ts';
import { synthesize } from './synth.ts';
import { ENVIRONMENTS } from './values.ts';

/**
 * Kubernetes refuses to change a StatefulSet's selector, serviceName and volumeClaimTemplates on an
 * existing object: a chart change there breaks `kubectl apply` on every running cluster. This test
 * holds them to an approved copy; change the copy only together with a migration plan (delete with
 * --cascade=orphan and re-create).
 */
function immutableFields(values: ReturnType<typeof exampleValues>) {
  const statefulSets = synthesize(values).filter((m) => m.kind === 'StatefulSet') as unknown as Array<{
    metadata: { name: string };
    spec: { selector: unknown; serviceName: string; volumeClaimTemplates: unknown[] };
  }>;
  // Labels on claim templates are part of what Kubernetes refuses to change.
  return Object.fromEntries(
    statefulSets.map(({ metadata, spec }) => [metadata.name, { selector: spec.selector, serviceName: spec.serviceName, volumeClaimTemplates: spec.volumeClaimTemplates }]),
  );
}

describe.each(ENVIRONMENTS)('immutable StatefulSet fields of %s', (env) => {
  it('match charts/approved/statefulset-immutable.json', () => {
    const approved = JSON.parse(readFileSync(join(__dirname, 'approved', 'statefulset-immutable.json'), 'utf8'))[env];
    expect(immutableFields(exampleValues(env))).toEqual(approved);
  });

  it('do not change with a new release or new chaos settings', () => {
    const upgraded = exampleValues(env, ['image.tag=9.9.9', 'chaos.enabled=true', 'app.logLevel=debug']);
    expect(immutableFields(upgraded)).toEqual(immutableFields(exampleValues(env)));
  });
});
