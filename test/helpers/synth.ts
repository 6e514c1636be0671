import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** Synthesized Terraform JSON of a stack, with lookups by resource type. */
export class Synthesized {
  readonly json: any;
  constructor(text: string) {
    this.json = JSON.parse(text);
  }
  /** All resources of a type, as { name: config }. */
  resources(type: string): Record<string, any> {
    return this.json.resource?.[type] ?? {};
  }
  /** The only resource of a type (fails the test if there are 0 or several). */
  only(type: string): any {
    const all = Object.values(this.resources(type));
    if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
    return all[0];
  }
  count(type: string): number {
    return Object.keys(this.resources(type)).length;
  }
  /** A policy JSON string parsed (policies are JSON.stringify'd at synth). */
  static policy(text: string): any {
    return JSON.parse(text);
  }
}

/** A stack with a default AWS provider, for unit-testing one construct. */
export function testStack(): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  return { app, stack };
}

export function synth(stack: TerraformStack): Synthesized {
  return new Synthesized(Testing.synth(stack));
}

/** Builds constructs in a fresh stack and returns its synthesized JSON. */
export function synthWith(build: (stack: Construct) => void): Synthesized {
  const { stack } = testStack();
  build(stack);
  return synth(stack);
}
