import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail. The default writes to an outbox folder; an SMTP or API sender implements the same interface. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * Writes each message as an .eml file (mode 0600) in a folder. Messages carry secrets (reset links), so they
 * are never written to the log; the operator forwards them, or configures a real sender.
 */
export function outboxMailer(dir: string): Mailer {
  return {
    async send(message) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const at = new Date();
      const name = `${at.toISOString().replace(/[:.]/g, '-')}-${message.to.replace(/[^A-Za-z0-9@._-]/g, '_')}.eml`;
      const eml = [`Date: ${at.toUTCString()}`, `To: ${message.to}`, `Subject: ${message.subject}`, 'Content-Type: text/plain; charset=utf-8', '', message.text, ''].join('\r\n');
      writeFileSync(join(dir, name), eml, { mode: 0o600 });
    },
  };
}
