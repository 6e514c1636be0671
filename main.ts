/**
 * `cdktf synth` / `cdktf deploy` entry: one PlatformStack per environment.
 * Select a subset with TABLESAFE_STACKS=demo,prod (all by default).
 */
import { App } from 'cdktf';
import { ENVIRONMENTS } from './stacks/config';
import { PlatformStack } from './stacks/platform-stack';

const app = new App();
const wanted = process.env.TABLESAFE_STACKS?.split(',').map((s) => s.trim()).filter(Boolean);
for (const config of ENVIRONMENTS) {
  if (!wanted || wanted.includes(config.environment)) new PlatformStack(app, config);
}
app.synth();
