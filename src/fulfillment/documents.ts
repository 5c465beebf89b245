import { sql } from 'drizzle-orm';
import { query, type Executor } from '../db/index.ts';
import { addressLines, printable, renderPdf } from '../shared/pdf.ts';
import type { QueueItem } from './queue.ts';

/**
 * The papers of a location's work: a packing slip that goes in the parcel (what the order is, to
 * whom, and each line with its quantity) and a pick list for a round of the shelves (every SKU
 * the work needs, summed, with the orders it is for). A4, PDF standard fonts.
 */
const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const RIGHT = PAGE.width - PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin;
const GREY = '#555555';
type Doc = PDFKit.PDFDocument;
interface Column {
  title: string;
  x: number;
  width: number;
  align?: 'left' | 'right';
}

async function locationName(executor: Executor, id: string): Promise<string> {
  const [row] = await query<{ name: string }>(executor, sql`select name from locations where id = ${id}`);
  return row?.name ?? id;
}

function title(doc: Doc, heading: string, subtitle: string[]): void {
  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(heading, PAGE.margin, PAGE.margin);
  doc.font('Helvetica').fontSize(10).fillColor(GREY);
  for (const line of subtitle) doc.text(printable(line));
  doc.moveDown();
}

function tableRow(doc: Doc, columns: Column[], cells: string[], bold = false): void {
  doc
    .font(bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(10)
    .fillColor('black');
  const height = Math.max(...columns.map((c, i) => doc.heightOfString(printable(cells[i]), { width: c.width }))) + 6;
  if (doc.y + height > BOTTOM) doc.addPage();
  const top = doc.y;
  columns.forEach((c, i) =>
    doc.text(printable(cells[i]), c.x, top, { width: c.width, align: c.align ?? 'left', lineBreak: true }),
  );
  doc.y = top + height;
  if (bold)
    doc
      .moveTo(PAGE.margin, doc.y - 3)
      .lineTo(RIGHT, doc.y - 3)
      .strokeColor(GREY)
      .lineWidth(0.5)
      .stroke();
}

const SLIP_COLUMNS: Column[] = [
  { title: 'SKU', x: PAGE.margin, width: 130 },
  { title: 'Item', x: PAGE.margin + 140, width: 300 },
  { title: 'Qty', x: RIGHT - 50, width: 50, align: 'right' },
];

/** The packing slip of one fulfillment order. */
export async function renderPackingSlip(executor: Executor, fo: QueueItem): Promise<Buffer> {
  const from = await locationName(executor, fo.location_id);
  return renderPdf(
    { size: 'A4', margin: PAGE.margin, info: { Title: `Packing slip ${fo.order_external_id}` } },
    (doc) => {
      title(doc, 'PACKING SLIP', [
        `Order ${fo.order_external_id}`,
        `Fulfillment order ${fo.id}`,
        `From ${from}`,
        `Placed ${(fo.order_placed_at ?? '').slice(0, 10)}`,
      ]);
      doc
        .font('Helvetica-Bold')
        .fontSize(11)
        .fillColor('black')
        .text(fo.delivery_method === 'pickup' ? 'Pickup by' : 'Ship to');
      doc.font('Helvetica').fontSize(10);
      for (const line of [
        fo.customer_name,
        ...(fo.delivery_method === 'pickup' ? [] : addressLines(fo.shipping_address)),
      ])
        if (line) doc.text(printable(line));
      doc.moveDown();
      tableRow(
        doc,
        SLIP_COLUMNS,
        SLIP_COLUMNS.map((c) => c.title),
        true,
      );
      for (const line of fo.lines) {
        tableRow(doc, SLIP_COLUMNS, [line.sku, line.name ?? '', String(line.quantity)]);
        for (const part of 'components' in line ? line.components : [])
          tableRow(doc, SLIP_COLUMNS, [`  ${part.sku}`, '  part of the bundle above', String(part.quantity)]);
      }
      const units = fo.lines.reduce((n, l) => n + l.quantity, 0);
      doc
        .moveDown()
        .font('Helvetica')
        .fontSize(10)
        .text(`${units} unit${units === 1 ? '' : 's'} in all.`, PAGE.margin);
    },
  );
}

const PICK_COLUMNS: Column[] = [
  { title: 'SKU', x: PAGE.margin, width: 110 },
  { title: 'Item', x: PAGE.margin + 115, width: 170 },
  { title: 'Qty', x: PAGE.margin + 290, width: 40, align: 'right' },
  { title: 'For orders', x: PAGE.margin + 340, width: RIGHT - PAGE.margin - 340 },
];

/**
 * A pick list of the given work at one location: every SKU to take off the shelves (a bundle's
 * leaf components, not the bundle), summed over the work, with the orders that need it.
 */
export async function renderPickList(executor: Executor, locationId: string, work: QueueItem[]): Promise<Buffer> {
  const from = await locationName(executor, locationId);
  const skus = new Map<string, { name: string; quantity: number; orders: Set<string> }>();
  for (const fo of work)
    for (const line of fo.lines) {
      const picks =
        'components' in line ? line.components.map((c) => ({ ...c, name: '' })) : [{ ...line, name: line.name ?? '' }];
      for (const pick of picks) {
        const entry = skus.get(pick.sku) ?? { name: pick.name, quantity: 0, orders: new Set<string>() };
        entry.quantity += pick.quantity;
        entry.orders.add(fo.order_external_id);
        skus.set(pick.sku, entry);
      }
    }
  const sorted = [...skus.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return renderPdf({ size: 'A4', margin: PAGE.margin, info: { Title: `Pick list ${from}` } }, (doc) => {
    title(doc, 'PICK LIST', [
      from,
      `${work.length} fulfillment order${work.length === 1 ? '' : 's'}, ${sorted.length} SKU${sorted.length === 1 ? '' : 's'}`,
      `Printed ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    ]);
    tableRow(
      doc,
      PICK_COLUMNS,
      PICK_COLUMNS.map((c) => c.title),
      true,
    );
    for (const [sku, entry] of sorted)
      tableRow(doc, PICK_COLUMNS, [sku, entry.name, String(entry.quantity), [...entry.orders].join(', ')]);
    if (sorted.length === 0) doc.text('Nothing to pick.', PAGE.margin);
  });
}
