/**
 * Reads a JSON array of manifests on stdin and prints a JSON array of schema problems: each object
 * validated by kubernetes-models (ajv validators generated from the Kubernetes OpenAPI schema), Argo
 * Rollouts' objects by @kubernetes-models/argo-rollouts (generated from its CRDs).
 */
import { text } from 'node:stream/consumers';

type Manifest = { apiVersion: string; kind: string; metadata?: { name?: string } };
type Validating = new (data: unknown) => { validate(): void };

const manifests = JSON.parse(await text(process.stdin)) as Manifest[];
const problems: string[] = [];
for (const manifest of manifests) {
  const module = manifest.apiVersion.includes('/') ? manifest.apiVersion : 'v1';
  // Argo Rollouts' kinds from its own models (generated from its CRDs), the rest from Kubernetes'.
  const source = module.startsWith('argoproj.io/') ? `@kubernetes-models/argo-rollouts/${module}` : `kubernetes-models/${module}`;
  const group = (await import(source)) as Record<string, Validating | undefined>;
  const Model = group[manifest.kind];
  if (!Model) {
    problems.push(`${manifest.kind}: no schema in ${source}`);
    continue;
  }
  try {
    new Model(manifest).validate();
  } catch (error) {
    problems.push(`${manifest.kind}/${manifest.metadata?.name}: ${(error as Error).message}`);
  }
}
process.stdout.write(JSON.stringify(problems));
