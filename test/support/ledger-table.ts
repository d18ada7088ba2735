/** The release ledger table on moto, for tests that exercise the ledger's conditional writes for real. */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Creates `name` with the release ledger's key schema (infra/shared.yml) and returns the name. */
export async function createLedgerTable(dynamo: DynamoDBClient, name: string): Promise<string> {
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pipeline', AttributeType: 'S' },
        { AttributeName: 'executionId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pipeline', KeyType: 'HASH' },
        { AttributeName: 'executionId', KeyType: 'RANGE' },
      ],
    }),
  );
  return name;
}
