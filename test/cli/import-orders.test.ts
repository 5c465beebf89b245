import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runConsign, seededDemoWithFiles } from './cli-process.ts';

const HEADER =
  'external_id,placed_at,customer_email,customer_name,sku,quantity,unit_price,currency,shipping,tax,discount,total,payment_gateway,payment_reference,delivery_method,pickup_location_id,ship_name,ship_line1,ship_line2,ship_city,ship_region,ship_postal_code,ship_country';
const ADDRESS = 'ship,,Pat Doe,350 5th Ave,,New York,NY,10118,US';
const CSV = [
  HEADER,
  `LEGACY-1001,2026-10-01T10:00:00Z,pat@example.com,Pat Doe,HP-VASE-ASH,2,45.00,USD,5.00,7.20,,102.20,legacy,auth-1001,${ADDRESS}`,
  `LEGACY-1002,2026-10-02T10:00:00Z,sam@example.com,Sam Roe,NOPE-NOT-A-SKU,1,10.00,USD,,,,10.01,,,${ADDRESS}`,
  `LEGACY-1003,2026-10-03T10:00:00Z,"Lee, ""J""@example.com",Lee,HP-VASE-ASH,1,45.00,USD,,,,45.00,legacy,auth-1003,${ADDRESS}`,
  `LEGACY-1003,,,,HP-VASE-ASH,1,0.00,USD,,,,,,,,,,,,,,,`,
].join('\n');

const files = seededDemoWithFiles({ 'orders.csv': `${CSV}\n` });

describe('consign import orders', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('--help explains the file formats and the report', async () => {
    const help = await runConsign(['import', 'orders', '--help'], files.target.env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--channel <id>');
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).toContain('validation report (row, field, problem)');
  });

  it('--dry-run reports every problem by row and field and writes nothing', async () => {
    const file = path.join(files.dir, 'orders.csv');
    const dry = await runConsign(
      ['import', 'orders', file, '--channel', 'web', '--dry-run', '--json'],
      files.target.env,
    );
    expect(dry.code).toBe(1);
    const result = JSON.parse(dry.stdout) as {
      placed: number;
      rejected: number;
      report: { row: number; field: string; problem: string }[];
    };
    expect(result).toMatchObject({ placed: 1, rejected: 2 });
    expect(result.report).toContainEqual({ row: 3, field: 'total.amount', problem: expect.stringContaining('1001') });
    expect(result.report.map((e) => e.row)).toContain(4); // the customer email is not an email
    expect(dry.stderr).toContain('Importing orders: 3/3');
    // Nothing was written: a real run still places the good order.
    const real = await runConsign(['import', 'orders', file, '--channel', 'web'], files.target.env);
    expect(real.code).toBe(1);
    expect(real.stdout).toContain('3 order(s): 1 placed, 0 already imported, 2 rejected.');
    expect(real.stdout).toMatch(/^row\s+field\s+problem/m);
    const again = await runConsign(['import', 'orders', file, '--channel', 'web'], files.target.env);
    expect(again.stdout).toContain('0 placed, 1 already imported, 2 rejected.');
  });
});
