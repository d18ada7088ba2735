/** Wraps a detail in the envelope EventBridge delivers to a rule target. */
export type AwsEvent = {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
};

/** The guard's own account (the Deployment account, where the pipeline runs). */
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export function awsEvent(
  id: string,
  time: Date,
  source: string,
  detailType: string,
  detail: Record<string, unknown>,
  resources: string[] = [],
  account: string = ACCOUNT,
): AwsEvent {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source,
    account,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources,
    detail,
  };
}
