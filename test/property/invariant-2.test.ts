/**
 * Safety invariant 2, the first 5,000 of its 10,000 random schedules (invariant-2-property.ts; the other half:
 * invariant-2b.test.ts).
 *
 * Another seed: FC_SEED=123 npx vitest run test/property/invariant-2.test.ts
 */
import { describeInvariant2, HALVES } from './invariant-2-property';

describeInvariant2(HALVES[0]);
