// Sends the alert outbox over SMTP (nodemailer). Each row is claimed before it is sent (a lease:
// another worker, or this one after a restart, takes it only once the lease ran out) and marked
// sent after; its Message-ID is fixed when the row is written, so even a send repeated after a crash
// between the SMTP answer and the mark is the same message to the receiving side. Failures retry
// with back-off (src/core/alerts retryDelayMs), up to maxAttempts.
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Db } from '../../db/database.js';
import { retryDelayMs } from '../../core/alerts/index.js';
import * as outbox from './outbox-repository.js';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  /** the evidence as a picture: the mail gets an HTML part showing it and the SVG attached */
  html?: string;
  attachments?: { filename: string; content: string; contentType: string; cid: string }[];
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The mail of an outbox row: plain text, plus the chart inline and attached when the alert has one. */
export function mailOf(mail: outbox.OutboxMail, from: string): MailMessage {
  const message: MailMessage = { from, to: mail.recipient, subject: mail.subject, text: mail.body, messageId: mail.messageId };
  if (mail.chartSvg) {
    message.html = `<pre style="font: 14px/1.4 sans-serif; white-space: pre-wrap">${escapeHtml(mail.body)}</pre><p><img src="cid:chart@qmfg" alt="chart of the evidence"></p>`;
    message.attachments = [{ filename: 'chart.svg', content: mail.chartSvg, contentType: 'image/svg+xml', cid: 'chart@qmfg' }];
  }
  return message;
}

export interface MailTransport {
  sendMail(message: MailMessage): Promise<unknown>;
  close?(): void;
}

/** A transport to the SMTP server of QMFG_SMTP_URL (smtp://user:pass@host:port, smtps://…). */
export function smtpTransport(url: string): MailTransport {
  const transport = nodemailer.createTransport(url);
  return { sendMail: (message) => transport.sendMail(message), close: () => transport.close() };
}

export interface MailWorkerOptions {
  transport: MailTransport;
  from: string;
  clock?: () => number;
  /** how long a claim holds (a send taking longer than this could be repeated by another worker) */
  leaseMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  /** rows taken per round */
  batch?: number;
  /** runs between a row's claim and its send (tests stop a worker there, as a crash would) */
  afterClaim?: (mail: outbox.OutboxMail) => void | Promise<void>;
  onError?: (error: unknown) => void;
}

export class AlertMailWorker {
  readonly id = `mailer-${randomBytes(6).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly clock: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: MailWorkerOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** One round: sends what is due; answers how many were sent and how many failed (to be retried or given up). */
  async runOnce(): Promise<{ sent: number; failed: number }> {
    const { transport, from } = this.options;
    const leaseMs = this.options.leaseMs ?? 120_000;
    const maxAttempts = this.options.maxAttempts ?? 8;
    let sent = 0;
    let failed = 0;
    for (const mail of await outbox.dueMails(this.db, this.clock(), this.options.batch ?? 50)) {
      const now = this.clock();
      if (!(await outbox.claimMail(this.db, mail.id, this.id, now, now + leaseMs))) continue;
      await this.options.afterClaim?.(mail);
      try {
        await transport.sendMail(mailOf(mail, from));
      } catch (error) {
        const attempts = mail.attempts + 1;
        const next = attempts >= maxAttempts ? null : this.clock() + retryDelayMs(attempts, this.options.retryBaseMs);
        await outbox.markFailed(this.db, mail.id, this.id, `${(error as Error).message ?? String(error)}`, attempts, next);
        failed++;
        continue;
      }
      await outbox.markSent(this.db, mail.id, this.id, this.clock());
      sent++;
    }
    return { sent, failed };
  }

  start(intervalMs = 5_000): void {
    if (this.timer) return;
    const tick = () => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.running = null;
        });
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.options.transport.close?.();
  }
}
