import { addressLines, printable, renderPdf } from '../shared/pdf.ts';
import type { InvoiceDocument, Money } from './document.ts';
import { formatMoney } from './money-format.ts';

/**
 * Renders an invoice or credit memo from its JSON document onto A4 pages: header, seller and
 * buyer, the line table (repeated header on every page), totals and references. Uses the PDF
 * standard fonts (no font files), so text outside their WinAnsi encoding is shown as `?`.
 */
const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const RIGHT = PAGE.width - PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin - 24;
const GREY = '#555555';
const COLUMNS = [
  { key: 'item', title: 'Item', width: 175, align: 'left' },
  { key: 'quantity', title: 'Qty', width: 40, align: 'right' },
  { key: 'unit_price', title: 'Unit price', width: 75, align: 'right' },
  { key: 'discount', title: 'Discount', width: 70, align: 'right' },
  { key: 'tax', title: 'Tax', width: 60, align: 'right' },
  { key: 'total', title: 'Amount', width: 79, align: 'right' },
] as const;
const MAX_LINES = 10_000;

type Doc = PDFKit.PDFDocument;

const amount = (money: Money) => formatMoney(money.amount, money.currency);
const date = (iso: string) => iso.slice(0, 10);

function header(doc: Doc, invoice: InvoiceDocument): void {
  const title = invoice.kind === 'credit_memo' ? 'CREDIT MEMO' : 'INVOICE';
  doc
    .font('Helvetica-Bold')
    .fontSize(15)
    .fillColor('black')
    .text(printable(invoice.seller.name), PAGE.margin, PAGE.margin, { width: 260 });
  doc.font('Helvetica').fontSize(9).fillColor(GREY);
  for (const line of invoice.seller.address) doc.text(printable(line), { width: 260 });
  if (invoice.seller.tax_id) doc.text(`Tax ID ${printable(invoice.seller.tax_id)}`, { width: 260 });
  const sellerBottom = doc.y;

  doc
    .font('Helvetica-Bold')
    .fontSize(20)
    .fillColor('black')
    .text(title, 300, PAGE.margin, { width: RIGHT - 300, align: 'right' });
  doc.font('Helvetica').fontSize(10);
  const facts: [string, string][] = [
    ['Number', invoice.number],
    ['Issued', date(invoice.issued_at)],
    ['Order', printable(invoice.references.order_external_id ?? invoice.references.order_id)],
  ];
  for (const [label, value] of facts)
    doc.text(`${label}: ${value}`, 300, doc.y, { width: RIGHT - 300, align: 'right' });
  doc.y = Math.max(sellerBottom, doc.y) + 16;
  doc.moveTo(PAGE.margin, doc.y).lineTo(RIGHT, doc.y).strokeColor('#cccccc').lineWidth(1).stroke();
  doc.y += 12;
}

function parties(doc: Doc, invoice: InvoiceDocument): void {
  const top = doc.y;
  const buyer = invoice.buyer;
  doc
    .font('Helvetica-Bold')
    .fontSize(9)
    .fillColor(GREY)
    .text(invoice.kind === 'credit_memo' ? 'CREDITED TO' : 'BILL TO', PAGE.margin, top, { width: 240 });
  doc.font('Helvetica').fontSize(10).fillColor('black');
  for (const line of [buyer.name, buyer.email, ...addressLines(buyer.address)].filter(Boolean))
    doc.text(printable(line), { width: 240 });
  const left = doc.y;

  doc
    .font('Helvetica-Bold')
    .fontSize(9)
    .fillColor(GREY)
    .text('REFERENCES', 320, top, { width: RIGHT - 320 });
  doc.font('Helvetica').fontSize(9).fillColor('black');
  for (const [key, value] of Object.entries(invoice.references)) {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    const label = key.replace(/_/g, ' ');
    doc.text(`${label}: ${printable(Array.isArray(value) ? value.join(', ') : value)}`, 320, doc.y, {
      width: RIGHT - 320,
    });
  }
  doc.y = Math.max(left, doc.y) + 18;
}

function tableHeader(doc: Doc): void {
  const top = doc.y;
  doc
    .rect(PAGE.margin, top - 4, RIGHT - PAGE.margin, 18)
    .fillColor('#f0f0f0')
    .fill();
  let x = PAGE.margin + 4;
  doc.font('Helvetica-Bold').fontSize(9).fillColor('black');
  for (const column of COLUMNS) {
    doc.text(column.title, x, top, { width: column.width - 8, align: column.align, lineBreak: false });
    x += column.width;
  }
  doc.y = top + 20;
}

