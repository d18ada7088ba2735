/**
 * Safety invariant 2, the second 5,000 of its 10,000 random schedules, from the next seed (invariant-2-property.ts;
 * the first half: invariant-2.test.ts). Its own file, so that vitest's two workers share the 10,000 runs.
 */
import { describeInvariant2, HALVES } from './invariant-2-property';

describeInvariant2(HALVES[1]);
