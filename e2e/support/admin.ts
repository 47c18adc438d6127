import type { Client } from './client.ts';

/**
 * Replaces the live chaos settings through the admin API (PUT /chaos on the main port), as an operator
 * does on a game day; fails loudly when the deployment refuses.
 */
export async function setChaos(client: Client, token: string | undefined, settings: object): Promise<void> {
  if (!token) throw new Error('CHAOS_ADMIN_TOKEN is required to change chaos on this deployment');
  const res = await client.request('/chaos', {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  if (res.status !== 200) throw new Error(`PUT /chaos answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer().catch(() => undefined);
}