function row(doc: Doc, line: InvoiceDocument['lines'][number]): void {
  const cells: Record<string, string> = {
    quantity: String(line.quantity),
    unit_price: amount(line.unit_price),
    discount: line.discount.amount > 0 ? `-${amount(line.discount)}` : '',
    tax: amount(line.tax),
    total: amount(line.total),
  };
  const itemWidth = COLUMNS[0].width - 8;
  doc.font('Helvetica').fontSize(9);
  const height = doc.heightOfString(printable(line.name), { width: itemWidth }) + (line.sku ? 11 : 0) + 6;
  if (doc.y + height > BOTTOM) {
    doc.addPage();
    tableHeader(doc);
  }
  const top = doc.y;
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('black')
    .text(printable(line.name), PAGE.margin + 4, top, { width: itemWidth });
  if (line.sku)
    doc
      .fontSize(8)
      .fillColor(GREY)
      .text(printable(line.sku), PAGE.margin + 4, doc.y, { width: itemWidth });
  let x = PAGE.margin + 4 + COLUMNS[0].width;
  doc.fontSize(9).fillColor('black');
  for (const column of COLUMNS.slice(1)) {
    doc.text(cells[column.key] ?? '', x, top, { width: column.width - 8, align: 'right', lineBreak: false });
    x += column.width;
  }
  doc.y = top + height;
  doc
    .moveTo(PAGE.margin, doc.y - 3)
    .lineTo(RIGHT, doc.y - 3)
    .strokeColor('#e5e5e5')
    .lineWidth(0.5)
    .stroke();
}

function totals(doc: Doc, invoice: InvoiceDocument): void {
  const t = invoice.totals;
  const paid = invoice.payments.reduce((n, p) => n + p.amount.amount, 0);
  const rows: [string, string, boolean][] = [
    ['Subtotal', amount(t.subtotal), false],
    ...(t.discount.amount > 0 ? [['Discount', `-${amount(t.discount)}`, false] as [string, string, boolean]] : []),
    ...(t.shipping.amount > 0 ? [['Shipping', amount(t.shipping), false] as [string, string, boolean]] : []),
    ['Tax', amount(t.tax), false],
    ['Total', amount(t.total), true],
    [invoice.kind === 'credit_memo' ? 'Refunded' : 'Paid', amount({ amount: paid, currency: invoice.currency }), false],
    [invoice.kind === 'credit_memo' ? 'Still to refund' : 'Amount due', amount(invoice.amount_due), false],
  ];
  if (doc.y + rows.length * 16 + 24 > BOTTOM) doc.addPage();
  doc.y += 8;
  for (const [label, value, strong] of rows) {
    const top = doc.y;
    doc
      .font(strong ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(strong ? 11 : 10)
      .fillColor('black');
    doc.text(label, 330, top, { width: 110, align: 'left', lineBreak: false });
    doc.text(value, 440, top, { width: RIGHT - 440 - 4, align: 'right', lineBreak: false });
    doc.y = top + (strong ? 18 : 15);
  }
}

function footer(doc: Doc, invoice: InvoiceDocument): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: lift it while writing, or the text would start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor(GREY);
    doc.text(
      `${invoice.number} - page ${i - range.start + 1} of ${range.count}`,
      PAGE.margin,
      PAGE.height - PAGE.margin,
      {
        width: RIGHT - PAGE.margin,
        align: 'center',
        lineBreak: false,
      },
    );
    doc.page.margins.bottom = margin;
  }
}

export function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  if (invoice.lines.length > MAX_LINES)
    throw new Error(`${invoice.number} has ${invoice.lines.length} lines; at most ${MAX_LINES} are printed`);
  return renderPdf(
    {
      size: 'A4',
      margin: PAGE.margin,
      bufferPages: true,
      info: {
        Title: `${invoice.kind === 'credit_memo' ? 'Credit memo' : 'Invoice'} ${invoice.number}`,
        Author: printable(invoice.seller.name),
        CreationDate: new Date(invoice.issued_at),
      },
    },
    (doc) => {
      header(doc, invoice);
      parties(doc, invoice);
      tableHeader(doc);
      for (const line of invoice.lines) row(doc, line);
      totals(doc, invoice);
      if (invoice.notes)
        doc
          .font('Helvetica')
          .fontSize(9)
          .fillColor(GREY)
          .text(printable(invoice.notes), PAGE.margin, doc.y + 12, { width: RIGHT - PAGE.margin });
      footer(doc, invoice);
    },
  );
}
