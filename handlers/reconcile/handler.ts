import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runtimeFromProcessEnv } from '../../config/runtime';
import { awsClient } from '../../lib/aws/clients';
import { makeTileLedger } from '../../lib/aws/tile-ledger';
import { makeJournalSweep } from '../../lib/act/sweep';
import { gateDepsFromProcessEnv } from '../alarm-gate/gate-deps';
import { makeHandler } from './make-handler';

const { deployment } = runtimeFromProcessEnv();

export const handler = makeHandler({
  ...gateDepsFromProcessEnv(),
  tiles: makeTileLedger(awsClient(DynamoDBClient, 'dynamodb'), deployment.ledgerTable),
  journals: makeJournalSweep(awsClient(DynamoDBClient, 'dynamodb'), deployment.ledgerTable),
});
