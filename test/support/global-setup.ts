// Make sure an emulator binary exists before any suite starts one (installs moto into .venv-moto if needed).
import { locateMotoServer } from '../../demo/moto.js';

export default function setup(): void {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  locateMotoServer(process.cwd(), (line) => process.stderr.write(`${line}\n`));
}
