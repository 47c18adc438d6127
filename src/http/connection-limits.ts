import { readFileSync } from 'node:fs';

/**
 * Timeouts, set deliberately on the one HTTP server both ports feed (so they hold for players and
 * operators alike).
 */
export const HTTP_TIMEOUTS = {
  /**
   * Idle keep-alive connections live longer than the load balancers' own idle timeout in front of
   * them (AWS ALB: 60 s; the AKS app-routing nginx keeps upstream connections 60 s): a backend that
   * closes first races the balancer's next request on that connection — the classic intermittent 502.
   */
  keepAliveMs: 65_000,
  /** All request headers must arrive within this (slow-header attacks). */
  headersMs: 10_000,
  /** A socket with no traffic in either direction for this long is closed (longer than any answer, chaos included). */
  idleSocketMs: 120_000,
  /** How often Node enforces the header and request timeouts. */
  checkIntervalMs: 1_000,
} as const;

/** File descriptors kept free of client connections: the database, its WAL, logs, the span exporter. */
export const RESERVED_DESCRIPTORS = 64;
/** Share of the connection budget for the public port when there is one; the rest keeps probes and scrapes answering. */
export const PUBLIC_SHARE = 0.8;
/** Upper bounds whatever the descriptor limit, so memory stays bounded too (each connection holds buffers). */
export const MAX_PUBLIC_CONNECTIONS = 4096;
export const MAX_MAIN_CONNECTIONS = 1024;

export interface ConnectionCaps {
  main: number;
  public?: number;
}

/**
 * How many connections each port may hold: below the process's descriptor limit with headroom, the
 * public port taking most of it, so a flood of player connections can never starve the kubelet's
 * probes on the main port (which a liveness restart would follow).
 */
export function connectionCaps(descriptorLimit: number, hasPublicPort: boolean): ConnectionCaps {
  const budget = Math.max(16, descriptorLimit - RESERVED_DESCRIPTORS);
  if (!hasPublicPort) return { main: Math.min(MAX_PUBLIC_CONNECTIONS, budget) };
  const publicCap = Math.min(MAX_PUBLIC_CONNECTIONS, Math.floor(budget * PUBLIC_SHARE));
  return { public: publicCap, main: Math.min(MAX_MAIN_CONNECTIONS, budget - publicCap) };
}

/** The soft limit on open files of this process (Linux), or a conservative 1024 where it cannot be read. */
export function descriptorLimit(limits = readLimits()): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
  if (!match) return 1024;
  return match[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(match[1]);
}

function readLimits(): string {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return '';
  }
}
