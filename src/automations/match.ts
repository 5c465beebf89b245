/**
 * Which rule versions an event triggers, as a pure function of the event, the versions and the
 * facts: the follower and the dry run decide with this one function. Loop protection lives here:
 * an event caused by a rule's own action never triggers that rule again, and a chain of rules
 * triggering rules stops at `MAX_DEPTH`.
 */
import { compile, evaluate, type Facts } from './expression/index.ts';
import { automationFields, subjectFacts } from './fields.ts';
import type { ActiveVersion } from './versions.ts';

/** How many rules may trigger one another in a chain: a rule's action at depth 3 triggers none. */
const MAX_DEPTH = 3;

/** The actor of everything an execution does: `automation:<rule id>:<execution id>`. */
export const automationActor = (ruleId: string, executionId: number): string => `automation:${ruleId}:${executionId}`;

/** The rule and execution that caused an event, read from its actor; undefined when no automation did. */
export function causeOf(actor: string | null): { ruleId: string; executionId: number } | undefined {
  const match = /^automation:(aut_[0-9a-z]+):([0-9]+)$/.exec(actor ?? '');
  return match ? { ruleId: match[1]!, executionId: Number(match[2]) } : undefined;
}

export interface EventToMatch {
  id: number;
  type: string;
  actor: string | null;
  order_id: string | null;
  /** ms since the epoch. */
  created_ms: number;
}

type Verdict =
  | { matched: true; depth: number }
  | { matched: false; reason: 'not_triggered' | 'condition_false' | 'own_action' | 'depth_limit' };

/** True when an event type matches a trigger pattern (`order.created`, `order.*`, `*`). */
function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/**
 * Whether `version` acts on `event`. `causeDepth` is the depth of the execution that caused the
 * event (undefined when no automation did).
 */
export function judge(
  version: ActiveVersion,
  event: EventToMatch,
  order: Facts | undefined,
  causeDepth: number | undefined,
): Verdict {
  const { trigger } = version;
  if (!('event_types' in trigger) || !trigger.event_types.some((pattern) => typeMatches(pattern, event.type))) {
    return { matched: false, reason: 'not_triggered' };
  }
  const cause = causeOf(event.actor);
  if (cause?.ruleId === version.rule_id) return { matched: false, reason: 'own_action' };
  const depth = cause ? (causeDepth ?? MAX_DEPTH) + 1 : 0;
  if (depth > MAX_DEPTH) return { matched: false, reason: 'depth_limit' };
  const facts = subjectFacts({ event: { type: event.type, actor: event.actor }, orderId: event.order_id }, order);
  return conditionHolds(version, facts) ? { matched: true, depth } : { matched: false, reason: 'condition_false' };
}

/** Whether the version's condition holds over `facts` (it was checked when saved; it compiles). */
export function conditionHolds(version: ActiveVersion, facts: Facts): boolean {
  const compiled = compile(version.condition, automationFields);
  if (!compiled.ok)
    throw new Error(`automation ${version.rule_id} v${version.version} holds a condition that does not compile`);
  return evaluate(compiled.node, facts);
}
