import { describe, expect, it } from 'vitest';

import {
  compilePattern,
  InvalidEventPatternError,
  matchesPattern,
  type EventPattern,
} from '../../simulator/event-pattern';

const stageEvent = {
  version: '0',
  id: '5f3c1b2a-0000-4000-8000-000000000001',
  'detail-type': 'CodePipeline Stage Execution State Change',
  source: 'aws.codepipeline',
  account: '111122223333',
  time: '2026-03-14T09:26:53Z',
  region: 'eu-west-1',
  resources: ['arn:aws:codepipeline:eu-west-1:111122223333:leadout-web'],
  detail: {
    pipeline: 'leadout-web',
    'execution-id': 'aaaabbbb-1111-2222-3333-ccccddddeeee',
    stage: 'Prod',
    state: 'SUCCEEDED',
    version: 7,
    ratio: 0.25,
    flag: true,
    note: null,
    empty: '',
    tags: ['blue', 'canary'],
    none: [],
    actions: [
      { name: 'Deploy', state: 'SUCCEEDED', attempt: 1 },
      { name: 'Smoke', state: 'FAILED', attempt: 2 },
    ],
    nested: { deeper: { value: 'x' } },
    'file-path': 'src/lib/index.ts',
    star: 'a*b',
  },
};

const alarmEvent = {
  version: '0',
  id: '5f3c1b2a-0000-4000-8000-000000000002',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '111122223333',
  time: '2026-03-14T09:30:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:leadout-web-5xx'],
  detail: {
    alarmName: 'leadout-web-5xx',
    state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: '2026-03-14T09:30:00.000+0000' },
    previousState: { value: 'OK' },
    configuration: {
      metrics: [
        {
          id: 'm1',
          metricStat: { metric: { namespace: 'AWS/ApplicationELB', name: 'HTTPCode_Target_5XX_Count' } },
        },
        { id: 'e1', expression: 'm1 * 100', returnData: true },
      ],
    },
  },
};

type Case = [name: string, pattern: EventPattern, event: unknown, expected: boolean];

