/**
 * A webhook receiver for Alertmanager's notifications (its webhook JSON, version 4): what
 * `npm run observe` prints and what the e2e suite asserts on. Keeps every notification in order.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NotifiedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

export interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: NotifiedAlert[];
  groupLabels: Record<string, string>;
}

/** Bodies larger than this are refused: a notification is a few kilobytes. */
const MAX_BODY = 1024 * 1024;

export class AlertReceiver {
  readonly notifications: Notification[] = [];
  private server?: Server;
  private readonly listeners = new Set<() => void>();
  private readonly onNotification: (notification: Notification) => void;

  constructor(onNotification: (notification: Notification) => void = () => undefined) {
    this.onNotification = onNotification;
  }

  /** Listens on 127.0.0.1 (`port` 0: any free one); returns the URL to configure as the webhook. */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) req.destroy();
        else chunks.push(chunk);
      });
      req.on('end', () => {
        try {
          const notification = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Notification;
          this.notifications.push(notification);
          this.onNotification(notification);
          for (const listener of this.listeners) listener();
          res.writeHead(200).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alerts`;
  }

  /** The first alert notified, from now or earlier, that `matches`; rejects after `timeoutMs`. */
  waitFor(what: string, matches: (alert: NotifiedAlert, notification: Notification) => boolean, timeoutMs: number): Promise<NotifiedAlert> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (const notification of this.notifications) {
          const alert = notification.alerts.find((a) => matches(a, notification));
          if (alert) {
            this.listeners.delete(check);
            clearTimeout(timer);
            resolve(alert);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`no notification of ${what} within ${timeoutMs} ms (${this.notifications.length} received)`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** One line per alert of a notification, as `npm run observe` prints it. */
export function describeNotification(notification: Notification): string[] {
  return notification.alerts.map((alert) => {
    const { alertname, severity, ...rest } = alert.labels;
    const labels = Object.entries(rest)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return `[${alert.status.toUpperCase()}] ${severity ?? '-'} ${alertname} ${labels} — ${alert.annotations.summary ?? ''} (${alert.annotations.runbook_url ?? 'no runbook'})`;
  });
}
