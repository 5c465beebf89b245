/** One text or push message as Consign POSTs it to the configured webhook. */
interface WebhookMessage {
  id: string;
  channel: 'sms' | 'push';
  kind: string;
  locale: string;
  /** The phone number (sms) or the shop's customer ID (push). */
  recipient: string;
  /** The push title; text messages may ignore it. */
  subject: string;
  text: string;
  order_id: string;
}

/**
 * POSTs the message as JSON; any 2xx is sent, anything else (or no answer within `timeoutMs`)
 * throws and the message is tried again later. `Idempotency-Key` is the message ID, the same on
 * every attempt, so the receiver can drop a repeat.
 */
export async function sendWebhookMessage(url: string, message: WebhookMessage, timeoutMs = 10_000): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': message.id,
      'user-agent': 'Consign-Notifications',
    },
    body: JSON.stringify(message),
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
  if (response.status < 200 || response.status >= 300)
    throw new Error(`HTTP ${response.status}${body ? `: ${body}` : ''}`);
}
