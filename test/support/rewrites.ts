// States moto 5.2 cannot represent, put into its real answers by FaultProxy `rewrite` rules (see demo/proxy.ts):
// the scan reads them through its own collectors and the real API shapes. Rules go with proxy.clearRules()
// (useEmulator's reset), like every other fault.
import type { FaultProxy } from '../../demo/proxy.js';

/**
 * moto puts every endpoint InService at once (and an update back to InService within the call). Report
 * `endpointName` in `status` (a DescribeEndpoint EndpointStatus value) in both ListEndpoints and DescribeEndpoint.
 */
export function rewriteEndpointStatus(proxy: FaultProxy, accountId: string, endpointName: string, status: string): void {
  proxy.addRule({
    match: { service: 'sagemaker', accountId, action: 'ListEndpoints' },
    rewrite: (answer) => ({
      ...answer,
      Endpoints: ((answer.Endpoints ?? []) as Record<string, unknown>[]).map((e) =>
        e.EndpointName === endpointName ? { ...e, EndpointStatus: status } : e,
      ),
    }),
  });
  proxy.addRule({
    match: { service: 'sagemaker', accountId, action: 'DescribeEndpoint', resource: endpointName },
    rewrite: (answer) => ({ ...answer, EndpointStatus: status }),
  });
}

/** A ConfigurationRecorder field set as the AWS API reference shapes it (e.g. recordingMode, which moto drops). */
export function rewriteConfigRecorder(proxy: FaultProxy, accountId: string, fields: Record<string, unknown>): void {
  proxy.addRule({
    match: { service: 'config', accountId, action: 'DescribeConfigurationRecorders' },
    rewrite: (answer) => ({
      ...answer,
      ConfigurationRecorders: ((answer.ConfigurationRecorders ?? []) as Record<string, unknown>[]).map((r) => ({ ...r, ...fields })),
    }),
  });
}

/** A recorder status field set (e.g. lastStatus FAILURE after a delivery failure, which moto never reports). */
export function rewriteConfigRecorderStatus(proxy: FaultProxy, accountId: string, fields: Record<string, unknown>): void {
  proxy.addRule({
    match: { service: 'config', accountId, action: 'DescribeConfigurationRecorderStatus' },
    rewrite: (answer) => ({
      ...answer,
      ConfigurationRecordersStatus: ((answer.ConfigurationRecordersStatus ?? []) as Record<string, unknown>[]).map((s) => ({ ...s, ...fields })),
    }),
  });
}
