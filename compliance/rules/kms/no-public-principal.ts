import type { KeyFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule } from '../rule';
import { isAnyPrincipal, list } from '../match';

export const keyPolicyNoPublicPrincipal: Rule<KeyFact> = {
  id: 'TS-KMS-002',
  title: 'Key policy grants nothing to Principal * without a condition',
  severity: 'error',
  controls: ['CKV_AWS_33'],
  explanation: 'An Allow to every principal without a condition opens the key to any AWS account; conditions such as kms:CallerAccount or kms:ViaService scope it back.',
  appliesTo: 'key',
  evaluate: (k) => {
    if (k.policy === undefined) return notApplicable(k, 'cannot evaluate: key policy not known from this source');
    const open = k.policy.filter((s) => s.effect === 'Allow' && s.principals.some(isAnyPrincipal) && !s.hasCondition);
    const names = open.map((s, i) => s.sid ?? `statement ${k.policy!.indexOf(s) + 1 || i + 1}`);
    return open.length === 0
      ? compliant(k, 'no unconditioned Allow to Principal *', 'no Allow to Principal * without a condition', 'none')
      : nonCompliant(
          k,
          `key policy allows Principal * without a condition: ${list(names)}`,
          { expected: 'no Allow to Principal * without a condition', actual: `Principal * allowed ${list(open.flatMap((s) => s.actions), 10)} in ${list(names)}` },
          'name the principals (account root, roles, service principals) or add a condition such as kms:CallerAccount',
        );
  },
};
