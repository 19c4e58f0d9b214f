// Outgoing mail through the job queue (the outbox): a message exists only if the change that sends it
// commits, and it is retried until the mail server takes it.
import fs from "node:fs";
import path from "node:path";
import type { Transporter } from "nodemailer";
import type { Db } from "../db/index.ts";
import { defineJob, type JobDefinition, type JobQueue, PermanentJobError } from "../jobs/index.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Files sent with the message (a report's PDF), base64 in the queued job. */
  attachments?: Array<{ filename: string; contentType: string; contentBase64: string }>;
}

export interface Mailer {
  /** Queues a message in the caller's transaction. */
  send(tx: Db, message: MailMessage): Promise<void>;
  /** The job that sends what is queued (registered by the platform's module). */
  readonly job: JobDefinition<MailMessage>;
}

/**
 * `smtpUrl` null writes each message as an .eml file into `<dataDir>/mail` (a development mail catcher:
 * open the file in a mail program). Addresses and bodies are never logged.
 */
export function createMailer(deps: { jobs: JobQueue; smtpUrl: string | null; from: string; dataDir: string }): Mailer {
  const catcher = path.join(deps.dataDir, "mail");
  // nodemailer is loaded with the first message sent: most processes send none (a test file, the CLI), and
  // loading it cost each of them.
  let transport: Promise<Transporter> | null = null;
  const transportOf = () =>
    (transport ??= import("nodemailer").then(({ default: nodemailer }) =>
      deps.smtpUrl ? nodemailer.createTransport(deps.smtpUrl) : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }),
    ));
  const job = defineJob<MailMessage>({
    name: "mail.send",
    maxAttempts: 8,
    handler: async (message, ctx) => {
      try {
        const info = (await (await transportOf()).sendMail({
          from: deps.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.attachments?.length
            ? { attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.contentBase64, encoding: "base64" })) }
            : {}),
        })) as {
          messageId?: string;
          message?: Buffer;
        };
        if (!deps.smtpUrl && info.message) {
          fs.mkdirSync(catcher, { recursive: true, mode: 0o700 });
          fs.writeFileSync(path.join(catcher, `${Date.now()}-${ctx.id}.eml`), info.message, { mode: 0o600 });
        }
        ctx.logger.info({ job: ctx.id, messageId: info.messageId }, "mail sent");
      } catch (err) {
        // 5xx: the server refuses this message for good; anything else (4xx, network) is retried.
        const code = (err as { responseCode?: number }).responseCode;
        if (typeof code === "number" && code >= 500) throw new PermanentJobError(`mail refused (${code})`);
        throw err;
      }
    },
  });
  return { job, send: async (tx, message) => void (await deps.jobs.enqueue(tx, job, message)) };
}
