import { describe, expect, it } from 'vitest';
import { compile, evaluate, type Facts, type FieldSchema } from './index.ts';
import { MAX_DEPTH } from './parse.ts';

const schema: FieldSchema = {
  'event.type': 'string',
  'order.channel': 'string',
  'order.status': 'string',
  'order.total_minor': 'int',
  'order.age_minutes': 'int',
  'order.tags': 'list<string>',
  'order.on_hold': 'bool',
};

const facts: Facts = {
  'event.type': 'order.placed',
  'order.channel': 'web',
  'order.status': 'open',
  'order.total_minor': 25_000,
  'order.age_minutes': 42,
  'order.tags': ['vip', 'gift'],
  'order.on_hold': false,
};

function run(text: string, over: Facts = facts): boolean {
  const compiled = compile(text, schema);
  if (!compiled.ok) throw new Error(`${compiled.error.position}: ${compiled.error.message}`);
  return evaluate(compiled.node, over);
}

function rejection(text: string) {
  const compiled = compile(text, schema);
  if (compiled.ok) throw new Error(`"${text}" was accepted`);
  return compiled.error;
}

describe('evaluating conditions', () => {
  it.each([
    ["order.channel == 'web'", true],
    ['order.channel == "amazon"', false],
    ["order.channel != 'amazon'", true],
    ['order.total_minor > 20000', true],
    ['order.total_minor >= 25000', true],
    ['order.total_minor < 25000', false],
    ['order.total_minor <= 25000', true],
    ['order.age_minutes >= 30 and order.status == "open"', true],
    ["order.channel == 'amazon' or order.total_minor > 100", true],
    ['not order.on_hold', true],
    ['order.on_hold', false],
    ["order.channel in ['web', 'pos']", true],
    ["order.channel not in ['web', 'pos']", false],
    ["'vip' in order.tags", true],
    ["order.tags contains 'gift'", true],
    ["order.tags contains 'fraud'", false],
    ["event.type contains 'placed'", true],
    ['order.channel in []', false],
    ["not (order.channel == 'web' and order.total_minor > 100)", false],
    ["order.channel == 'web' or order.channel == 'pos' and order.total_minor > 10000000", true],
    ["(order.channel == 'web' or order.channel == 'pos') and order.total_minor > 10000000", false],
    ['order.total_minor > -1', true],
    ['true', true],
    ["'it\\'s' == \"it's\"", true],
  ])('%s is %s', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  it('treats a field without a value as matching nothing, negated or not', () => {
    const noOrder: Facts = { 'event.type': 'inventory.adjusted' };
    expect(run("order.channel == 'web'", noOrder)).toBe(false);
    expect(run("order.channel != 'web'", noOrder)).toBe(false);
    expect(run("order.channel not in ['web']", noOrder)).toBe(false);
    expect(run("order.tags contains 'vip'", noOrder)).toBe(false);
    expect(run('order.total_minor > 0', noOrder)).toBe(false);
    expect(run("not (order.channel == 'web')", noOrder)).toBe(true);
  });
});

describe('rejecting conditions, with the position of the fault', () => {
  it.each([
    ['', 0, 'empty'],
    ["order.chanel == 'web'", 0, 'unknown field "order.chanel"; known fields are order.channel'],
    ["order.channel = 'web'", 14, 'compare with "=="'],
    ["order.channel == 'web' && true", 23, 'write "and"'],
    ['order.total_minor > "100"', 18, 'compares int with string'],
    ["order.channel < 'm'", 14, 'compares ints, not string'],
    ["order.tags == ['vip']", 11, 'does not compare lists'],
    ["order.channel in 'web'", 17, 'takes a list on its right'],
    ['order.channel in [1, 2]', 14, 'looks for a string in a list of int'],
    ["order.channel in ['a', 1]", 23, 'values of one type'],
    ['order.channel in [order.status]', 18, 'only values'],
    ['order.tags contains 1', 11, 'looks for a int in a list of string'],
    ['order.total_minor contains 1', 0, 'takes a list or a string'],
    ['order.total_minor', 0, 'is int, not a bool'],
    ["order.channel == 'web' and 5", 27, '"and" takes bool, not int'],
    ['not order.channel', 4, '"not" takes bool, not string'],
    ["order.channel == 'web", 17, 'not closed'],
    ["(order.channel == 'web'", 23, 'expected ")" to close the "(" at 0'],
    ["order.channel == 'web')", 22, 'unexpected ")"'],
    ['order.total_minor > 1 > 0', 22, 'unexpected ">"'],
    ['order.total_minor > 99999999999999999999', 20, 'too large'],
    ['order.channel == #', 17, 'unexpected character "#"'],
    ["order.channel in ['a' 'b']", 22, 'expected "," or "]"'],
    ['and', 0, 'expected a field'],
    ["'a\\n' == 'a'", 2, 'backslash'],
  ])('%j is refused at %i', (text, position, message) => {
    const error = rejection(text);
    expect(error.message).toContain(message);
    expect(error.position).toBe(position);
  });

  it('bounds nesting and length', () => {
    const deep = `${'('.repeat(MAX_DEPTH + 1)}true${')'.repeat(MAX_DEPTH + 1)}`;
    expect(rejection(deep).message).toContain('nests more than');
    expect(rejection(`${'not '.repeat(MAX_DEPTH + 1)}true`).message).toContain('nests more than');
    expect(rejection(`order.channel == '${'x'.repeat(2001)}'`).message).toContain('longer than 2000');
    expect(run(`${'('.repeat(MAX_DEPTH)}true${')'.repeat(MAX_DEPTH)}`)).toBe(true);
  });

  it('never runs the text as code', () => {
    expect(rejection("constructor.constructor('return process')()").message).toContain('unexpected "("');
    expect(rejection('order.__proto__ == 1').message).toContain('unknown field');
    expect(rejection('__proto__ == 1').message).toContain('unknown field');
    expect(rejection('constructor').message).toContain('unknown field');
  });
});
