// A resource whose Describe call failed must not read as "a resource with no buckets / no network":
// the checks that depend on its details say NOT_ASSESSED with the reason instead.
import { describe, expect, it } from 'vitest';
import { check as flowLogs } from '../../checks/vpc-flow-logs-ai.js';
import { check as versioning } from '../../checks/sagemaker-model-artifact-versioning.js';
import { inventory, model, MGMT, only, run } from '../support/inventory-builder.js';

const unseenModel = model('fraud', {
  modelDataUrls: [],
  vpc: null,
  detailsUnseen: { reason: 'AccessDeniedException on sagemaker:DescribeModel', errorCode: 'AccessDeniedException' },
});

describe('resources whose details could not be read', () => {
  it('vpc-flow-logs-ai: a model whose placement is unknown gives NOT_ASSESSED, not NOT_APPLICABLE', () => {
    const f = only(
      run(
        flowLogs,
        inventory().region('us-east-1', (r) => r.models([unseenModel])),
      ),
    );
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.resourceArn).toBe(`arn:aws:ec2:us-east-1:${MGMT}:vpc/*`);
    expect(f.reason).toContain('DescribeModel');
  });

  it('sagemaker-model-artifact-versioning: a model whose artifacts are unknown gives NOT_ASSESSED, not NOT_APPLICABLE', () => {
    const f = only(
      run(
        versioning,
        inventory().region('us-east-1', (r) => r.models([unseenModel])),
      ),
    );
    expect(f.status).toBe('NOT_ASSESSED');
    expect(f.reason).toContain('DescribeModel');
  });
});
