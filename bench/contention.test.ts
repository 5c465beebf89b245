import { describe, expect, it } from 'vitest';
import { classifyAnswer } from './contention.ts';

const placed = (lines: { allocated: number; backordered: number }[]) =>
  JSON.stringify({ id: 'ord_1', lines: lines.map((quantities) => ({ quantities })) });

describe('classifyAnswer', () => {
  it('counts the units a placed order took and whether any wait', () => {
    expect(classifyAnswer(201, placed([{ allocated: 2, backordered: 0 }]))).toEqual({ units: 2, backordered: false });
    expect(
      classifyAnswer(
        201,
        placed([
          { allocated: 1, backordered: 0 },
          { allocated: 0, backordered: 1 },
        ]),
      ),
    ).toEqual({ units: 1, backordered: true });
  });

  it('reads 409 insufficient_stock as a refusal', () => {
    expect(classifyAnswer(409, JSON.stringify({ status: 409, code: 'insufficient_stock' }))).toBe('rejected');
  });

  it('fails on any other answer, saying what it was', () => {
    expect(() => classifyAnswer(409, JSON.stringify({ status: 409, code: 'conflict' }))).toThrow(/409 .*conflict/);
    expect(() => classifyAnswer(502, 'Bad Gateway')).toThrow(/502 Bad Gateway/);
  });
});
