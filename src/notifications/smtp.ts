import nodemailer from 'nodemailer';
import type { TemplateParts } from './render.ts';

/**
 * Sends one rendered e-mail over SMTP. `smtpUrl` is `smtp://host:port` (STARTTLS when the server
 * offers it) or `smtps://host:port` (TLS from the start); user and password go in the URL.
 * Returns the server's message ID, or throws with the server's answer when it refuses. A server
 * that does not answer is given up on well within the notifier's lease (see send.ts): 20 s to
 * connect and greet, a minute of silence mid-conversation.
 */
export async function sendEmail(
  smtpUrl: string,
  message: { from: string; to: string; parts: TemplateParts; headers?: Record<string, string> },
): Promise<string> {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
  try {
    const sent = await transport.sendMail({
      from: message.from,
      to: message.to,
      subject: message.parts.subject,
      text: message.parts.text,
      ...(message.parts.html === null ? {} : { html: message.parts.html }),
      headers: message.headers ?? {},
    });
    return sent.messageId;
  } finally {
    transport.close();
  }
}
