import { describe, expect, it } from 'vitest';
import { automationActor, causeOf, judge, type EventToMatch } from './match.ts';
import type { ActiveVersion } from './versions.ts';

const rule = (ruleId: string, eventTypes: string[], condition = 'true'): ActiveVersion => ({
  rule_id: ruleId,
  version: 1,
  trigger: { event_types: eventTypes },
  condition,
  actions: [{ type: 'add_note', note: 'x' }],
});

const event = (type: string, actor: string | null = null): EventToMatch => ({
  id: 1,
  type,
  actor,
  order_id: 'ord_1',
  created_ms: 0,
});

const order = { 'order.channel_code': 'web', 'order.total_minor': 30_000 };

describe('judging an event against a rule version', () => {
  it('matches the trigger patterns and then the condition', () => {
    expect(judge(rule('aut_a', ['order.created']), event('order.created'), order, undefined)).toEqual({
      matched: true,
      depth: 0,
    });
    expect(judge(rule('aut_a', ['order.*']), event('order.held'), order, undefined).matched).toBe(true);
    expect(judge(rule('aut_a', ['*']), event('inventory.adjusted'), undefined, undefined).matched).toBe(true);
    expect(judge(rule('aut_a', ['order.*']), event('orders.x'), order, undefined)).toEqual({
      matched: false,
      reason: 'not_triggered',
    });
    expect(
      judge(rule('aut_a', ['order.created'], 'order.total_minor > 50000'), event('order.created'), order, undefined),
    ).toEqual({
      matched: false,
      reason: 'condition_false',
    });
  });

  it("never lets a rule's own action trigger it, and stops chains at depth 3", () => {
    const a = rule('aut_a', ['order.*']);
    expect(judge(a, event('order.tagged', automationActor('aut_a', 7)), order, 0)).toEqual({
      matched: false,
      reason: 'own_action',
    });
    expect(judge(a, event('order.tagged', automationActor('aut_b', 8)), order, 0)).toEqual({ matched: true, depth: 1 });
    expect(judge(a, event('order.tagged', automationActor('aut_b', 8)), order, 2)).toEqual({ matched: true, depth: 3 });
    expect(judge(a, event('order.tagged', automationActor('aut_b', 8)), order, 3)).toEqual({
      matched: false,
      reason: 'depth_limit',
    });
    // The causing execution is unknown (gone): treated as deep as allowed, so nothing follows.
    expect(judge(a, event('order.tagged', automationActor('aut_b', 9)), order, undefined)).toEqual({
      matched: false,
      reason: 'depth_limit',
    });
  });

  it('reads the cause from the actor only in its exact form', () => {
    expect(causeOf('automation:aut_0abc:12')).toEqual({ ruleId: 'aut_0abc', executionId: 12 });
    expect(causeOf('key_01abc')).toBeUndefined();
    expect(causeOf('automation:aut_0abc')).toBeUndefined();
    expect(causeOf(null)).toBeUndefined();
  });
});
