// The compliance view: per framework control, the PASS and FAIL results of the checks that support it.
import type { CheckView, ComplianceControlView, ComplianceFrameworkView, FrameworkCatalogue } from './types.js';

const share = (pass: number, fail: number): number | null => (pass + fail > 0 ? pass / (pass + fail) : null);

export function buildCompliance(frameworks: FrameworkCatalogue, checks: CheckView[]): ComplianceFrameworkView[] {
  return frameworks.map((fw) => {
    const controls = fw.controls.map((ctl): ComplianceControlView => {
      const supporting = checks.filter((c) => c.frameworks.some((f) => f.framework === fw.id && f.control === ctl.id));
      let pass = 0;
      let fail = 0;
      for (const c of supporting) {
        pass += c.counts.PASS;
        fail += c.counts.FAIL;
      }
      return { id: ctl.id, title: ctl.title, checkIds: supporting.map((c) => c.checkId), pass, fail, passShare: share(pass, fail) };
    });
    const pass = controls.reduce((n, c) => n + c.pass, 0);
    const fail = controls.reduce((n, c) => n + c.fail, 0);
    return { id: fw.id, name: fw.name, controls, passShare: share(pass, fail) };
  });
}
