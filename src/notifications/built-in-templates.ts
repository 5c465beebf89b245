import type { NotificationKind } from './kinds.ts';
import type { TemplateParts } from './render.ts';

export const locales = ['en', 'de'] as const;
export type Locale = (typeof locales)[number];

/** The fields every template may use; a field a message has no value for is null. */
export interface NotificationView {
  customer_name: string;
  order_number: string;
  carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  pickup_code: string | null;
  return_number: string | null;
  return_instructions: string | null;
  refund_amount: string | null;
  promise_date: string | null;
  unsubscribe_url: string | null;
}

type Texts = Record<NotificationKind, { subject: string; body: string }>;

const en: Texts = {
  order_confirmed: {
    subject: 'Your order {{order_number}} is confirmed',
    body: 'Thank you, {{customer_name}}. We have confirmed your order {{order_number}}.',
  },
  shipped: {
    subject: 'Your order {{order_number}} is on its way',
    body: 'Your order {{order_number}} has shipped with {{carrier}} ({{tracking_number}}).{{#if tracking_url}} Track it: {{tracking_url}}{{/if}}',
  },
  ready_for_pickup: {
    subject: 'Your order {{order_number}} is ready for pickup',
    body: 'Your order {{order_number}} is ready. Show this pickup code at the store: {{pickup_code}}',
  },
  delivered: {
    subject: 'Your order {{order_number}} was delivered',
    body: 'Your order {{order_number}} was delivered. We hope you enjoy it.',
  },
  return_authorized: {
    subject: 'Your return {{return_number}} is authorized',
    body: 'We have authorized return {{return_number}} for order {{order_number}}. {{return_instructions}}',
  },
  refund_issued: {
    subject: 'Your refund for order {{order_number}}',
    body: 'We have refunded {{refund_amount}} for order {{order_number}}.',
  },
  promise_changed: {
    subject: 'A new date for your order {{order_number}}',
    body: 'Part of your order {{order_number}} is now expected on {{promise_date}}.',
  },
};

const de: Texts = {
  order_confirmed: {
    subject: 'Ihre Bestellung {{order_number}} ist bestätigt',
    body: 'Vielen Dank, {{customer_name}}. Wir haben Ihre Bestellung {{order_number}} bestätigt.',
  },
  shipped: {
    subject: 'Ihre Bestellung {{order_number}} ist unterwegs',
    body: 'Ihre Bestellung {{order_number}} wurde mit {{carrier}} ({{tracking_number}}) versandt.{{#if tracking_url}} Sendungsverfolgung: {{tracking_url}}{{/if}}',
  },
  ready_for_pickup: {
    subject: 'Ihre Bestellung {{order_number}} liegt zur Abholung bereit',
    body: 'Ihre Bestellung {{order_number}} ist bereit. Ihr Abholcode: {{pickup_code}}',
  },
  delivered: {
    subject: 'Ihre Bestellung {{order_number}} wurde zugestellt',
    body: 'Ihre Bestellung {{order_number}} wurde zugestellt. Viel Freude damit.',
  },
  return_authorized: {
    subject: 'Ihre Rücksendung {{return_number}} ist genehmigt',
    body: 'Wir haben die Rücksendung {{return_number}} zur Bestellung {{order_number}} genehmigt. {{return_instructions}}',
  },
  refund_issued: {
    subject: 'Ihre Erstattung zur Bestellung {{order_number}}',
    body: 'Wir haben {{refund_amount}} zur Bestellung {{order_number}} erstattet.',
  },
  promise_changed: {
    subject: 'Neuer Termin für Ihre Bestellung {{order_number}}',
    body: 'Ein Teil Ihrer Bestellung {{order_number}} wird nun am {{promise_date}} erwartet.',
  },
};

const footer = { en: 'Unsubscribe', de: 'Abmelden' } as const;

/** The template Consign ships for a kind and locale: one sentence, as text and as HTML. */
export function builtInTemplate(kind: NotificationKind, locale: Locale): TemplateParts {
  const { subject, body } = (locale === 'de' ? de : en)[kind];
  const unsubscribe = `{{#if unsubscribe_url}}`;
  return {
    subject,
    text: `${body}\n${unsubscribe}\n${footer[locale]}: {{unsubscribe_url}}\n{{/if}}`,
    html: `<p>${body.replace(/\{\{tracking_url\}\}/g, '<a href="{{tracking_url}}">{{tracking_url}}</a>')}</p>${unsubscribe}<p><a href="{{unsubscribe_url}}">${footer[locale]}</a></p>{{/if}}`,
  };
}

/** The view of the preview: every field filled. */
export const sampleView: NotificationView = {
  customer_name: 'Alex Example',
  order_number: 'SAMPLE-1001',
  carrier: 'ups',
  tracking_number: '1Z999AA10123456784',
  tracking_url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
  pickup_code: '123456',
  return_number: 'rma_sample',
  return_instructions: 'Pack the items with the return number inside and hand the parcel to the carrier.',
  refund_amount: '25.00 USD',
  promise_date: '2026-12-24',
  unsubscribe_url: 'https://shop.example/v1/notifications/unsubscribe?token=sample',
};
