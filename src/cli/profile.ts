// The AWS profile and the home region, read the way the SDK reads them (its own shared-config loader), so a
// profile that does not exist is a usage error before any work instead of a credential failure mid-run.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { UsageError } from './common.js';

export interface ProfileFiles {
  config: string;
  credentials: string;
}

/** Where profiles are read from: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials. */
export function profileFiles(env: NodeJS.ProcessEnv = process.env): ProfileFiles {
  return {
    config: env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials'),
  };
}

export interface ProfileInfo {
  name: string;
  /** The profile's configured region, if it has one. */
  region?: string;
}

/**
 * The profile the run uses (--profile, else AWS_PROFILE, else "default") and its region. A profile named with
 * --profile must exist; one named by AWS_PROFILE must too, unless keys in the environment are used instead
 * (the SDK's chain reads AWS_ACCESS_KEY_ID before any profile).
 */
export async function resolveProfile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProfileInfo> {
  const named = flag ?? (env.AWS_PROFILE || undefined);
  const name = named ?? 'default';
  const files = profileFiles(env);
  const loaded = await loadSharedConfigFiles({ configFilepath: files.config, filepath: files.credentials, ignoreCache: true });
  const section = loaded.configFile[name] ?? loaded.credentialsFile[name];
  const mustExist = flag !== undefined || (named !== undefined && !env.AWS_ACCESS_KEY_ID);
  if (!section && mustExist) {
    const source = flag !== undefined ? '--profile' : 'AWS_PROFILE';
    const known = [...new Set([...Object.keys(loaded.configFile), ...Object.keys(loaded.credentialsFile)])].filter((p) => !p.includes('.')).sort();
    throw new UsageError(
      `${source}: no profile "${name}" in ${files.config} or ${files.credentials} (profiles are read from AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE when set, else ~/.aws/config and ~/.aws/credentials). ` +
        (known.length
          ? `Profiles found: ${known.join(', ')}.`
          : 'No profile was found there; run "aws configure --profile NAME" or "aws configure sso".'),
    );
  }
  const region = loaded.configFile[name]?.region ?? loaded.credentialsFile[name]?.region;
  return { name, ...(region ? { region } : {}) };
}
