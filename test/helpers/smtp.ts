// A real SMTP server on 127.0.0.1 (smtp-server) that keeps what it receives, parsed (mailparser), so mail
// tests assert on messages that went through SMTP rather than on a mock.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./net.ts";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  /** The files attached: name, type and bytes. */
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`, for `config.smtpUrl`. */
  url: string;
  /** Every message received so far, in order. */
  inbox: ReceivedMail[];
  close(): Promise<void>;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const port = await freePort();
  const inbox: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text;
          inbox.push({
            to: to ?? "",
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            attachments: mail.attachments.map((a) => ({ filename: a.filename ?? "", contentType: a.contentType, content: a.content })),
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((r) => smtp.listen(port, "127.0.0.1", r));
  return { url: `smtp://127.0.0.1:${port}`, inbox, close: () => new Promise<void>((r) => smtp.close(() => r())) };
}
