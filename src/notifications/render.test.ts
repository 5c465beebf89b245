import { describe, expect, it } from 'vitest';
import { builtInTemplate, locales, sampleView } from './built-in-templates.ts';
import { kindForEvent, notificationKinds, type NotificationKind } from './kinds.ts';
import { renderParts, renderProblem } from './render.ts';
import { trackingUrl } from './tracking-links.ts';

const kinds = Object.keys(notificationKinds) as NotificationKind[];

describe('built-in notification templates', () => {
  it('render every kind in every locale with the sample view, as text and HTML', () => {
    for (const kind of kinds)
      for (const locale of locales) {
        const parts = renderParts(builtInTemplate(kind, locale), { ...sampleView });
        expect(parts.subject, `${kind}/${locale}`).not.toBe('');
        expect(parts.text, `${kind}/${locale}`).toContain('SAMPLE-1001');
        expect(parts.text).toContain(`${sampleView.unsubscribe_url}`);
        // Handlebars writes `=` as `&#x3D;` in HTML: the same URL to every mail reader.
        expect(parts.html).toContain(`href="${sampleView.unsubscribe_url!.replace('=', '&#x3D;')}"`);
      }
  });

  it('put the tracking link in the shipped mail and the pickup code in the pickup mail', () => {
    const shipped = renderParts(builtInTemplate('shipped', 'en'), { ...sampleView });
    expect(shipped.text).toContain('Track it: https://www.ups.com/track?tracknum=1Z999AA10123456784');
    expect(shipped.html).toContain('<a href="https://www.ups.com/track?tracknum&#x3D;1Z999AA10123456784">');
    const pickup = renderParts(builtInTemplate('ready_for_pickup', 'de'), { ...sampleView });
    expect(pickup.text).toContain('Ihr Abholcode: 123456');
  });

  it('leave the link out when the carrier has no tracking page, and escape HTML only in the HTML part', () => {
    const view = { ...sampleView, tracking_url: null, customer_name: 'A & <B>', unsubscribe_url: null };
    const shipped = renderParts(builtInTemplate('shipped', 'en'), view);
    expect(shipped.text).not.toContain('Track it');
    const confirmed = renderParts(builtInTemplate('order_confirmed', 'en'), view);
    expect(confirmed.text).toContain('Thank you, A & <B>.');
    expect(confirmed.html).toContain('Thank you, A &amp; &lt;B&gt;.');
    expect(confirmed.text).not.toContain('Unsubscribe');
  });
});

describe('renderProblem', () => {
  it('refuses a misspelt field, an unknown helper and broken syntax, naming the part', () => {
    const base = { subject: 'x', text: 'y', html: null };
    expect(renderProblem({ ...base, text: '{{order_numbr}}' }, { ...sampleView })).toEqual({
      part: 'text',
      reason: expect.stringMatching(/order_numbr/),
    });
    expect(renderProblem({ ...base, text: '{{lookup order_number}}' }, { ...sampleView })?.part).toBe('text');
    expect(renderProblem({ ...base, subject: '{{#if}}' }, { ...sampleView })?.part).toBe('subject');
    expect(renderProblem({ ...base, html: '<p>{{carier}}</p>' }, { ...sampleView })?.part).toBe('html');
    expect(renderProblem({ ...base, text: '{{#if pickup_code}}{{pickup_code}}{{/if}}' }, { ...sampleView })).toBeNull();
  });
});

describe('kindForEvent and trackingUrl', () => {
  it('maps the customer-facing events and nothing else', () => {
    expect(kindForEvent('order.confirmed', {})).toBe('order_confirmed');
    expect(kindForEvent('fulfillment_order.partially_shipped', {})).toBe('shipped');
    expect(kindForEvent('return.status_changed', { to: 'authorized' })).toBe('return_authorized');
    expect(kindForEvent('return.status_changed', { to: 'received' })).toBeNull();
    expect(kindForEvent('order.routed', {})).toBeNull();
    expect(notificationKinds.delivered.transactional).toBe(false);
  });

  it('builds carrier tracking links, encoded, and none for unknown carriers', () => {
    expect(trackingUrl('UPS', '1Z 1')).toBe('https://www.ups.com/track?tracknum=1Z%201');
    expect(trackingUrl('pigeon', '1')).toBeNull();
    expect(trackingUrl('ups', null)).toBeNull();
  });
});
