// The bundle facts the rules need: baseline window, artifact version history, AI workload ENIs.
import { describe, expect, it } from 'vitest';
import { aiInterfacesOf, baselineWindowOf, versionsOf } from '../../src/analysis/bundle-context.js';
import type { Manifest, ManifestItem } from '../../src/collect/manifest.js';

const item = { accountId: '111122223333', region: 'us-east-1' } as ManifestItem;

describe('bundle context', () => {
  it.each([
    [
      { baselineWindow: { start: '2026-10-25T00:00:00Z', end: '2026-11-01T00:00:00Z' } },
      { start: '2026-10-25T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' },
    ],
    [{ baselineWindow: null }, null],
    [{}, null],
    [{ baselineWindow: { start: 'yesterday', end: '2026-11-01T00:00:00Z' } }, null],
    [{ baselineWindow: { start: '2026-11-02T00:00:00Z', end: '2026-11-01T00:00:00Z' } }, null],
  ])('baselineWindowOf(%o)', (m, want) => expect(baselineWindowOf(m as unknown as Manifest)).toEqual(want));

  it('reads ListObjectVersions pages as collected', () => {
    const page = {
      Versions: [
        { Key: 'fraud/model.tar.gz', VersionId: 'v2', IsLatest: true, LastModified: '2026-11-01T10:00:00.000Z', Size: 10, ETag: '"e2"' },
        { Key: 'fraud/model.tar.gz', VersionId: 'v1', IsLatest: false, LastModified: '2026-10-01T10:00:00Z' },
        { VersionId: 'no-key' },
      ],
    };
    expect(versionsOf(page, 'models')).toEqual([
      {
        bucket: 'models',
        key: 'fraud/model.tar.gz',
        versionId: 'v2',
        isLatest: true,
        lastModified: '2026-11-01T10:00:00.000Z',
        size: 10,
        etag: '"e2"',
      },
      {
        bucket: 'models',
        key: 'fraud/model.tar.gz',
        versionId: 'v1',
        isLatest: false,
        lastModified: '2026-10-01T10:00:00.000Z',
        size: null,
        etag: null,
      },
    ]);
    expect(versionsOf({ Versions: 'x' }, 'b')).toEqual([]);
  });

  it.each([
    [
      'DescribeNotebookInstance',
      { NotebookInstanceArn: 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb', NetworkInterfaceId: 'eni-9' },
      [['eni-9', { workloadArn: 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb', kind: 'notebook-instance' }]],
    ],
    ['DescribeNotebookInstance', { NotebookInstanceName: 'nb' }, []],
    [
      'DescribeNetworkInterfaces',
      {
        NetworkInterfaces: [
          { NetworkInterfaceId: 'eni-1', Description: 'SageMaker training job fraud-train' },
          { NetworkInterfaceId: 'eni-2', Description: 'web server' },
        ],
      },
      [['eni-1', { workloadArn: 'SageMaker training job fraud-train', kind: 'training-job' }]],
    ],
  ])('aiInterfacesOf(%s)', (action, doc, want) => expect(aiInterfacesOf(action, doc, item)).toEqual(want));
});
