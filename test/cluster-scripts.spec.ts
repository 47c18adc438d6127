import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = join(__dirname, '..');

/**
 * The cluster scripts against stand-ins for docker, kind and kubectl that record every call: no
 * cluster runs here, but what the scripts ask of those tools — and what they do when one is missing or
 * exits — is checked for real.
 */
describe('the cluster scripts', () => {
  let dir: string;
  let log: string;
  /**
   * A stand-in in the stubs' folder. The folder also links the system's own tools: the link is removed
   * first, or writing would go through it and replace the real tool (this once overwrote /usr/bin/curl).
   */
  const stub = (name: string, body: string) => {
    const file = join(dir, 'bin', name);
    rmSync(file, { force: true });
    writeFileSync(file, `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n${body}\n`, { flag: 'wx' });
    chmodSync(file, 0o755);
  };
  const calls = (tool: string) =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith(`${tool} `));
  /** PATH with the stubs first, this node, and the system's own tools; never the machine's kubectl. */
  const path = () => [join(dir, 'bin'), dirname(process.execPath), '/usr/sbin', '/sbin', '/bin'].join(':');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-bird-scripts-'));
    log = join(dir, 'calls.log');
    writeFileSync(log, '');
    spawnSync('mkdir', ['-p', join(dir, 'bin')]);
    // npm and the coreutils the scripts use, from the system, without the real kubectl or docker.
    for (const tool of ['npm', 'grep', 'cut', 'awk', 'sed', 'cat', 'sleep', 'pkill', 'env', 'mkdir', 'tail', 'basename', 'timeout', 'curl', 'openssl']) {
      const found = spawnSync('which', [tool], { encoding: 'utf8' }).stdout.trim();
      if (found) spawnSync('ln', ['-s', found, join(dir, 'bin', tool)]);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a stand-in replaces the link to a system tool, never the tool itself', () => {
    const curl = spawnSync('which', ['curl'], { encoding: 'utf8' }).stdout.trim();
    const before = readFileSync(curl);
    stub('curl', 'true');
    expect(readFileSync(curl)).toEqual(before);
  });

  it('cluster up without kind, docker or kubectl says at once what to install', () => {
    const result = spawnSync('bash', [join(ROOT, 'scripts', 'cluster.sh'), 'up'], { env: { PATH: path(), HOME: dir }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cluster: missing (docker|kind|kubectl)( (docker|kind|kubectl))*: install Docker .* kind v\d+\.\d+\.\d+ .* kubectl /);
    expect(lines[0]).toContain('missing docker kind');
  });

  it('cluster up talks only to the kind context, tags the image by content and rolls to that tag', () => {
    stub('kind', 'case "$1" in get) echo drafty-bird ;; version) echo "kind v0.33.0 go1.25 linux/amd64" ;; esac');
    stub('docker', '[ "$1" = build ] && echo sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef; true');
    stub('kubectl', `[ "$3" = apply ] || [ "$5" = apply ] && cat > "${dir}/applied.yaml"; true`);
    const result = spawnSync('bash', [join(ROOT, 'scripts', 'cluster.sh'), 'up'], { env: { PATH: path(), HOME: process.env.HOME }, encoding: 'utf8' });
    expect(result.stderr).not.toContain('command not found');
    expect(result.status).toBe(0);
    const kubectl = calls('kubectl');
    expect(kubectl.length).toBeGreaterThan(0);
    for (const call of kubectl) expect(call).toMatch(/^kubectl --context kind-drafty-bird /);
    expect(calls('docker')).toContain('docker tag sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef ghcr.io/drafty-bird/drafty-bird:dev-0123456789ab');
    expect(calls('kind')).toContain('kind load docker-image ghcr.io/drafty-bird/drafty-bird:dev-0123456789ab --name drafty-bird');
    expect(readFileSync(join(dir, 'applied.yaml'), 'utf8')).toContain('image: ghcr.io/drafty-bird/drafty-bird:dev-0123456789ab');
  }, 30_000);

  it('PROFILE=local-ha installs pinned Argo Rollouts, creates the database Secrets the manifests name (same password, URL from the chart) once, then applies and waits for both workloads', () => {
    stub('kind', 'case "$1" in get) echo drafty-bird ;; version) echo "kind v0.33.0 go1.25 linux/amd64" ;; esac');
    stub('docker', '[ "$1" = build ] && echo sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef; true');
    // No Secret exists yet (get fails); apply's manifest is kept.
    stub('kubectl', `for a in "$@"; do [ "$a" = apply ] && cat > "${dir}/applied.yaml"; done; [ "$5" = get ] && [ "$6" = secret ] && exit 1; true`);
    const result = spawnSync('bash', [join(ROOT, 'scripts', 'cluster.sh'), 'up'], { env: { PATH: path(), HOME: process.env.HOME, PROFILE: 'local-ha' }, encoding: 'utf8' });
    expect(result.stderr).not.toContain('command not found');
    expect(result.status).toBe(0);
    const applied = readFileSync(join(dir, 'applied.yaml'), 'utf8');
    const kubectl = calls('kubectl');
    const created = kubectl.filter((call) => call.includes(' create secret generic '));
    const password = /drafty-bird-postgres --from-literal=password=([0-9a-f]{48})$/m.exec(created.join('\n'))?.[1];
    expect(password).toBeDefined();
    expect(created).toContain(`kubectl --context kind-drafty-bird -n drafty-bird create secret generic drafty-bird-database --from-literal=url=postgres://app:${password}@drafty-bird-postgres:5432/drafty`);
    // Exactly the Secrets the manifests refer to.
    expect(applied).toMatch(/key: url\n\s+name: drafty-bird-database\n/);
    expect(applied).toMatch(/key: password\n\s+name: drafty-bird-postgres\n/);
    expect(kubectl).toContain('kubectl --context kind-drafty-bird -n drafty-bird wait --for=condition=Available rollout/drafty-bird --timeout=300s');
    // Argo Rollouts (the release gates' engine) from its pinned release manifest, before the chart that uses its kinds.
    const install = kubectl.findIndex((call) => /apply -n argo-rollouts -f https:\/\/github\.com\/argoproj\/argo-rollouts\/releases\/download\/v\d+\.\d+\.\d+\/install\.yaml$/.test(call));
    expect(install).toBeGreaterThan(-1);
    expect(install).toBeLessThan(kubectl.findIndex((call) => call.endsWith(' apply -f -')));
    expect(kubectl).toContain('kubectl --context kind-drafty-bird -n drafty-bird rollout status statefulset/drafty-bird-postgres --timeout=300s');
  }, 30_000);

  it.each([
    ['local', [], true],
    ['local-ha', ['e2e/release.e2e.ts'], false],
  ] as const)('e2e-kind with PROFILE=%s runs its suite on that profile (the scale-out one: the release scenarios)', (profile, files, restarts) => {
    stub('kind', 'case "$1" in get) echo drafty-bird ;; version) echo "kind v0.33.0 go1.25 linux/amd64" ;; esac');
    stub('docker', '[ "$1" = build ] && echo sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef; true');
    stub('kubectl', `for a in "$@"; do [ "$a" = port-forward ] && exec sleep 30; [ "$a" = - ] && cat > /dev/null; done; true`);
    stub('curl', 'true');
    // The suite itself is recorded with the profile it was given; every other npm call is real.
    const npm = spawnSync('which', ['npm'], { encoding: 'utf8' }).stdout.trim();
    stub('npm', `[ "$2" = test:e2e ] && { echo "PROFILE=$PROFILE KUBE_CONTEXT=$KUBE_CONTEXT" >> "${log}"; exit 0; }; exec ${npm} "$@"`);
    const result = spawnSync('bash', [join(ROOT, 'scripts', 'e2e-kind.sh')], { env: { PATH: path(), HOME: process.env.HOME, PROFILE: profile }, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).not.toContain('command not found');
    if (result.status !== 0) throw new Error(result.stderr);
    expect(calls('npm').filter((call) => call.includes('test:e2e'))).toEqual([['npm run test:e2e --', ...files].join(' ')]);
    expect(calls('PROFILE=')).toEqual([]);
    expect(readFileSync(log, 'utf8')).toContain(`PROFILE=${profile} KUBE_CONTEXT=kind-drafty-bird`);
    expect(calls('kubectl').some((call) => call.includes('rollout restart statefulset/drafty-bird'))).toBe(restarts);
  }, 90_000);

  it('port-forwards are started again each time kubectl exits, even under set -e', async () => {
    stub('kubectl', 'exit 1');
    const script = `set -euo pipefail; . "${join(ROOT, 'scripts', 'lib', 'port-forward.sh')}"; keep_forwarding kind-x ns svc/app 1:2; sleep 2.6; stop_forwarding`;
    const shell = spawn('bash', ['-c', script], { env: { PATH: path() }, stdio: 'ignore' });
    await new Promise((resolve) => shell.on('exit', resolve));
    await sleep(100);
    const attempts = calls('kubectl');
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts[0]).toBe('kubectl --context kind-x -n ns port-forward svc/app 1:2');
  }, 10_000);
});
