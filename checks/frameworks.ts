// Compliance frameworks as data. Only control ids checked against published text are listed.
// Titles are short names of the controls, not their text.
import type { FrameworkInfo } from '../src/model/frameworks.js';
import type { FrameworkId } from './types.js';

/** A framework as written here: controls keyed by id for lookups. The catalogue lists them as FrameworkInfo. */
interface FrameworkDefinition {
  id: FrameworkId;
  name: string;
  version: string;
  controls: Record<string, { title: string }>;
}

export const frameworks: Record<FrameworkId, FrameworkDefinition> = {
  'nist-800-53-r5': {
    id: 'nist-800-53-r5',
    name: 'NIST SP 800-53 Rev. 5',
    version: 'Revision 5',
    controls: {
      'AU-2': { title: 'Event Logging' },
      'AU-3': { title: 'Content of Audit Records' },
      'AU-6': { title: 'Audit Record Review, Analysis, and Reporting' },
      'AU-9': { title: 'Protection of Audit Information' },
      'AU-11': { title: 'Audit Record Retention' },
      'AU-12': { title: 'Audit Record Generation' },
      'CM-8': { title: 'System Component Inventory' },
      'IR-4': { title: 'Incident Handling' },
      'SI-4': { title: 'System Monitoring' },
    },
  },
  'iso-27001-2022': {
    id: 'iso-27001-2022',
    name: 'ISO/IEC 27001:2022 Annex A',
    version: '2022',
    controls: {
      'A.5.28': { title: 'Collection of evidence' },
      'A.8.15': { title: 'Logging' },
      'A.8.16': { title: 'Monitoring activities' },
    },
  },
  soc2: {
    id: 'soc2',
    name: 'SOC 2 Trust Services Criteria',
    version: '2017 (revised points of focus 2022)',
    controls: {
      'CC7.2': { title: 'Monitoring of system components for anomalies' },
      'CC7.3': { title: 'Evaluation of security events' },
    },
  },
  'eu-ai-act': {
    id: 'eu-ai-act',
    name: 'EU AI Act (Regulation (EU) 2024/1689)',
    version: '2024',
    controls: {
      'Art. 12': { title: 'Record-keeping' },
      'Art. 19': { title: 'Automatically generated logs' },
      'Art. 26(6)': { title: 'Deployers keep automatically generated logs' },
    },
  },
  'iso-42001': {
    id: 'iso-42001',
    name: 'ISO/IEC 42001:2023 Annex A',
    version: '2023',
    controls: {
      'A.6.2.8': { title: 'AI system recording of event logs' },
    },
  },
  'cis-aws-foundations': {
    id: 'cis-aws-foundations',
    name: 'CIS AWS Foundations Benchmark v3.0.0',
    version: 'v3.0.0',
    controls: {
      '3.1': { title: 'Ensure CloudTrail is enabled in all regions' },
      '3.2': { title: 'Ensure CloudTrail log file validation is enabled' },
      '3.3': { title: 'Ensure AWS Config is enabled in all regions' },
      '3.7': { title: 'Ensure VPC flow logging is enabled in all VPCs' },
      '3.8': { title: 'Ensure that object-level logging for write events is enabled for S3 bucket' },
      '3.9': { title: 'Ensure that object-level logging for read events is enabled for S3 bucket' },
    },
  },
};

export function findControl(framework: FrameworkId, control: string): { title: string } | undefined {
  return frameworks[framework]?.controls[control];
}

/** The catalogue as a list (the shape reports/ consume): controls as {id, title}, in declaration order. */
export const frameworkCatalogue: (FrameworkInfo & { id: FrameworkId })[] = Object.values(frameworks).map((f) => ({
  id: f.id,
  name: f.name,
  version: f.version,
  controls: Object.entries(f.controls).map(([id, c]) => ({ id, title: c.title })),
}));
