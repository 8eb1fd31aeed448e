// analyze --format ocsf: findings whose techniques mix MITRE ATT&CK and ATLAS ids are valid OCSF Detection Findings
// (class 2004, checked against the shipped schema), each id in its own matrix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { analysisToOcsf } from '../../reports/machine/ocsf.js';
import type { Analysis } from '../../src/analysis/run.js';
import { invocationSecrets } from '../../src/analysis/rules/invocation-secrets.js';
import { BASELINE, inv, WINDOW } from './rules/builders.js';
import { runRule } from './rules/rule-tester.js';

const validDetection = new Ajv2020({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(join('src/model/schemas/ocsf/detection_finding.schema.json'), 'utf8')) as object,
);

describe('OCSF Detection Findings with ATLAS ids', () => {
  const [f] = runRule(invocationSecrets, [inv({ input: { inputBodyJson: { prompt: 'my key is AKIAIOSFODNN7EXAMPLE' } } })], {
    window: WINDOW,
    baseline: BASELINE,
  }).findings;
  const techniques = [...f!.techniques, 'T1078.004', 'AML.T0051.000', 'X-UNKNOWN'];
  const analysis = {
    generatedAt: '2024-06-02T00:00:00.000Z',
    tool: { name: 'forensight', version: '0.0.0-test' },
    derivedFrom: { path: '/b', bundleId: 'INC-1-b', incident: 'INC-1', window: WINDOW, manifestSha256: '0'.repeat(64) },
    findings: [{ ...f!, techniques, id: 'F-1' }],
  } as unknown as Analysis;
  const [ocsf] = analysisToOcsf(analysis) as { class_uid: number; finding_info: { attacks: unknown[] } }[];

  it('is a valid class 2004 Detection Finding', () => {
    expect(f!.techniques).toEqual(['T1552', 'AML.T0057']);
    expect(ocsf!.class_uid).toBe(2004);
    expect(validDetection(ocsf), JSON.stringify(validDetection.errors)).toBe(true);
  });

  it('puts each id in its matrix: ATT&CK (with its version) and ATLAS (linked to atlas.mitre.org), sub-techniques under their parent', () => {
    expect(ocsf!.finding_info.attacks).toEqual([
      { technique: { uid: 'T1552', src_url: 'https://attack.mitre.org/techniques/T1552/' }, version: '17' },
      { technique: { uid: 'AML.T0057', src_url: 'https://atlas.mitre.org/techniques/AML.T0057' } },
      {
        technique: { uid: 'T1078', src_url: 'https://attack.mitre.org/techniques/T1078/' },
        sub_technique: { uid: 'T1078.004', src_url: 'https://attack.mitre.org/techniques/T1078/004/' },
        version: '17',
      },
      {
        technique: { uid: 'AML.T0051', src_url: 'https://atlas.mitre.org/techniques/AML.T0051' },
        sub_technique: { uid: 'AML.T0051.000', src_url: 'https://atlas.mitre.org/techniques/AML.T0051.000' },
      },
      { technique: { uid: 'X-UNKNOWN' } },
    ]);
  });
});
