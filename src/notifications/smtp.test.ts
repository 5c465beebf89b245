import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpPeer } from '../../test/support/smtp-peer.ts';
import { builtInTemplate, sampleView } from './built-in-templates.ts';
import { renderParts } from './render.ts';
import { sendEmail } from './smtp.ts';

let peer: SmtpPeer;
beforeAll(async () => {
  peer = await new SmtpPeer().start();
});
afterAll(async () => {
  await peer.stop();
});

describe('sendEmail', () => {
  it('delivers a rendered mail with its text and HTML parts to a real SMTP server', async () => {
    const parts = renderParts(builtInTemplate('shipped', 'en'), { ...sampleView });
    await sendEmail(peer.url, { from: 'shop@example.com', to: 'alex@example.com', parts });
    const mail = peer.messages.at(-1)!;
    expect(mail.subject).toBe('Your order SAMPLE-1001 is on its way');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('alex@example.com');
    expect(mail.text).toContain('Track it: https://www.ups.com/track?tracknum=1Z999AA10123456784');
    expect(mail.html).toContain('href="https://www.ups.com/track?tracknum&#x3D;1Z999AA10123456784"');
  });

  it('throws with the server’s answer when it refuses the recipient', async () => {
    peer.refuse = true;
    const count = peer.messages.length;
    const parts = renderParts(builtInTemplate('delivered', 'de'), { ...sampleView });
    await expect(sendEmail(peer.url, { from: 'shop@example.com', to: 'alex@example.com', parts })).rejects.toThrow(
      /451/,
    );
    expect(peer.messages.length).toBe(count);
    peer.refuse = false;
  });
});
