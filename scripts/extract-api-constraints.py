#!/usr/bin/env python3
"""Extract the input and output shapes and the error lists of the AWS operations the project calls from botocore's
service models.

Writes simulator/api-constraints.json, which simulator/validate-call.ts uses to reject any call that real AWS
would reject (neither the SDK v3 nor moto validates parameters), and test/simulator/fidelity.test.ts uses to check
every answer the simulator's world gives (output members, types, enums, and error names).

Output layout:
  {
    "botocoreVersion": "1.43.11",
    "source": "botocore/data/<service>/<apiVersion>/service-2.json",
    "apiVersions": { "codepipeline": "2015-07-09", ... },
    "operations": { "codepipeline.GetPipelineState": { "service": "codepipeline", "input": "GetPipelineStateInput",
                    "output": "GetPipelineStateOutput", "errors": ["PipelineNotFoundException", ...] } },
    "shapes": { "codepipeline": { "GetPipelineStateInput": { "type": "structure", ... }, ... } }
  }
Shapes are referenced by name so recursive shapes (e.g. DynamoDB's AttributeValue) are finite.

Usage: python3 scripts/extract-api-constraints.py [output-path]
"""

import gzip
import json
import os
import sys

import botocore

OPERATIONS = {
    'codepipeline': [
        'GetPipelineState',
        'GetPipeline',
        'GetPipelineExecution',
        'ListPipelineExecutions',
        'ListActionExecutions',
        'PutApprovalResult',
        'DisableStageTransition',
        'EnableStageTransition',
        'RollbackStage',
        'RetryStageExecution',
        'StartPipelineExecution',
        'StopPipelineExecution',
    ],
    'scheduler': ['CreateSchedule', 'DeleteSchedule', 'GetSchedule', 'ListSchedules'],
    'cloudwatch': ['DescribeAlarms', 'DescribeAlarmHistory', 'ListTagsForResource'],
    'events': ['PutEvents'],
    'ecs': ['UpdateService', 'DescribeServices', 'ListServiceDeployments', 'DescribeServiceDeployments'],
    'codedeploy': ['CreateDeployment', 'GetDeployment', 'GetDeploymentGroup'],
    'dynamodb': ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem'],
    'ssm': ['GetParameter', 'GetCalendarState'],
    'sts': ['AssumeRole'],
    'tagging': ['GetResources'],
}

# The project names a service as its endpoint prefix (`events`, `tagging`); botocore's directory, where it differs.
BOTOCORE_NAMES = {'tagging': 'resourcegroupstaggingapi'}

# Constraint keys copied verbatim when present; everything else (documentation, examples, ...) is dropped.
SCALAR_KEYS = ('min', 'max', 'pattern', 'enum')
DEFAULT_OUTPUT = os.path.join(os.path.dirname(__file__), '..', 'simulator', 'api-constraints.json')


def load_service_model(service):
    """Load the newest API version of a service model, whether botocore ships it plain or gzipped: (version, model)."""
    service_dir = os.path.join(os.path.dirname(botocore.__file__), 'data', service)
    # API versions are ISO dates, so the lexically greatest directory holding a model is the newest.
    for version in sorted(os.listdir(service_dir), reverse=True):
        base = os.path.join(service_dir, version, 'service-2.json')
        if os.path.exists(base):
            with open(base, encoding='utf-8') as f:
                return version, json.load(f)
        if os.path.exists(base + '.gz'):
            with gzip.open(base + '.gz', 'rt', encoding='utf-8') as f:
                return version, json.load(f)
    raise FileNotFoundError(f'no service-2.json(.gz) for {service} under {service_dir}')


def compact_shape(shape):
    """Reduce a botocore shape to its type, constraints and references to other shape names."""
    kind = shape['type']
    out = {'type': kind}
    for key in SCALAR_KEYS:
        if key in shape:
            out[key] = shape[key]
    if kind == 'structure':
        out['required'] = shape.get('required', [])
        out['members'] = {name: member['shape'] for name, member in shape.get('members', {}).items()}
        if shape.get('union'):
            out['union'] = True
    elif kind == 'list':
        out['member'] = shape['member']['shape']
    elif kind == 'map':
        out['key'] = shape['key']['shape']
        out['value'] = shape['value']['shape']
    return out


def referenced_shapes(shape):
    """Names of the shapes a compacted shape points at."""
    if shape['type'] == 'structure':
        return list(shape['members'].values())
    if shape['type'] == 'list':
        return [shape['member']]
    if shape['type'] == 'map':
        return [shape['key'], shape['value']]
    return []


def collect_shapes(model, root, collected):
    """Add the shape named root and every shape reachable from it to collected (name -> compact shape)."""
    pending = [root]
    while pending:
        name = pending.pop()
        if name in collected:
            continue
        collected[name] = compact_shape(model['shapes'][name])
        pending.extend(referenced_shapes(collected[name]))


def extract():
    result = {
        'botocoreVersion': botocore.__version__,
        'source': 'botocore/data/<service>/<apiVersion>/service-2.json',
        'apiVersions': {},
        'operations': {},
        'shapes': {},
    }
    for service, operations in OPERATIONS.items():
        version, model = load_service_model(BOTOCORE_NAMES.get(service, service))
        result['apiVersions'][service] = version
        shapes = {}
        for operation in operations:
            spec = model['operations'][operation]
            input_shape = spec['input']['shape']
            collect_shapes(model, input_shape, shapes)
            entry = {'service': service, 'input': input_shape}
            if 'output' in spec:
                entry['output'] = spec['output']['shape']
                collect_shapes(model, entry['output'], shapes)
            entry['errors'] = [error['shape'] for error in spec.get('errors', [])]
            result['operations'][f'{service}.{operation}'] = entry
        result['shapes'][service] = dict(sorted(shapes.items()))
    return result


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT
    with open(output, 'w', encoding='utf-8') as f:
        json.dump(extract(), f, indent=1, sort_keys=False)
        f.write('\n')
    print(f'wrote {os.path.normpath(output)}')


if __name__ == '__main__':
    main()
