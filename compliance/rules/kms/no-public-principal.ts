import type { KeyFact } from '../../facts/types';
import { compliant, nonCompliant, notApplicable, Rule, unknownFinding, unknownInput } from '../rule';
import { appliesToEveryone, list, statementUnknown } from '../match';

export const keyPolicyNoPublicPrincipal: Rule<KeyFact> = {
  id: 'TS-KMS-002',
  title: 'Key policy grants nothing to Principal * without a condition',
  severity: 'error',
  controls: ['CKV_AWS_33'],
  explanation: 'An Allow to every principal without a condition opens the key to any AWS account; conditions such as kms:CallerAccount or kms:ViaService scope it back.',
  appliesTo: 'key',
  evaluate: (k) => {
    const unknownPolicy = unknownInput(k, 'policy');
    if (unknownPolicy) return unknownPolicy;
    if (k.policy === undefined) return notApplicable(k, 'cannot evaluate: key policy not known from this source');
    const name = (i: number) => k.policy![i].sid ?? `statement ${i + 1}`;
    const open: number[] = [];
    const maybe: number[] = [];
    k.policy.forEach((s, i) => {
      if (s.hasCondition) return;
      const allow = s.effect === 'Allow' && !statementUnknown(s, 'effect');
      const everyone = appliesToEveryone(s);
      if (allow && everyone) open.push(i);
      else if ((allow || statementUnknown(s, 'effect')) && (everyone || statementUnknown(s, 'principals', 'notPrincipals'))) maybe.push(i);
    });
    if (open.length > 0) {
      return nonCompliant(
        k,
        `key policy allows Principal * without a condition: ${list(open.map(name))}`,
        { expected: 'no Allow to Principal * without a condition', actual: `Principal * allowed ${list(open.flatMap((i) => k.policy![i].actions), 10)} in ${list(open.map(name))}` },
        'name the principals (account root, roles, service principals) or add a condition such as kms:CallerAccount',
      );
    }
    if (maybe.length > 0) {
      return unknownFinding(k, maybe.map((i) => `${name(i)}: Principal ${list(k.policy![i].principals, 3)}${statementUnknown(k.policy![i], 'effect') ? ', Effect unknown' : ''} without a condition`));
    }
    return compliant(k, 'no unconditioned Allow to Principal *', 'no Allow to Principal * without a condition', 'none');
  },
};