const cases: Case[] = [
  // exact values, AND / OR
  ['exact string', { source: ['aws.codepipeline'] }, stageEvent, true],
  ['exact string mismatch', { source: ['aws.cloudwatch'] }, stageEvent, false],
  ['alternatives are OR', { source: ['aws.cloudwatch', 'aws.codepipeline'] }, stageEvent, true],
  [
    'fields are AND',
    { source: ['aws.codepipeline'], 'detail-type': ['CloudWatch Alarm State Change'] },
    stageEvent,
    false,
  ],
  ['exact match is case-sensitive', { detail: { state: ['succeeded'] } }, stageEvent, false],
  ['missing field does not match a value', { detail: { missing: ['x'] } }, stageEvent, false],
  ['extra event fields are ignored', { detail: { stage: ['Prod'] } }, stageEvent, true],
  ['nested objects', { detail: { nested: { deeper: { value: ['x'] } } } }, stageEvent, true],
  ['nested object vs scalar', { detail: { stage: { name: ['Prod'] } } }, stageEvent, false],
  ['leaf vs object value', { detail: { nested: ['x'] } }, stageEvent, false],
  // JSON types
  ['number equals number', { detail: { version: [7] } }, stageEvent, true],
  ['number compares numerically', { detail: { version: [7.0] } }, stageEvent, true],
  ['number exponent form', { detail: { version: [0.7e1] } }, stageEvent, true],
  ['string "7" is not number 7', { detail: { version: ['7'] } }, stageEvent, false],
  ['number 1 is not string "1"', { v: [1] }, { v: '1' }, false],
  ['boolean true', { detail: { flag: [true] } }, stageEvent, true],
  ['boolean is not string', { detail: { flag: ['true'] } }, stageEvent, false],
  ['boolean true is not number 1', { v: [1] }, { v: true }, false],
  ['null matches null', { detail: { note: [null] } }, stageEvent, true],
  ['null does not match missing', { detail: { missing: [null] } }, stageEvent, false],
  ['null does not match empty string', { detail: { empty: [null] } }, stageEvent, false],
  ['empty string matches empty string', { detail: { empty: [''] } }, stageEvent, true],
  ['empty string does not match null', { detail: { note: [''] } }, stageEvent, false],
  // arrays in the event
  ['array: any element matches', { detail: { tags: ['canary'] } }, stageEvent, true],
  ['array: no element matches', { detail: { tags: ['green'] } }, stageEvent, false],
  ['resources array', { resources: [{ prefix: 'arn:aws:codepipeline:' }] }, stageEvent, true],
  ['nested arrays flatten', { v: ['c'] }, { v: [['a'], ['b', ['c']]] }, true],
  ['array of objects: field of one element', { detail: { actions: { name: ['Smoke'] } } }, stageEvent, true],
  [
    'array of objects: fields from the same element',
    { detail: { actions: { name: ['Smoke'], state: ['FAILED'] } } },
    stageEvent,
    true,
  ],
  [
    'array of objects: fields from different elements do not combine',
    { detail: { actions: { name: ['Deploy'], state: ['FAILED'] } } },
    stageEvent,
    false,
  ],
  [
    'array of objects in CloudWatch metrics',
    {
      detail: {
        configuration: { metrics: { metricStat: { metric: { namespace: ['AWS/ApplicationELB'] } } } },
      },
    },
    alarmEvent,
    true,
  ],
  // prefix / suffix
  ['prefix', { time: [{ prefix: '2026-03-14' }] }, stageEvent, true],
  ['prefix mismatch', { time: [{ prefix: '2026-03-15' }] }, stageEvent, false],
  ['prefix is case-sensitive', { detail: { pipeline: [{ prefix: 'LeadOut' }] } }, stageEvent, false],
  [
    'prefix equals-ignore-case',
    { detail: { pipeline: [{ prefix: { 'equals-ignore-case': 'LeadOut' } }] } },
    stageEvent,
    true,
  ],
  ['prefix only on strings', { detail: { version: [{ prefix: '7' }] } }, stageEvent, false],
  ['suffix', { detail: { alarmName: [{ suffix: '-5xx' }] } }, alarmEvent, true],
  ['suffix mismatch', { detail: { alarmName: [{ suffix: '-4xx' }] } }, alarmEvent, false],
  [
    'suffix equals-ignore-case',
    { detail: { alarmName: [{ suffix: { 'equals-ignore-case': '-5XX' } }] } },
    alarmEvent,
    true,
  ],
  // equals-ignore-case
  ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'succeeded' }] } }, stageEvent, true],
  [
    'equals-ignore-case mismatch',
    { detail: { state: [{ 'equals-ignore-case': 'failed' }] } },
    stageEvent,
    false,
  ],
  [
    'equals-ignore-case only on strings',
    { detail: { flag: [{ 'equals-ignore-case': 'TRUE' }] } },
    stageEvent,
    false,
  ],
  // wildcard
  ['wildcard', { detail: { 'file-path': [{ wildcard: 'src/*/index.ts' }] } }, stageEvent, true],
  ['wildcard several', { detail: { 'file-path': [{ wildcard: '*lib*.ts' }] } }, stageEvent, true],
  ['wildcard anchors both ends', { detail: { 'file-path': [{ wildcard: 'lib/*' }] } }, stageEvent, false],
  ['wildcard escaped star', { detail: { star: [{ wildcard: 'a\\*b' }] } }, stageEvent, true],
  ['wildcard escaped star is literal', { v: [{ wildcard: 'a\\*b' }] }, { v: 'axb' }, false],
  ['wildcard dot is literal', { v: [{ wildcard: 'a.c*' }] }, { v: 'abc' }, false],
  ['wildcard only on strings', { detail: { version: [{ wildcard: '*' }] } }, stageEvent, false],
  // numeric
  ['numeric >', { detail: { version: [{ numeric: ['>', 5] }] } }, stageEvent, true],
  ['numeric > boundary', { detail: { version: [{ numeric: ['>', 7] }] } }, stageEvent, false],
  ['numeric >= boundary', { detail: { version: [{ numeric: ['>=', 7] }] } }, stageEvent, true],
  ['numeric <', { detail: { version: [{ numeric: ['<', 7] }] } }, stageEvent, false],
  ['numeric <=', { detail: { version: [{ numeric: ['<=', 7] }] } }, stageEvent, true],
  ['numeric =', { detail: { ratio: [{ numeric: ['=', 0.25] }] } }, stageEvent, true],
  ['numeric range inside', { detail: { ratio: [{ numeric: ['>', 0, '<=', 0.25] }] } }, stageEvent, true],
  ['numeric range outside', { detail: { ratio: [{ numeric: ['>', 0.25, '<', 1] }] } }, stageEvent, false],
  ['numeric never matches strings', { v: [{ numeric: ['>', 0] }] }, { v: '5' }, false],
  [
    'numeric over array elements',
    { detail: { actions: { attempt: [{ numeric: ['>=', 2] }] } } },
    stageEvent,
    true,
  ],
  // anything-but
  ['anything-but string', { detail: { state: [{ 'anything-but': 'FAILED' }] } }, stageEvent, true],
  [
    'anything-but string excluded',
    { detail: { state: [{ 'anything-but': 'SUCCEEDED' }] } },
    stageEvent,
    false,
  ],
  ['anything-but list', { detail: { state: [{ 'anything-but': ['FAILED', 'STOPPED'] }] } }, stageEvent, true],
  [
    'anything-but list excluded',
    { detail: { state: [{ 'anything-but': ['SUCCEEDED', 'STOPPED'] }] } },
    stageEvent,
    false,
  ],
  ['anything-but number', { detail: { version: [{ 'anything-but': 7 }] } }, stageEvent, false],
  ['anything-but number list', { detail: { version: [{ 'anything-but': [1, 2] }] } }, stageEvent, true],
  [
    'anything-but string vs number value',
    { detail: { version: [{ 'anything-but': '7' }] } },
    stageEvent,
    true,
  ],
  [
    'anything-but never matches a missing field',
    { detail: { missing: [{ 'anything-but': 'x' }] } },
    stageEvent,
    false,
  ],
  ['anything-but prefix', { region: [{ 'anything-but': { prefix: 'us-' } }] }, stageEvent, true],
  ['anything-but prefix excluded', { region: [{ 'anything-but': { prefix: 'eu-' } }] }, stageEvent, false],
  [
    'anything-but suffix',
    { detail: { 'file-path': [{ 'anything-but': { suffix: '.js' } }] } },
    stageEvent,
    true,
  ],
  [
    'anything-but suffix excluded',
    { detail: { 'file-path': [{ 'anything-but': { suffix: '.ts' } }] } },
    stageEvent,
    false,
  ],
  [
    'anything-but equals-ignore-case',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['succeeded', 'failed'] } }] } },
    stageEvent,
    false,
  ],
  [
    'anything-but wildcard',
    { detail: { 'file-path': [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    stageEvent,
    false,
  ],
  [
    'anything-but on array: one element not excluded',
    { detail: { tags: [{ 'anything-but': 'blue' }] } },
    stageEvent,
    true,
  ],
  [
    'anything-but on array: all elements excluded',
    { detail: { tags: [{ 'anything-but': ['blue', 'canary'] }] } },
    stageEvent,
    false,
  ],
  // exists
  ['exists true', { detail: { stage: [{ exists: true }] } }, stageEvent, true],
  ['exists true on missing', { detail: { missing: [{ exists: true }] } }, stageEvent, false],
  ['exists false on missing', { detail: { missing: [{ exists: false }] } }, stageEvent, true],
  ['exists false on present', { detail: { stage: [{ exists: false }] } }, stageEvent, false],
  ['exists true on null value', { detail: { note: [{ exists: true }] } }, stageEvent, true],
  ['exists true on empty string', { detail: { empty: [{ exists: true }] } }, stageEvent, true],
  ['exists only sees leaves: object', { detail: { nested: [{ exists: true }] } }, stageEvent, false],
  ['exists false on object (not a leaf)', { detail: { nested: [{ exists: false }] } }, stageEvent, true],
  ['exists false on empty array', { detail: { none: [{ exists: false }] } }, stageEvent, true],
  [
    'exists false below a missing parent',
    { detail: { missing: { child: [{ exists: false }] } } },
    stageEvent,
    true,
  ],
  ['exists false below a scalar', { detail: { stage: { child: [{ exists: false }] } } }, stageEvent, true],
  ['exists false, no detail at all', { detail: { x: [{ exists: false }] } }, { source: 'a' }, true],
  ['exists false with another value OR', { detail: { missing: ['x', { exists: false }] } }, stageEvent, true],
  // $or
  [
    '$or: second branch',
    {
      source: ['aws.cloudwatch'],
      $or: [{ detail: { alarmName: ['nope'] } }, { detail: { state: { value: ['ALARM'] } } }],
    },
    alarmEvent,
    true,
  ],
  [
    '$or: no branch',
    { $or: [{ detail: { alarmName: ['nope'] } }, { detail: { state: { value: ['OK'] } } }] },
    alarmEvent,
    false,
  ],
  [
    '$or nested in an object',
    { detail: { $or: [{ stage: ['Dev'] }, { state: ['SUCCEEDED'] }] } },
    stageEvent,
    true,
  ],
  [
    '$or branch with AND inside',
    {
      $or: [
        { source: ['aws.codepipeline'], region: ['us-east-1'] },
        { detail: { version: [{ numeric: ['>', 100] }] } },
      ],
    },
    stageEvent,
    false,
  ],
  // unusual events
  ['non-object event', { source: ['x'] }, 'not an event', false],
  ['non-object event, exists false', { source: [{ exists: false }] }, null, true],
  ['prototype keys are not fields', { constructor: [{ exists: true }] }, {}, false],
];

describe('matchesPattern', () => {
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it('compilePattern gives the same answers as matchesPattern', () => {
    for (const [, pattern, event, expected] of cases) {
      expect(compilePattern(pattern)(event)).toBe(expected);
    }
  });
});

const invalid: [name: string, pattern: unknown][] = [
  ['empty pattern', {}],
  ['scalar field value', { source: 'aws.codepipeline' }],
  ['empty array', { source: [] }],
  ['empty nested object', { detail: {} }],
  ['unknown operator', { source: [{ contains: 'x' }] }],
  ['two keys in one match expression', { source: [{ prefix: 'a', suffix: 'b' }] }],
  ['nested array as value', { source: [['a']] }],
  ['exists not boolean', { source: [{ exists: 'yes' }] }],
  ['numeric with a string operand', { v: [{ numeric: ['>', '5'] }] }],
  ['numeric with a bad operator', { v: [{ numeric: ['!=', 5] }] }],
  ['numeric range in the wrong order', { v: [{ numeric: ['<', 5, '>', 1] }] }],
  ['numeric with odd length', { v: [{ numeric: ['>', 5, '<'] }] }],
  ['anything-but mixed list', { v: [{ 'anything-but': ['a', 1] }] }],
  ['anything-but null', { v: [{ 'anything-but': null }] }],
  ['anything-but empty prefix', { v: [{ 'anything-but': { prefix: '' } }] }],
  ['anything-but unknown operator', { v: [{ 'anything-but': { numeric: ['>', 1] } }] }],
  ['prefix not string', { v: [{ prefix: 5 }] }],
  ['wildcard with consecutive stars', { v: [{ wildcard: 'a**b' }] }],
  ['wildcard bad escape', { v: [{ wildcard: 'a\\b' }] }],
  ['$or with one branch', { $or: [{ source: ['a'] }] }],
  ['$or not an array', { $or: { source: ['a'] } }],
  ['cidr is not supported', { ip: [{ cidr: '10.0.0.0/8' }] }],
];

describe('invalid patterns', () => {
  it.each(invalid)('%s throws', (_name, pattern) => {
    expect(() => matchesPattern(pattern as EventPattern, stageEvent)).toThrow(InvalidEventPatternError);
  });
});
