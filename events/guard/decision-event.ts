import * as z from '../../lib/zod';
import { decisionContracts, type DecisionDetailType } from './catalog';

/** Any decision the guard announced, as delivered on its bus: the notifier and the metrics consume this (built on first use). */
export const decisionEvent = /* @__PURE__ */ z.lazy(() =>
  z.discriminatedUnion(
    'detail-type',
    decisionContracts.map((c) => c.event) as unknown as [
      (typeof decisionContracts)[number]['event'],
      ...(typeof decisionContracts)[number]['event'][],
    ],
  ),
);

type Contract = (typeof decisionContracts)[number];

/** The detail of decision `T`, e.g. `DecisionDetail<'PromotionBlocked'>`. */
export type DecisionDetail<T extends DecisionDetailType> = z.output<
  Extract<Contract, { detailType: T }>['detail']
>;

/** A delivered decision event of any type, narrowed by its `detail-type`. */
export type DecisionEvent = {
  [T in DecisionDetailType]: {
    id: string;
    time: string;
    region?: string;
    'detail-type': T;
    detail: DecisionDetail<T>;
  };
}[DecisionDetailType];

/** One EventBridge pattern for all of them: a rule per function, not per type. */
export const decisionPattern = () => ({
  source: [...new Set(decisionContracts.map((c) => c.pattern().source).flat())],
  'detail-type': decisionContracts.map((c) => c.detailType),
});
