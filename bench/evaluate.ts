// Check evaluation over a finished inventory: must grow linearly with the Organization (Organization-wide
// facts such as bucket classification are computed once per evaluation, not once per account).
import { allChecks } from '../checks/index.js';
import { defaultParameters } from '../checks/parameters.js';
import { seen, type Inventory } from '../src/model/inventory.js';
import { evaluateInventory } from '../src/scan/engine.js';
import { bucket, emptyAccount, emptyRegion, model } from '../test/support/inventory-builder.js';

export function syntheticInventory(accounts: number): Inventory {
  const inv: Inventory = { scanId: 'bench', organization: null, organizationTrails: null, accounts: [], buckets: {} };
  for (let i = 0; i < accounts; i++) {
    const id = String(100_000_000_000 + i);
    const account = { ...emptyAccount(id), access: seen({ roleArn: `arn:aws:iam::${id}:role/R` }), regionsScanned: ['us-east-1', 'eu-west-1'] };
    for (const region of account.regionsScanned) {
      const r = emptyRegion(region);
      const name = `models-${i}-${region}`;
      r.sagemaker.models = seen([model(`m${i}`, { modelDataUrls: [`s3://${name}/model.tar.gz`] }, region, id)]);
      account.regions[region] = r;
      inv.buckets[name] = bucket(name, {}, id);
    }
    inv.accounts.push(account);
  }
  return inv;
}

export interface EvaluateBenchFigures {
  accounts: number;
  results: number;
  ms: number;
}

export function benchEvaluate(sizes = [1000, 4000]): EvaluateBenchFigures[] {
  return sizes.map((accounts) => {
    const inventory = syntheticInventory(accounts);
    const started = performance.now();
    const { results } = evaluateInventory(inventory, allChecks, defaultParameters);
    return { accounts, results: results.length, ms: Math.round(performance.now() - started) };
  });
}
