// Family changeovers (DESIGN.md §3): the most specific rule of a process group's matrix wins —
// exact pair, then `from → *`, then `* → to`, then `* → *`; the same family needs none unless an
// exact rule says so. Rules without a group apply to every group, after the group's own rules.
import { ANY_FAMILY, type ChangeoverRule } from './types.js';

/** Looks up changeover minutes from one family to another on a machine of a group. */
export class ChangeoverMatrix {
  /** group ('' = every group) → "from\0to" → minutes */
  private readonly rulesByGroup = new Map<string, Map<string, number>>();
  readonly empty: boolean;

  constructor(rules: readonly ChangeoverRule[] = []) {
    for (const rule of rules) {
      if (!(rule.minutes >= 0) || !Number.isFinite(rule.minutes)) {
        throw new RangeError(`changeover ${rule.from} → ${rule.to}: minutes must be a number >= 0, got ${rule.minutes}`);
      }
      const group = rule.group ?? '';
      let rules = this.rulesByGroup.get(group);
      if (!rules) this.rulesByGroup.set(group, (rules = new Map()));
      rules.set(pairKey(rule.from, rule.to), rule.minutes);
    }
    this.empty = rules.length === 0;
  }

  /**
   * Minutes to change a machine of `group` from family `from` to family `to`; 0 when the previous
   * family is unknown (null) or no rule applies.
   */
  minutes(group: string, from: string | null, to: string): number {
    if (from === null || this.empty) return 0;
    const own = this.rulesByGroup.get(group);
    const everyGroup = this.rulesByGroup.get('');
    const exact = own?.get(pairKey(from, to)) ?? everyGroup?.get(pairKey(from, to));
    if (exact !== undefined) return exact;
    // same family: only an exact rule can ask for a changeover (a cleaning between two lots of one family)
    if (from === to) return 0;
    return wildcard(own, from, to) ?? wildcard(everyGroup, from, to) ?? 0;
  }
}

function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

function wildcard(rules: Map<string, number> | undefined, from: string, to: string): number | undefined {
  if (!rules) return undefined;
  return rules.get(pairKey(from, ANY_FAMILY)) ?? rules.get(pairKey(ANY_FAMILY, to)) ?? rules.get(pairKey(ANY_FAMILY, ANY_FAMILY));
}
